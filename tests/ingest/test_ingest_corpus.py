"""Every file of the fixture corpus (tests/fixtures/ingest, built by tests/fixtures/make_ingest_fixtures.py)
loads to the same canonical purchases, with no settings: one file per format, encoding, delimiter,
number style, date style, header language, title/total rows and compression. Known exports map with no
questions. The expected values come from manifest.json, written by the builder from its own plain data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from retention import sql
from retention.ingest.canonical import load_into, prepare
from retention.ingest.read import read_table

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
TODAY = dt.date(2025, 6, 1)


def load(path: Path, kind: str, **options):
    prepared = prepare(path.read_bytes(), path.name, kind, **options)
    con = duckdb.connect()
    sql.execute(con, "create_rejected")
    report = load_into(con, prepared, TODAY)
    return con, report, prepared


@pytest.mark.parametrize("entry", MANIFEST["conventions"], ids=lambda e: e["file"])
def test_every_convention_yields_the_same_purchases(entry):
    con, report, prepared = load(FIXTURES / "conventions" / entry["file"], "purchases")
    got = con.execute("select customer_id, strftime(purchased_at, '%Y-%m-%d'), amount, order_id, is_refund "
                      "from purchases order by row_no").fetchall()
    want = MANIFEST["purchases"]
    assert [(c, d, round(a, 2)) for c, d, a, _, _ in got] == [(c, d, a) for c, d, a, _ in want]
    assert [r[4] for r in got] == [a < 0 for _, _, a, _ in want]
    if entry["has_order"]:
        assert [r[3] for r in got] == [o for *_, o in want]
    assert report["summary"]["rows_rejected"] == 0 and report["problems"] == []
    # the names column decodes exactly (no mojibake) in whichever column holds it
    names = MANIFEST["names"][entry["names"]]
    stored = con.execute("select * exclude (row_no, customer_id, purchased_at, amount, order_id, is_refund, is_future) "
                         "from purchases order by row_no").df()
    assert any(stored[c].tolist() == names for c in stored.columns), stored.to_dict("list")
    read = report["read"]
    for key in ("encoding", "delimiter", "sheet", "header_row"):
        if key in entry:
            assert read[key] == entry[key]
    if "order" in entry:
        assert report["dates"]["date"]["order"] == entry["order"]
        assert not report["dates"]["date"]["ambiguous"]
    assert len(read["total_rows"]) == entry.get("total_rows", 0)


TEXT_FIXTURES = [e["file"] for e in MANIFEST["conventions"]
                 if not e["file"].endswith((".xlsx", ".xls", ".ods", ".parquet"))]


@pytest.mark.parametrize("name", TEXT_FIXTURES)
def test_fast_reader_matches_the_python_csv_reader(name):
    data = (FIXTURES / "conventions" / name).read_bytes()
    fast, slow = read_table(data, name), read_table(data, name, fast=False)
    assert fast.columns == slow.columns
    assert fast.frame.astype(str).values.tolist() == slow.frame.astype(str).values.tolist()
    assert {k: v for k, v in fast.info.items() if k != "reader"} == {k: v for k, v in slow.info.items() if k != "reader"}


@pytest.mark.parametrize("name", sorted(MANIFEST["exports"]))
def test_known_exports_map_with_no_questions(name):
    expected = MANIFEST["exports"][name]
    con, report, _ = load(FIXTURES / "exports" / name, expected["kind"])
    assert report["export"] == expected["export"]
    if expected["kind"] == "purchases":
        got = con.execute("select customer_id, strftime(purchased_at, '%Y-%m-%d'), amount, order_id "
                          "from purchases order by row_no").fetchall()
        assert [list(r) for r in got] == expected["purchases"]
    else:
        got = con.execute("select customer_id, strftime(signup_date, '%Y-%m-%d'), churned, "
                          "strftime(churn_date, '%Y-%m-%d'), churn_reason from customers order by customer_id").fetchall()
        assert [list(r) for r in got] == expected["customers"]
    assert {s["reason"]: s["rows"] for s in report["skipped"]} == expected["skipped"]
    assert report["problems"] == []  # continuation rows and unpaid rows are not rejections


def test_shopify_continuation_rows_count_each_order_once():
    con, report, _ = load(FIXTURES / "exports" / "shopify_orders_export.csv", "purchases")
    orders = con.execute("select order_id, count(*), sum(amount) from purchases group by order_id order by 1").fetchall()
    assert orders == [("#1001", 1, 1234.56), ("#1002", 1, 99.0), ("#1003", 1, 12.5), ("#1005", 1, 2500.0)]
    assert report["summary"]["rows_read"] == 8 and report["summary"]["rows_used"] == 4
    # the apostrophe Shopify puts before zips stays in the attribute; ids lose it
    assert con.execute("select \"Billing Zip\" from purchases where order_id = '#1001'").fetchone() == ("'00950",)


def test_stripe_subscriptions_merge_several_subscriptions_of_one_customer():
    con, report, _ = load(FIXTURES / "exports" / "stripe_subscriptions.csv", "customers")
    row = con.execute("select row_no, signup_date, churned, \"plan_tier (metadata)\" from customers "
                      "where customer_id = 'cus_A1'").fetchone()
    # first subscription cancelled, second still active: the customer is not churned
    assert row == (2, dt.date(2024, 1, 5), False, "Growth")
    assert report["skipped"] == [{"reason": "merged_customer", "rows": 1, "examples": [3]},
                                 {"reason": "not_customer", "rows": 1, "examples": [5],
                                  "statuses": [{"status": "trialing", "rows": 1}]}]


def test_workbook_sheet_choice_and_explicit_sheet():
    path = FIXTURES / "conventions" / "workbook_title_rows.xlsx"
    assert read_table(path.read_bytes(), path.name).info["sheet"] == "Orders 2024"  # the largest table
    summary = read_table(path.read_bytes(), path.name, sheet="Summary")
    assert summary.columns == ["Metric", "Value"] and summary.frame["Value"].tolist() == ["8"]
