"""What a measured programme effect is worth (retention.scenarios.impact_value), by hand."""

from __future__ import annotations

import math

import pytest

from retention import state
from retention.scenarios import clv, impact_value


def test_churn_cut_keeps_the_same_share_of_the_losses():
    # month 1: the comparison side kept 60 %, lost 40; +10 points kept a quarter of the losses
    assert impact_value.churn_cut_x(60.0, 10.0, 1, 0.9) == pytest.approx(25.0)
    # month 3 with r = 0.9: the model loses 1 − 0.729 over 3 months; the scenario a quarter less of that
    x = impact_value.churn_cut_x(60.0, 10.0, 3, 0.9)
    r_new = 1 - (1 - 0.9) * (1 - x / 100)
    assert 1 - r_new ** 3 == pytest.approx(0.75 * (1 - 0.9 ** 3))
    assert impact_value.churn_cut_x(60.0, -10.0, 1, 0.9) == pytest.approx(-25.0)
    assert math.isnan(impact_value.churn_cut_x(100.0, 5.0, 3, 0.9))
    assert math.isnan(impact_value.churn_cut_x(60.0, math.nan, 3, 0.9))


def test_worth_carries_the_interval_through():
    model = clv.Inputs(1000, 0.9, 50.0, 30.0, new_customers=100, horizon=60, programme_cost=0.0)
    table = impact_value.worth(model, 30.0, 3, {"effect": 6.0, "low": -1.0, "high": 12.0}).set_index("estimate")
    low, effect, high = table.loc[["low", "effect", "high"], "profit_change"]
    assert low < 0 < effect < high
    assert table.loc["effect", "retention"] == pytest.approx(1 - 0.1 * (1 - table.loc["effect", "x_pct"] / 100))
    # at the break-even cost a customer's value (CLV at the start, over the horizon) is unchanged, as on What if
    paid = model.with_(programme_cost=table.loc["effect", "break_even"])
    clv_start = clv.compare(paid, table.loc["effect", "retention"]).set_index("output").loc["clv_start"]
    assert clv_start["change"] == pytest.approx(0.0, abs=1e-6 * clv_start["base"])


def test_whatif_link_is_a_valid_whatif_state():
    query = state.link(state.WhatIf, **impact_value.whatif_scenario(2.345, 1.5, 40.0))
    assert query == {"period": ["month"], "scenario": ["churn_cut"], "x": ["2.35"], "programme": ["1.5"],
                     "margin": ["40"]}
    view = state.from_query(state.WhatIf, query)
    assert (view.kind, view.x, view.programme, view.margin, view.period) == ("churn_cut", 2.35, 1.5, 40.0, "month")


def test_result_worth_values_the_result_on_the_measured_model():
    result = {"treated_pct": 40.0, "effect_pp": 10.0, "ci_low_pp": 2.0, "ci_high_pp": 18.0}
    measured = {"active_customers": 1000, "retention": 0.9, "arpu": float("nan"), "new_customers": 100}
    assert impact_value.baseline_pct(result) == 30.0  # the comparison side: 40 − 10
    assert impact_value.can_value(measured, result)
    assert not impact_value.can_value({}, result)
    assert not impact_value.can_value(measured | {"retention": float("nan")}, result)
    assert not impact_value.can_value(measured, result | {"effect_pp": float("nan")})
    table = impact_value.result_worth(result, measured, 3, 30.0, 0.0)
    # month 3: the comparison side kept 30 % (lost 70), the effect kept 10/70 of those losses
    x = impact_value.churn_cut_x(30.0, 10.0, 3, 0.9)
    assert impact_value.effect_x(table) == pytest.approx(x)
    assert list(table["estimate"]) == ["effect", "low", "high"]
    assert list(table["effect_pp"]) == [10.0, 2.0, 18.0]
    assert (table["profit_change"] == 0).all()  # no amounts (ARPU NaN → 0): nothing to gain
