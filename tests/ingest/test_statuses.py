"""Every status value each known export layout can carry is counted as a purchase, set aside as a refund,
or set aside as not a purchase (orders, payments, invoices, deals); every subscription / lifecycle value
makes an active customer, a churned one, not a customer yet, or a customer whose churn is unknown.

The expected class of each value is written here by hand from the vendors' documented lists
(shared/research/export_headers.md; Stripe, WooCommerce, Shopify, Salesforce and HubSpot docs), not read
from retention/ingest/statuses.py. Each case loads a one-row file of the layout (its fixture's header and
first row, the status cell replaced) through the real ingest."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import duckdb
import pytest

from retention import sql
from retention.ingest.canonical import load_into, prepare
from retention.ui_text import skipped_note

EXPORTS = Path(__file__).parents[1] / "fixtures" / "ingest" / "exports"
TODAY = dt.date(2025, 6, 1)

COUNTED, REFUND, NOT_COUNTED = "counted", "refunded", "not_paid"
ACTIVE, CHURNED, NOT_CUSTOMER, UNKNOWN = "active", "churned", "not_customer", "unknown"

WOO = [("completed", COUNTED), ("processing", COUNTED), ("refunded", REFUND), ("pending", NOT_COUNTED),
       ("on-hold", NOT_COUNTED), ("cancelled", NOT_COUNTED), ("failed", NOT_COUNTED), ("trash", NOT_COUNTED),
       ("checkout-draft", NOT_COUNTED), ("wc-on-hold", NOT_COUNTED), ("wc-completed", COUNTED),
       ("Pending payment", NOT_COUNTED), ("On hold", NOT_COUNTED), ("Completed", COUNTED), ("Draft", NOT_COUNTED)]

# (fixture file, status column, [(value as written, expected)])
PURCHASE_LAYOUTS = {
    "shopify_orders_export.csv": ("Financial Status", [
        ("paid", COUNTED), ("partially_paid", COUNTED), ("partially_refunded", COUNTED), ("refunded", REFUND),
        ("pending", NOT_COUNTED), ("authorized", NOT_COUNTED), ("voided", NOT_COUNTED), ("expired", NOT_COUNTED)]),
    "woocommerce_analytics_orders.csv": ("Status", WOO),
    "woocommerce_advanced_order_export.csv": ("Order Status", WOO),
    "stripe_unified_payments.csv": ("Status", [
        ("Paid", COUNTED), ("Succeeded", COUNTED), ("Partially refunded", COUNTED), ("Disputed", COUNTED),
        ("Refunded", REFUND), ("Failed", NOT_COUNTED), ("Pending", NOT_COUNTED), ("Canceled", NOT_COUNTED),
        ("Blocked", NOT_COUNTED), ("Incomplete", NOT_COUNTED), ("Uncaptured", NOT_COUNTED),
        ("requires_payment_method", NOT_COUNTED), ("requires_action", NOT_COUNTED),
        ("requires_confirmation", NOT_COUNTED), ("requires_capture", NOT_COUNTED), ("processing", NOT_COUNTED)]),
    "stripe_invoices.csv": ("Status", [
        ("paid", COUNTED), ("open", NOT_COUNTED), ("draft", NOT_COUNTED), ("void", NOT_COUNTED),
        ("uncollectible", NOT_COUNTED)]),
    "salesforce_opportunities_report.csv": ("Stage", [
        ("Closed Won", COUNTED), ("Closed Lost", NOT_COUNTED), ("Prospecting", NOT_COUNTED),
        ("Qualification", NOT_COUNTED), ("Needs Analysis", NOT_COUNTED), ("Value Proposition", NOT_COUNTED),
        ("Id. Decision Makers", NOT_COUNTED), ("Perception Analysis", NOT_COUNTED),
        ("Proposal/Price Quote", NOT_COUNTED), ("Negotiation/Review", NOT_COUNTED),
        ("Verbal Commit", NOT_COUNTED), ("", NOT_COUNTED)]),  # a custom open stage, a blank one: not a sale
    "salesforce_opportunities_dataloader.csv": ("StageName", [("Closed Won", COUNTED), ("Closed Lost", NOT_COUNTED)]),
}
CUSTOMER_LAYOUTS = {
    "stripe_subscriptions.csv": ("Status", 4, [
        ("active", ACTIVE), ("past_due", ACTIVE), ("canceled", CHURNED), ("unpaid", CHURNED),
        ("trialing", NOT_CUSTOMER), ("incomplete", NOT_CUSTOMER), ("incomplete_expired", NOT_CUSTOMER),
        ("paused", NOT_CUSTOMER)]),
    "hubspot_contacts_all_properties.csv": ("Lifecycle Stage", 1, [
        ("customer", UNKNOWN), ("evangelist", UNKNOWN), ("other", UNKNOWN), ("subscriber", NOT_CUSTOMER),
        ("lead", NOT_CUSTOMER), ("marketingqualifiedlead", NOT_CUSTOMER), ("Marketing Qualified Lead", NOT_CUSTOMER),
        ("salesqualifiedlead", NOT_CUSTOMER), ("Sales Qualified Lead", NOT_CUSTOMER), ("opportunity", NOT_CUSTOMER),
        ("Lead", NOT_CUSTOMER), ("Customer", UNKNOWN)]),
}


def _one_row_file(name: str, column: str, value: str, row: int = 1) -> bytes:
    rows = list(csv.reader(io.StringIO((EXPORTS / name).read_text(encoding="utf-8"))))
    header, data = rows[0], list(rows[row])
    data[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, data])
    return out.getvalue().encode()


def _load(data: bytes, name: str, kind: str):
    prepared = prepare(data, name, kind)
    con = duckdb.connect()
    sql.execute(con, "create_rejected")
    return con, load_into(con, prepared, TODAY)


@pytest.mark.parametrize("name,value,expected", [
    (name, value, expected) for name, (_, cases) in PURCHASE_LAYOUTS.items() for value, expected in cases])
def test_each_purchase_status_value(name, value, expected):
    column = PURCHASE_LAYOUTS[name][0]
    con, report = _load(_one_row_file(name, column, value), name, "purchases")
    assert report["problems"] == []
    kept = con.execute("select count(*) from purchases").fetchone()[0]
    if expected == COUNTED:
        assert kept == 1 and report["skipped"] == []
    else:
        assert kept == 0
        shown = value.strip() or "(blank)"
        assert report["skipped"] == [{"reason": expected, "rows": 1, "examples": [2],
                                      "statuses": [{"status": shown, "rows": 1}]}]


@pytest.mark.parametrize("name,value,expected", [
    (name, value, expected) for name, (_, _, cases) in CUSTOMER_LAYOUTS.items() for value, expected in cases])
def test_each_customer_status_value(name, value, expected):
    column, row = CUSTOMER_LAYOUTS[name][:2]
    con, report = _load(_one_row_file(name, column, value, row), name, "customers")
    assert report["problems"] == []
    got = con.execute("select churned from customers").fetchall()
    if expected == NOT_CUSTOMER:
        assert got == []
        assert report["skipped"] == [{"reason": "not_customer", "rows": 1, "examples": [2],
                                      "statuses": [{"status": value, "rows": 1}]}]
    else:
        assert got == [({ACTIVE: False, CHURNED: True, UNKNOWN: None}[expected],)]
        assert report["skipped"] == [] and report["summary"]["unrecognised_status"] == 0


def test_a_layout_status_it_does_not_list_falls_back_to_the_general_lists():
    name = "woocommerce_analytics_orders.csv"
    con, report = _load(_one_row_file(name, "Status", "printed"), name, "purchases")  # a shop's custom status
    assert con.execute("select count(*) from purchases").fetchone()[0] == 1
    con, report = _load(_one_row_file(name, "Status", "anulowane"), name, "purchases")  # a general unpaid word
    assert con.execute("select count(*) from purchases").fetchone()[0] == 0


def test_a_plain_file_keeps_the_general_meaning():
    """No known layout: 'refunded' is not in the general lists (a plain file may list the refund as its own
    negative row), and 'trialing' still means active (the general list)."""
    data = b"customer,date,amount,status\na,2024-01-01,10,refunded\nb,2024-01-02,-5,refunded\n"
    con, report = _load(data, "plain.csv", "purchases")
    assert con.execute("select customer_id from purchases order by 1").fetchall() == [("a",), ("b",)]
    data = b"customer,signup,status\na,2024-01-01,trialing\n"
    con, report = _load(data, "plain.csv", "customers")
    assert con.execute("select churned from customers").fetchall() == [(False,)]


def test_upload_page_line_counts_each_status():
    entry = {"reason": "not_paid", "rows": 87, "examples": [4, 9],
             "statuses": [{"status": "cancelled", "rows": 52}, {"status": "pending", "rows": 35}]}
    assert skipped_note(entry).startswith("87 rows not counted — not a purchase")
    assert skipped_note(entry).endswith(": 52 cancelled, 35 pending; e.g. rows 4, 9.")
    many = dict(entry, statuses=[{"status": f"s{i}", "rows": 1} for i in range(10)], rows=10)
    assert skipped_note(many, limit=3).endswith("1 s0, 1 s1, 1 s2, 7 with 7 other statuses; e.g. rows 4, 9.")
    plain = {"reason": "order_continuation", "rows": 3, "examples": [3, 5, 6]}
    assert skipped_note(plain).startswith("3 rows set aside: extra line")
