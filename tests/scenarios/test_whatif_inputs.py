"""Inputs measured from data for the what-if model, on a small hand-computed dataset and on the demo.

Hand-computed case (customers file with signup / cancel dates, purchases with amounts, monthly, analysis
date 2024-03-31):
    A signs up 10 Jan, stays          purchases 10 Jan 10, 10 Feb 10, 10 Mar 10
    B signs up 15 Jan, cancels 20 Feb  purchase 15 Jan 20
    C signs up  5 Feb, stays          purchases  5 Feb 30, 5 Mar 30, refund 6 Mar −5
    D signs up 10 Feb, cancels 5 Mar   purchase 10 Feb 40
    E signs up  1 Mar, stays          purchase   1 Mar 50
Per month (CS, CN, CE): Jan (0, 2, 2) — no CS, left out; Feb (2, 2, 3); Mar (3, 1, 3).
r = Σ(CE − CN)/ΣCS = (1 + 2)/(2 + 3) = 0.6; N = CE of March = 3; new customers = (2 + 1)/2 = 1.5;
revenue Feb 80, Mar 85 (refund subtracted); average active (CS + CE)/2 = 2.5 and 3 → ARPU = 165/5.5 = 30.
Signup cohorts, survival (t = 0 is the cohort size, t = k + 1 the end of the cohort's k-th month):
    Jan [2, 2, 1, 1]   Feb [2, 2, 1]   Mar [1, 1]
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare
from retention.scenarios import analysis, inputs

CUSTOMERS = b"""customer_id,signup_date,cancel_date
A,2024-01-10,
B,2024-01-15,2024-02-20
C,2024-02-05,
D,2024-02-10,2024-03-05
E,2024-03-01,
"""
PURCHASES = b"""order_id,customer_id,order_date,amount
1,A,2024-01-10,10
2,B,2024-01-15,20
3,A,2024-02-10,10
4,C,2024-02-05,30
5,D,2024-02-10,40
6,A,2024-03-10,10
7,C,2024-03-05,30
8,C,2024-03-06,-5
9,E,2024-03-01,50
"""
AS_OF = "2024-03-31"


@pytest.fixture(scope="module")
def small():
    con = duckdb.connect()
    store.build(con, prepare(PURCHASES, "orders.csv", "purchases"), prepare(CUSTOMERS, "customers.csv", "customers"),
                name="small")
    yield con
    con.close()


def test_measure_by_hand(small):
    row = inputs.measure(small, period="month", as_of=AS_OF).iloc[0]
    assert row["basis"] == "customers"
    assert row["periods_used"] == 2
    assert row["retention"] == pytest.approx(0.6)
    assert row["active_customers"] == 3
    assert row["new_customers"] == pytest.approx(1.5)
    assert row["revenue"] == pytest.approx(165)
    assert row["arpu"] == pytest.approx(30)
    assert row["customers_start"] == 5
    assert bool(row["has_amounts"])


def test_survival_cells_by_hand(small):
    cells = inputs.survival_cells(small, period="month", as_of=AS_OF)
    assert set(cells["mode"]) == {"survival"}
    got = {str(c.date()): g.sort_values("t")["survivors"].tolist() for c, g in cells.groupby("cohort")}
    assert got == {"2024-01-01": [2, 2, 1, 1], "2024-02-01": [2, 2, 1], "2024-03-01": [1, 1]}
    pooled = analysis.pooled_survival(cells)
    # t=1: 5 of 5 stay; t=2: 2 of 4 (Jan 2→1, Feb 2→1); t=3: 1 of 1
    assert pooled["survival"].tolist() == pytest.approx([1.0, 1.0, 0.5, 0.5])


def test_survival_cells_purchase_basis_keep_settled_periods(small):
    cells = inputs.survival_cells(small, period="month", basis="purchases", inactive_days=30, as_of=AS_OF)
    assert set(cells["mode"]) == {"rolling"}
    # rolling retention by first-purchase month; only months that ended by 1 March (as_of − 30 days) are kept
    got = {str(c.date()): g.sort_values("t")["survivors"].tolist() for c, g in cells.groupby("cohort")}
    # January: A and B, only A bought in February or later; February: C and D, its month ended 29 Feb
    assert got == {"2024-01-01": [2, 1], "2024-02-01": [2]}


def test_no_cohort_grain_for_years(small):
    assert inputs.survival_cells(small, period="year", as_of=AS_OF).empty
    assert inputs.sbg_fit(small, period="year", as_of=AS_OF).empty


def test_reason_share():
    counts = pd.DataFrame({"reason": ["Too expensive", "(no reason given)"], "churned": [3, 1],
                           "share_pct": [75.0, 25.0]})
    assert inputs.reason_share(counts, "  too EXPENSIVE ") == ("Too expensive", 0.75)
    assert inputs.reason_share(counts, "bugs") is None


def test_demo_inputs(demo_env):
    con = store.open_dataset(store.DEMO_ID)
    try:
        row = inputs.measure(con, period="month").iloc[0]
        # the Churn page's pooled CRR over 2025 (12 complete months) and the customers active on 31 Dec 2025
        assert row["periods_used"] == 12 and row["active_customers"] == 9179
        assert 0.9 < row["retention"] < 0.95 and row["arpu"] > 0
        fit = inputs.sbg_fit(con, period="month").iloc[0]
        assert fit["converged"] and fit["mode"] == "survival" and fit["cohorts"] == 30
    finally:
        con.close()
