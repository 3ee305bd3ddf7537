"""The one-shot CLI stages a text file of 1 MB or more (stage.MEMORY_STAGE_MIN_BYTES) in its own connection's
memory (stage.read_path's `into`), not in a staging file: every command prints what it prints when the same files
are read whole in Python (read_table, the reference the staged reader is tested against in
tests/ingest/test_ingest_stage.py), rejected rows, totals and blank rows included, and no staging file is written."""

from __future__ import annotations

import io
import json
import sys

import duckdb
import pytest

from retention import cli, config
from retention.ingest import stage

PURCHASES = ("Orders export\n\ncustomer,date,amount,channel\n"
             + "".join(f"c{i % 37},2024-{1 + i % 9:02d}-{1 + i % 27:02d},{(i % 50) + 0.5},{('Email', 'Paid')[i % 2]}\n"
                       for i in range(600))
             + ",2024-03-01,5,Email\n"          # missing customer: rejected
             + "c3,not a date,7,Paid\n"         # bad date: rejected
             + ",,,\n"                          # every cell empty: a blank row
             + "c4,2024-04-02,-3.00,Paid\n"     # a refund
             + "Total,,12345.00,\n")            # a totals row: set aside
CUSTOMERS = ("customer_id,signup_date,churn_date,churn_reason\n"
             + "".join(f"c{i},2023-12-{1 + i % 28:02d},{'2024-06-01' if i % 5 == 0 else ''},"
                       f"{'price' if i % 5 == 0 else ''}\n" for i in range(37)))


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path / "data"))
    purchases, customers = tmp_path / "orders.csv", tmp_path / "customers.csv"
    purchases.write_text(PURCHASES, encoding="utf-8")
    customers.write_text(CUSTOMERS, encoding="utf-8")
    return str(purchases), str(customers)


def run(monkeypatch, staged: bool, *argv: str) -> tuple[int, str, str]:
    """cli.main's exit code, stdout and stderr, with every text file staged (in memory) or none."""
    monkeypatch.setattr(stage, "STAGE_MIN_BYTES", 0 if staged else 10**12)
    monkeypatch.setattr(stage, "MEMORY_STAGE_MIN_BYTES", 0 if staged else 10**12)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", [["inspect", "--format", "json"], ["matrix"], ["curve", "--period", "week"],
                                  ["churn", "--inactive-days", "60"]], ids=lambda a: a[0])
def test_a_staged_file_gives_what_the_whole_file_reader_gives(monkeypatch, files, argv):
    purchases, customers = files

    def no_staging_file(path):
        raise AssertionError(f"a staging file was written: {path}")

    filled = []
    fill = stage._fill

    def recorded_fill(staged, *args):
        filled.append(staged.database)
        return fill(staged, *args)

    whole = run(monkeypatch, False, argv[0], purchases, "--customers", customers, *argv[1:])
    monkeypatch.setattr(stage, "_staging", no_staging_file)
    monkeypatch.setattr(stage, "_fill", recorded_fill)
    staged = run(monkeypatch, True, argv[0], purchases, "--customers", customers, *argv[1:])
    assert len(filled) == 2 and all(name.startswith("stage_") for name in filled)  # both files, in memory
    assert whole[0] == 0
    if argv[0] != "inspect":
        assert staged == whole
        return
    assert json.loads(staged[1]) == json.loads(whole[1]) and staged[::2] == whole[::2]  # the read info's keys
    # come in another order from a staged read
    report = json.loads(whole[1])["purchases"]
    assert {r["reason"]: r["examples"] for r in report["problems"]} == {"missing_customer": [604], "bad_date": [605]}
    assert report["skipped"] == [{"reason": "total_row", "rows": 1, "examples": [608]}]
    assert report["read"]["blank_rows"] == 1


@pytest.mark.parametrize("text, expected", [("1GB", 10**9), ("512 MiB", 512 * 2**20), ("1.5GB", 1_500_000_000),
                                            (" 700mb ", 700 * 10**6), ("1000", 1000), ("2 TiB", 2 * 2**40),
                                            ("80%", None), ("GB", None), ("lots", None)])
def test_a_memory_setting_is_read_in_bytes_as_duckdb_reads_it(text, expected):
    """config.size_bytes: the ingest limit the CLI raises by the staged rows' size (DuckDB: GB = 10^9, GiB = 2^30);
    a form it does not read leaves the limit as it is."""
    assert config.size_bytes(text) == expected


def test_the_load_keeps_its_memory_limit_beside_the_staged_rows(monkeypatch, files):
    """The connection's limit is the ingest limit plus what the staged rows hold (DuckDB reports the limit in MiB)."""
    monkeypatch.setenv("RETENTION_DUCKDB_INGEST_MEMORY", "200MB")
    with duckdb.connect(config={"memory_limit": "200MB"}) as con:
        con.execute("create table held as select repeat('x', 100) || range as v from range(200000)")
        held = con.execute("select sum(memory_usage_bytes) from duckdb_memory()").fetchone()[0]
        assert held > 10 * 2**20
        cli._room_for_staged_rows(con)
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit == f"{(200 * 10**6 + held) / 2**20:.1f} MiB"
