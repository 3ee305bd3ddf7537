"""User-facing words of the what-if page and the `whatif` command (kept in one place for translation):
output labels, the formula behind every number, scenario labels and the comparison with the published
"+5 % retention → +25–95 % profit"."""

from __future__ import annotations

import math

ADJECTIVE = {"week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "annual"}

KIND_LABELS = {
    "annual_pp": "+X points a year",
    "pp": "+X points per period",
    "relative": "+X % relative retention",
    "churn_cut": "−X % churn",
    "reason": "Remove X % of one churn reason",
}

OUTPUT_LABELS = {
    "retention": "Retention per {period}",
    "annual_retention": "Retention per year",
    "margin_per_period": "Margin per customer per {period}",
    "clv_end": "Customer lifetime value, margins at period ends (horizon)",
    "clv_end_infinite": "Customer lifetime value, margins at period ends (no horizon)",
    "clv_start": "Customer lifetime value, margins at period starts (horizon)",
    "clv_start_infinite": "Customer lifetime value, margins at period starts (no horizon)",
    "value_of_base": "Value of today's customers (margins at period ends)",
    "value_of_base_start": "Value of today's customers (margins at period starts)",
    "new_customer_value": "Value of a new customer net of acquisition cost (period ends)",
    "new_customer_value_start": "Value of a new customer net of acquisition cost (period starts)",
    "expected_lifetime_periods": "Expected lifetime ({period}s)",
    "expected_lifetime_years": "Expected lifetime (years)",
    "profit_constant_base": "Profit over the horizon, constant base (present value)",
    "profit_constant_inflow": "Profit over the horizon, constant inflow (present value)",
    "profit_constant_base_undiscounted": "Profit over the horizon, constant base (not discounted)",
    "profit_constant_inflow_undiscounted": "Profit over the horizon, constant inflow (not discounted)",
    "steady_profit_constant_base": "Profit per {period} once settled, constant base",
    "steady_profit_constant_inflow": "Profit per {period} once settled, constant inflow",
}

INPUT_LABELS = {
    "retention": "Retention", "arpu": "Revenue per customer", "margin_pct": "Gross margin",
    "cac": "Acquisition cost", "new_customers": "New customers", "active_customers": "Active customers",
    "discount_pct": "Discount rate", "margin_growth_pct": "Margin growth", "programme_cost": "Programme cost",
    "horizon": "Horizon", "uplift": "Size of the uplift (X)",
}

SYMBOLS = ("m = ARPU × gross margin % (margin per active customer per period); r = retention per period "
           "(r′ in the scenario); d = (1 + annual discount rate)^(1/periods per year) − 1; q = r/(1+d); "
           "T = horizon in periods; g = margin growth per period of tenure (the annual figure converted like d); "
           "N = active customers now; A = new customers per period; CAC = acquisition cost per new customer; "
           "k = programme cost per active customer per period (scenario only).")

FORMULAS = {
    "retention": "r as measured (or typed); the scenario's r′ by the scenario's formula, capped at 99.9 %.",
    "annual_retention": "r^(periods per year): the share of customers still there after a year.",
    "margin_per_period": "m = ARPU × gross margin %; in the scenario m − k.",
    "clv_end": "Σ_{t=1..T} m(1+g)^(t−1) · r^t / (1+d)^t; with g = 0: m · q(1 − q^T)/(1 − q). "
               "The first margin comes at the end of this period, only if the customer stays.",
    "clv_end_infinite": "m · r / (1 + d − r(1+g)) (Gupta & Lehmann 2003).",
    "clv_start": "Σ_{t=0..T−1} m(1+g)^t · r^t / (1+d)^t; with g = 0: m(1 − q^T)/(1 − q). "
                 "The first margin is collected now.",
    "clv_start_infinite": "m(1+d) / (1 + d − r(1+g)); with g = 0 it equals m + CLV at period ends.",
    "value_of_base": "N × CLV at period ends (acquisition costs of today's customers are already spent).",
    "value_of_base_start": "N × CLV at period starts.",
    "new_customer_value": "CLV at period ends − CAC.",
    "new_customer_value_start": "CLV at period starts − CAC.",
    "expected_lifetime_periods": "1 / (1 − r) periods, the current one included (a constant chance to leave).",
    "expected_lifetime_years": "1 / (1 − r) ÷ periods per year.",
    "profit_constant_base": "Every leaver is replaced: Σ_{t=1..T} [N(m − k) − N(1 − r)·CAC] / (1+d)^t.",
    "profit_constant_inflow": "A new customers every period: N_t = r·N_(t−1) + A, N_0 = N; "
                              "Σ_{t=1..T} [N_t(m − k) − A·CAC] / (1+d)^t.",
    "profit_constant_base_undiscounted": "Σ_{t=1..T} [N(m − k) − N(1 − r)·CAC].",
    "profit_constant_inflow_undiscounted": "Σ_{t=1..T} [N_t(m − k) − A·CAC].",
    "steady_profit_constant_base": "N·m − N(1 − r)·CAC per period.",
    "steady_profit_constant_inflow": "N*·m − A·CAC per period with N* = A / (1 − r) customers.",
}
PROFIT_NOTE = "Profits of the whole base use the margin m throughout: margin growth with tenure applies to CLV only."

BREAK_EVEN_FORMULA = ("(CLV_start(r′) − CLV_start(r)) ÷ Σ_{t=0..T−1} (r′/(1+d))^t: the programme is paid "
                      "every period a customer stays, the current one included.")
PROFIT_CHANGE_FORMULA = "(scenario − base) ÷ base × 100, for the profit over the horizon (present value)."

SBG_NOTE = ("Shifted-beta-geometric model (Fader & Hardie 2007): each customer has their own chance θ to leave "
            "per period, θ ~ Beta(α, β) across customers, so the likeliest leavers go first and retention "
            "rises with tenure. Survival S(t) = B(α, β+t)/B(α, β); fitted by maximum likelihood to every "
            "cohort's complete periods.")


def label(key: str, period: str) -> str:
    return OUTPUT_LABELS[key].format(period=period)


def scenario_label(kind: str, x: float, period: str, reason: str | None = None) -> str:
    """'+5 percentage points of monthly retention', '−10 % monthly churn', …"""
    adjective = ADJECTIVE[period]
    if kind == "annual_pp":
        return f"{x:+g} percentage points of annual retention"
    if kind == "pp":
        return f"{x:+g} percentage points of {adjective} retention"
    if kind == "relative":
        return f"{x:+g} % {adjective} retention (relative)"
    if kind == "churn_cut":
        return f"−{x:g} % {adjective} churn"
    return f"remove {x:g} % of the {adjective} churn attributed to “{reason}”"


def published_explanation(facts: dict) -> str:
    """One line: why the user's figure differs from the published 25–95 % (facts: clv.published_comparison)."""
    pct = facts["bain_comparable_pct"]
    if not math.isfinite(pct):
        return ("The published 25–95 % is the change in a new customer's value net of acquisition cost; "
                "yours cannot be computed because that value is zero or not finite.")
    reasons = []
    if abs(facts["annual_pp"] - 5) > 1:
        reasons.append(f"your scenario moves annual retention by {facts['annual_pp']:.1f} points, not 5")
    if facts["annual_base"] < 0.8:
        reasons.append(f"you keep {facts['annual_base']:.0%} of customers a year, and at lower retention "
                       "each extra point adds less lifetime")
    elif facts["annual_base"] > 0.93:
        reasons.append(f"you keep {facts['annual_base']:.0%} of customers a year, and near 100 % each extra "
                       "point adds a lot of lifetime")
    if math.isfinite(facts["cac_share"]) and facts["cac_share"] < 0.25 and pct < 25:
        reasons.append("your acquisition cost is small next to a customer's value, so there is little "
                       "up-front cost for longer lives to pay back")
    elif math.isfinite(facts["cac_share"]) and facts["cac_share"] > 0.6 and pct > 95:
        reasons.append("your acquisition cost eats most of a customer's value, so each extra period of "
                       "margin counts many times over")
    if facts["growth_pct"] == 0 and pct < 25:
        reasons.append("margins here do not grow with tenure")
    start = (f"Your comparable figure is {pct:+.0f} % (a new customer's lifetime value net of acquisition cost), "
             "against the published 25–95 % from industries keeping about 90 % of customers a year, with high "
             "acquisition costs and margins that grow with tenure")
    if facts["within"] and not reasons:
        return start + "; yours falls within that range."
    return start + ("; yours differs because " + "; ".join(reasons[:2]) + "." if reasons else ".")


def scenario_summary(kind: str, x: float, period: str, reason: str | None, r: float, r_new: float,
                     same: dict, per_year: tuple[float, float]) -> str:
    """The line under the scenario picker: the move in every unit, per period and per year (markdown).
    same: scenario.equivalents (annual_pp, pp, relative_pct, churn_cut_pct)."""
    if kind == "annual_pp" and period != "year":
        return (f"**{scenario_label(kind, x, period, reason)}**: retention per year {per_year[0]:.1%} → "
                f"{per_year[1]:.1%}; the model works per {period}: {r:.2%} → {r_new:.2%} per {period} "
                f"({same['pp']:+.2f} points a {period}, {same['churn_cut_pct']:+.1f} % churn cut).")
    return (f"**{scenario_label(kind, x, period, reason)}**: retention {r:.1%} → {r_new:.1%} per {period} "
            f"({same['pp']:+.2f} points, {same['relative_pct']:+.1f} % relative, {same['churn_cut_pct']:+.1f} % "
            f"churn cut); per year {per_year[0]:.1%} → {per_year[1]:.1%}.")


ASSUMED = {"whatif_margin": "gross margin {value:g} %", "whatif_cac": "acquisition cost {value:,.0f}"}
ASSUMED_TAG = "assumed — enter yours"


def assumed_note(values: dict[str, float]) -> str:
    """The inputs still at an assumed value (not from the data, not typed), named with their values;
    '' when there are none. values: widget key → value, for the keys of ASSUMED still at their default."""
    named = [ASSUMED[key].format(value=value) for key, value in values.items()]
    if not named:
        return ""
    return (f"**Assumed, not from your data:** {', '.join(named)}. Enter yours under *Inputs*: the results "
            "depend on them.")


def formulas_markdown(period: str) -> str:
    """Every output's formula, as a markdown list (the page's 'How every number is computed')."""
    lines = [f"- **{label(k, period)}**: {f}" for k, f in FORMULAS.items()]
    return "\n".join([SYMBOLS, "", *lines, f"- **Break-even programme cost**: {BREAK_EVEN_FORMULA}", "",
                      PROFIT_NOTE])


NOT_MONEY = {"retention", "annual_retention", "expected_lifetime_periods", "expected_lifetime_years"}


def output_table(frame, period: str, currency: str | None = None):
    """clv.compare output → the table shown and downloaded: measure (label; money ones name `currency`,
    fmt.money_label), base, scenario, change, change_pct, formula."""
    from retention.fmt import money_label

    out = frame.copy()
    out.insert(0, "measure", [label(k, period) if k in NOT_MONEY else money_label(label(k, period), currency)
                              for k in out["output"]])
    out["formula"] = out["output"].map(FORMULAS)
    return out.drop(columns="output")
