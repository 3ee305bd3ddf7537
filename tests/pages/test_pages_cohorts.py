"""The Cohorts page renders on the demo and every control can be changed without an exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from retention import store
from tests.conftest import open_page
from retention.ingest.canonical import prepare

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TENURE = b"customerID,tenure,Churn,Contract\n" + b"".join(
    f"u{i},{i % 24},{'Yes' if i % 3 == 0 else 'No'},{'Monthly' if i % 2 else 'Yearly'}\n".encode() for i in range(200))


def cohorts_page(**query) -> AppTest:
    return open_page("pages/cohorts.py", **query)


def test_cohorts_page_on_the_demo(demo_warm):
    at = cohorts_page()
    assert "bought again the next month" in at.markdown[0].value
    assert [c.key for c in at.get("plotly_chart")] == ["cohorts_heatmap"]  # only the open tab is computed
    changes = [
        ("selectbox", "cohorts_period", "week"), ("selectbox", "cohorts_period", "quarter"),
        ("selectbox", "cohorts_period", "month"), ("selectbox", "cohorts_mode", "rolling"),
        ("selectbox", "cohorts_mode", "survival"), ("selectbox", "cohorts_basis", "signup"),
        ("selectbox", "cohorts_mode", "revenue"), ("radio", "cohorts_show", "revenue"),
        ("radio", "cohorts_show", "count"), ("radio", "cohorts_average", "simple"),
        ("date_input", "cohorts_as_of", dt.date(2025, 6, 15)), ("slider", "cohorts_shown", 6),
        ("number_input", "cohorts_min", 500), ("tab", "cohorts_tab", "curve"),
        ("multiselect", "cohorts_picked", [dt.date(2024, 1, 1), dt.date(2024, 6, 1)]), ("tab", "cohorts_tab", "over_time"),
        ("number_input", "cohorts_k", 3), ("tab", "cohorts_tab", "segments"), ("selectbox", "cohorts_segment", "plan"),
        ("selectbox", "cohorts_filter_by", "channel"), ("multiselect", "cohorts_filter_values", ["Referral"]),
        ("date_input", "cohorts_span", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
        ("selectbox", "cohorts_mode", "classic"),
    ]
    for kind, key, value in changes:
        if kind == "tab":  # what picking a tab does in the browser: widgets.tabs' callback stores its code, and a rerun
            at.session_state[key] = value
            at.run()
        else:
            getattr(at, kind)(key=key).set_value(value).run()
        assert not at.exception, (key, value, at.exception)
        assert not at.error, (key, value)
    assert [c.key for c in at.get("plotly_chart")] == ["cohorts_segments"]
    assert "Referral" not in at.markdown[0].value and "signed up" in at.markdown[0].value
    # every change is in the URL, as codes (not labels); defaults are left out
    assert dict(at.query_params) == {
        "basis": "signup", "average": "simple", "as_of": "2025-06-15", "shown": "6", "min": "500",
        "cells": "count", "picked": ["2024-01-01", "2024-06-01"], "k": "3", "segment": "plan", "filter": "channel",
        "value": "Referral", "started": ["2024-01-01", "2024-12-31"], "tab": "segments"}
    at.session_state["cohorts_tab"] = "curve"  # a control of a tab not open kept its value
    assert list(at.run().multiselect(key="cohorts_picked").value) == [dt.date(2024, 1, 1), dt.date(2024, 6, 1)]


def test_cohorts_page_on_a_tenure_only_file(demo_env):
    dataset_id, _ = store.create_dataset(None, prepare(TENURE, "telco.csv", "customers", segments=["Contract"]),
                                         name="Telco-like")
    at = cohorts_page(dataset=dataset_id)
    assert any("Kaplan–Meier" in c.value for c in at.caption)
    at.selectbox(key="cohorts_tenure_segment").set_value("Contract").run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_cohorts_page_on_a_single_month(demo_env):
    purchases = b"customer,date,amount\na,2024-03-01,5\nb,2024-03-09,7\na,2024-03-20,-5\n"
    dataset_id, _ = store.create_dataset(prepare(purchases, "tiny.csv", "purchases"), None, name="Tiny")
    at = cohorts_page(dataset=dataset_id)
    assert "No cohort has completed" in at.markdown[0].value
    at.selectbox(key="cohorts_period").set_value("week").run()
    at.session_state["cohorts_tab"] = "over_time"
    at.run().number_input(key="cohorts_k").set_value(1).run()
    assert not at.exception


def test_a_link_sets_the_controls_and_odd_values_fall_back(demo_warm):
    at = cohorts_page(period="quarter", mode="rolling", as_of="2025-06-15", filter="channel", value="Referral",
                      segment="plan", min="50", tab="segments")
    assert (at.selectbox(key="cohorts_period").value, at.selectbox(key="cohorts_mode").value) == ("quarter", "rolling")
    assert at.date_input(key="cohorts_as_of").value == dt.date(2025, 6, 15)
    assert at.multiselect(key="cohorts_filter_values").value == ["Referral"]
    assert (at.selectbox(key="cohorts_segment").value, at.number_input(key="cohorts_min").value) == ("plan", 50)
    assert at.session_state["cohorts_tab_label"] == "Segments"  # the link opens the Segments tab
    odd = cohorts_page(period="fortnight", mode="revenue&x", as_of="2031-01-01", filter="channel", value="Zürich #1",
                       segment="gone", min="nan", shown="-4", picked="not a date")
    assert not odd.error
    assert odd.selectbox(key="cohorts_period").value == "month" and odd.selectbox(key="cohorts_mode").value == "classic"
    assert odd.date_input(key="cohorts_as_of").value == dt.date(2025, 12, 31)  # the last date in the data
    assert odd.multiselect(key="cohorts_filter_values").value == [] and odd.number_input(key="cohorts_min").value == 30
    assert dict(odd.query_params) == {"filter": "channel"}  # the URL now says what is shown


def test_heatmap_title_leaves_out_small_cohorts_as_the_lead_does(demo_env):
    """CDNOW: three big cohorts in 1997 Q1 and a few customers later; the heatmap's title read 'Month 1: from 0% to
    16%', the 0% from a cohort of two. Small cohorts are left out of the range while any cohort is large enough,
    and the title says so. By hand: January 10 of 40 came back in February (25%), February 20 of 40 in March (50%),
    April's 2 customers none in May."""
    import json

    rows = ["customer,date,amount"]
    for month, size, back in ((1, 40, 10), (2, 40, 20), (4, 2, 0)):
        for i in range(size):
            rows.append(f"m{month}c{i},2024-{month:02d}-05,10")
            if i < back:
                rows.append(f"m{month}c{i},2024-{month + 1:02d}-07,10")
    rows.append("late,2024-06-30,10")
    dataset_id, _ = store.create_dataset(prepare("\n".join(rows).encode(), "shop.csv", "purchases"), None,
                                         name="Shop")
    at = cohorts_page(dataset=dataset_id)
    title = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"].replace("<br>", " ")
    assert title == "Month 1: from 25% to 50% across complete cohorts of at least 30 customers", title
