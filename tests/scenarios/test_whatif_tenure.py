"""#15.5 What-if on a customers file with tenure and a churned flag but no dates (telecom exports): retention
comes from the tenure-implied monthly churn, labelled as measured from tenure, with its interval."""

from __future__ import annotations

import json
import math

import duckdb
import pytest

from retention import cli, store
from retention.ingest.canonical import prepare
from retention.metrics import churn
from retention.scenarios import tenure

# 5 customers: tenures 2, 4, 10, 12, 12 months; churned the first two; monthly charges 50, 30, 20, 40, 60.
#   churn per month = 2 churned ÷ (2 + 4 + 10 + 12 + 12 = 40 customer-months) = 5%
#   retention per month 95%; per quarter 0.95³ = 0.857375; per year 0.95¹² = 0.540360
#   exact Poisson 95% interval of 2 events: [0.2422, 7.2247] ÷ 40 per month
#   active customers: 3; their mean monthly charge (20 + 40 + 60) ÷ 3 = 40; per quarter 120
FILE = b"""Customer ID,Tenure Months,Churn Label,Monthly Charges
c1,2,Yes,50
c2,4,Yes,30
c3,10,No,20
c4,12,No,40
c5,12,No,60
"""
NO_CHARGES = b"Customer ID,Tenure Months,Churn Label\nc1,2,Yes\nc2,4,Yes\nc3,10,No\nc4,12,No\nc5,12,No\n"


def built(data: bytes) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    store.build(con, None, prepare(data, "customers.csv", "customers"), name="t")
    return con


def test_monthly_inputs_by_hand():
    con = built(FILE)
    with pytest.raises(churn.NoChurnData):  # the period-based measure has nothing to count
        from retention.scenarios import inputs
        inputs.measure(con, period="month")
    row = tenure.measure(con, period="month").iloc[0]
    assert row["basis"] == "tenure"
    assert row["churn_month"] == pytest.approx(0.05) and row["retention"] == pytest.approx(0.95)
    assert row["customer_months"] == 40 and row["churned"] == 2
    assert row["churn_month_low"] == pytest.approx(0.2422 / 40, abs=1e-4)
    assert row["churn_month_high"] == pytest.approx(7.2247 / 40, abs=1e-4)
    assert row["retention_low"] == pytest.approx(1 - 7.2247 / 40, abs=1e-4)
    assert row["active_customers"] == 3
    assert row["arpu"] == pytest.approx(40.0) and bool(row["has_amounts"])
    assert math.isnan(row["new_customers"])


def test_other_periods_compound_the_monthly_rate():
    con = built(FILE)
    quarter = tenure.measure(con, period="quarter").iloc[0]
    assert quarter["retention"] == pytest.approx(0.857375) and quarter["arpu"] == pytest.approx(120.0)
    year = tenure.measure(con, period="year").iloc[0]
    assert year["retention"] == pytest.approx(0.95 ** 12) and year["retention"] == pytest.approx(0.540360, abs=1e-6)


def test_without_charges_revenue_is_not_measured():
    row = tenure.measure(built(NO_CHARGES)).iloc[0]
    assert math.isnan(row["arpu"]) and not bool(row["has_amounts"])
    assert row["retention"] == pytest.approx(0.95)


def test_cli_whatif_uses_the_tenure_estimate(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    path = tmp_path / "customers.csv"
    path.write_bytes(FILE)
    assert cli.main(["whatif", "--customers", str(path), "--margin-pct", "30", "--new-customers", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["inputs"]["retention"] == {"value": pytest.approx(0.95), "source": "measured from tenure"}
    assert out["inputs"]["active_customers"]["value"] == 3


def test_page_labels_retention_as_measured_from_tenure(demo_env):
    from tests.conftest import open_page

    dataset_id, _ = store.create_dataset(None, prepare(FILE, "customers.csv", "customers"), name="Telco-like")
    at = open_page("pages/whatif.py", dataset=dataset_id)
    labels = [n.label for n in at.number_input]
    assert "Retention per month, % (measured from tenure)" in labels
    assert "Active customers (measured from tenure)" in labels
    assert at.number_input(key="whatif_retention").value == pytest.approx(95.0)
    assert at.number_input(key="whatif_active").value == 3
    note = " ".join(i.value for i in at.info)
    assert "measured from tenure (an estimate)" in note and "5.00% a month" in note
    assert "0.61–18.06%" in note  # 100 × [0.2422, 7.2247] ÷ 40
    assert not any("cannot be measured" in w.value for w in at.warning)
    assert any(m.label.startswith("More profit") for m in at.metric)
