"""The what-if page renders on the demo, answers scenario changes, and keeps measured defaults (AppTest).

The page is opened on its own (AppTest.from_file on pages/whatif.py) so the test does not depend on app.py's
navigation; RETENTION_DATA_DIR points at the demo data directory built once per run (conftest.demo_env).
"""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGE = str(ROOT / "pages" / "whatif.py")


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120)


def _metrics(at: AppTest) -> dict[str, object]:
    return {m.label: m for m in at.metric}


def test_renders_on_demo_with_measured_defaults(demo_warm):
    at = _page().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "What if customers stayed longer?"
    labels = [n.label for n in at.number_input]
    assert "Active customers (measured)" in labels
    assert "Retention per month, % (measured)" in labels
    assert at.number_input(key="whatif_active").value == 9179  # CE at 31 Dec 2025 (see test_whatif_inputs)
    metrics = _metrics(at)
    assert any(label.startswith("More profit over 5 years") for label in metrics)
    assert [c.key for c in at.get("plotly_chart")] == ["whatif_profit_chart"]  # only the open tab is computed
    assert any("Published" in i.value for i in at.info)
    for tab in ("sensitivity", "tornado", "sbg"):
        at.session_state["whatif_tab"] = tab  # what picking the tab does (widgets.tabs' callback), then the rerun
        assert [c.key for c in at.run().get("plotly_chart")] == [f"whatif_{tab}_chart"], tab


def test_edited_input_is_labelled_and_changes_the_result(demo_warm):
    at = _page().run()
    before = [m for m in at.metric if m.label.startswith("More profit")][0].value
    at.number_input(key="whatif_x").set_value(2.0).run()
    assert not at.exception, at.exception
    after = [m for m in at.metric if m.label.startswith("More profit")][0].value
    assert before != after
    at.number_input(key="whatif_arpu").set_value(10.0).run()
    assert "Revenue per customer per month (your value)" in [n.label for n in at.number_input]


def test_capped_scenario_warns(demo_warm):
    at = _page().run()
    at.segmented_control(key="whatif_kind").set_value("pp").run()
    at.number_input(key="whatif_x").set_value(20.0).run()
    assert not at.exception, at.exception
    assert any("capped" in w.value for w in at.warning)


def test_reason_scenario_and_quarter_period(demo_warm):
    at = _page().run()
    at.segmented_control(key="whatif_kind").set_value("reason").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="whatif_reason").value == "Too expensive"
    at.segmented_control(key="whatif_period").set_value("quarter").run()
    assert not at.exception, at.exception
    assert "Retention per quarter, % (measured)" in [n.label for n in at.number_input]


def test_year_period_has_no_sbg_but_renders(demo_warm):
    at = _page().run()
    at.session_state["whatif_tab"] = "sbg"
    at.run().segmented_control(key="whatif_period").set_value("year").run()
    assert not at.exception, at.exception
    assert any("Not enough cohort data" in i.value for i in at.info)


def _array(value) -> np.ndarray:
    """A plotly figure-JSON array: a list, or (plotly ≥ 6) {'dtype', 'bdata': base64}."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def test_profit_chart_draws_the_horizon(demo_warm):
    at = _page().run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    base, scenario = spec["data"][0], spec["data"][1]
    assert list(_array(base["x"])) == list(range(1, 61))  # 5 years of months
    assert _array(scenario["y"])[-1] > _array(base["y"])[-1]


def test_dataset_without_dates_asks_for_numbers(demo_env):
    from retention import store
    from retention.ingest.canonical import prepare

    # no dates and no tenure: nothing to estimate retention from (with tenure: tests/scenarios/test_whatif_tenure.py, where
    # this file with a tenure column 3, 10, 1 would give 2 churned ÷ 14 customer-months)
    csv = b"customerID,Churn\nc1,Yes\nc2,No\nc3,Yes\n"
    dataset_id, _ = store.create_dataset(None, prepare(csv, "crm.csv", "customers"), "crm")
    try:
        at = _page()
        at.query_params["dataset"] = dataset_id
        at.run()
        assert not at.exception, at.exception
        assert any("cannot be measured" in w.value for w in at.warning)
        assert "Active customers (your value)" in [n.label for n in at.number_input]
        assert at.number_input(key="whatif_retention").value == 80.0  # the stand-in until the user types theirs
    finally:
        store.delete_dataset(dataset_id)


def test_default_scenario_is_five_points_of_annual_retention(demo_warm):
    """#15.9: the default is the published "+5 % retention" in its own (annual) terms, shown per year and as the
    monthly equivalent the model uses; not +5 points a month (about +35 points a year)."""
    at = _page().run()
    assert at.segmented_control(key="whatif_kind").value == "annual_pp" and at.number_input(key="whatif_x").value == 5
    line = next(m.value for m in at.markdown if "percentage points of annual retention" in m.value)
    year = [float(v) for v in re.findall(r"retention per year ([\d.]+)% → ([\d.]+)%", line)[0]]
    assert year[1] - year[0] == pytest.approx(5.0, abs=0.11)  # rounded to 0.1 in the text
    month = [float(v) / 100 for v in re.findall(r"([\d.]+)% → ([\d.]+)% per month", line)[0]]
    assert month[0] ** 12 * 100 == pytest.approx(year[0], abs=0.1)
    assert month[1] ** 12 * 100 == pytest.approx(year[1], abs=0.1)


def test_assumed_inputs_are_named_until_the_viewer_enters_theirs(demo_warm):
    """#15.9: the margin and the acquisition cost are not in the data: their labels and a note say they are assumed."""
    at = _page().run()
    labels = [n.label for n in at.number_input]
    assert "Acquisition cost per new customer (assumed — enter yours)" in labels
    assert "Gross margin, % of revenue (assumed — enter yours)" in labels
    note = next(m.value for m in at.markdown if m.value.startswith("**Assumed"))
    assert "gross margin 30 %" in note and "acquisition cost 0" in note
    at.number_input(key="whatif_cac").set_value(40.0).run()
    assert "Acquisition cost per new customer" in [n.label for n in at.number_input]
    note = next(m.value for m in at.markdown if m.value.startswith("**Assumed"))
    assert "acquisition cost" not in note and "gross margin 30 %" in note
    at.number_input(key="whatif_margin").set_value(45.0).run()
    assert not any(m.value.startswith("**Assumed") for m in at.markdown)
