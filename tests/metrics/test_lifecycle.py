"""Lifecycle per period (retention.metrics.lifecycle) against the pure-Python reference, plus a small
hand-computed case."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention.metrics import lifecycle


def test_hand_computed_months():
    # W = 30. A: Jan 3 → lapses Feb 2; back on Mar 10 (resurrected in March).
    # B: Jan 20, Feb 15, Mar 12 (retained). C: first purchase Mar 5 (new in March).
    # D: Feb 1 only, lapses Mar 2 (new in Feb, churned in March).
    purchases = pd.DataFrame([
        ("A", "2024-01-03", 5), ("A", "2024-03-10", 5),
        ("B", "2024-01-20", 5), ("B", "2024-02-15", 5), ("B", "2024-03-12", 5),
        ("C", "2024-03-05", 5), ("D", "2024-02-01", 5),
    ], columns=["customer_id", "order_date", "amount"])
    frame = lifecycle.lifecycle(ref.load(purchases=purchases), inactive_days=30, as_of="2024-03-31")
    got = frame.set_index(frame["period_start"].dt.strftime("%Y-%m"))
    assert got.loc["2024-01", ["new", "resurrected", "retained", "churned"]].tolist() == [2, 0, 0, 0]
    assert got.loc["2024-02", ["new", "resurrected", "retained", "churned"]].tolist() == [1, 0, 1, 1]
    assert got.loc["2024-03", ["new", "resurrected", "retained", "churned"]].tolist() == [1, 1, 1, 1]
    assert got.loc["2024-03", "quick_ratio"] == pytest.approx(2.0)
    assert np.isnan(got.loc["2024-01", "quick_ratio"])


@pytest.mark.parametrize("seed", [5, 6])
@pytest.mark.parametrize("period", ["week", "month", "quarter"])
def test_matches_reference_and_adds_up(seed, period):
    frame = ref.purchase_file(seed)
    as_of = dt.date(2024, 12, 31)
    got = lifecycle.lifecycle(ref.load(purchases=frame), period=period, inactive_days=60, as_of=as_of.isoformat())
    want = pd.DataFrame(ref.period_table(ref.buyers(ref.purchase_rows(frame), as_of, 60), as_of, period))
    assert got["new"].tolist() == want["new_first"].tolist()
    assert got["resurrected"].tolist() == want["resurrected"].tolist()
    assert got["retained"].tolist() == want["retained"].tolist()
    assert got["churned"].tolist() == want["churned"].tolist()
    assert got["joined_and_left"].tolist() == want["joined_and_left"].tolist()
    assert (got["retained"] + got["new"] + got["resurrected"]).tolist() == want["customers_end"].tolist()
    assert (got["retained"] + got["churned"]).tolist() == want["customers_start"].tolist()
    expected_ratio = [(n + r) / c if c else np.nan for n, r, c in
                      zip(want["new_first"], want["resurrected"], want["churned"])]
    assert got["quick_ratio"].tolist() == pytest.approx(expected_ratio, nan_ok=True)
    assert got["resurrected"].sum() > 0


def test_subscriptions_resurrect_nobody():
    frame = ref.subscription_file(7)
    got = lifecycle.lifecycle(ref.load(customers=frame), as_of="2024-12-20")
    assert got["resurrected"].sum() == 0
    assert got["new"].sum() > 0 and got["churned"].sum() > 0
