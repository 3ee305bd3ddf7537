"""The Drivers view of the Churn page (AppTest): the Telco contract figures on a file without dates (shown under
the reasons), the Drivers tab on the demo, and the Overview card falling back on drivers without reasons."""

from __future__ import annotations

from urllib.parse import parse_qs

from retention import state, store
from retention.ingest.canonical import prepare
from tests.conftest import open_page
from tests.metrics.test_drivers import telco_rows


def table(at, column: str):
    """The shown table with this column (st.dataframe keys do not reach AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(at) -> str:
    return "\n".join(e.value for e in list(at.markdown) + list(at.caption))


def telco_dataset() -> str:
    dataset_id, _ = store.create_dataset(None, prepare(telco_rows().to_csv(index=False).encode(), "telco.csv",
                                                       "customers"), name="Telco")
    return dataset_id


def test_drivers_on_telco_without_dates(data_dir):
    dataset_id = telco_dataset()
    at = open_page("pages/churn.py", dataset=dataset_id)
    shown = texts(at)
    assert "**Contract**: customers with “Month-to-month” churn at **42.7%** (3,875 customers)" in shown
    assert "1,869 of 7,043 customers churned (26.5%)" in shown
    ranking = table(at, "cramers_v")
    assert ranking["attribute"].tolist()[0] == "Contract"
    values = table(at, "excess_churned").set_index("value")
    assert values.loc["Month-to-month", "customers"] == 3875 and values.loc["One year", "churned"] == 166
    assert values.loc["Two year", "churn_pct"] == "2.8"
    keys = [c.key for c in at.get("plotly_chart")]
    assert "churn_driver_chart" in keys and "churn_driver_odds" in keys
    assert any("AUC" in c.value for c in at.caption)
    assert any("Month-to-month" in m.value and "Fiber optic" in m.value and "54.6%" in m.value for m in at.markdown)
    at.selectbox(key="churn_driver_attribute").set_value("Payment Method").run()
    assert not at.exception
    values = table(at, "excess_churned").set_index("value")
    assert values.loc["Electronic check", "churn_pct"] == "45.3"


def test_a_value_links_to_cohorts_and_the_win_back_list_filtered(data_dir):
    dataset_id = telco_dataset()
    at = open_page("pages/churn.py", dataset=dataset_id)
    links = {e.proto.page: e.proto.query_string for e in at.get("page_link")}
    assert links["cohorts"] == f"dataset={dataset_id}&filter=Contract&value=Month-to-month"
    assert links["churn"] == (f"dataset={dataset_id}&tab=winback&list_segment=Contract&list_value=Month-to-month")
    # built from the state dataclasses (state.link): read back, each names the view it means, the rest at defaults
    assert state.from_query(state.Cohorts, parse_qs(links["cohorts"])) == state.Cohorts(
        filter_by="Contract", filter_values=("Month-to-month",))
    assert state.from_query(state.Churn, parse_qs(links["churn"])) == state.Churn(
        tab="winback", list_segment="Contract", list_values=("Month-to-month",))
    filtered = open_page("pages/churn.py", dataset=dataset_id, tab="winback", list_segment="Contract",
                         list_value="Month-to-month")
    listed = table(filtered, "customer_id")
    assert len(listed) and set(listed["Contract"]) == {"Month-to-month"}


def test_overview_card_uses_drivers_without_reasons(data_dir):
    at = open_page("pages/overview.py", dataset=telco_dataset())
    assert any("Month-to-month" in m.value and "42.7%" in m.value for m in at.markdown), texts(at)


def test_drivers_tab_on_the_demo(demo_env):
    at = open_page("pages/churn.py")
    at.session_state["churn_tab"] = "drivers"
    at.run()
    assert not at.exception
    assert "churn_driver_chart" in [c.key for c in at.get("plotly_chart")]
    assert "**Churned** =" in texts(at)


def test_the_overview_links_open_the_tabs_they_name(data_dir):
    """The Overview's links are built from the pages' state (links.to_view): the drivers and reasons links open
    those Churn tabs, the others the page's default view of the same dataset."""
    dataset_id = telco_dataset()  # no reasons given: the card names the drivers and links to them
    found = {e.proto.label: parse_qs(e.proto.query_string)
             for e in open_page("pages/overview.py", dataset=dataset_id).get("page_link")}
    assert state.from_query(state.Churn, found["Churn drivers"]) == state.Churn(tab="drivers")
    assert state.from_query(state.Cohorts, found["Cohort details"]) == state.Cohorts()
    assert all(query["dataset"] == [dataset_id] for query in found.values())
    demo = {e.proto.label: parse_qs(e.proto.query_string) for e in open_page("pages/overview.py").get("page_link")}
    assert state.from_query(state.Churn, demo["All reasons"]) == state.Churn(tab="reasons")
