"""Files that are not data get one sentence saying why, from the library and from the CLI (exit code 2);
nothing crashes, and a dataset stored before is left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retention import store
from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError
from retention.ingest.read import read_table
from tests.helpers.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "ingest" / "bad"

# file → words the one-sentence message must contain
CASES = {
    "image_renamed.csv": "this is a PNG image, not a spreadsheet",
    "pdf_renamed.xlsx": "this is a PDF document, not a spreadsheet",
    "empty.csv": "the file is empty",
    "header_only.csv": "has a header row but no data rows",
    "not_a_table.txt": "no table was found",
    "password_protected.xlsx": "the workbook is password-protected",
    "truncated.csv.gz": "incomplete",
    "two_files.zip": "holds 2 files (a.csv, b.csv); put exactly one data file in it",
    "whole_sheet_used_range.xlsx": "claims 17,179,869,184 cells",
}
LIMITED = {  # with RETENTION_MAX_UPLOAD_MB=1 (unpack limit 4 MB)
    "bomb.zip": "unpacks to 15 MB, beyond the limit of 4 MB",
    "bomb.csv.gz": "unpacks to more than 4 MB, beyond the limit",
}


def _sentence(message: str) -> None:
    assert message.endswith(".") and "\n" not in message and message[0].islower()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gets_one_sentence(name):
    with pytest.raises(IngestError) as err:
        prepare((BAD / name).read_bytes(), name, "purchases")
    assert CASES[name] in str(err.value)
    assert str(err.value).startswith(f"file {name!r}: ")
    _sentence(str(err.value))


@pytest.mark.parametrize("name", sorted(LIMITED))
def test_zip_and_gzip_bombs_are_refused_before_inflating(name, monkeypatch):
    monkeypatch.setenv("RETENTION_MAX_UPLOAD_MB", "1")
    with pytest.raises(IngestError) as err:
        read_table((BAD / name).read_bytes(), name)
    assert LIMITED[name] in str(err.value)


def test_file_over_the_size_limit(monkeypatch):
    monkeypatch.setenv("RETENTION_MAX_UPLOAD_MB", "1")
    data = b"customer,date,amount\n" + b"c1,2024-01-01,1.00\n" * 60_000  # 1.2 MB
    with pytest.raises(IngestError, match=r"the file is 1 MB, more than the limit of 1 MB"):
        prepare(data, "big.csv", "purchases")


def test_workbook_with_a_million_formatted_empty_rows_reads_its_three_rows():
    started = time.perf_counter()
    raw = read_table((BAD / "million_formatted_rows.xlsx").read_bytes(), "million_formatted_rows.xlsx")
    assert raw.frame["customer"].tolist() == ["c2", "c3", "c4"]
    assert raw.frame["__row"].tolist() == [2, 3, 4]
    assert time.perf_counter() - started < 30  # generous: only guards against reading a million rows cell by cell


def _cli(*args: str, env: dict | None = None, as_user: bool = False) -> subprocess.CompletedProcess:
    """`inspect ARGS`: in this process (tests/helpers/cli_runner.py), or as_user in a new interpreter."""
    if not as_user:
        return run_cli("inspect", *args, env=env)
    return subprocess.run([sys.executable, "-m", "retention", "inspect", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.parametrize("name", ["image_renamed.csv", "password_protected.xlsx"])
def test_cli_exit_code_2_and_the_sentence(name, tmp_path):
    done = _cli(str(BAD / name), env={"RETENTION_DATA_DIR": str(tmp_path)}, as_user=name == "image_renamed.csv")
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: file {name!r}: " + _message(name)
    assert done.stdout == ""


def _message(name: str) -> str:
    with pytest.raises(IngestError) as err:
        prepare((BAD / name).read_bytes(), name, "purchases")
    return err.value.problem + "."


def test_cli_refuses_a_2_gb_file_without_reading_it(tmp_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: 2 GB on paper, nothing on disk
        handle.truncate(2 * 1024 ** 3)
    done = _cli(str(huge), env={"RETENTION_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert "the file is 2,048 MB, more than the limit of 200 MB" in done.stderr


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_upload_leaves_the_stored_dataset_untouched(data_dir):
    good = prepare(b"customer,date,amount\na,2024-01-05,10\nb,2024-02-17,20\n", "good.csv", "purchases")
    dataset_id, _ = store.create_dataset(good, None, name="kept")
    before = _digest(data_dir / "datasets")
    with store.open_dataset(dataset_id) as con:
        rows_before = con.execute("select * from purchases order by row_no").fetchall()
    for name in CASES:
        with pytest.raises(IngestError):
            store.create_dataset(prepare((BAD / name).read_bytes(), name, "purchases"), None, name="bad")
    done = _cli(str(BAD / "image_renamed.csv"), env={"RETENTION_DATA_DIR": str(data_dir)})
    assert done.returncode == 2
    assert _digest(data_dir / "datasets") == before
    with store.open_dataset(dataset_id) as con:
        assert con.execute("select * from purchases order by row_no").fetchall() == rows_before
    assert not list((data_dir / "tmp").glob("*.tmp"))
