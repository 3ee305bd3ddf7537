"""Tests for data/generate_demo.py (the seeded demo-shop generator)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

GENERATOR_PATH = Path(__file__).resolve().parents[1] / "data" / "generate_demo.py"
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
