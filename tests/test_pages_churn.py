"""The Churn page renders on the demo and on a customers file without dates, and its controls work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from retention import store
from tests.conftest import open_page
from retention.ingest.canonical import prepare

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CRM = Path(__file__).resolve().parent / "fixtures" / "churn" / "crm_export.csv"


def churn_page(**query) -> AppTest:
    return open_page("pages/churn.py", **query)


def test_churn_page_on_the_demo(demo_env):
    at = churn_page()
    assert [m.label for m in at.metric][:3] == ["Retention per month", "Churn per month", "Annualised retention"]
    assert len(at.get("plotly_chart")) >= 7
    at.selectbox(key="churn_period").set_value("quarter").run()
    assert not at.exception
    assert at.metric[0].label == "Retention per quarter"
    at.radio(key="churn_measure").set_value("churn").run()
    at.slider(key="churn_fold").set_value(5.0).run()
    at.toggle(key="churn_reason_share").set_value(True).run()
    at.selectbox(key="churn_segment").set_value("plan").run()
    at.multiselect(key="churn_status").set_value(["at_risk"]).run()
    at.selectbox(key="churn_list_segment").set_value("channel").run()
    at.multiselect(key="churn_list_values").set_value(["Referral"]).run()
    assert not at.exception
    # the view is in the URL as codes, not labels ("Churn %"); defaults (channel: the first segment) are left out
    assert dict(at.query_params) == {"period": "quarter", "measure": "churn", "fold": "5", "shares": "true",
                                     "segment": "plan", "status": "at_risk", "list_value": "Referral"}
    at.selectbox(key="churn_basis").set_value("purchases").run()
    assert not at.exception
    at.number_input(key="churn_days").set_value(45).run()
    at.date_input(key="churn_as_of").set_value(dt.date(2025, 6, 15)).run()
    assert not at.exception
    assert not at.error
    assert {k: at.query_params[k] for k in ("basis", "window", "as_of")} == {
        "basis": "purchases", "window": "45", "as_of": "2025-06-15"}
    assert "risk" not in at.query_params  # it follows the window (W / 2) until the viewer sets it


def test_churn_page_without_dates(demo_env):
    dataset_id, _ = store.create_dataset(None, prepare(CRM.read_bytes(), CRM.name, "customers"), name="CRM export")
    at = churn_page(dataset=dataset_id)
    assert any("cannot be measured" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) >= 2  # Pareto, segments (tenure bands too)
    at.slider(key="churn_fold").set_value(10.0).run()
    assert not at.exception


def test_win_back_tab_shows_the_first_rows_and_the_total(demo_env, monkeypatch):
    from retention.metrics import churn

    monkeypatch.setattr(churn, "WIN_BACK_SHOWN", 3)
    at = churn_page(tab="winback")
    con = store.open_dataset(store.DEMO_ID)
    basis = churn.basis_info(con).iloc[0].basis
    full = churn.at_risk(con, basis=basis, recent_days=90, risk_days=45)
    assert len(full) > 3
    shown = next(d.value for d in at.dataframe if "customer_id" in d.value.columns)
    assert shown["customer_id"].tolist() == full["customer_id"].head(3).tolist()
    assert any(f"Showing the first 3 of {len(full):,} customers" in c.value for c in at.caption)
