"""The user's figures for benchmarking (retention.benchmarks.figures / internal): repeat purchase against a
plain-Python reference on generated purchases, hand-computed retention and survival cases, internal tests."""

from __future__ import annotations

import datetime as dt
import math
import random

import duckdb
import pandas as pd
import pytest

from retention import store
from retention.benchmarks import figures, internal
from retention.ingest.canonical import prepare


def load(purchases: pd.DataFrame | None = None, customers: pd.DataFrame | None = None,
         segments: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory dataset built through the same ingest path as an upload."""
    con = duckdb.connect()
    p = None if purchases is None else prepare(
        purchases.to_csv(index=False).encode(), "purchases.csv", "purchases",
        mapping={"customer": "customer_id", "date": "order_date", "amount": "amount", "order": "order_id"},
        segments=segments)
    c = None if customers is None else prepare(customers.to_csv(index=False).encode(), "customers.csv", "customers")
    store.build(con, p, c, name="test", today=dt.date(2030, 1, 1))
    return con


# --- repeat purchase: reference -----------------------------------------------------------------------

def generated_purchases(seed: int, n: int = 150) -> pd.DataFrame:
    """Customers with 1–6 orders over 2023–2025; some orders have several lines, some rows no order id
    (then the time tells orders apart), some refunds and zero amounts (not activity)."""
    rng = random.Random(seed)
    rows = []
    for c in range(n):
        channel = rng.choice(["Web", "Shop", "App"])
        start = dt.datetime(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 900), hours=rng.randrange(0, 24))
        when = start
        for o in range(rng.choice([1, 1, 1, 2, 2, 3, 6])):
            if o:
                when = when + dt.timedelta(days=rng.choice([0, 1, 12, 30, 31, 45, 89, 90, 91, 200, 400]),
                                           hours=rng.randrange(0, 5))
            order_id = f"O{c}-{o}" if rng.random() < 0.7 else ""
            for _ in range(rng.choice([1, 1, 2])):
                amount = rng.choice([19.0, 25.5, 0.0, 80.0]) if rng.random() > 0.05 else -19.0
                rows.append({"customer_id": f"C{c:03d}", "order_date": when.strftime("%Y-%m-%d %H:%M:%S"),
                             "amount": amount, "order_id": order_id, "channel": channel})
    return pd.DataFrame(rows)


def reference_repurchase(frame: pd.DataFrame, as_of: dt.date, first_from, first_to, months, days, by=None):
    """Plain loops: {(segment, unit, horizon): (eligible, repurchased)}."""
    orders: dict[str, dict[str, dt.datetime]] = {}
    segment_of = {}
    for r in frame.itertuples():
        when = dt.datetime.strptime(r.order_date, "%Y-%m-%d %H:%M:%S")
        segment_of.setdefault(r.customer_id, getattr(r, by) if by else None)
        if r.amount <= 0 or when.date() > as_of:
            continue
        key = r.order_id if r.order_id else "t" + r.order_date
        mine = orders.setdefault(r.customer_id, {})
        mine[key] = min(mine.get(key, when), when)
    out: dict = {}
    for customer, mine in orders.items():
        times = sorted(mine.values())
        first = times[0].date()
        second = times[1].date() if len(times) > 1 else None
        if (first_from and first < first_from) or (first_to and first > first_to):
            continue
        seg = segment_of[customer]
        ends = [("lifetime", None, as_of)]
        ends += [("month", m, (pd.Timestamp(first) + pd.DateOffset(months=m)).date()) for m in months]
        ends += [("day", d, first + dt.timedelta(days=d)) for d in days]
        for unit, horizon, end in ends:
            if end > as_of:
                continue
            e, k = out.get((seg, unit, horizon), (0, 0))
            out[(seg, unit, horizon)] = (e + 1, k + (second is not None and second <= end))
    return out


def as_dict(frame: pd.DataFrame) -> dict:
    return {(None if pd.isna(r.segment) else r.segment, r.unit, None if pd.isna(r.horizon) else int(r.horizon)):
            (int(r.eligible), int(r.repurchased)) for r in frame.itertuples()}


@pytest.mark.parametrize("seed", range(6))
def test_repurchase_matches_reference(seed):
    frame = generated_purchases(seed)
    con = load(frame, segments=["channel"])
    rng = random.Random(seed)
    as_of = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 400))
    first_from = None if seed % 2 else dt.date(2023, 3, 1)
    first_to = None if seed % 3 else dt.date(2024, 10, 31)
    months, days = [1, 3, 12, 24], [30, 90, 720]
    by = "channel" if seed % 2 else None
    got = figures.repurchase(con, first_from=first_from and first_from.isoformat(),
                             first_to=first_to and first_to.isoformat(), as_of=as_of.isoformat(),
                             segment=by, months=months, days=days)
    assert as_dict(got) == reference_repurchase(frame, as_of, first_from, first_to, months, days, by)
    row = got.iloc[0]
    assert row["value"] == pytest.approx(100 * row["repurchased"] / row["eligible"])
    assert row["ci_low"] <= row["value"] <= row["ci_high"]


def test_repurchase_by_hand():
    rows = [
        # A: first 2024-01-10, second order 2024-02-09 (30 days, within 1 month)
        ("A", "2024-01-10 09:00:00", 10, "a1"), ("A", "2024-01-10 09:00:00", 5, "a1"), ("A", "2024-02-09 10:00:00", 10, "a2"),
        # B: two lines of one order, then only a refund: one order
        ("B", "2024-01-20 12:00:00", 10, "b1"), ("B", "2024-01-20 12:05:00", 10, "b1"), ("B", "2024-03-01 12:00:00", -10, "b2"),
        # C: no order ids; two purchase times on the same day are two orders (same day = within any horizon)
        ("C", "2024-02-01 08:00:00", 10, ""), ("C", "2024-02-01 18:00:00", 10, ""),
        # D: first order 2024-11-15, second 2025-01-20; not eligible at 3 months by as_of 2025-02-01
        ("D", "2024-11-15 08:00:00", 10, "d1"), ("D", "2025-01-20 08:00:00", 10, "d2"),
        # E: second order after as_of does not count
        ("E", "2024-06-01 08:00:00", 10, "e1"), ("E", "2025-03-01 08:00:00", 10, "e2"),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount", "order_id"])
    got = as_dict(figures.repurchase(load(frame), as_of="2025-02-01", months=[1, 3], days=[29]))
    assert got[(None, "lifetime", None)] == (5, 3)  # A, C, D repeat; B, E not
    assert got[(None, "month", 1)] == (5, 2)  # A (30 days ≤ 1 month), C; D's second is 2 months later
    assert got[(None, "month", 3)] == (4, 2)  # D not eligible (first + 3 months > as_of)
    assert got[(None, "day", 29)] == (5, 1)  # only C within 29 days


# --- customer retention, revenue retention, survival ---------------------------------------------------

def subscriptions() -> pd.DataFrame:
    rows = [("2023-06-01", "")] * 6 + [("2023-06-01", "2024-05-10")] * 4  # 10 at the start of 2024, 4 leave
    rows += [("2024-03-01", "2024-08-01")] * 3 + [("2024-03-01", "")] * 2  # joined in 2024
    rows += [("2024-12-20", "2025-01-15")]  # in CS of 2025, leaves in 2025
    return pd.DataFrame([{"customer_id": f"K{i}", "signup_date": s, "cancel_date": c}
                         for i, (s, c) in enumerate(rows)])


def test_annual_customer_retention_by_hand():
    con = load(customers=subscriptions())
    y2024 = figures.customer_retention(con, period="year", date_from="2024-01-01", date_to="2024-12-31",
                                       as_of="2025-12-31").iloc[0]
    assert (y2024["successes"], y2024["trials"], y2024["periods"]) == (6, 10, 1)
    assert y2024["value"] == pytest.approx(60.0)
    # standard formula: CE = 6 + 2 + 1 = 9, CN = 5 + 1 = 6 → (9 − 6) / 10
    assert y2024["standard_value"] == pytest.approx(30.0)
    assert y2024["small"]
    both = figures.customer_retention(con, period="year", as_of="2025-12-31").iloc[0]
    # 2025: CS = 9 (6 + 2 + 1), retained 8
    assert (both["successes"], both["trials"], both["periods"]) == (6 + 8, 10 + 9, 2)


def test_incomplete_periods_are_left_out():
    con = load(customers=subscriptions())
    got = figures.customer_retention(con, period="year", as_of="2025-06-30").iloc[0]
    assert got["periods"] == 1 and got["trials"] == 10
    none = figures.customer_retention(con, period="year", date_from="2026-01-01", as_of="2025-06-30").iloc[0]
    assert none["trials"] == 0 and math.isnan(none["value"])


def test_revenue_retention_pooled_by_hand():
    rows = [("A", "2023-03-01 10:00:00", 100, "a1"), ("A", "2024-03-01 10:00:00", 150, "a2"),
            ("B", "2023-05-01 10:00:00", 100, "b1"), ("B", "2024-05-01 10:00:00", 40, "b2"),
            ("C", "2023-07-01 10:00:00", 100, "c1")]
    con = load(pd.DataFrame(rows, columns=["customer_id", "order_date", "amount", "order_id"]))
    net = figures.revenue_retention(con, kind="net", period="year", as_of="2024-12-31").iloc[0]
    gross = figures.revenue_retention(con, kind="gross", period="year", as_of="2024-12-31").iloc[0]
    assert net["value"] == pytest.approx(100 * 190 / 300)
    assert gross["value"] == pytest.approx(100 * 140 / 300)
    assert math.isnan(net["ci_low"]) and net["trials"] == 3


def test_survival_from_signup_dates():
    con = load(customers=subscriptions())
    curve = figures.survival(con, as_of="2025-12-31")
    assert set(curve["source"]) == {"signup"}
    assert (curve["ci_low"] <= curve["value"]).all() and (curve["value"] <= curve["ci_high"]).all()
    june = figures.at_horizon(curve, 0)  # the June-2023 cohort: all 10 there at the end of June
    assert june is not None and figures.at_horizon(curve, 0.5) is None


def test_available_for_purchases_only():
    frame = generated_purchases(1, n=10)
    got = figures.available(load(frame)).iloc[0]
    assert got["repeat_purchase_rate"] and got["customer_retention"] and not got["cohort_survival"]


def test_on_scale_flips_interval():
    flipped = figures.on_scale({"value": 90.0, "ci_low": 88.0, "ci_high": 91.0}, "churn")
    assert (flipped["value"], flipped["ci_low"], flipped["ci_high"]) == pytest.approx((10.0, 9.0, 12.0))


# --- internal benchmarks ---------------------------------------------------------------------------------

def test_versus_rest_by_hand():
    groups = pd.DataFrame({"segment": ["a", "b", "c"], "successes": [80, 50, 5], "trials": [100, 100, 10]})
    got = internal.versus_rest(groups).set_index("segment")
    assert (got.loc["a", "rest_successes"], got.loc["a", "rest_trials"]) == (55, 110)
    assert got.loc["a", "p1"] == pytest.approx(80.0) and got.loc["a", "p2"] == pytest.approx(50.0)
    assert got.loc["c", "small"] and not got.loc["a", "small"]
    assert got.loc["a", "beyond_noise"] and got.loc["a", "p_adjusted"] >= got.loc["a", "p_value"]


def test_year_over_year_shifts_a_year():
    assert internal.year_earlier("2024-02-29") == "2023-02-28"
    row = internal.two_periods(60, 100, 50, 100)
    assert row["diff_pts"] == pytest.approx(10.0) and row["beyond_noise"] is False
    con = load(customers=subscriptions())
    yoy = internal.retention_year_over_year(con, period="year", date_from="2025-01-01", date_to="2025-12-31",
                                            as_of="2025-12-31").iloc[0]
    assert (yoy["successes"], yoy["trials"], yoy["before_successes"], yoy["before_trials"]) == (8, 9, 6, 10)


def test_overview_context_last_year():
    from retention.benchmarks import compare
    from retention.ui_text import benchmarks as wording

    con = load(customers=subscriptions())
    row = compare.context(con, as_of="2025-12-31").iloc[0].to_dict()
    assert (row["value"], row["trials"]) == (pytest.approx(100 * 8 / 9), 9)  # 2025: 8 of the 9 at its start
    assert row["sources"] == row["above"] + row["below"] + row["within_noise"] > 0
    assert row["low_pct"] <= row["median_pct"] <= row["high_pct"]
    assert wording.context(row).startswith("Your annual customer retention of 88.9% is ")
    empty = compare.context(con, as_of="2025-12-31", industries=["Mobile apps - gaming"]).iloc[0].to_dict()
    assert empty["sources"] == 0 and wording.context(empty) is None


def test_repeat_and_month1_year_over_year_by_hand():
    rows = [("A", "2024-01-05 10:00:00", 10, "a1"), ("A", "2024-02-03 10:00:00", 10, "a2"),
            ("B", "2024-01-09 10:00:00", 10, "b1"), ("B", "2024-02-20 10:00:00", 10, "b2"),
            ("C", "2024-01-20 10:00:00", 10, "c1"),
            ("D", "2025-01-02 10:00:00", 10, "d1"), ("D", "2025-02-02 10:00:00", 10, "d2"),
            ("E", "2025-01-30 10:00:00", 10, "e1"), ("E", "2025-02-27 10:00:00", 10, "e2")]
    con = load(pd.DataFrame(rows, columns=["customer_id", "order_date", "amount", "order_id"]))
    month1 = internal.cohort_retention_year_over_year(con, k=1, cohort_from="2025-01-01", cohort_to="2025-01-31",
                                                      as_of="2025-12-31").iloc[0]
    # January 2025 cohort: D and E bought in February (2 of 2); January 2024: A and B (2 of 3)
    assert (month1["successes"], month1["trials"], month1["before_successes"], month1["before_trials"]) == (2, 2, 2, 3)
    repeat = internal.repurchase_year_over_year(con, months=1, first_from="2025-01-01", first_to="2025-01-31",
                                                as_of="2025-12-31").iloc[0]
    # within one month of the first order: D (Jan 2 → Feb 2), E (Jan 30 → Feb 27); A (Jan 5 → Feb 3) only
    assert (repeat["successes"], repeat["trials"], repeat["before_successes"], repeat["before_trials"]) == (2, 2, 1, 3)
    assert repeat["before_from"] == "2024-01-01" and repeat["diff_pts"] == pytest.approx(100 - 100 / 3)
