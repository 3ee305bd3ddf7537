"""Frames behind the what-if charts: profit per period (base vs scenario), the sensitivity of the profit
gain to the uplift, the tornado of inputs, and sBG projections of young cohorts. Pure functions of numbers
and small frames."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from retention.scenarios import clv, sbg
from retention.scenarios.scenario import Scenario, apply

CHART_YEARS_WITHOUT_HORIZON = 10
TORNADO_SWING = 0.2  # each input moved ±20 % (retention: its churn ±20 %)


def chart_periods(inputs: clv.Inputs) -> int:
    """Periods to draw: the horizon, or CHART_YEARS_WITHOUT_HORIZON years when there is none."""
    if math.isinf(inputs.horizon):
        return int(round(CHART_YEARS_WITHOUT_HORIZON * inputs.periods_per_year))
    return int(inputs.horizon)


def profit_paths(inputs: clv.Inputs, r_scenario: float, assumption: str) -> pd.DataFrame:
    """Profit per period, base vs scenario (clv.profit_path). Out: period, base, scenario (profit per period),
    base_cumulative, scenario_cumulative (present value of the profit up to that period), base_active,
    scenario_active (customers)."""
    periods = chart_periods(inputs)
    args = dict(margin=inputs.margin, cac=inputs.cac, new_customers=inputs.new_customers, d=inputs.discount,
                periods=periods, assumption=assumption)
    base = clv.profit_path(inputs.active_customers, inputs.retention, **args)
    scen = clv.profit_path(inputs.active_customers, r_scenario, programme_cost=inputs.programme_cost, **args)
    return pd.DataFrame({
        "period": base["period"],
        "base": base["profit"],
        "scenario": scen["profit"],
        "base_cumulative": base["discounted"].cumsum(),
        "scenario_cumulative": scen["discounted"].cumsum(),
        "base_active": base["active"],
        "scenario_active": scen["active"],
    })


def sensitivity(inputs: clv.Inputs, uplifts_pp=None) -> pd.DataFrame:
    """The headline profit change for +0 … +10 percentage points of retention.

    Out: uplift_pp, retention (r′, capped), capped, profit_change (money), profit_change_pct.
    """
    uplifts = np.arange(0, 10.25, 0.25) if uplifts_pp is None else np.asarray(uplifts_pp, dtype=float)
    rows = []
    for x in uplifts:
        applied = apply(inputs.retention, Scenario("pp", float(x)))
        head = clv.headline(inputs, applied.retention)
        rows.append({"uplift_pp": float(x), "retention": applied.retention, "capped": applied.capped,
                     "profit_change": head["profit_change"], "profit_change_pct": head["profit_change_pct"]})
    return pd.DataFrame(rows)


def _gain(inputs: clv.Inputs, scenario: Scenario) -> float:
    return clv.headline(inputs, apply(inputs.retention, scenario).retention)["profit_change"]


def tornado(inputs: clv.Inputs, scenario: Scenario) -> pd.DataFrame:
    """How much the headline profit gain moves when one input moves by ±TORNADO_SWING, the others fixed.

    Out: input (field name of clv.Inputs, or 'uplift'), low_value, high_value (the input at −/+),
    low_gain, high_gain (profit gain there), base_gain, spread (|high − low|); widest first.
    Inputs that are 0 (and so cannot move by a share) are left out.
    """
    base_gain = _gain(inputs, scenario)
    churn = 1 - inputs.retention
    moves = {
        "retention": (1 - churn * (1 + TORNADO_SWING), 1 - churn * (1 - TORNADO_SWING)),
        "arpu": None, "margin_pct": None, "cac": None, "new_customers": None, "active_customers": None,
        "discount_pct": None, "margin_growth_pct": None, "programme_cost": None,
    }
    if not math.isinf(inputs.horizon):
        moves["horizon"] = (max(1.0, round(inputs.horizon * (1 - TORNADO_SWING))),
                            round(inputs.horizon * (1 + TORNADO_SWING)))
    rows = []
    for name, values in moves.items():
        current = getattr(inputs, name)
        if values is None:
            if current == 0:
                continue
            values = (current * (1 - TORNADO_SWING), current * (1 + TORNADO_SWING))
        if name == "margin_pct":
            values = (values[0], min(values[1], 100.0))
        low, high = (_gain(inputs.with_(**{name: v}), scenario) for v in values)
        rows.append({"input": name, "low_value": values[0], "high_value": values[1], "low_gain": low,
                     "high_gain": high})
    if scenario.x != 0:
        x_low, x_high = scenario.x * (1 - TORNADO_SWING), scenario.x * (1 + TORNADO_SWING)
        rows.append({"input": "uplift", "low_value": x_low, "high_value": x_high,
                     "low_gain": _gain(inputs, dataclasses.replace(scenario, x=x_low)),
                     "high_gain": _gain(inputs, dataclasses.replace(scenario, x=x_high))})
    out = pd.DataFrame(rows)
    out["base_gain"] = base_gain
    out["spread"] = (out["high_gain"] - out["low_gain"]).abs()
    return out.sort_values("spread", ascending=False, kind="stable").reset_index(drop=True)


def cohort_projections(cells: pd.DataFrame, fit: sbg.Fit, periods: int, cohorts: int = 6) -> pd.DataFrame:
    """Observed survival of the youngest cohorts with at least two observed points, and the sBG projection
    of each beyond its data: S_c(t) = S_c(k) · S(t)/S(k) for t > k, k = the cohort's last observed period.

    In: cells as inputs.survival_cells (cohort, t, survivors, cohort_size). Out: cohort, t, survival (share of
    the cohort), kind ('observed' | 'projected'; the projection starts at the last observed point).
    """
    rows = []
    counts = cells.sort_values(["cohort", "t"])
    young = [c for c, g in counts.groupby("cohort") if len(g) >= 2][-cohorts:]
    for cohort in young:
        g = counts[counts["cohort"] == cohort]
        size = float(g["survivors"].iloc[0])
        if size <= 0:
            continue
        share = g["survivors"].to_numpy(float) / size
        rows += [{"cohort": cohort, "t": int(t), "survival": s, "kind": "observed"} for t, s in zip(g["t"], share)]
        k = int(g["t"].iloc[-1])
        future = np.arange(k, max(periods, k) + 1)
        projected = share[-1] * sbg.survival(fit.alpha, fit.beta, future) / sbg.survival(fit.alpha, fit.beta, k)
        rows += [{"cohort": cohort, "t": int(t), "survival": s, "kind": "projected"}
                 for t, s in zip(future, projected)]
    return pd.DataFrame(rows, columns=["cohort", "t", "survival", "kind"])


def pooled_survival(cells: pd.DataFrame) -> pd.DataFrame:
    """All cohorts pooled: the share surviving each period among cohorts observed through it (product of the
    pooled period-on-period retention). In: inputs.survival_cells. Out: t, survival, customers (at risk)."""
    counts = cells.sort_values(["cohort", "t"]).copy()
    counts["before"] = counts.groupby("cohort")["survivors"].shift()
    steps = counts.dropna(subset=["before"]).groupby("t").agg(kept=("survivors", "sum"), at_risk=("before", "sum"))
    rate = (steps["kept"] / steps["at_risk"]).where(steps["at_risk"] > 0)
    out = pd.DataFrame({"t": [0, *steps.index.astype(int)],
                        "survival": [1.0, *rate.cumprod().to_numpy()],
                        "customers": [float(counts.loc[counts["t"] == 0, "survivors"].sum()),
                                      *steps["at_risk"].to_numpy()]})
    return out
