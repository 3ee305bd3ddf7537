"""Customer-lifetime-value and profit model behind the what-if page: pure functions of numbers.

Notation (per period of the model: week, month, quarter or year): m = margin per active customer per
period, r = retention per period, d = discount rate per period, g = margin growth per period of tenure,
T = horizon in periods (math.inf for none), N = active customers now, A = new customers per period,
AC = acquisition cost per new customer, k = cost of a retention programme per active customer per period.

Two timing conventions, both reported:
  end   — margins arrive at the END of each period; the first only if the customer renews
          (Gupta & Lehmann 2003): CLV_end = m·r/(1+d−r)
  start — margins arrive at the START of each period; the first one now: CLV_start = m(1+d)/(1+d−r) = m + CLV_end
With a horizon of T periods both cover T periods of time: end counts the margins at t = 1…T,
start those at t = 0…T−1, so CLV_start(T) = m + (1+g)·CLV_end(T−1).
Formulas and worked examples: ../shared/profit_model.md (Gupta & Lehmann 2003; Reichheld & Sasser 1990).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from retention.metrics.churn import PERIODS_PER_YEAR  # the Churn page's annualisation (a week is 365.25/7 days)

INF = math.inf


def per_period_rate(annual_pct: float, periods_per_year: float) -> float:
    """An annual rate in % (discount, growth) as a compound rate per period, as a fraction: (1+a)^(1/k) − 1."""
    if periods_per_year == 1:
        return annual_pct / 100
    return (1 + annual_pct / 100) ** (1 / periods_per_year) - 1


def annual_retention(r: float, periods_per_year: float) -> float:
    """Retention per period as the equivalent annual retention: r^k."""
    return r ** periods_per_year


def horizon_periods(years: float, period: str) -> float:
    """A horizon of `years` years in periods of the model, rounded; none (INF) for 0 years."""
    return round(years * PERIODS_PER_YEAR[period]) if years > 0 else INF


def _geometric(q: float, first: int, horizon: float) -> float:
    """Σ q^t for t = first … first + horizon − 1 (horizon terms; math.inf for an unbounded sum)."""
    if horizon <= 0:
        return 0.0
    if math.isinf(horizon):
        return q ** first / (1 - q) if q < 1 else INF
    if q == 1:
        return float(horizon)
    return q ** first * (1 - q ** horizon) / (1 - q)


def margin_multiple(r: float, d: float, g: float = 0.0) -> float:
    """r / (1 + d − r(1+g)): CLV_end per unit of margin, infinite horizon (math.inf when it diverges)."""
    denominator = 1 + d - r * (1 + g)
    return r / denominator if denominator > 0 else (0.0 if r == 0 else INF)


def clv_end(m: float, r: float, d: float, horizon: float = INF, g: float = 0.0) -> float:
    """Margins at the end of periods 1…T: Σ m(1+g)^(t−1) · r^t / (1+d)^t.

    Closed forms: T = ∞ → m·r/(1+d−r(1+g)); g = 0 → m·q(1−q^T)/(1−q) with q = r/(1+d).
    """
    if r == 0 or m == 0:
        return 0.0
    q = r * (1 + g) / (1 + d)
    return m * r / (1 + d) * _geometric(q, 0, horizon)


def clv_start(m: float, r: float, d: float, horizon: float = INF, g: float = 0.0) -> float:
    """Margins at the start of periods, t = 0…T−1, the first one now: Σ m(1+g)^t · r^t / (1+d)^t.

    Closed form for T = ∞: m(1+d)/(1+d−r(1+g)); with g = 0 it equals m + CLV_end.
    """
    if m == 0:
        return 0.0
    return m * _geometric(r * (1 + g) / (1 + d), 0, horizon)


def expected_lifetime(r: float) -> float:
    """Expected lifetime in periods, the current one included: 1/(1−r) (geometric lifetime)."""
    return 1 / (1 - r) if r < 1 else INF


def break_even_cost(clv_gain_start: float, r_new: float, d: float, horizon: float = INF) -> float:
    """Largest programme cost per active customer per period that pays for itself.

    The programme is paid at the start of every period the customer is active (the current one included), so
    its cost per customer is k · Σ_{t<T} (r'/(1+d))^t; break-even k = ΔCLV_start / that annuity.
    """
    annuity = clv_start(1.0, r_new, d, horizon)
    return clv_gain_start / annuity if annuity > 0 else 0.0


def profit_path(active: float, r: float, margin: float, cac: float, new_customers: float, d: float,
                periods: int, assumption: str, programme_cost: float = 0.0) -> pd.DataFrame:
    """Profit per period for the next `periods` periods.

    assumption 'constant_inflow': A new customers join every period, N_t = r·N_(t−1) + A, N_0 = N.
    assumption 'constant_base': every churner is replaced, N_t = N and N(1−r) new customers per period.
    Profit_t = N_t·(m − k) − new_t·AC, discounted to now as Profit_t / (1+d)^t (margins at period ends).
    Margin growth with tenure is not applied here: it would need every customer's tenure.
    Out: period (1…periods), active, new_customers, margin, acquisition, programme, profit, discounted.
    """
    t = np.arange(1, periods + 1, dtype=float)
    if assumption == "constant_inflow":
        steady = new_customers / (1 - r) if r < 1 else INF
        if r < 1:
            active_t = steady + (active - steady) * r ** t
        else:
            active_t = active + new_customers * t
        new_t = np.full_like(t, float(new_customers))
    elif assumption == "constant_base":
        active_t = np.full_like(t, float(active))
        new_t = np.full_like(t, active * (1 - r))
    else:
        raise ValueError(f"unknown assumption {assumption!r}")
    out = pd.DataFrame({"period": t.astype(int), "active": active_t, "new_customers": new_t})
    out["margin"] = out["active"] * margin
    out["acquisition"] = out["new_customers"] * cac
    out["programme"] = out["active"] * programme_cost
    out["profit"] = out["margin"] - out["acquisition"] - out["programme"]
    out["discounted"] = out["profit"] / (1 + d) ** t
    return out


def profit_value(active: float, r: float, margin: float, cac: float, new_customers: float, d: float,
                 horizon: float, assumption: str, programme_cost: float = 0.0) -> float:
    """Present value of profit_path over the horizon (closed form, so T = ∞ works when d > 0)."""
    net = margin - programme_cost
    if assumption == "constant_base":
        per_period = active * net - active * (1 - r) * cac
        return per_period * _geometric(1 / (1 + d), 1, horizon)
    if assumption != "constant_inflow":
        raise ValueError(f"unknown assumption {assumption!r}")
    if r >= 1:
        return float(profit_path(active, r, margin, cac, new_customers, d, int(horizon), assumption,
                                 programme_cost)["discounted"].sum()) if not math.isinf(horizon) else INF
    steady = new_customers / (1 - r)
    level = (steady * net - new_customers * cac) * _geometric(1 / (1 + d), 1, horizon)
    decay = (active - steady) * net * _geometric(r / (1 + d), 1, horizon)
    return level + decay


def steady_state_profit(active: float, r: float, margin: float, cac: float, new_customers: float,
                        assumption: str) -> float:
    """Profit per period once the base has settled: constant base N·m − N(1−r)·AC; constant inflow
    N*·m − A·AC with N* = A/(1−r)."""
    if assumption == "constant_base":
        return active * margin - active * (1 - r) * cac
    return new_customers / (1 - r) * margin - new_customers * cac if r < 1 else INF


@dataclass(frozen=True)
class Inputs:
    """Everything the model needs, per period of the model (`period`), money in the data's currency."""

    active_customers: float
    retention: float                 # r per period, a fraction
    arpu: float                      # revenue per active customer per period
    margin_pct: float                # gross margin, % of revenue
    cac: float = 0.0                 # acquisition cost per new customer
    new_customers: float = 0.0       # per period
    discount_pct: float = 10.0       # per YEAR
    period: str = "month"
    horizon: float = INF             # periods
    margin_growth_pct: float = 0.0   # per YEAR of tenure
    programme_cost: float = 0.0      # per active customer per period, paid in the scenario only

    @property
    def periods_per_year(self) -> float:
        return PERIODS_PER_YEAR[self.period]

    @property
    def margin(self) -> float:
        """m = ARPU × gross margin %."""
        return self.arpu * self.margin_pct / 100

    @property
    def discount(self) -> float:
        """d per period."""
        return per_period_rate(self.discount_pct, self.periods_per_year)

    @property
    def growth(self) -> float:
        """g per period."""
        return per_period_rate(self.margin_growth_pct, self.periods_per_year)

    def with_(self, **changes) -> "Inputs":
        return replace(self, **changes)


def headline_assumption(inputs: Inputs) -> str:
    """Which profit path the headline uses: constant inflow when new customers are known, else constant base."""
    return "constant_inflow" if inputs.new_customers > 0 else "constant_base"


def evaluate(inputs: Inputs, r: float, programme_cost: float = 0.0) -> dict[str, float]:
    """Every output of the model at retention r (per period); the programme cost k is charged per active
    customer-period at the same moments as the margins. Keys are listed in OUTPUTS."""
    m, d, g, T, k = inputs.margin, inputs.discount, inputs.growth, inputs.horizon, programme_cost
    end = clv_end(m, r, d, T, g) - clv_end(k, r, d, T)
    end_inf = clv_end(m, r, d, INF, g) - clv_end(k, r, d, INF)
    start = clv_start(m, r, d, T, g) - clv_start(k, r, d, T)
    start_inf = clv_start(m, r, d, INF, g) - clv_start(k, r, d, INF)
    N, A, ac = inputs.active_customers, inputs.new_customers, inputs.cac
    finite = not math.isinf(T)
    return {
        "retention": r,
        "annual_retention": annual_retention(r, inputs.periods_per_year),
        "margin_per_period": m - k,
        "clv_end": end,
        "clv_end_infinite": end_inf,
        "clv_start": start,
        "clv_start_infinite": start_inf,
        "value_of_base": N * end,
        "value_of_base_start": N * start,
        "new_customer_value": end - ac,
        "new_customer_value_start": start - ac,
        "expected_lifetime_periods": expected_lifetime(r),
        "expected_lifetime_years": expected_lifetime(r) / inputs.periods_per_year,
        "profit_constant_base": profit_value(N, r, m, ac, A, d, T, "constant_base", k),
        "profit_constant_inflow": profit_value(N, r, m, ac, A, d, T, "constant_inflow", k),
        "profit_constant_base_undiscounted":
            profit_value(N, r, m, ac, A, 0.0, T, "constant_base", k) if finite else INF,
        "profit_constant_inflow_undiscounted":
            profit_value(N, r, m, ac, A, 0.0, T, "constant_inflow", k) if finite else INF,
        "steady_profit_constant_base": steady_state_profit(N, r, m - k, ac, A, "constant_base"),
        "steady_profit_constant_inflow": steady_state_profit(N, r, m - k, ac, A, "constant_inflow"),
    }


OUTPUTS = tuple(evaluate(Inputs(1, 0.5, 1, 100, horizon=2), 0.5))


def pct_change(base: float, scenario: float) -> float:
    """(scenario − base) / |base| × 100; NaN when base is 0 or either is infinite."""
    if base == 0 or not (math.isfinite(base) and math.isfinite(scenario)):
        return math.nan
    return (scenario - base) / abs(base) * 100


def compare(inputs: Inputs, r_scenario: float) -> pd.DataFrame:
    """Base (inputs.retention) vs scenario (r_scenario, with the programme cost).

    Out: output (a key of OUTPUTS), base, scenario, change, change_pct — one row per output.
    """
    base = evaluate(inputs, inputs.retention)
    scen = evaluate(inputs, r_scenario, inputs.programme_cost)
    rows = []
    for key in OUTPUTS:
        b, s = base[key], scen[key]
        change = s - b if math.isfinite(b) and math.isfinite(s) else math.nan
        rows.append({"output": key, "base": b, "scenario": s, "change": change, "change_pct": pct_change(b, s)})
    return pd.DataFrame(rows)


def break_even(inputs: Inputs, r_scenario: float) -> float:
    """Break-even programme cost per active customer per period for moving from inputs.retention to r_scenario
    (ΔCLV_start over the horizon ÷ Σ_{t<T} (r'/(1+d))^t)."""
    m, d, g, T = inputs.margin, inputs.discount, inputs.growth, inputs.horizon
    gain = clv_start(m, r_scenario, d, T, g) - clv_start(m, inputs.retention, d, T, g)
    return break_even_cost(gain, r_scenario, d, T)


def headline(inputs: Inputs, r_scenario: float) -> dict[str, float]:
    """The two percentages the page leads with.

    profit_change_pct: change of the present value of profit over the horizon (headline_assumption);
    bain_comparable_pct: change of a new customer's value net of acquisition cost (CLV_end − AC), the
    quantity behind the published "+5 % retention → +25–95 % profit".
    """
    table = compare(inputs, r_scenario).set_index("output")
    key = "profit_" + headline_assumption(inputs)
    return {"assumption": headline_assumption(inputs),
            "profit_change": float(table.loc[key, "change"]),
            "profit_change_pct": float(table.loc[key, "change_pct"]),
            "bain_comparable_pct": float(table.loc["new_customer_value", "change_pct"])}


# Reichheld & Schefter, "E-Loyalty", HBR 2000 (recapping Reichheld & Sasser 1990 and The Loyalty Effect 1996):
# "increasing customer retention rates by 5 % increases profits by 25 % to 95 %" — per-customer NPV net of
# acquisition cost, for +5 percentage points of ANNUAL retention (see ../shared/profit_model.md §1).
PUBLISHED_RANGE_PCT = (25.0, 95.0)


def published_comparison(inputs: Inputs, r_scenario: float) -> dict[str, float]:
    """The facts that explain why the user's number differs from the published 25–95 %.

    Out: bain_comparable_pct (change of CLV_end − AC), annual_base, annual_scenario (retention per year),
    annual_pp (the scenario in points of annual retention), cac_share (AC ÷ base CLV_end; NaN when CLV is 0),
    growth_pct (margin growth per year), within (bool: bain_comparable_pct inside the range).
    """
    k = inputs.periods_per_year
    base = evaluate(inputs, inputs.retention)
    scen = evaluate(inputs, r_scenario, inputs.programme_cost)
    pct = pct_change(base["new_customer_value"], scen["new_customer_value"])
    low, high = PUBLISHED_RANGE_PCT
    return {
        "bain_comparable_pct": pct,
        "annual_base": annual_retention(inputs.retention, k),
        "annual_scenario": annual_retention(r_scenario, k),
        "annual_pp": (annual_retention(r_scenario, k) - annual_retention(inputs.retention, k)) * 100,
        "cac_share": inputs.cac / base["clv_end"] if base["clv_end"] > 0 else math.nan,
        "growth_pct": inputs.margin_growth_pct,
        "within": bool(low <= pct <= high) if math.isfinite(pct) else False,
    }
