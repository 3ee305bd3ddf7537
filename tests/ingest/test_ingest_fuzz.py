"""Fuzzing the reader, the validation and the load (issue 16.9): random bytes, every fixture of
tests/fixtures/ingest truncated, re-encoded and damaged, and random delimited tables (delimiters, quotes,
line ends, column orders, header spellings). Whatever the input: no exception but IngestError, whose
message names the file in one sentence; no example runs past a per-example alarm; and a file that loads
once loads to the same report and tables a second time.

The default run is bounded (a few dozen examples, well under a minute on 2 busy cores); a longer one:
RETENTION_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/ingest/test_ingest_fuzz.py -q (README, Tests).
"""

from __future__ import annotations

import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retention import store
from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError
from retention.ingest.read import read_table

FIXTURES = sorted(p for p in (Path(__file__).parents[1] / "fixtures" / "ingest").rglob("*")
                  if p.is_file() and p.suffix not in (".json", ".md") and not p.name.startswith("bomb"))
# (the bombs unpack to 15 MB: their limits are tested in test_ingest_bad_input.py, and 15 MB of rows is
# no longer a quick example)
EXAMPLES = int(os.environ.get("RETENTION_FUZZ_EXAMPLES", "0"))
EXAMPLE_SECONDS = 60  # an example running longer is a hang (a normal one takes well under a second)
LOAD_SECONDS = "20"  # the load's own limit (RETENTION_LOAD_SECONDS) refuses slower files before the alarm
NAMES = ["data.csv", "data.txt", "data.tsv", "data.xlsx", "data.xls", "data.ods", "data.parquet", "data.csv.gz",
         "data.zip", "data"]
HEADERS = {  # spellings people and exporters use, for each role
    "customer": ["customer", "Customer ID", "CUSTOMER_ID", "email", " E-mail ", "Kunde", "client", "user id"],
    "date": ["date", "Order Date", "created_at", "Datum", "purchase date", "Paid at", "data"],
    "amount": ["amount", "Total", "Amount (USD)", "revenue", "Betrag", "price", "Kwota"],
    "order": ["order", "Order ID", "Name", "order_number"],
    "note": ["note", "comment", "", "Notes"],
}
CELLS = {
    "customer": ["C1", "c1", "ala@example.pl", "", "  ", "'007", "Jörg", "=1+1", "NULL", "北京"],
    "date": ["2024-01-05", "05/01/2024", "1/5/24", "5.1.2024", "45000", "2024-02-30", "Jan 5, 2024", "", "x",
             "2024-01-05T10:00:00Z", "0", "99999999999"],
    "amount": ["12.50", "1,234.56", "1.234,56", "(5.00)", "-3", "€ 7", "1e308", "NaN", "", "abc", "0", "12 345,6"],
    "order": ["A-1", "A-1", "#1001", "", "1"],
    "note": ['he said "hi"', "multi\nline", "a,b;c|d\te", "", "\u00a0", "Σ"],
}


class Hang(Exception):
    """An example ran past EXAMPLE_SECONDS."""


