"""A header name given to two columns (issue #16, point 3): both columns are kept under distinct names
('date', 'date (2)'), the validation report and the CLI warn, naming the columns by letter and saying
which one took which role, and the role options can pick either."""

from __future__ import annotations

import datetime as dt

import duckdb

from retention import sql
from retention.ingest.canonical import load_into, prepare
from retention.ingest.stage import read_path
from retention.ingest.table import column_letter, repeated_headers
from tests.cli.test_ingest_cli import inspect

TWO_DATES = "customer,note,date,amount,channel,date\na,x,2024-01-05,10,web,2024-03-01\nb,y,2024-01-06,5,shop,2024-03-02\n"


def report_of(prepared) -> dict:
    con = duckdb.connect()
    sql.execute(con, "create_rejected")
    return load_into(con, prepared, dt.date(2025, 6, 1))


def test_column_letters_are_the_spreadsheets():
    assert [column_letter(n) for n in (1, 3, 26, 27, 52, 53, 702, 703)] == ["A", "C", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_repeated_headers_lists_each_repeat_with_its_positions():
    assert repeated_headers(["id", "date", " date ", "", "x", "date", ""]) == [
        {"name": "date", "columns": ["date", "date (2)", "date (3)"], "positions": [2, 3, 6]}]
    assert repeated_headers(["id", "", "", "date"]) == []  # blank headers are not a repeated name


def test_the_report_names_both_columns_and_the_role_each_took():
    report = report_of(prepare(TWO_DATES.encode(), "two.csv", "purchases"))
    assert report["repeated_headers"] == [{"name": "date", "columns": ["date", "date (2)"], "positions": [3, 6],
                                           "letters": ["C", "F"], "roles": {"date": "date", "date (2)": None}}]
    assert report["summary"]["first_date"] == "2024-01-05"


def test_the_mapping_can_pick_the_second_column_and_the_report_follows():
    report = report_of(prepare(TWO_DATES.encode(), "two.csv", "purchases", mapping={"date": "date (2)"}))
    assert report["repeated_headers"][0]["roles"] == {"date": None, "date (2)": "date"}
    assert report["summary"]["first_date"] == "2024-03-01"
    assert "date" in report["attributes"]  # the other one is kept


def test_a_staged_file_reports_the_same_repeats(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    path = tmp_path / "two.csv"
    path.write_text(TWO_DATES)
    staged = read_path(path, stage_min_bytes=1)
    assert staged.staged is not None
    assert staged.info["repeated_headers"] == [{"name": "date", "columns": ["date", "date (2)"], "positions": [3, 6]}]


def test_workbook_repeats_are_named_by_position_not_letter():
    from retention.ingest.headers import repeated

    info = {"format": "workbook", "repeated_headers": [{"name": "d", "columns": ["d", "d (2)"], "positions": [1, 2]}]}
    assert repeated(info, {"date": "d (2)"})[0]["letters"] is None


def test_cli_warns_and_map_picks_either_column(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(TWO_DATES)
    done = inspect(str(path), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ("warning: columns C and F are both called 'date'; used: C ('date') as date, F ('date (2)') as an "
            "attribute; to use another, pass --map date='date (2)'") in done.stdout
    assert "first date 2024-01-05" in done.stdout
    done = inspect(str(path), "--map", "date=date (2)", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "used: C ('date') as an attribute, F ('date (2)') as date" in done.stdout
    assert "first date 2024-03-01" in done.stdout
