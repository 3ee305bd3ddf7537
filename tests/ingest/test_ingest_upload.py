"""Browser uploads are read like files on disk (retention/ingest/upload.py, leftover #16.6): a large plain
text upload is staged in DuckDB (only the head rows in pandas) and gives exactly what read_table gives on
the same bytes; other uploads are read as before; no scratch copy stays behind; the Data page reads
uploads through it."""

from __future__ import annotations

import ast
import gc
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from retention.ingest.errors import IngestError
from retention.ingest.read import read_table
from retention.ingest.stage import HEAD_ROWS
from retention.ingest.upload import read_upload
from tests.ingest.test_ingest_stage import TEXT, loaded, whole

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    return tmp_path


def leftovers(data_dir: Path) -> list[str]:
    gc.collect()
    return sorted(p.name for p in (data_dir / "tmp").glob("*")) if (data_dir / "tmp").exists() else []


@pytest.mark.parametrize("path", [p for p in TEXT if p.name in ("utf8_comma.csv", "crlf_quoted_all.csv",
                                                                "tab_separated.tsv")], ids=lambda p: p.name)
def test_staged_upload_reads_as_the_bytes(path, data_dir):
    data = path.read_bytes()
    upload, memory = read_upload(data, path.name, stage_min_bytes=0), read_table(data, path.name)
    assert upload.staged is not None
    assert upload.columns == memory.columns
    assert whole(upload) == whole(memory)
    assert {k: v for k, v in upload.info.items() if k != "reader"} == {k: v for k, v in memory.info.items() if k != "reader"}
    assert loaded(upload, path.name) == loaded(memory, path.name)
    assert not [n for n in leftovers(data_dir) if n.startswith("upload.")]  # the scratch copy is gone
    del upload
    assert leftovers(data_dir) == []  # and the staging file goes with the RawTable


def test_large_text_upload_keeps_only_the_head_in_pandas(data_dir):
    rows = HEAD_ROWS + 5_000
    data = b"customer,date,amount\n" + b"".join(b"C%d,2024-01-%02d,%d.50\n" % (i % 300, i % 28 + 1, i % 90)
                                               for i in range(rows))
    raw = read_upload(data, "orders.csv", stage_min_bytes=0)
    assert raw.staged is not None and len(raw.frame) == HEAD_ROWS and raw.row_count == rows
    assert whole(raw)[-1][1:] == ["C" + str((rows - 1) % 300), f"2024-01-{(rows - 1) % 28 + 1:02d}", f"{(rows - 1) % 90}.50"]


def test_an_ods_upload_is_read_as_before(data_dir):
    name = "opendocument.ods"
    data = (FIXTURES / "conventions" / name).read_bytes()
    upload, memory = read_upload(data, name, stage_min_bytes=0), read_table(data, name)
    assert upload.staged is None
    assert upload.frame.equals(memory.frame) and upload.info == memory.info
    assert leftovers(data_dir) == []


@pytest.mark.parametrize("name", ["utf8_comma.csv.gz", "cp1250_in_zip.zip", "typed.parquet"])
def test_large_compressed_and_parquet_uploads_are_staged(name, data_dir):
    """A .gz or .zip is unpacked to a scratch copy chunk by chunk and the copy staged; a Parquet file is staged
    by DuckDB: the same table and info as read_table's (the archive named), and no copy left."""
    data = (FIXTURES / "conventions" / name).read_bytes()
    upload, memory = read_upload(data, name, stage_min_bytes=0), read_table(data, name)
    assert upload.staged is not None and upload.columns == memory.columns
    assert whole(upload) == whole(memory)
    assert {k: v for k, v in upload.info.items() if k != "reader"} == {k: v for k, v in memory.info.items() if k != "reader"}
    assert loaded(upload, name) == loaded(memory, name)
    del upload
    assert leftovers(data_dir) == []


@pytest.mark.parametrize("name", ["cp1252_german.csv", "utf16be_tab.txt", "shift_jis_japanese.csv"])
def test_a_large_upload_in_another_encoding_is_staged_from_a_utf8_copy(name, data_dir):
    """Staged through a UTF-8 scratch copy (stage.transcode): the same table and info (encoding named), no copy left."""
    data = (FIXTURES / "conventions" / name).read_bytes()
    upload, memory = read_upload(data, name, stage_min_bytes=0), read_table(data, name)
    assert upload.staged is not None and upload.info == {**memory.info, "reader": "duckdb"}
    assert whole(upload) == whole(memory)
    del upload
    assert leftovers(data_dir) == []


