"""Frames and figures behind the what-if charts: profit paths, sensitivity, tornado, sBG projections."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from retention.charts import whatif as charts
from retention.scenarios import analysis, clv, sbg
from retention.scenarios.scenario import Scenario

MONTHLY = clv.Inputs(active_customers=5000, retention=0.9, arpu=60, margin_pct=40, cac=80, new_customers=600,
                     discount_pct=10, period="month", horizon=36)


def test_profit_paths_add_up_to_the_present_values():
    paths = analysis.profit_paths(MONTHLY, 0.92, "constant_inflow")
    assert list(paths["period"]) == list(range(1, 37))
    t = clv.compare(MONTHLY, 0.92).set_index("output").loc["profit_constant_inflow"]
    assert paths["base_cumulative"].iloc[-1] == pytest.approx(t["base"])
    assert paths["scenario_cumulative"].iloc[-1] == pytest.approx(t["scenario"])
    # first period by hand: N_1 = 0.9·5000 + 600 = 5100 customers, profit 5100·24 − 600·80
    assert paths["base"].iloc[0] == pytest.approx(5100 * 24 - 600 * 80)
    assert len(analysis.profit_paths(MONTHLY.with_(horizon=math.inf), 0.92, "constant_base")) == 120


def test_sensitivity_starts_at_zero_and_rises():
    frame = analysis.sensitivity(MONTHLY)
    assert frame["uplift_pp"].iloc[0] == 0 and frame["profit_change_pct"].iloc[0] == pytest.approx(0)
    assert frame["uplift_pp"].iloc[-1] == 10
    ok = frame[~frame["capped"]]
    assert ok["profit_change"].is_monotonic_increasing
    assert frame["capped"].iloc[-1]  # 90 % + 10 points reaches the cap
    assert frame.loc[frame["uplift_pp"] == 2, "profit_change_pct"].iloc[0] == pytest.approx(
        clv.headline(MONTHLY, 0.92)["profit_change_pct"])


def test_tornado_moves_one_input_at_a_time():
    frame = analysis.tornado(MONTHLY, Scenario("pp", 2))
    base = clv.headline(MONTHLY, 0.92)["profit_change"]
    assert (frame["base_gain"] == base).all()
    assert frame["spread"].is_monotonic_decreasing
    assert "margin_growth_pct" not in set(frame["input"])  # 0: nothing to move
    arpu = frame.set_index("input").loc["arpu"]
    assert arpu["low_value"] == pytest.approx(48) and arpu["high_value"] == pytest.approx(72)
    assert arpu["high_gain"] == pytest.approx(clv.headline(MONTHLY.with_(arpu=72), 0.92)["profit_change"])
    retention = frame.set_index("input").loc["retention"]  # churn 10 % ± 20 % → 88 % and 92 % before the uplift
    assert (retention["low_value"], retention["high_value"]) == pytest.approx((0.88, 0.92))
    assert retention["low_gain"] == pytest.approx(clv.headline(MONTHLY.with_(retention=0.88), 0.90)["profit_change"])


def test_cohort_projection_continues_each_cohort_from_its_last_point():
    fit = sbg.Fit(1.0, 4.0, 0.0, 0.1, 0.1, 300, 3, 4, True)
    cells = pd.DataFrame({"cohort": pd.to_datetime(["2024-01-01"] * 5 + ["2024-02-01"] * 3 + ["2024-03-01"]),
                          "t": [0, 1, 2, 3, 4, 0, 1, 2, 0], "survivors": [100, 80, 70, 64, 60, 50, 41, 35, 20]})
    frame = analysis.cohort_projections(cells, fit, periods=6, cohorts=6)
    assert set(frame["cohort"]) == {pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")}  # March: one point
    feb = frame[(frame["cohort"] == pd.Timestamp("2024-02-01")) & (frame["kind"] == "projected")]
    assert list(feb["t"]) == [2, 3, 4, 5, 6]
    ratio = sbg.survival(1.0, 4.0, 6) / sbg.survival(1.0, 4.0, 2)
    assert feb["survival"].iloc[0] == pytest.approx(0.70) and feb["survival"].iloc[-1] == pytest.approx(0.70 * ratio)
    pooled = analysis.pooled_survival(cells)
    assert pooled["survival"].iloc[1] == pytest.approx((80 + 41) / (100 + 50))


def test_figures_build():
    paths = analysis.profit_paths(MONTHLY, 0.92, "constant_base")
    assert len(charts.profit(paths, "t", "x", "y", ("a", "b")).data) == 2
    sens = charts.sensitivity(analysis.sensitivity(MONTHLY), 2, 10, "t", "x", "y", "you")
    assert sens.data[-1].name == "you" and list(sens.data[-1].x) == [2]
    spread = analysis.tornado(MONTHLY, Scenario("pp", 2))
    assert len(charts.tornado(spread, {}, "t", "x", ("low", "high")).data) == 2


def test_value_axes_start_at_zero():
    """#15.9: the profit axis started at 200k, which made the gap between base and scenario look huge."""
    paths = analysis.profit_paths(MONTHLY, 0.92, "constant_inflow")
    assert paths[["base", "scenario"]].min().min() > 0  # the case in the issue: all profits well above zero
    assert charts.profit(paths, "t", "x", "y", ("a", "b")).layout.yaxis.rangemode == "tozero"
    assert charts.sensitivity(analysis.sensitivity(MONTHLY), 2, 10, "t", "x", "y", "you").layout.yaxis.rangemode \
        == "tozero"
    spread = analysis.tornado(MONTHLY, Scenario("annual_pp", 5, periods_per_year=12))
    assert charts.tornado(spread, {}, "t", "x", ("low", "high")).layout.xaxis.rangemode == "tozero"
    assert "uplift" in set(spread["input"])  # the uplift's swing keeps the scenario's period (dataclasses.replace)
