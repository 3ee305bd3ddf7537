"""Workbooks without a header row (a purchase log pasted into a sheet, a database dump saved as .xlsx): the
first row is data, detected from the kinds of its cells as for delimited files (headerless.py), columns named
'column 1' … 'column N', roles guessed from the values, and the reading reported.

The fixture tests/fixtures/workbooks/cdnow_headerless.xlsx is written by `write_fixture` below (run this file
as a script to rewrite it: `PYTHONPATH=. .venv/bin/python tests/ingest/test_ingest_headerless_workbook.py`): the first 40 purchases of tests/fixtures/real/i_cdnow_sample_1997.txt (the CDNOW
sample, see that folder's README for provenance and licence), dates as real date cells, ids as text, in a
sheet under one title row, and no header row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb

from retention import sql
from retention.ingest.canonical import load_into, prepare
from retention.ingest.read import read_table
from tests.helpers.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "fixtures" / "real" / "i_cdnow_sample_1997.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "workbooks" / "cdnow_headerless.xlsx"
ROWS = 40


def purchases() -> list[list]:
    """[customer id (text), date, CDs, dollars] of the first ROWS lines of the CDNOW sample."""
    out = []
    for line in SOURCE.read_text().splitlines()[:ROWS]:
        customer, _, day, cds, dollars = line.split()
        out.append([customer, dt.datetime.strptime(day, "%Y%m%d"), int(cds), float(dollars)])
    return out


def write_fixture(path: Path, title: bool = True) -> None:
    """The headerless workbook: an optional title row, then the purchases from row 2 (no header row)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Purchases"
    if title:
        sheet.append(["CDNOW purchases, first quarter 1997 cohort"])
    for customer, day, cds, dollars in purchases():
        sheet.append([customer, day, cds, dollars])
        sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd"
    book.save(path)


def test_committed_fixture_is_what_the_script_writes(tmp_path):
    fresh = tmp_path / "fresh.xlsx"
    write_fixture(fresh)
    committed, regenerated = read_table(FIXTURE.read_bytes(), FIXTURE.name), read_table(fresh.read_bytes(), "fresh.xlsx")
    assert committed.frame.equals(regenerated.frame)


def test_headerless_workbook_is_detected_and_keeps_its_first_purchase():
    raw = read_table(FIXTURE.read_bytes(), FIXTURE.name)
    assert raw.info["format"] == "workbook" and raw.info["headerless"] is True and raw.info["header_row"] is None
    assert raw.info["title_rows"] == 1 and raw.info["columns_named"] == ["column 1", "column 2", "column 3", "column 4"]
    assert list(raw.frame.columns[1:]) == raw.info["columns_named"]
    assert len(raw.frame) == ROWS  # before: the first purchase became the header and was lost
    assert raw.frame.iloc[0, 1:].tolist() == ["00004", "1997-01-01", "2", "29.33"]
    assert raw.frame["__row"].tolist()[:2] == [2, 3]  # the title is row 1, the first purchase row 2, as in Excel


def test_headerless_workbook_without_title_starts_at_row_one(tmp_path):
    path = tmp_path / "log.xlsx"
    write_fixture(path, title=False)
    raw = read_table(path.read_bytes(), path.name)
    assert raw.info["headerless"] is True and raw.info["title_rows"] == 0 and raw.frame["__row"].tolist()[:2] == [1, 2]


def test_workbook_with_a_header_keeps_it(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["customer", "date", "cds", "amount"])
    for row in purchases()[:5]:
        book.active.append(row)
    path = tmp_path / "with_header.xlsx"
    book.save(path)
    raw = read_table(path.read_bytes(), path.name)
    assert not raw.info.get("headerless") and raw.info["header_row"] == 1 and len(raw.frame) == 5


def test_roles_are_guessed_from_values_and_revenue_counts_every_row():
    prepared = prepare(FIXTURE.read_bytes(), FIXTURE.name, "purchases")
    assert prepared.roles == {"customer": "column 1", "date": "column 2", "amount": "column 4"}
    expected = sum(Decimal(line.split()[4]) for line in SOURCE.read_text().splitlines()[:ROWS])  # independent sum
    con = duckdb.connect()
    sql.execute(con, "create_rejected")
    report = load_into(con, prepared, dt.date(2025, 1, 1))
    assert report["summary"]["rows_used"] == ROWS
    assert Decimal(str(report["summary"]["revenue"])).quantize(Decimal("0.01")) == expected


def test_inspect_reports_the_missing_header(tmp_path):
    out = run_cli("inspect", str(FIXTURE), env={"RETENTION_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "No header row" in out.stdout and "“column 1” … “column 4”" in out.stdout and "rows read 40" in out.stdout


if __name__ == "__main__":
    write_fixture(FIXTURE)
    print(f"wrote {FIXTURE}")
