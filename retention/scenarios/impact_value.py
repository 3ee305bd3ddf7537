"""What a measured programme effect is worth: the effect on month-k retention (retention.metrics.impact) turned
into the What-if model's scenario, with its 95% interval carried through.

The comparison side kept R % of its customers at month k, so it lost 100 − R; the programme kept Δ points more,
i.e. a share f = Δ / (100 − R) of those losses. The What-if model (monthly retention r) loses 1 − r^k of its
customers over k months; the scenario keeps the same share f of them: 1 − r'^k = (1 − f)(1 − r^k), which is the
What-if scenario 'churn_cut' with X = 100·(1 − (1 − r')/(1 − r)) (for k = 1, X = 100·f).
"""

from __future__ import annotations

import math

import pandas as pd

from retention.scenarios import clv
from retention.scenarios.scenario import Scenario, apply

X_BOUND = 100.0  # the What-if page's X box
HORIZON_MONTHS = 60  # the value is counted over 5 years


def churn_cut_x(baseline_pct: float, effect_pp: float, k: int, r: float) -> float:
    """X (% of monthly churn removed; negative: added) that keeps, of the model's losses over k months, the share
    of the comparison side's month-k losses the effect kept; NaN when it cannot be said (no loss to cut, missing
    numbers); within ±X_BOUND."""
    if not all(v == v for v in (baseline_pct, effect_pp, r)) or baseline_pct >= 100 or r >= 1:
        return math.nan
    kept = effect_pp / (100 - baseline_pct)
    lost = min(max((1 - kept) * (1 - r ** k), 0.0), 1.0)
    r_new = (1 - lost) ** (1 / k)
    return max(-X_BOUND, min(X_BOUND, 100 * (1 - (1 - r_new) / (1 - r))))


def worth(model: clv.Inputs, baseline_pct: float, k: int, effects: dict[str, float]) -> pd.DataFrame:
    """The model's outputs for each effect (estimate and interval ends), model.programme_cost charged per active
    customer per period in the scenario.

    In: effects {"effect": Δ, "low": …, "high": …} in points of month-k retention. Out: one row per effect:
    estimate, effect_pp, x_pct (the churn-cut scenario's X), retention (per period, after), profit_change (present
    value over the model's horizon, programme cost paid), break_even (programme cost per customer per period at
    which a customer's value is unchanged, as on the What-if page). Rows whose effect cannot be turned into a
    scenario have NaN outputs."""
    rows = []
    for name, effect in effects.items():
        x = churn_cut_x(baseline_pct, effect, k, model.retention)
        if x != x:
            rows.append({"estimate": name, "effect_pp": effect, "x_pct": x, "retention": math.nan,
                         "profit_change": math.nan, "break_even": math.nan})
            continue
        r = apply(model.retention, Scenario("churn_cut", x)).retention
        rows.append({"estimate": name, "effect_pp": effect, "x_pct": x, "retention": r,
                     "profit_change": clv.headline(model, r)["profit_change"],
                     "break_even": clv.break_even(model, r)})
    return pd.DataFrame(rows, columns=["estimate", "effect_pp", "x_pct", "retention", "profit_change", "break_even"])


def baseline_pct(result: dict) -> float:
    """The comparison side's month-k retention, % (an impact result: the treated side's minus the effect)."""
    return result["treated_pct"] - result["effect_pp"]


def can_value(measured: dict, result: dict) -> bool:
    """Whether the effect can be valued: monthly retention measured (measured: one row of scenarios.inputs.measure
    as a dict, {} when churn cannot be measured) and a comparison side to start from."""
    baseline = baseline_pct(result)
    return bool(measured) and measured.get("retention") == measured.get("retention") and baseline == baseline


def result_worth(result: dict, measured: dict, k: int, margin_pct: float, programme_cost: float) -> pd.DataFrame:
    """worth() of an impact result (effect_pp, ci_low_pp, ci_high_pp, treated_pct) on the What-if model of the
    dataset's measured monthly inputs (measured: as in can_value; no amounts: no revenue) over HORIZON_MONTHS,
    with the person's gross margin (%) and programme cost per member per month."""
    arpu = measured.get("arpu")
    model = clv.Inputs(float(measured["active_customers"]), float(measured["retention"]),
                       float(arpu) if arpu == arpu else 0.0, margin_pct, new_customers=float(measured["new_customers"]),
                       horizon=HORIZON_MONTHS, programme_cost=programme_cost)
    effects = {"effect": result["effect_pp"], "low": result["ci_low_pp"], "high": result["ci_high_pp"]}
    return worth(model, baseline_pct(result), k, effects)


def effect_x(worth_table: pd.DataFrame) -> float:
    """The What-if scenario's X of the measured effect (worth's 'effect' row; NaN when it has none)."""
    return worth_table.loc[worth_table["estimate"] == "effect", "x_pct"].iloc[0]


def whatif_scenario(x_pct: float, programme_cost: float, margin_pct: float) -> dict:
    """The What-if view that values this result: the fields of retention.state.WhatIf to set in its link (month
    model, the 'churn_cut' scenario of x_pct % less churn, the programme's cost and the margin)."""
    return {"period": "month", "kind": "churn_cut", "x": round(x_pct, 2), "programme": programme_cost,
            "margin": margin_pct}
