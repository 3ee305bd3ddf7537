"""The churn-reason path on files shaped like real exports (tests/fixtures/churn/README.md):
a Stripe subscriptions export with cancellation feedback codes, and a CRM export without any dates whose
free-text reasons are in several languages. Expected counts are computed here from the raw CSV with
plain code and a hand-written answer key, not with the package."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention import store
from retention.ingest.canonical import prepare
from retention.metrics import churn, reasons

FIXTURES = Path(__file__).parents[1] / "fixtures" / "churn"
NO = reasons.NO_REASON

# Stripe cancellation_details.feedback codes → the label a reader expects (the answer key).
STRIPE_KEY = {"too_expensive": "Too expensive", "switched_service": "Found a better alternative",
              "unused": "No longer needed", "missing_features": "Missing features",
              "customer_service": "Poor customer service", "low_quality": "Product quality",
              "too_complex": "Too complex", "other": "Other", "Pausing for the summer": "Pausing for the summer",
              "": NO}
STRIPE_CHURNED_STATUS = {"canceled", "unpaid"}
# Never paid (a trial, a first payment not made): not a customer yet, so neither a customer nor a churn.
STRIPE_NOT_CUSTOMER = {"trialing", "incomplete", "incomplete_expired", "paused"}

# Every reason as written in crm_export.csv → its meaning (the answer key).
CRM_KEY = {
    "Too expensive": "Too expensive", "too   expensive ": "Too expensive", "TOO EXPENSIVE": "Too expensive",
    "Ｔｏｏ ｅｘｐｅｎｓｉｖｅ": "Too expensive", "Zu teuer": "Too expensive", "zu teuer!": "Too expensive",
    "Trop cher": "Too expensive", "Demasiado caro": "Too expensive", "Za drogo": "Too expensive",
    "Слишком дорого": "Too expensive", "高すぎる": "Too expensive",
    "Switched to competitor": "Found a better alternative", "Zur Konkurrenz gewechselt": "Found a better alternative",
    "Passé à la concurrence": "Found a better alternative",
    "Mauvais service client": "Poor customer service", "Schlechter Kundenservice": "Poor customer service",
    "poor customer service": "Poor customer service",
    "Moved": "Moved away", "Przeprowadzka": "Moved away", "引っ越し": "Moved away", "Umzug": "Moved away",
    "Network reliability": "Network reliability", "network  reliability": "Network reliability",
    "Network Reliability.": "Network reliability",
    "": NO, "n/a": NO, "-": NO,
}


def rows(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r.get("Status", "").strip().lower() not in STRIPE_NOT_CUSTOMER]


def load(name: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    store.build(con, None, prepare((FIXTURES / name).read_bytes(), name, "customers"), name="test")
    return con


@pytest.fixture(scope="module")
def stripe():
    return rows("stripe_subscriptions.csv"), load("stripe_subscriptions.csv")


@pytest.fixture(scope="module")
def crm():
    return rows("crm_export.csv"), load("crm_export.csv")


def stripe_churned(raw: list[dict]) -> list[dict]:
    # Churned: a cancellation time is given, or the status says the subscription is over.
    return [r for r in raw if r["Canceled At (UTC)"] or r["Status"].strip().lower() in STRIPE_CHURNED_STATUS]


def test_stripe_reasons(stripe):
    raw, con = stripe
    expected = Counter(STRIPE_KEY[r["Cancellation Feedback"]] for r in stripe_churned(raw))
    got = reasons.reason_counts(con)
    assert dict(zip(got["reason"], got["churned"])) == dict(expected)
    assert got["churned"].sum() == len(stripe_churned(raw))


def test_stripe_reasons_by_plan_tier(stripe):
    raw, con = stripe
    expected = Counter((r["plan_tier (metadata)"], STRIPE_KEY[r["Cancellation Feedback"]]) for r in stripe_churned(raw))
    got = reasons.reasons_by_segment(con, segment="plan_tier (metadata)")
    got = got[got["churned"] > 0]
    assert {(r.segment, r.reason): r.churned for r in got.itertuples()} == dict(expected)


def test_stripe_reasons_over_time(stripe):
    raw, con = stripe
    expected = Counter((r["Canceled At (UTC)"][:7], STRIPE_KEY[r["Cancellation Feedback"]])
                       for r in stripe_churned(raw) if r["Canceled At (UTC)"])
    got = reasons.reasons_over_time(con, as_of="2025-12-31")
    got = got[got["churned"] > 0]
    assert {(p.strftime("%Y-%m"), r): c for p, r, c in zip(got["period_start"], got["reason"], got["churned"])} == \
        dict(expected)


def test_stripe_retention_by_month_matches_reference(stripe):
    raw, con = stripe
    day = lambda text: dt.date.fromisoformat(text[:10]) if text else None  # noqa: E731
    people = [(r["Customer ID"], day(r["Start Date (UTC)"]), day(r["Canceled At (UTC)"]),
               bool(r["Canceled At (UTC)"]) or r["Status"] in STRIPE_CHURNED_STATUS) for r in raw]
    as_of = dt.date(2025, 9, 30)
    want = ref.period_table(ref.subscriptions(people, as_of), as_of, "month")
    got = churn.period_counts(con, as_of=as_of.isoformat())
    for column in ("customers_start", "new_customers", "customers_end"):
        assert got[column].tolist() == [w[column] for w in want]
    info = churn.basis_info(con).iloc[0]
    assert info.basis == "customers"
    assert info.churned_without_date == sum(1 for r in raw if not r["Canceled At (UTC)"]
                                            and r["Status"] in STRIPE_CHURNED_STATUS)


def crm_churned(raw: list[dict]) -> list[dict]:
    return [r for r in raw if r["Customer Status"].strip().lower() == "churned"]


def test_crm_without_dates_multilingual_reasons(crm):
    raw, con = crm
    expected = Counter(CRM_KEY[r["Churn Reason"]] for r in crm_churned(raw))
    got = reasons.reason_counts(con)
    assert dict(zip(got["reason"], got["churned"])) == dict(expected)
    assert expected[NO] == 4 and expected["Too expensive"] == 11  # the key covers the file as intended


def test_crm_by_country_and_tenure(crm):
    raw, con = crm
    by_country = Counter((r["Country"], CRM_KEY[r["Churn Reason"]]) for r in crm_churned(raw))
    got = reasons.reasons_by_segment(con, segment="Country")
    got = got[got["churned"] > 0]
    assert {(r.segment, r.reason): r.churned for r in got.itertuples()} == dict(by_country)
    edges = [0, 3, 12]
    by_band = Counter((CRM_KEY[r["Churn Reason"]], max(i for i, e in enumerate(edges, 1) if e <= int(r["Tenure Months"])))
                      for r in crm_churned(raw))
    tenure = reasons.reasons_by_tenure(con, band_edges=edges)
    assert {(r.reason, int(r.band_no)): r.churned for r in tenure.itertuples()} == dict(by_band)


def test_crm_has_no_churn_over_time_but_a_win_back_list(crm):
    raw, con = crm
    with pytest.raises(churn.NoChurnData):
        churn.basis_info(con)
    assert reasons.reasons_over_time(con, as_of="2025-01-01").empty
    listed = churn.at_risk(con)
    assert sorted(listed["customer_id"]) == sorted(r["Customer ID"] for r in crm_churned(raw))
    assert set(listed["status"]) == {"churned"}
    assert {"Country", "Plan"} <= set(listed.columns)


def test_rare_reasons_fold_in_the_crm_file(crm):
    raw, con = crm
    churned = crm_churned(raw)
    labels = Counter(CRM_KEY[r["Churn Reason"]] for r in churned)
    rare = {label for label, n in labels.items() if label != NO and 100 * n / len(churned) < 15}
    got = reasons.reason_counts(con, min_share_pct=15)
    assert dict(zip(got["reason"], got["churned"])) == {
        **{label: n for label, n in labels.items() if label not in rare}, reasons.OTHER: sum(labels[r] for r in rare)}
    assert got["reason"].iloc[-1] == reasons.OTHER


def test_fixture_frames_are_what_the_readme_says():
    assert len(pd.read_csv(FIXTURES / "stripe_subscriptions.csv")) == 36
    assert len(pd.read_csv(FIXTURES / "crm_export.csv")) == 58
