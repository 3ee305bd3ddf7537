"""What a measured programme effect is worth (retention.scenarios.impact_value), by hand."""

from __future__ import annotations

import math

import pytest

from retention import state
from retention.scenarios import clv, impact_value


def test_relative_x_keeps_month_k_retention_moved_by_the_effect():
    x = impact_value.relative_x(30.0, 8.0, 3)
    assert x == pytest.approx(100 * ((38 / 30) ** (1 / 3) - 1))
    r = 0.9
    assert (r * (1 + x / 100)) ** 3 / r ** 3 == pytest.approx(38 / 30)
    assert impact_value.relative_x(30.0, -8.0, 1) == pytest.approx(-100 * 8 / 30)
    assert math.isnan(impact_value.relative_x(0.0, 5.0, 3)) and math.isnan(impact_value.relative_x(30.0, math.nan, 3))


def test_worth_carries_the_interval_through():
    model = clv.Inputs(1000, 0.9, 50.0, 30.0, new_customers=100, horizon=60, programme_cost=0.0)
    table = impact_value.worth(model, 30.0, 3, {"effect": 6.0, "low": -1.0, "high": 12.0}).set_index("estimate")
    assert table.loc["low", "profit_change"] < 0 < table.loc["effect", "profit_change"] < table.loc["high",
                                                                                                  "profit_change"]
    assert table.loc["effect", "retention"] == pytest.approx(0.9 * (36 / 30) ** (1 / 3))
    # at the break-even cost a customer's value (CLV at the start, over the horizon) is unchanged, as on What if
    paid = model.with_(programme_cost=table.loc["effect", "break_even"])
    clv_start = clv.compare(paid, table.loc["effect", "retention"]).set_index("output").loc["clv_start"]
    assert clv_start["change"] == pytest.approx(0.0, abs=1e-6 * clv_start["base"])


def test_whatif_link_is_a_valid_whatif_state():
    query = impact_value.whatif_query(2.345, 1.5, 40.0)
    view = state.from_query(state.WhatIf, {k: [v] for k, v in query.items()})
    assert (view.kind, view.x, view.programme, view.margin, view.period) == ("relative", 2.35, 1.5, 40.0, "month")
