"""The Churn page renders on the demo and on a customers file without dates, and its controls work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from retention import store
from tests.conftest import open_page
from retention.ingest.canonical import prepare

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CRM = Path(__file__).resolve().parents[1] / "fixtures" / "churn" / "crm_export.csv"


def churn_page(**query) -> AppTest:
    return open_page("pages/churn.py", **query)


def charts(at: AppTest) -> list[str]:
    return [c.key for c in at.get("plotly_chart")]


def open_tab(at: AppTest, code: str) -> AppTest:
    """What picking a tab does in the browser: widgets.tabs' callback stores the tab's code, and the page reruns."""
    at.session_state["churn_tab"] = code
    return at.run()


def test_churn_page_on_the_demo(demo_warm):
    at = churn_page()
    labels = [m.label for m in at.metric]
    # the finding first (the headline figures), then the rate tab's figures for the chosen period
    assert labels[:3] == ["Customers kept over a year (Jan 2025 – Dec 2025)",
                          "Customers kept per month (Jan 2025 – Dec 2025)",
                          "Customers lost per month (Jan 2025 – Dec 2025)"]
    assert labels[3:6] == ["Kept per month (active at start and end)", "Standard formula (CE − CN) ÷ CS per month",
                           "Churn per month (standard formula)"]
    assert charts(at) == ["churn_rate_chart"]  # only the open tab is computed
    at.selectbox(key="churn_period").set_value("quarter").run()
    assert not at.exception
    assert at.metric[3].label == "Kept per quarter (active at start and end)"
    at.radio(key="churn_measure").set_value("churn").run()
    assert charts(open_tab(at, "lifecycle")) == ["churn_life"]
    assert charts(open_tab(at, "revenue")) == ["churn_revenue"]
    assert set(charts(open_tab(at, "reasons"))) >= {"churn_pareto", "churn_reason_time", "churn_segment_map",
                                                     "churn_lost", "churn_tenure"}
    at.slider(key="churn_fold").set_value(5.0).run()
    at.toggle(key="churn_reason_share").set_value(True).run()
    at.selectbox(key="churn_segment").set_value("plan").run()
    open_tab(at, "winback")
    assert not charts(at) and any("customer_id" in d.value.columns for d in at.dataframe)
    at.multiselect(key="churn_status").set_value(["at_risk"]).run()
    at.selectbox(key="churn_list_segment").set_value("channel").run()
    at.multiselect(key="churn_list_values").set_value(["Referral"]).run()
    assert not at.exception
    # the view is in the URL as codes, not labels ("Churn %"); defaults (channel: the first segment) are left out;
    # controls of the tabs not open (measure, fold, shares, segment) keep their values
    assert dict(at.query_params) == {"period": "quarter", "measure": "churn", "fold": "5", "shares": "true",
                                     "segment": "plan", "status": "at_risk", "list_value": "Referral",
                                     "tab": "winback"}
    at.selectbox(key="churn_basis").set_value("purchases").run()
    assert not at.exception
    at.number_input(key="churn_days").set_value(45).run()
    at.date_input(key="churn_as_of").set_value(dt.date(2025, 6, 15)).run()
    assert not at.exception
    assert not at.error
    assert {k: at.query_params[k] for k in ("basis", "window", "as_of")} == {
        "basis": "purchases", "window": "45", "as_of": "2025-06-15"}
    assert "risk" not in at.query_params  # it follows the window (W / 2) until the viewer sets it
    assert open_tab(at, "reasons").slider(key="churn_fold").value == 5.0


def test_edited_reason_spellings_apply_on_every_tab(demo_env):
    """The spellings table edited on "Why they leave" (kept under churn_synonyms_edited) also maps the reasons of
    the win-back list, and the editor starts from it when the tab is opened again."""
    from retention.metrics import reasons

    at = churn_page(tab="winback")
    labels = at.multiselect(key="churn_list_reasons").options
    assert len(labels) > 2
    merged = [[variant, "Merged"] for variant, _ in reasons.read_synonyms()] + [[label, "Merged"] for label in labels]
    at.session_state["churn_synonyms_edited"] = merged
    assert at.run().multiselect(key="churn_list_reasons").options == ["(no reason given)", "Merged"]
    open_tab(at, "reasons")
    editor = next(d for d in at.dataframe if (d.key or "").startswith("churn_synonyms_"))
    assert editor.value["reason"].eq("Merged").all() and not at.exception
    assert any(t.startswith("“Merged” is the most common reason") for t in _titles(at)), _titles(at)


def _titles(at: AppTest) -> list[str]:
    import json
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_churn_page_without_dates(demo_env):
    dataset_id, _ = store.create_dataset(None, prepare(CRM.read_bytes(), CRM.name, "customers"), name="CRM export")
    at = churn_page(dataset=dataset_id)
    crm = pd.read_csv(CRM)  # the reference: churned = status "Churned" (any case); churn per month of tenure
    churned = crm["Customer Status"].str.strip().str.lower().eq("churned")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Share churned"] == f"{100 * churned.mean():.1f}%"  # leads with what the file can answer
    assert metrics["Churn per month implied by tenure"] == f"{100 * churned.sum() / crm['Tenure Months'].sum():.2f}%"
    assert any("Tenure from (months)" not in d.value.columns and "band_from" in d.value.columns for d in at.dataframe)
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