def test_a_large_xlsx_upload_is_streamed_into_the_staging_file(data_dir):
    """An .xlsx from stage_min_bytes is streamed (test_ingest_workbook_stream.py): the same table and info."""
    name = "workbook_title_rows.xlsx"
    data = (FIXTURES / "conventions" / name).read_bytes()
    upload, memory = read_upload(data, name, stage_min_bytes=0), read_table(data, name)
    assert upload.staged is not None and upload.info["reader"] == "stream"
    assert whole(upload) == whole(memory)
    assert {k: v for k, v in upload.info.items() if k != "reader"} == {k: v for k, v in memory.info.items() if k != "reader"}
    del upload
    assert leftovers(data_dir) == []


def test_upload_errors_name_the_upload(data_dir):
    with pytest.raises(IngestError, match="report.csv.*empty"):
        read_upload(b"", "report.csv")
    with pytest.raises(IngestError, match="report.csv"):
        read_upload(b"\x00\x01\x02binary" * 100, "report.csv", stage_min_bytes=0)
    assert leftovers(data_dir) == []


def test_data_page_reads_uploads_through_read_upload():
    # the Upload page reads its files in its view module (pages/data.py calls it)
    tree = ast.parse((ROOT / "retention" / "ui" / "data" / "files.py").read_text())
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "read_upload" in called and "read_table" not in called


CHILD = textwrap.dedent("""
    import resource, sys
    from retention.ingest.canonical import prepare
    from retention.ingest.read import read_table
    from retention.ingest.upload import read_upload
    data = open(sys.argv[1], "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    raw = (read_upload if sys.argv[2] == "upload" else read_table)(data, "tiny.csv")
    prepare(b"", "tiny.csv", "purchases", raw=raw)
    print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
""")


def test_upload_memory_does_not_grow_with_rows(tmp_path, data_dir):
    """A 40 MB upload of tiny rows (3.3M rows), read and detected the page's way: the process grows by far less
    than reading it into pandas (read_table) costs (measured: 121 MB against 234 MB; DuckDB's share stays
    about the same as the file grows, pandas' grows with the rows)."""
    path = tmp_path / "tiny.csv"
    with path.open("wb") as out:
        out.write(b"customer,date,amount\n")
        block = b"".join(b"%d,2024-01-%02d,%d\n" % (i % 997, i % 28 + 1, i % 50) for i in range(10_000))
        while out.tell() < 40 * 1024 * 1024:
            out.write(block)
    env = {**os.environ, "RETENTION_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    grown = {how: int(subprocess.run([sys.executable, "-c", CHILD, str(path), how], env=env, check=True,
                                     capture_output=True, text=True).stdout.split()[-1])
             for how in ("upload", "bytes")}
    assert grown["upload"] < 250, grown
    # never more than the in-memory read (since detection reads a bounded sample, test_ingest_budget.py, both
    # paths can stay under the peak the imports set, and grow by 0 MB)
    assert grown["upload"] <= grown["bytes"] + 50, grown


def test_data_page_validates_and_saves_a_staged_upload(demo_env, monkeypatch):
    """The whole page on a staged upload (every upload staged for the test): previews, counts, rejected
    rows and the saved dataset are those of the file."""
    from streamlit.testing.v1 import AppTest

    from retention import store
    from retention.ingest import stage

    monkeypatch.setattr(stage, "STAGE_MIN_BYTES", 0)
    csv = b"client,date,total\nA,2024-01-05,10.5\nB,2024-01-06,7\nA,2024-02-01,oops\nC,2024-02-03,4\n"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_purchases_file").set_value(("orders.csv", csv, "text/csv")).run()
    assert not at.exception, at.exception
    assert list((demo_env / "tmp").glob("stage.*.duckdb.tmp"))  # the rows are in a staging file
    assert not list((demo_env / "tmp").glob("upload.*"))  # and the scratch copy of the bytes is gone
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Rows read"], metrics["Rows used"], metrics["Rows rejected"], metrics["Customers"]) == ("4", "3", "1", "3")
    assert at.dataframe[0].value["client"].tolist() == ["A", "B", "A", "C"]
    before = set((demo_env / "datasets").glob("*.duckdb"))
    at.button(key="data_save").click().run()
    assert not at.exception, at.exception
    (created,) = set((demo_env / "datasets").glob("*.duckdb")) - before
    con = store.open_dataset(created.stem)
    assert con.execute("select customer_id, amount from purchases order by row_no").fetchall() == [
        ("A", 10.5), ("B", 7.0), ("C", 4.0)]
    con.close()
    store.delete_dataset(created.stem)
