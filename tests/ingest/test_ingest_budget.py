"""Bounded work (issue 16.6), the rest of it: detection reads at most values.DETECT_ROWS rows however long
the file is, and reading, detection and the load together stay within the load's time limit (ingest/budget.py).
Nothing here is timed: rows scanned are counted by DuckDB's profiler, time limits are forced with tiny limits.
The time ratio of detection on 5 MB vs 50 MB is printed by performance/detect_scaling.py (README, Performance)."""

from __future__ import annotations

import json

import duckdb
import pytest

from retention import store
from retention.ingest import values
from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError
from retention.ingest.stage import read_path
from retention.ingest.upload import read_upload

LIMIT = 20_000  # detection rows for these tests (values.DETECT_ROWS is 250,000: too many to stage here quickly)


def _rows(n: int, late: str = "") -> bytes:
    """A purchases file of n rows whose dates are slashed with day and month ≤ 12 (so either order fits),
    then `late` (rows appended after the n)."""
    body = "".join(f"C{i % 997},{i % 12 + 1:02d}/{i % 11 + 1:02d}/2024,{i % 500}.{i % 100:02d}\n" for i in range(n))
    return ("customer,date,amount\n" + body + late).encode()


@pytest.fixture
def big(tmp_path, data_dir):
    """About 30 MB, 1.2 million rows, staged in DuckDB (the CLI's and the upload's path for large text)."""
    path = tmp_path / "big.csv"
    path.write_bytes(_rows(1_200_000))
    raw = read_path(path, stage_min_bytes=0)
    assert raw.staged is not None and raw.row_count == 1_200_000
    return raw


def _scanned(con, tmp_path, call) -> int:
    """Rows DuckDB's table scans read while `call()` ran its query on `con` (profiling, one query)."""
    out = tmp_path / "profile.json"
    out.unlink(missing_ok=True)
    con.execute("pragma enable_profiling = 'json'")
    con.execute(f"set profiling_output = '{out}'")
    try:
        call()
    finally:
        con.execute("pragma disable_profiling")
    return json.loads(out.read_text())["query"]["total_rows_scanned"]


def test_the_whole_column_questions_scan_only_the_first_detection_rows(big, tmp_path):
    """detect_day_month_order, sample_number_marks and sample_column_values used to scan every row of the staged
    table (a 200 MB file of tiny rows: minutes before the load's limit applied)."""
    detector = values.Detector(big.frame, big.staged, rows=LIMIT)
    try:
        assert detector.truncated
        assert detector.con.execute("select count(*) from detect_raw").fetchone()[0] == LIMIT
        for question in (detector.day_month, detector.separator_values, detector.sample):
            scanned = _scanned(detector.con, tmp_path, lambda q=question: q("date"))
            assert 0 < scanned < 4 * LIMIT < big.row_count, (question.__name__, scanned)
        unbounded = values.Detector(big.frame, big.staged, rows=big.row_count)
        try:
            assert _scanned(unbounded.con, tmp_path, lambda: unbounded.day_month("date")) >= big.row_count
        finally:
            unbounded.close()
    finally:
        detector.close()


def test_detection_of_a_long_file_is_decided_from_its_first_rows_and_says_so(tmp_path, data_dir, monkeypatch):
    """A day above 12 only after the detection rows is not seen: the order stays a guess (the load rejects
    or parses the later rows by it), and the date forms are reported as counted in a sample."""
    monkeypatch.setattr(values, "DETECT_ROWS", 2_000)
    data = _rows(3_000, late="C1,25/01/2024,5.00\n")
    prepared = prepare(data, "long.csv", "purchases")
    choice = prepared.dates["date"]
    assert choice.decided_by != "column" and choice.forms_sampled
    assert sum(choice.forms.values()) == 2_000
    short = prepare(_rows(1_500, late="C1,25/01/2024,5.00\n"), "short.csv", "purchases").dates["date"]
    assert short.order == "dmy" and short.decided_by == "column" and not short.forms_sampled
    assert sum(short.forms.values()) == 1_501


