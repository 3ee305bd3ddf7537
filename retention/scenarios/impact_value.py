"""What a measured programme effect is worth: the effect on month-k retention (retention.metrics.impact) turned
into the What-if model's scenario, with its 95% interval carried through.

The effect moves month-k retention from R (the comparison side's) to R + Δ. With a constant monthly survival s,
month-k retention is proportional to s^k, so the same move is a relative change of monthly retention of
x = ((R + Δ)/R)^(1/k) − 1: the What-if scenario 'relative' with X = 100·x.
"""

from __future__ import annotations

import math

import pandas as pd

from retention.scenarios import clv
from retention.scenarios.scenario import Scenario, apply

X_BOUND = 100.0  # the What-if page's X box


def relative_x(baseline_pct: float, effect_pp: float, k: int) -> float:
    """X (% relative change of monthly retention) equivalent to moving month-k retention from baseline_pct by
    effect_pp points; NaN when either is missing or the baseline is not positive; within ±X_BOUND."""
    if not (baseline_pct == baseline_pct and effect_pp == effect_pp) or baseline_pct <= 0:
        return math.nan
    after = max(baseline_pct + effect_pp, 0.0)
    return max(-X_BOUND, min(X_BOUND, 100 * ((after / baseline_pct) ** (1 / k) - 1)))


def worth(model: clv.Inputs, baseline_pct: float, k: int, effects: dict[str, float]) -> pd.DataFrame:
    """The model's outputs for each effect (estimate and interval ends), model.programme_cost charged per active
    customer per period in the scenario.

    In: effects {"effect": Δ, "low": …, "high": …} in points of month-k retention. Out: one row per effect:
    estimate, effect_pp, x_pct (the relative scenario), retention (per period, after), profit_change (present
    value over the model's horizon, programme cost paid), break_even (programme cost per customer per period at
    which the gain is nil). Rows whose effect cannot be turned into a scenario have NaN outputs."""
    rows = []
    for name, effect in effects.items():
        x = relative_x(baseline_pct, effect, k)
        if x != x:
            rows.append({"estimate": name, "effect_pp": effect, "x_pct": x, "retention": math.nan,
                         "profit_change": math.nan, "break_even": math.nan})
            continue
        r = apply(model.retention, Scenario("relative", x)).retention
        rows.append({"estimate": name, "effect_pp": effect, "x_pct": x, "retention": r,
                     "profit_change": clv.headline(model, r)["profit_change"],
                     "break_even": clv.break_even(model, r)})
    return pd.DataFrame(rows, columns=["estimate", "effect_pp", "x_pct", "retention", "profit_change", "break_even"])


def whatif_query(x_pct: float, programme_cost: float, margin_pct: float) -> dict[str, str]:
    """The What-if page's link parameters for this scenario (retention.state.WhatIf: month model, 'relative')."""
    return {"period": "month", "scenario": "relative", "x": f"{round(x_pct, 2):g}",
            "programme": f"{programme_cost:g}", "margin": f"{margin_pct:g}"}
