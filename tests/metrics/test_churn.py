"""CRR per period (retention.metrics.churn): the issue's worked examples, hand-computed boundary cases,
and exact agreement with the pure-Python reference (tests/helpers/reference_churn.py) on generated
subscription-style and purchase-style data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention.metrics import churn

COUNTS = ["customers_start", "new_customers", "customers_end", "retained", "new_first", "resurrected",
          "churned", "joined_and_left"]


def customers_frame(rows) -> pd.DataFrame:
    """rows: (signup, cancel or '') → a customers file with ids C0001…"""
    return pd.DataFrame([{"customer_id": f"C{i:04d}", "signup_date": s, "cancel_date": c}
                         for i, (s, c) in enumerate(rows, 1)])


def purchases_frame(rows) -> pd.DataFrame:
    """rows: (customer, day, amount) → a purchases file."""
    return pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])


def row_for(frame: pd.DataFrame, start: str) -> pd.Series:
    return frame.set_index("period_start").loc[pd.Timestamp(start)]


# --- The worked examples ---------------------------------------------------------------------

def test_worked_example_500_50_100_lost():
    # 500 customers before February, 50 join in February, 100 of the 500 cancel in February.
    rows = [("2024-01-10", "2024-02-15" if i < 100 else "") for i in range(500)]
    rows += [("2024-02-05", "") for _ in range(50)]
    con = ref.load(customers=customers_frame(rows))
    feb = row_for(churn.retention_by_period(con, as_of="2024-03-31"), "2024-02-01")
    assert (feb.customers_start, feb.new_customers, feb.lost, feb.customers_end) == (500, 50, 100, 450)
    assert feb.crr_pct == pytest.approx(80.0)
    assert feb.churn_pct == pytest.approx(20.0)


def test_worked_example_100_15_10_lost():
    rows = [("2024-01-10", "2024-02-20" if i < 10 else "") for i in range(100)]
    rows += [("2024-02-01", "") for _ in range(15)]
    con = ref.load(customers=customers_frame(rows))
    feb = row_for(churn.retention_by_period(con, as_of="2024-03-31"), "2024-02-01")
    assert (feb.customers_start, feb.new_customers, feb.lost, feb.customers_end) == (100, 15, 10, 105)
    assert feb.crr_pct == pytest.approx(90.0)
    assert feb.churn_pct == pytest.approx(10.0)


def test_alternative_convention_leaves_out_same_period_join_and_leave():
    # As the first example, but 10 of the 100 lost joined in February too: CS 500, CN 50, lost 100.
    rows = [("2024-01-10", "2024-02-15" if i < 90 else "") for i in range(500)]
    rows += [("2024-02-05", "2024-02-25" if i < 10 else "") for i in range(50)]
    con = ref.load(customers=customers_frame(rows))
    feb = row_for(churn.retention_by_period(con, as_of="2024-03-31"), "2024-02-01")
    assert (feb.customers_start, feb.new_customers, feb.lost, feb.customers_end) == (500, 50, 100, 450)
    assert feb.crr_pct == pytest.approx(80.0)
    # Alternative: 410 of the 500 are still there → 82%; the 10 who came and went are not counted.
    assert (feb.alt_new_customers, feb.alt_lost) == (40, 90)
    assert feb.alt_crr_pct == pytest.approx(82.0)
    assert feb.difference_pp == pytest.approx(2.0)


def test_annualised_is_monthly_to_the_twelfth():
    assert churn.annualise(90.0, "month") == pytest.approx(100 * 0.9 ** 12)
    assert churn.annualise(80.0, "quarter") == pytest.approx(100 * 0.8 ** 4)
    assert churn.annualise(99.0, "week") == pytest.approx(100 * 0.99 ** (365.25 / 7))
    assert np.isnan(churn.annualise(-5.0, "month"))


# --- Boundaries, by hand -----------------------------------------------------------------------------

def test_subscription_boundaries():
    con = ref.load(customers=customers_frame([
        ("2024-01-15", ""),            # C1 active throughout
        ("2024-02-01", ""),            # C2 signs up on the first day of Feb: new in Feb, not in Feb's CS
        ("2024-01-10", "2024-01-31"),  # C3 cancels on the last day of Jan: lost in Jan
        ("2024-01-10", "2024-02-01"),  # C4 cancels on the first day of Feb: in Jan's CE, lost in Feb
        ("2024-02-10", "2024-02-10"),  # C5 signs up and cancels the same day: in CN and lost
        ("2024-02-20", "2024-02-12"),  # C6 cancel before signup: leaves on the signup day
    ]))
    frame = churn.retention_by_period(con, as_of="2024-02-29")
    jan, feb = row_for(frame, "2024-01-01"), row_for(frame, "2024-02-01")
    assert (jan.customers_start, jan.new_customers, jan.lost, jan.customers_end) == (0, 3, 1, 2)
    assert (feb.customers_start, feb.new_customers, feb.lost, feb.customers_end) == (2, 3, 3, 2)
    assert feb.crr_pct == pytest.approx(100 * (2 - 3) / 2)  # the standard formula can go below 0
    assert feb.alt_crr_pct == pytest.approx(50.0)
    assert bool(feb.complete)


def test_purchase_window_boundaries():
    # W = 31 days. A: one purchase on Jan 1 → active to the end of Jan 31, lapses on Feb 1 (lost in Feb).
    # B: Jan 10 and Feb 10 (= Jan 10 + 31): the window just reaches, no lapse.
    # C: Jan 5, then Feb 6 (Jan 5 + 32): lapsed on Feb 5, back on Feb 6 → in Feb's CN again.
    con = ref.load(purchases=purchases_frame([
        ("A", "2024-01-01", 10), ("B", "2024-01-10", 10), ("B", "2024-02-10", 10),
        ("C", "2024-01-05", 10), ("C", "2024-02-06", 10),
    ]))
    frame = churn.period_counts(con, inactive_days=31, as_of="2024-02-20")
    jan, feb = row_for(frame, "2024-01-01"), row_for(frame, "2024-02-01")
    assert (jan.customers_start, jan.new_customers, jan.customers_end) == (0, 3, 3)
    assert (feb.customers_start, feb.new_customers, feb.customers_end) == (3, 1, 2)
    assert (feb.retained, feb.resurrected, feb.churned) == (2, 0, 1)
    assert not bool(feb.complete) and feb.period_end == pd.Timestamp("2024-02-20")


def test_refunds_and_zero_amounts_are_not_activity():
    con = ref.load(purchases=purchases_frame([
        ("A", "2024-01-05", 10), ("A", "2024-03-20", -10), ("A", "2024-03-25", 0), ("B", "2024-03-01", 5),
    ]))
    frame = churn.period_counts(con, inactive_days=40, as_of="2024-03-31")
    march = row_for(frame, "2024-03-01")  # A lapsed on Feb 14; the refund and the zero do not bring A back
    assert (march.customers_start, march.new_customers, march.customers_end) == (0, 1, 1)


def test_still_active_when_last_purchase_plus_window_is_after_as_of():
    con = ref.load(purchases=purchases_frame([("A", "2024-01-15", 10), ("B", "2024-03-01", 10)]))
    frame = churn.period_counts(con, inactive_days=90, as_of="2024-04-13")
    april = row_for(frame, "2024-04-01")  # A lapses on 2024-04-14, the day after as_of
    assert (april.customers_start, april.customers_end, april.churned) == (2, 2, 0)


def test_default_as_of_is_the_last_day_in_the_data_and_marks_the_period_incomplete():
    con = ref.load(purchases=purchases_frame([("A", "2024-01-15", 10), ("B", "2024-03-10", 10)]))
    frame = churn.retention_by_period(con)
    assert frame["period_start"].iloc[-1] == pd.Timestamp("2024-03-01")
    assert frame["period_end"].iloc[-1] == pd.Timestamp("2024-03-10")
    assert frame["complete"].tolist() == [True, True, False]


# --- Agreement with the reference on generated data ---------------------------------------------------

SEEDS = [1, 2, 3, 4]


@pytest.fixture(scope="module", params=SEEDS)
def subscription_case(request):
    frame = ref.subscription_file(request.param)
    return frame, ref.load(customers=frame)


@pytest.fixture(scope="module", params=SEEDS)
def purchase_case(request):
    frame = ref.purchase_file(request.param)
    return frame, ref.load(purchases=frame)


def compare(got: pd.DataFrame, expected: list[dict]) -> None:
    want = pd.DataFrame(expected)
    assert len(got) == len(want)
    assert [d.date() for d in got["period_start"]] == want["period_start"].tolist()
    assert [d.date() for d in got["period_end"]] == want["period_end"].tolist()
    assert got["complete"].tolist() == want["complete"].tolist()
    for column in COUNTS:
        assert got[column].tolist() == want[column].tolist(), column


@pytest.mark.parametrize("period", churn.PERIODS)
def test_subscription_counts_match_reference(subscription_case, period):
    frame, con = subscription_case
    as_of = dt.date(2024, 12, 20)
    got = churn.period_counts(con, period=period, basis="customers", as_of=as_of.isoformat())
    compare(got, ref.period_table(ref.subscriptions(ref.subscription_rows(frame), as_of), as_of, period))


@pytest.mark.parametrize("period", churn.PERIODS)
@pytest.mark.parametrize("window", [30, 90])
def test_purchase_counts_match_reference(purchase_case, period, window):
    frame, con = purchase_case
    as_of = dt.date(2024, 11, 17)
    got = churn.period_counts(con, period=period, basis="purchases", inactive_days=window, as_of=as_of.isoformat())
    compare(got, ref.period_table(ref.buyers(ref.purchase_rows(frame), as_of, window), as_of, period))


def test_generated_data_exercises_the_hard_cases(subscription_case, purchase_case):
    """Guard against a generator that stops producing the cases the reference check is meant to cover."""
    sub = ref.period_table(ref.subscriptions(ref.subscription_rows(subscription_case[0]), dt.date(2024, 12, 20)),
                           dt.date(2024, 12, 20), "month")
    buy = ref.period_table(ref.buyers(ref.purchase_rows(purchase_case[0]), dt.date(2024, 11, 17), 30),
                           dt.date(2024, 11, 17), "month")
    assert sum(r["joined_and_left"] for r in sub) > 0
    assert sum(r["resurrected"] for r in buy) > 0
    assert sum(r["joined_and_left"] for r in buy) > 0


def test_crr_follows_the_formula_and_ce_is_next_cs(purchase_case):
    frame, con = purchase_case
    got = churn.retention_by_period(con, inactive_days=45, as_of="2024-11-17")
    for r in got.itertuples():
        expected = ref.crr(r.customers_start, r.new_customers, r.customers_end)
        assert (np.isnan(r.crr_pct) if expected is None else r.crr_pct == pytest.approx(expected))
        assert r.lost == r.customers_start + r.new_customers - r.customers_end
        assert r.lost >= 0
    assert got["customers_end"].iloc[:-1].tolist() == got["customers_start"].iloc[1:].tolist()


def test_revenue_retention_matches_reference(purchase_case):
    frame, con = purchase_case
    as_of = dt.date(2024, 11, 17)
    for period in ("month", "quarter"):
        got = churn.revenue_retention(con, period=period, as_of=as_of.isoformat())
        want = ref.revenue_retention(ref.purchase_rows(frame), as_of, period)
        assert [d.date() for d in got["period_start"]] == sorted(want)
        for r in got.itertuples():
            base, revenue, gross, net = want[r.period_start.date()]
            assert r.base_customers == base
            assert (r.base_revenue, r.kept_gross, r.kept_net) == pytest.approx((revenue, gross, net))
            if revenue:
                assert r.grr_pct == pytest.approx(100 * gross / revenue)
                assert r.nrr_pct == pytest.approx(100 * net / revenue)


def test_inactivity_hint_is_the_90th_percentile_of_gaps(purchase_case):
    frame, con = purchase_case
    days = {}
    for customer, day, amount in ref.purchase_rows(frame):
        if amount > 0 and day <= dt.date(2024, 11, 17):
            days.setdefault(customer, set()).add(day)
    gaps = [(b - a).days for d in days.values() for a, b in zip(sorted(d), sorted(d)[1:])]
    hint = churn.inactivity_hint(con, as_of="2024-11-17").iloc[0]
    assert hint.gaps == len(gaps)
    assert hint.p90_days == pytest.approx(np.percentile(gaps, 90))
    assert hint.suggested_days == int(np.ceil(np.percentile(gaps, 90)))


def test_summary_pools_complete_periods():
    frame = pd.DataFrame({
        "period_start": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
        "complete": [True, True, False],
        "customers_start": [100, 300, 50], "new_customers": [10, 30, 5], "customers_end": [100, 300, 10],
        "alt_lost": [5, 10, 45],
    })
    summary = churn.crr_summary(frame, "month")
    assert summary["periods"] == 2
    assert summary["crr_pct"] == pytest.approx(100 * (90 + 270) / 400)
    assert summary["annualised_crr_pct"] == pytest.approx(100 * 0.9 ** 12)
    assert summary["alt_crr_pct"] == pytest.approx(100 * (385) / 400)


# --- Basis choice and bad input ------------------------------------------------------------------------

def test_basis_and_errors():
    con = ref.load(purchases=purchases_frame([("A", "2024-01-15", 10)]),
                   customers=pd.DataFrame({"customer_id": ["A"], "churn_reason": ["x"]}))
    assert churn.basis_info(con)["basis"].iloc[0] == "purchases"  # no signup dates in the customers file
    with pytest.raises(churn.NoChurnData):
        churn.period_counts(con, basis="customers")
    with pytest.raises(ValueError):
        churn.period_counts(con, period="day")
    with pytest.raises(ValueError):
        churn.period_counts(con, inactive_days=0)


def test_churned_without_a_date_and_missing_signups_are_left_out_and_counted(subscription_case):
    frame, con = subscription_case
    info = churn.basis_info(con).iloc[0]
    assert info.churned_without_date == ((frame.cancel_date == "") & (frame.status == "Churned")).sum()
    assert info.without_signup == (frame.signup_date == "").sum()


# --- The win-back list ------------------------------------------------------------------------------------

def test_at_risk_purchase_basis_follows_the_rules(purchase_case):
    frame, con = purchase_case
    as_of, window, recent, risk = dt.date(2024, 11, 17), 60, 45, 20
    last, revenue = {}, {}
    for customer, day, amount in ref.purchase_rows(frame):
        if day <= as_of:
            revenue[customer] = revenue.get(customer, 0.0) + amount
            if amount > 0:
                last[customer] = max(day, last.get(customer, day))
    expected = {}
    for customer, day in last.items():
        lapse = day + dt.timedelta(days=window)
        if lapse <= as_of and (as_of - lapse).days < recent:
            expected[customer] = "churned"
        elif lapse > as_of and (as_of - day).days >= risk:
            expected[customer] = "at_risk"
    got = churn.at_risk(con, basis="purchases", inactive_days=window, as_of=as_of.isoformat(), recent_days=recent,
                        risk_days=risk)
    assert dict(zip(got["customer_id"], got["status"])) == expected
    for r in got.itertuples():
        assert r.last_purchase.date() == last[r.customer_id]
        assert r.days_since_purchase == (as_of - last[r.customer_id]).days
        assert r.revenue_to_date == pytest.approx(revenue[r.customer_id])
    assert got["status"].tolist() == sorted(got["status"], key=lambda s: s != "churned")


def test_at_risk_customers_basis_lists_recent_and_undated_churn(subscription_case):
    frame, con = subscription_case
    as_of, recent = dt.date(2024, 12, 20), 60
    expected = set()
    for r in frame.itertuples():
        churned = bool(r.cancel_date) or r.status == "Churned"
        started = not r.signup_date or dt.date.fromisoformat(r.signup_date) <= as_of
        if churned and started:
            if not r.cancel_date:
                expected.add(r.customer_id)
            elif 0 <= (as_of - dt.date.fromisoformat(r.cancel_date)).days < recent:
                expected.add(r.customer_id)
    got = churn.at_risk(con, basis="customers", as_of=as_of.isoformat(), recent_days=recent)
    assert set(got["customer_id"]) == expected
    assert set(got["status"]) == {"churned"}
    assert "plan" in got.columns


def test_win_back_shows_the_first_rows_of_the_list_and_counts_them_all(purchase_case):
    frame, con = purchase_case
    params = dict(basis="purchases", inactive_days=60, as_of="2024-11-17", recent_days=45, risk_days=20)
    full = churn.at_risk(con, **params)
    assert len(full) > 6
    top, total = churn.win_back(con, shown=5, **params)
    assert total == len(full)
    pd.testing.assert_frame_equal(top, full.head(5))
    at_risk = full[full["status"] == "at_risk"].reset_index(drop=True)
    top, total = churn.win_back(con, statuses=["at_risk"], **params)
    assert total == len(at_risk) > 0
    pd.testing.assert_frame_equal(top, at_risk)
    assert churn.win_back(con, statuses=[], **params)[1] == 0


def test_win_back_filters_reasons_and_segment_values_as_pandas_does(subscription_case):
    frame, con = subscription_case
    params = dict(basis="customers", as_of="2024-12-20", recent_days=60)
    full = churn.at_risk(con, **params)
    reason, plan = full["reason"].dropna().iloc[0], full["plan"].dropna().iloc[0]
    kept = full[(full["reason"] == reason) & (full["plan"] == plan)].reset_index(drop=True)
    filters = dict(reason_filter=[reason], segment="plan", segment_values=[plan])
    top, total = churn.win_back(con, **params, **filters)
    assert total == len(kept) > 0
    pd.testing.assert_frame_equal(top, kept)
    pd.testing.assert_frame_equal(churn.at_risk(con, **params, **filters), kept)
    assert churn.win_back(con, segment="plan", segment_values=[], **params)[1] == len(full)  # no value: no filter


def test_warm_up_periods_are_flagged_and_left_out_of_the_headline():
    con = ref.load(purchases=purchases_frame([("A", "2024-01-05", 10), ("B", "2024-02-10", 10),
                                              ("C", "2024-04-20", 10), ("A", "2024-05-02", 10)]))
    frame = churn.retention_by_period(con, inactive_days=60, as_of="2024-06-30")
    assert frame["warm_up"].tolist() == [True, True, False, False, False, False]  # nobody can lapse before Mar 5
    summary = churn.crr_summary(frame, "month")
    assert summary["periods"] == 4 and summary["first_period"] == pd.Timestamp("2024-03-01")
    subscriptions = churn.retention_by_period(ref.load(customers=customers_frame([("2024-01-05", "")])))
    assert not subscriptions["warm_up"].any()


def _years_back(days: pd.Series, years: int = 28) -> pd.Series:
    """ISO dates moved back `years` (28: the same weekdays and leap years between 1901 and 2099)."""
    return days.map(lambda d: f"{int(d[:4]) - years}{d[4:]}" if isinstance(d, str) and d else d)


@pytest.mark.parametrize("window", [30, 90])
def test_purchase_counts_before_2000_match_reference(window):
    """Data from the 1990s (the CDNOW log is 1997–98): the query keys each event by its day's distance from
    2000-01-01, negative before it, and read 'odd' as `% 2 = 1`, which DuckDB's -3 % 2 = -1 never is: nobody
    was active at a period's start by that test, so every customer counted as kept (CDNOW: 100.0% a month)."""
    frame = ref.purchase_file(2)
    frame["order_date"] = _years_back(frame["order_date"])
    as_of = dt.date(1996, 11, 17)
    got = churn.period_counts(ref.load(purchases=frame), period="month", basis="purchases", inactive_days=window,
                              as_of=as_of.isoformat())
    compare(got, ref.period_table(ref.buyers(ref.purchase_rows(frame), as_of, window), as_of, "month"))
    assert (got["customers_start"] - got["retained"]).sum() > 0  # someone was lost


def test_subscription_counts_before_2000_match_reference():
    frame = ref.subscription_file(3)
    for column in ("signup_date", "cancel_date"):
        frame[column] = _years_back(frame[column])
    as_of = dt.date(1996, 12, 20)
    got = churn.period_counts(ref.load(customers=frame), period="month", basis="customers", as_of=as_of.isoformat())
    compare(got, ref.period_table(ref.subscriptions(ref.subscription_rows(frame), as_of), as_of, "month"))


def test_usable_periods_are_complete_past_warm_up_with_customers():
    frame = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01",
                                                          "2024-05-01"]),
                          "complete": [True, True, True, True, False],
                          "warm_up": [True, False, False, False, False],
                          "customers_start": [10, 0, 20, 30, 40]})
    assert list(churn.usable_periods(frame)["period_start"].dt.month) == [3, 4]
    assert list(churn.usable_periods(frame.drop(columns=["warm_up"]))["period_start"].dt.month) == [1, 3, 4]