@contextmanager
def _alarm(seconds: int):
    def ring(_signum, _frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _budget(default: int):
    return settings(max_examples=EXAMPLES or default, deadline=None, derandomize=not EXAMPLES, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def _load(data: bytes, name: str, kind: str) -> tuple[dict, dict[str, pd.DataFrame]] | None:
    """read_table + prepare + store.build on a fresh in-memory connection → (report, stored tables);
    None when the file is refused (with a checked sentence)."""
    try:
        raw = read_table(data, name)
        prepared = prepare(data, name, kind, raw=raw)
        con = duckdb.connect()
        try:
            reports = store.build(con, *((prepared, None) if kind == "purchases" else (None, prepared)), name="fuzz")
            tables = {t: con.execute(f"select * from {t} order by all").df() for t in (kind, "rejected")}
        finally:
            con.close()
    except IngestError as err:
        message = str(err)
        # names the file first ("file 'x': …", or "File 'x': …" where the message is sentences: missing roles)
        assert message.lower().startswith(f"file {name!r}".lower()), message
        assert message.endswith(".") and "\n" not in message and "Traceback" not in message, message
        return None
    return json.loads(json.dumps(reports, default=str)), tables


@pytest.fixture(autouse=True)
def _limits(data_dir, monkeypatch):
    monkeypatch.setenv("RETENTION_LOAD_SECONDS", LOAD_SECONDS)


def check(data: bytes, name: str, kind: str = "purchases") -> None:
    """The properties every input must have (see the module docstring)."""
    with _alarm(EXAMPLE_SECONDS):
        first = _load(data, name, kind)
        if first is None:
            return
        second = _load(data, name, kind)
    assert second is not None, "loaded once, refused the second time"
    assert first[0] == second[0]
    for table in first[1]:
        pd.testing.assert_frame_equal(first[1][table], second[1][table])


@_budget(20)
@given(st.binary(max_size=3000), st.sampled_from(NAMES))
def test_random_bytes(data, name):
    check(data, name)


@st.composite
def damaged_fixtures(draw):
    path = draw(st.sampled_from(FIXTURES))
    data = path.read_bytes()
    how = draw(st.sampled_from(["truncate", "re-encode", "flip", "insert", "as-is"]))
    if how == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    elif how == "re-encode":
        text = data.decode(draw(st.sampled_from(["utf-8", "cp1252", "latin-1"])), errors="replace")
        data = text.encode(draw(st.sampled_from(["utf-16", "utf-16-be", "cp1250", "cp932", "gb18030", "utf-8-sig"])),
                           errors="replace")
    elif how in ("flip", "insert") and data:
        at = draw(st.integers(0, len(data) - 1))
        noise = draw(st.binary(min_size=1, max_size=16))
        data = data[:at] + noise + data[at + (len(noise) if how == "flip" else 0):]
    name = path.name if draw(st.booleans()) else draw(st.sampled_from(NAMES))
    return data, name, draw(st.sampled_from(["purchases", "customers"]))


@_budget(12)
@given(damaged_fixtures())
def test_damaged_fixtures(case):
    check(*case)


@st.composite
def delimited_tables(draw):
    roles = draw(st.permutations(list(HEADERS)))[:draw(st.integers(1, len(HEADERS)))]
    header = [draw(st.sampled_from(HEADERS[r])) for r in roles]
    header = [draw(st.sampled_from([h, h.upper(), h.lower(), f'"{h}"', f" {h} "])) for h in header]
    rows = [[draw(st.sampled_from(CELLS[r])) for r in roles] for _ in range(draw(st.integers(0, 12)))]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " ", ":"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    quote_all = draw(st.booleans())

    def cell(text: str) -> str:
        if quote_all or any(ch in text for ch in (delimiter, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [delimiter.join(header)] + [delimiter.join(cell(c) for c in row) for row in rows]
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(["Orders export", "Report;;;", "", "Total,,,"])))
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 3]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1250", "gb18030"]))
    return text.encode(encoding, errors="replace"), draw(st.sampled_from(["data.csv", "data.txt", "data.tsv"]))


@_budget(12)
@given(delimited_tables(), st.sampled_from(["purchases", "customers"]))
def test_random_delimited_tables(table, kind):
    check(*table, kind)


def test_found_by_fuzzing_a_nul_character_in_a_header():
    """A damaged UTF-16 export whose header cell holds U+0000 stopped the load with a QueryError."""
    check("Customer\x00 Email\tOrder Date\tAmount\r\nala@example.pl\t2024-01-05\t5\r\n".encode("utf-16"), "x.txt",
          "customers")


def test_found_by_fuzzing_a_truncated_ole_workbook():
    """A cut legacy (OLE) workbook made calamine panic: a PanicException, not an Exception, escaped."""
    data = (Path(__file__).parents[1] / "fixtures" / "ingest" / "bad" / "password_protected.xlsx").read_bytes()
    for size in (600, 1500, 4096, len(data) // 2):
        check(data[:size], "password_protected.xlsx")
