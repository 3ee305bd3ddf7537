"""Tests for data/generate_demo.py (the seeded demo-shop generator)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

GENERATOR_PATH = Path(__file__).resolve().parents[2] / "data" / "generate_demo.py"
END = "2025-12-31"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_demo", GENERATOR_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def demo() -> tuple[pd.DataFrame, pd.DataFrame]:
    return gen.generate()


@pytest.fixture(scope="module")
def purchases(demo) -> pd.DataFrame:
    return demo[0]


@pytest.fixture(scope="module")
def customers(demo) -> pd.DataFrame:
    return demo[1]


def test_columns(purchases, customers):
    assert list(purchases.columns) == [
        "order_id", "customer_id", "order_date", "amount", "channel", "country", "product_category",
    ]
    assert list(customers.columns) == [
        "customer_id", "signup_date", "cancel_date", "churn_reason", "plan", "channel", "country",
    ]


def test_same_seed_gives_byte_identical_csvs(tmp_path):
    first = gen.write(tmp_path / "a")
    second = gen.write(tmp_path / "b")
    assert [p.name for p in first] == ["purchases.csv", "customers.csv"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()


def test_different_seed_differs(customers):
    _, other = gen.generate(seed=7, n_customers=2_000)
    assert not other["signup_date"].equals(customers["signup_date"].head(2_000))


def test_sizes(purchases, customers):
    assert len(customers) == 20_000
    assert customers["customer_id"].is_unique
    assert 130_000 <= len(purchases) <= 170_000
    assert purchases["order_id"].is_unique


def test_spans_at_least_24_months(purchases, customers):
    first = pd.Timestamp(customers["signup_date"].min())
    last = pd.Timestamp(purchases["order_date"].max())
    assert (last.year - first.year) * 12 + last.month - first.month >= 24


def test_nothing_after_end(purchases, customers):
    assert purchases["order_date"].max() <= END
    assert customers["signup_date"].max() <= END
    assert customers.loc[customers["cancel_date"] != "", "cancel_date"].max() <= END


def test_refunds_are_negative_copies_of_earlier_purchases(purchases):
    refunds = purchases[purchases["amount"] < 0]
    assert 0.02 <= len(refunds) / len(purchases) <= 0.04
    buys = purchases[purchases["amount"] > 0]
    matched = refunds.assign(amount=-refunds["amount"]).merge(
        buys, on=["customer_id", "amount"], suffixes=("_refund", "_buy")
    )
    matched = matched[matched["order_date_buy"] <= matched["order_date_refund"]]
    assert matched["order_id_refund"].nunique() == len(refunds)


def test_every_purchase_has_a_customer(purchases, customers):
    assert purchases["customer_id"].isin(customers["customer_id"]).all()
    # channel and country are customer attributes copied onto each order
    joined = purchases.merge(customers, on="customer_id", suffixes=("", "_c"))
    assert (joined["channel"] == joined["channel_c"]).all()
    assert (joined["country"] == joined["country_c"]).all()
    assert (joined["order_date"] >= joined["signup_date"]).all()


def test_cancel_dates(purchases, customers):
    cancelled = customers[customers["cancel_date"] != ""]
    assert (cancelled["cancel_date"] >= cancelled["signup_date"]).all()
    assert 0.45 <= len(cancelled) / len(customers) <= 0.65
    last_order = purchases.groupby("customer_id")["order_date"].max()
    gap = pd.to_datetime(cancelled["cancel_date"]) - pd.to_datetime(
        cancelled["customer_id"].map(last_order)
    )
    assert gap.dt.days.between(0, 45).all()


def test_churn_reasons_only_for_cancelled(customers):
    active = customers["cancel_date"] == ""
    assert (customers.loc[active, "churn_reason"] == "").all()
    with_reason = (customers.loc[~active, "churn_reason"] != "").mean()
    assert 0.85 <= with_reason <= 0.97


def test_messy_reason_spellings_exist(customers):
    reasons = customers["churn_reason"]
    reasons = reasons[reasons != ""]
    canonical = reasons.isin(gen.REASONS)
    assert 0.005 < (~canonical).mean() < 0.05
    assert reasons[~canonical].str.strip().str.lower().str.split().str.join(" ").isin(
        [r.lower() for r in gen.REASONS]
    ).all()


def test_reason_mix_differs_by_channel(customers):
    churned = customers[customers["churn_reason"] != ""]
    too_expensive = churned["churn_reason"].str.strip().str.lower() == "too expensive"
    share = too_expensive.groupby(churned["channel"]).mean()
    assert share["Paid social"] > share["Referral"] + 0.15


def test_retention_differs_by_channel_and_plan(customers):
    churned = customers["cancel_date"] != ""
    by_channel = churned.groupby(customers["channel"]).mean()
    assert by_channel.idxmin() == "Referral"
    assert by_channel.idxmax() == "Paid social"
    by_plan = churned.groupby(customers["plan"]).mean()
    assert by_plan["Pro"] < by_plan["Basic"] < by_plan["Free"]


# ---------------------------------------------------------------- the first screen's trends are designed (#15.13)


def monthly_crr(customers: pd.DataFrame, months: pd.PeriodIndex) -> pd.Series:
    """Reference CRR per month from signup/cancel dates: (CE − CN) / CS × 100, a customer being active on a
    day when signed up by then and not cancelled by then (cancelled on the cancel date itself)."""
    signup = pd.to_datetime(customers["signup_date"])
    cancel = pd.to_datetime(customers["cancel_date"].replace("", None))
    out = {}
    for month in months:
        first, last = month.start_time, month.end_time.normalize()
        start = ((signup < first) & (cancel.isna() | (cancel >= first))).sum()
        end = ((signup <= last) & (cancel.isna() | (cancel > last))).sum()
        new = ((signup >= first) & (signup <= last)).sum()
        out[month] = 100 * (end - new) / start
    return pd.Series(out)


def month1_retention(purchases: pd.DataFrame) -> pd.Series:
    """Reference month-1 retention per first-purchase month: % of the cohort buying again the next month."""
    buys = purchases[purchases["amount"] > 0]
    month = pd.to_datetime(buys["order_date"]).dt.to_period("M")
    cohort = month.groupby(buys["customer_id"]).transform("min")
    back = set(buys.loc[month == cohort + 1, "customer_id"])
    first = cohort.groupby(buys["customer_id"]).first()
    came_back = pd.Series(first.index.isin(list(back)), index=first.index)
    return 100 * came_back.groupby(first).mean()


LAST_MONTHS = pd.period_range("2025-07", "2025-12", freq="M")


def test_last_months_crr_is_steady_not_climbing(customers):
    # Designed: a monthly churn hazard of ~5-10% that falls slowly for later cohorts, so the monthly CRR of
    # 2025 sits around 90-93%. Before censoring was simulated, cancellations after the end were dropped
    # and December climbed to 95.4% (+1.3 pts on November on the Overview).
    crr = monthly_crr(customers, LAST_MONTHS)
    assert crr.between(89.0, 94.0).all(), crr.round(1).to_dict()
    assert abs(crr.iloc[-1] - crr.iloc[:-1].mean()) < 1.0, crr.round(1).to_dict()
    assert abs(crr.iloc[-1] - crr.iloc[-2]) < 1.5, crr.round(1).to_dict()


def test_data_is_censored_at_the_analysis_date(purchases, customers):
    """Analysed six months later, the same shop's history up to the end is unchanged: the end of the demo is
    an ordinary censoring date, not the end of the world (no cancellation is lost, none invented)."""
    later_purchases, later_customers = gen.generate(as_of="2026-06-30")
    assert later_purchases["order_date"].max() > END
    seen = later_purchases[later_purchases["order_date"] <= END].reset_index(drop=True)
    pd.testing.assert_frame_equal(seen.drop(columns="order_id"), purchases.drop(columns="order_id"))
    pd.testing.assert_frame_equal(later_customers[["customer_id", "signup_date"]],
                                  customers[["customer_id", "signup_date"]])
    was_known = later_customers["cancel_date"].between("0", END)
    assert (later_customers["cancel_date"].where(was_known, "") == customers["cancel_date"]).all()
    # Customers still active at the end include many who cancel later: censoring, not immortality.
    assert (later_customers["cancel_date"] > END).sum() > 0.1 * (customers["cancel_date"] == "").sum()
    before, after = monthly_crr(customers, LAST_MONTHS), monthly_crr(later_customers, LAST_MONTHS)
    pd.testing.assert_series_equal(before, after)


def test_month1_retention_rises_as_designed(purchases):
    # Designed: the churn hazard (first month included) falls by COHORT_IMPROVEMENT over the span, so later
    # cohorts come back a little more often. The Overview states the change over the last 6 complete cohorts.
    m1 = month1_retention(purchases)
    window = m1.loc[pd.Period("2025-06", "M"):pd.Period("2025-11", "M")]
    assert len(window) == 6
    assert 0 < window.iloc[-1] - window.iloc[0] < 6, window.round(1).to_dict()
    # The longer trend too: the last year's cohorts above the first year's.
    assert m1.loc[pd.Period("2025-01", "M"):pd.Period("2025-11", "M")].mean() > \
        m1.loc[:pd.Period("2024-06", "M")].mean() + 1.0