def test_a_read_past_the_time_limit_is_stopped_and_refused_naming_the_file(tmp_path, data_dir):
    path = tmp_path / "slow.csv"
    path.write_bytes(_rows(50_000))
    with pytest.raises(IngestError, match="^file 'slow.csv': checking and loading it took longer than the limit"):
        read_path(path, stage_min_bytes=0, limit_seconds=1e-6)
    with pytest.raises(IngestError, match="^file 'slow.csv': checking and loading it took longer than the limit"):
        read_upload(path.read_bytes(), "slow.csv", stage_min_bytes=0, limit_seconds=1e-6)
    assert not list((data_dir / "tmp").glob("*.tmp"))  # no staging file nor scratch copy left behind
    with duckdb.connect() as owner:  # staged in the CLI's connection: no in-memory database left in it
        with pytest.raises(IngestError, match="^file 'slow.csv': checking and loading it took longer than the limit"):
            read_path(path, stage_min_bytes=0, limit_seconds=1e-6, into=lambda: owner)
        assert owner.execute("select count(*) from duckdb_databases() where database_name like 'stage_%'"
                             ).fetchone()[0] == 0
    assert read_path(path, stage_min_bytes=0, limit_seconds=0).row_count == 50_000  # 0: no limit


def test_what_reading_and_detection_spent_comes_off_the_loads_limit(data_dir, monkeypatch):
    """The load had the whole limit to itself after a read and a detection of any length."""
    monkeypatch.setenv("RETENTION_LOAD_SECONDS", "60")
    prepared = prepare(_rows(100), "spent.csv", "purchases")
    assert prepared.spent_seconds > 0
    prepared.spent_seconds = 61
    with pytest.raises(IngestError, match="^file 'spent.csv': checking and loading it took longer than the limit "
                                          "of 60 "):
        store.preview(prepared, None)
    with pytest.raises(IngestError, match="longer than the limit of 60 "):
        store.create_dataset(prepared, None, "late")
    assert not list((data_dir / "datasets").iterdir())
    prepared.spent_seconds = 1
    assert store.preview(prepared, None)[0]["purchases"]["summary"]


def test_a_preview_lists_at_most_preview_rows_of_rejected_rows_and_possible_duplicates(data_dir, monkeypatch):
    """A 200 MB purchase log repeating 10,000 rows has 9 million possible duplicates: listing them all as
    Python dicts for the download took 8 GB and minutes after the load, outside its time limit."""
    monkeypatch.setattr(store, "PREVIEW_ROWS", 7)
    rows = "".join(f"C{i % 3},2024-01-0{i % 5 + 1},5\n" for i in range(30)) + "C9,not a date,5\n" * 20
    reports, rejected, duplicates = store.preview(prepare(("customer,date,amount\n" + rows).encode(), "rep.csv",
                                                          "purchases"), None)
    report = reports["purchases"]
    assert report["summary"]["rows_rejected"] == 20 and len(rejected) == 7
    assert list(rejected["row"]) == list(range(32, 39))  # the first ones, as the file numbers them
    flagged = next(f["rows"] for f in report["flags"] if f["flag"] == "possible_duplicate")
    assert flagged == 15 and len(duplicates) == 7 and list(duplicates["row"]) == sorted(duplicates["row"])
    monkeypatch.setattr(store, "PREVIEW_ROWS", None)
    assert len(store.preview(prepare(("customer,date,amount\n" + rows).encode(), "rep.csv", "purchases"),
                             None)[1]) == 20


def test_the_cli_refuses_past_the_limit_only_when_the_variable_sets_one(tmp_path, data_dir, monkeypatch, capsys):
    """The CLI had no limit at all; with $RETENTION_LOAD_SECONDS set it now keeps it, exit 2 naming the file."""
    from retention import cli

    path = tmp_path / "orders.csv"
    path.write_bytes(_rows(200))
    monkeypatch.setenv("RETENTION_LOAD_SECONDS", "0.000001")
    assert cli.main(["matrix", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: file 'orders.csv': checking and loading it took longer than the limit"), err
    monkeypatch.delenv("RETENTION_LOAD_SECONDS")
    assert cli.main(["matrix", str(path)]) == 0
