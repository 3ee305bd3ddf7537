"""The "Did it work?" page (issue 22) on the demo, through app.py (AppTest): the effect shown is the metric's
(computed here independently of the page's cache), the warnings and the link to What if."""

from __future__ import annotations

import pytest

from retention import fmt, store
from retention.metrics import impact
from retention.scenarios import impact_value, inputs
from tests.conftest import open_page


@pytest.fixture
def demo_con(demo_env):
    con = store.open_dataset(store.DEMO_ID)
    yield con
    con.close()


def _metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def test_launch_design_shows_the_effect(demo_con):
    want = impact.launch_effect(demo_con, launch="2024-07-01", k=3)["result"]
    at = open_page("pages/impact.py", launch="2024-07-01")
    effect = _metric(at, "Effect on month-3 retention")
    assert effect.value == f"{fmt.number(want['effect_pp'], 1, sign=True)} points"
    assert effect.delta == (f"95%: {fmt.number(want['ci_low_pp'], 1, sign=True)} to "
                            f"{fmt.number(want['ci_high_pp'], 1, sign=True)}")
    assert _metric(at, "Customers after the launch").value == f"{want['treated_customers']:,}"
    sentence = at.markdown[0].value
    assert ("No clear effect" in sentence) == (not want["clear"])
    assert any(w.value.startswith("Nobody was assigned at random") for w in at.warning)
    assert [c.key for c in at.get("plotly_chart")] == ["impact_trend_chart"]


def test_members_design_and_link_to_whatif(demo_con):
    want = impact.member_effect(demo_con, k=1, member_column="plan", member_values=["Pro"])["result"]
    at = open_page("pages/impact.py", design="members", member_column="plan", member_value="Pro", k="1", cost="2")
    assert _metric(at, "Effect on month-1 retention").value == f"{fmt.number(want['effect_pp'], 1, sign=True)} points"
    balance = next(frame.value for frame in at.dataframe if "smd_matched" in frame.value.columns)
    assert balance["smd_matched"].iloc[0] == "0.00"  # the cohort is matched exactly
    assert all(abs(float(v)) < 0.2 for v in balance["smd_matched"])
    assert any(w.value.startswith("Members chose to join") for w in at.warning)
    link = next(e for e in at.get("page_link") if "What if" in e.proto.label)
    measured = inputs.measure(demo_con, period="month").iloc[0]
    x = impact_value.churn_cut_x(want["treated_pct"] - want["effect_pp"], want["effect_pp"], 1, measured["retention"])
    query = dict(part.split("=") for part in link.proto.query_string.split("&"))
    assert (query["scenario"], query["x"], query["programme"]) == ("churn_cut", f"{round(x, 2):g}", "2")


def test_members_with_join_dates_from_a_column(demo_env):
    """An upload whose 'joined' column (mapped as a segment) holds members' join dates: the page measures from the
    join month (method cem_joined), shows the join-date balance rows, and the effect is the metric's."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from tests.helpers.impact_data import joined_shop
    from retention.ingest.canonical import prepare

    planted = joined_shop(seed=8, cohorts=6, size=150, months=8, member_effect=0.1)
    dates = planted.join_dates()
    purchases = planted.purchases()
    purchases["joined"] = purchases["customer_id"].map(dict(zip(dates["customer_id"], dates["join_date"].astype(str))))
    data = purchases.to_csv(index=False).encode()
    dataset_id, _ = store.create_dataset(prepare(data, "joined.csv", "purchases", segments=["joined"]), None,
                                         name="Loyalty")
    con = store.open_dataset(dataset_id)
    column = impact.join_dates_from_column(con, "joined")
    want = impact.joined_effect(con, k=3, member_ids=column["ids"], join_dates=column["dates"])["result"]
    con.close()
    at = open_page("pages/impact.py", dataset=dataset_id, design="members", join_column="joined", k="3")
    assert _metric(at, "Effect on month-3 retention").value == f"{fmt.number(want['effect_pp'], 1, sign=True)} points"
    assert want["method"] == "cem_joined"
    assert any(c.value.startswith("Method: retention after the join month") for c in at.caption)
    balance = next(frame.value for frame in at.dataframe if "smd_matched" in frame.value.columns)
    assert "Purchases before the join month" in balance["covariate"].tolist()
    assert not any(w.value.startswith("The data has no join dates") for w in at.warning)
    assert [c.key for c in at.get("plotly_chart")] == ["impact_curves_chart"]


def test_page_in_polish(demo_con):
    at = open_page("pages/impact.py", launch="2024-07-01", lang="pl")
    assert at.title[0].value != "Did it work?"
    assert not any(m.label.startswith("Effect on month") for m in at.metric)
