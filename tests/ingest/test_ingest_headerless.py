"""Files without a header row (the CDNOW sample as published: whitespace-separated, no header): the first row is
data, not column names. Detected from the kinds of the cells (numbers/dates where a header has words); files
with a header are read as before."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from retention import sql
from retention.ingest import headerless, stage
from retention.ingest.canonical import load_into, prepare
from retention.ingest.read import read_table

ROOT = Path(__file__).resolve().parents[2]
CDNOW_SAMPLE = ROOT / "tests" / "fixtures" / "real" / "i_cdnow_sample_1997.txt"
ROWS = "4,2024-01-05,12.50\n5,2024-01-06,8.00\n4,2024-02-05,9.99\n6,2024-03-01,20.00\n"


def test_cdnow_sample_keeps_its_first_purchase():
    lines = CDNOW_SAMPLE.read_text().splitlines()
    raw = read_table(CDNOW_SAMPLE.read_bytes(), CDNOW_SAMPLE.name)
    assert raw.info["headerless"] is True and raw.info["header_row"] is None
    assert list(raw.frame.columns[1:]) == ["column 1", "column 2", "column 3", "column 4", "column 5"]
    assert len(raw.frame) == len(lines) == 1295  # every line is a purchase (before: the first was the header)
    assert raw.frame.iloc[0, 1:].tolist() == lines[0].split() == ["00004", "0001", "19970101", "2", "29.33"]
    assert raw.frame["__row"].tolist()[:2] == [1, 2]  # row numbers as in the file


def test_cdnow_sample_revenue_counts_every_line():
    data = CDNOW_SAMPLE.read_bytes()
    prepared = prepare(data, CDNOW_SAMPLE.name, "purchases")
    assert prepared.roles == {"customer": "column 1", "date": "column 3", "amount": "column 5"}
    expected = sum(Decimal(line.split()[4]) for line in CDNOW_SAMPLE.read_text().splitlines())  # independent sum
    con = duckdb.connect()
    sql.execute(con, "create_rejected")
    report = load_into(con, prepared, dt.date(2025, 1, 1))
    assert report["summary"]["rows_used"] == 1295
    assert Decimal(str(report["summary"]["revenue"])).quantize(Decimal("0.01")) == expected


@pytest.mark.parametrize("fast", [True, False])
def test_comma_separated_without_header_both_readers(fast):
    raw = read_table(ROWS.encode(), "log.csv", fast=fast)
    assert raw.info["headerless"] is True
    assert list(raw.frame.columns[1:]) == ["column 1", "column 2", "column 3"]
    assert raw.frame.iloc[:, 1:].values.tolist()[0] == ["4", "2024-01-05", "12.50"]
    assert raw.frame["__row"].tolist() == [1, 2, 3, 4]


def test_title_row_above_a_headerless_table():
    raw = read_table(("Export of 2024\n" + ROWS).encode(), "log.csv")
    assert raw.info["headerless"] is True and raw.info["title_rows"] == 1
    assert raw.frame["__row"].tolist() == [2, 3, 4, 5] and raw.frame.iloc[0, 1] == "4"


@pytest.mark.parametrize("header", [
    "customer_id,order_date,total",        # words over numbers and dates
    "Customer,2023,2024",                 # years as column names over small counts
    "Order ID,Date,Amount (EUR)",         # words with spaces and a currency
])
def test_files_with_a_header_keep_it(header):
    body = ROWS if header != "Customer,2023,2024" else "Alice,5,6\nBob,7,8\nCara,1,2\n"
    raw = read_table(f"{header}\n{body}".encode(), "x.csv")
    assert not raw.info.get("headerless") and raw.info["header_row"] == 1
    assert len(raw.frame) == body.count("\n")


def test_words_only_table_keeps_its_header():
    rows = [["name", "city"], ["Ann", "Paris"], ["Bob", "Oslo"], ["Cy", "Rome"]]
    assert headerless.first_row_is_data(rows, 0) is False


def test_kinds_and_forms():
    assert [headerless.kind(v) for v in ("", "2024-01-05", "05/01/2024", "Jan 5, 2024", "12.50", "1,234.50", "abc")] \
        == ["blank", "date", "date", "date", "number", "number", "text"]
    # a number over amounts of another form ('2024' over '12.50') is a header, not data
    assert headerless.first_row_is_data([["x", "2024"], ["a", "12.50"], ["b", "8.00"]], 0) is False


def test_large_headerless_file_through_the_staged_reader(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(ROWS * 50)
    raw = stage.read_path(path, stage_min_bytes=1)  # would stage: a headerless file goes to read_table instead
    assert raw.info["headerless"] is True and len(raw.frame) == 200


def test_inspect_says_there_is_no_header(tmp_path):
    out = subprocess.run([sys.executable, "-m", "retention", "inspect", str(CDNOW_SAMPLE)], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "RETENTION_DATA_DIR": str(tmp_path)},
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "No header row" in out.stdout and "“column 1” … “column 5”" in out.stdout
    assert "rows read 1295" in out.stdout
