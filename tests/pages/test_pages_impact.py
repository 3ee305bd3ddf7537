"""The "Did it work?" page (issue 22) on the demo, through app.py (AppTest): the effect shown is the metric's
(computed here independently of the page's cache), the warnings and the link to What if."""

from __future__ import annotations

import pytest

from retention import store
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
    assert effect.value == f"{want['effect_pp']:+.1f} points"
    assert effect.delta == f"95%: {want['ci_low_pp']:+.1f} to {want['ci_high_pp']:+.1f}"
    assert _metric(at, "Customers after the launch").value == f"{want['treated_customers']:,}"
    sentence = at.markdown[0].value
    assert ("No clear effect" in sentence) == (not want["clear"])
    assert any(w.value.startswith("Nobody was assigned at random") for w in at.warning)
    assert [c.key for c in at.get("plotly_chart")] == ["impact_trend_chart"]


def test_members_design_and_link_to_whatif(demo_con):
    want = impact.member_effect(demo_con, k=1, member_column="plan", member_values=["Pro"])["result"]
    at = open_page("pages/impact.py", design="members", member_column="plan", member_value="Pro", k="1", cost="2")
    assert _metric(at, "Effect on month-1 retention").value == f"{want['effect_pp']:+.1f} points"
    balance = next(frame.value for frame in at.dataframe if "smd_matched" in frame.value.columns)
    assert balance["smd_matched"].iloc[0] == "0.00"  # the cohort is matched exactly
    assert all(abs(float(v)) < 0.2 for v in balance["smd_matched"])
    assert any(w.value.startswith("Members chose to join") for w in at.warning)
    link = next(e for e in at.get("page_link") if "What if" in e.proto.label)
    measured = inputs.measure(demo_con, period="month").iloc[0]
    x = impact_value.churn_cut_x(want["treated_pct"] - want["effect_pp"], want["effect_pp"], 1, measured["retention"])
    query = dict(part.split("=") for part in link.proto.query_string.split("&"))
    assert (query["scenario"], query["x"], query["programme"]) == ("churn_cut", f"{round(x, 2):g}", "2")
