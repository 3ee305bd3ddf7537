"""User-facing words of the what-if page and the `whatif` command (kept in one place for translation):
output labels, the formula behind every number, scenario labels and the comparison with the published
"+5 % retention → +25–95 % profit"."""

from __future__ import annotations

import math

from retention import fmt
from retention.i18n import L, _, ngettext

ADJECTIVE = {"week": L("weekly"), "month": L("monthly"), "quarter": L("quarterly"), "year": L("annual")}
PER = {"week": L("per week"), "month": L("per month"), "quarter": L("per quarter"), "year": L("per year")}
UNITS = {"week": L("weeks"), "month": L("months"), "quarter": L("quarters"), "year": L("years")}
PERIOD_NAMES = {"week": L("Week"), "month": L("Month"), "quarter": L("Quarter"), "year": L("Year")}

KIND_LABELS = {
    "annual_pp": L("+X points a year"),
    "pp": L("+X points per period"),
    "relative": L("+X % relative retention"),
    "churn_cut": L("−X % churn"),
    "reason": L("Remove X % of one churn reason"),
}

OUTPUT_LABELS = {  # {per}: PER[period]; {unit}: UNITS[period]
    "retention": L("Retention {per}"),
    "annual_retention": L("Retention per year"),
    "margin_per_period": L("Margin per customer {per}"),
    "clv_end": L("Customer lifetime value, margins at period ends (horizon)"),
    "clv_end_infinite": L("Customer lifetime value, margins at period ends (no horizon)"),
    "clv_start": L("Customer lifetime value, margins at period starts (horizon)"),
    "clv_start_infinite": L("Customer lifetime value, margins at period starts (no horizon)"),
    "value_of_base": L("Value of today's customers (margins at period ends)"),
    "value_of_base_start": L("Value of today's customers (margins at period starts)"),
    "new_customer_value": L("Value of a new customer net of acquisition cost (period ends)"),
    "new_customer_value_start": L("Value of a new customer net of acquisition cost (period starts)"),
    "expected_lifetime_periods": L("Expected lifetime ({unit})"),
    "expected_lifetime_years": L("Expected lifetime (years)"),
    "profit_constant_base": L("Profit over the horizon, constant base (present value)"),
    "profit_constant_inflow": L("Profit over the horizon, constant inflow (present value)"),
    "profit_constant_base_undiscounted": L("Profit over the horizon, constant base (not discounted)"),
    "profit_constant_inflow_undiscounted": L("Profit over the horizon, constant inflow (not discounted)"),
    "steady_profit_constant_base": L("Profit {per} once settled, constant base"),
    "steady_profit_constant_inflow": L("Profit {per} once settled, constant inflow"),
}

INPUT_LABELS = {
    "retention": L("Retention"), "arpu": L("Revenue per customer"), "margin_pct": L("Gross margin"),
    "cac": L("Acquisition cost"), "new_customers": L("New customers"), "active_customers": L("Active customers"),
    "discount_pct": L("Discount rate"), "margin_growth_pct": L("Margin growth"), "programme_cost": L("Programme cost"),
    "horizon": L("Horizon"), "uplift": L("Size of the uplift (X)"),
}

SYMBOLS = L("m = ARPU × gross margin % (margin per active customer per period); r = retention per period "
           "(r′ in the scenario); d = (1 + annual discount rate)^(1/periods per year) − 1; q = r/(1+d); "
           "T = horizon in periods; g = margin growth per period of tenure (the annual figure converted like d); "
           "N = active customers now; A = new customers per period; CAC = acquisition cost per new customer; "
           "k = programme cost per active customer per period (scenario only).")

FORMULAS = {
    "retention": L("r as measured (or typed); the scenario's r′ by the scenario's formula, capped at 99.9 %."),
    "annual_retention": L("r^(periods per year): the share of customers still there after a year."),
    "margin_per_period": L("m = ARPU × gross margin %; in the scenario m − k."),
    "clv_end": L("Σ_{t=1..T} m(1+g)^(t−1) · r^t / (1+d)^t; with g = 0: m · q(1 − q^T)/(1 − q). "
               "The first margin comes at the end of this period, only if the customer stays."),
    "clv_end_infinite": L("m · r / (1 + d − r(1+g)) (Gupta & Lehmann 2003)."),
    "clv_start": L("Σ_{t=0..T−1} m(1+g)^t · r^t / (1+d)^t; with g = 0: m(1 − q^T)/(1 − q). "
                 "The first margin is collected now."),
    "clv_start_infinite": L("m(1+d) / (1 + d − r(1+g)); with g = 0 it equals m + CLV at period ends."),
    "value_of_base": L("N × CLV at period ends (acquisition costs of today's customers are already spent)."),
    "value_of_base_start": L("N × CLV at period starts."),
    "new_customer_value": L("CLV at period ends − CAC."),
    "new_customer_value_start": L("CLV at period starts − CAC."),
    "expected_lifetime_periods": L("1 / (1 − r) periods, the current one included (a constant chance to leave)."),
    "expected_lifetime_years": L("1 / (1 − r) ÷ periods per year."),
    "profit_constant_base": L("Every leaver is replaced: Σ_{t=1..T} [N(m − k) − N(1 − r)·CAC] / (1+d)^t."),
    "profit_constant_inflow": L("A new customers every period: N_t = r·N_(t−1) + A, N_0 = N; "
                              "Σ_{t=1..T} [N_t(m − k) − A·CAC] / (1+d)^t."),
    "profit_constant_base_undiscounted": L("Σ_{t=1..T} [N(m − k) − N(1 − r)·CAC]."),
    "profit_constant_inflow_undiscounted": L("Σ_{t=1..T} [N_t(m − k) − A·CAC]."),
    "steady_profit_constant_base": L("N·m − N(1 − r)·CAC per period."),
    "steady_profit_constant_inflow": L("N*·m − A·CAC per period with N* = A / (1 − r) customers."),
}
PROFIT_NOTE = L("Profits of the whole base use the margin m throughout: margin growth with tenure applies to CLV "
                 "only.")

BREAK_EVEN_FORMULA = L("(CLV_start(r′) − CLV_start(r)) ÷ Σ_{t=0..T−1} (r′/(1+d))^t: the programme is paid "
                      "every period a customer stays, the current one included.")
PROFIT_CHANGE_FORMULA = L("(scenario − base) ÷ base × 100, for the profit over the horizon (present value).")

SBG_NOTE = L("Shifted-beta-geometric model (Fader & Hardie 2007): each customer has their own chance θ to leave "
            "per period, θ ~ Beta(α, β) across customers, so the likeliest leavers go first and retention "
            "rises with tenure. Survival S(t) = B(α, β+t)/B(α, β); fitted by maximum likelihood to every "
            "cohort's complete periods.")


def label(key: str, period: str) -> str:
    return str(OUTPUT_LABELS[key]).format(per=PER[period], unit=UNITS[period])


def _x(x: float, sign: bool = True) -> str:
    """X as typed (5 → '+5', 2.5 → '+2.5'), in the current language's number format."""
    return fmt.number(x, len(f"{x:g}".partition(".")[2]), sign=sign)


def scenario_label(kind: str, x: float, period: str, reason: str | None = None) -> str:
    """'+5 percentage points of monthly retention', '−10 % monthly churn', …"""
    per = PER[period]
    if kind == "annual_pp":
        return _("{x} percentage points of annual retention").format(x=_x(x))
    if kind == "pp":
        return _("{x} percentage points of retention {per}").format(x=_x(x), per=per)
    if kind == "relative":
        return _("{x} % retention {per} (relative)").format(x=_x(x), per=per)
    if kind == "churn_cut":
        return _("−{x} % churn {per}").format(x=_x(x, sign=False), per=per)
    return _("remove {x} % of the churn {per} attributed to “{reason}”").format(x=_x(x, sign=False), per=per,
                                                                              reason=reason)


def published_explanation(facts: dict) -> str:
    """One line: why the user's figure differs from the published 25–95 % (facts: clv.published_comparison)."""
    pct = facts["bain_comparable_pct"]
    if not math.isfinite(pct):
        return _("The published 25–95 % is the change in a new customer's value net of acquisition cost; "
                 "yours cannot be computed because that value is zero or not finite.")
    reasons = []
    if abs(facts["annual_pp"] - 5) > 1:
        reasons.append(_("your scenario moves annual retention by {points} points, not 5").format(
            points=fmt.number(facts["annual_pp"], 1)))
    if facts["annual_base"] < 0.8:
        reasons.append(_("you keep {pct} of customers a year, and at lower retention each extra point adds less "
                         "lifetime").format(pct=fmt.percent(100 * facts["annual_base"], 0)))
    elif facts["annual_base"] > 0.93:
        reasons.append(_("you keep {pct} of customers a year, and near 100 % each extra point adds a lot of "
                         "lifetime").format(pct=fmt.percent(100 * facts["annual_base"], 0)))
    if math.isfinite(facts["cac_share"]) and facts["cac_share"] < 0.25 and pct < 25:
        reasons.append(_("your acquisition cost is small next to a customer's value, so there is little up-front "
                         "cost for longer lives to pay back"))
    elif math.isfinite(facts["cac_share"]) and facts["cac_share"] > 0.6 and pct > 95:
        reasons.append(_("your acquisition cost eats most of a customer's value, so each extra period of margin "
                         "counts many times over"))
    if facts["growth_pct"] == 0 and pct < 25:
        reasons.append(_("margins here do not grow with tenure"))
    start = _("Your comparable figure is {pct} (a new customer's lifetime value net of acquisition cost), against "
              "the published 25–95 % from industries keeping about 90 % of customers a year, with high acquisition "
              "costs and margins that grow with tenure").format(pct=fmt.number(pct, 0, sign=True) + " %")
    if facts["within"] and not reasons:
        return start + _("; yours falls within that range.")
    if reasons:
        return start + _("; yours differs because {reasons}.").format(reasons=_("; ").join(reasons[:2]))
    return start + _(".")


def _pct(share: float, decimals: int = 1) -> str:
    return fmt.percent(100 * share, decimals)


def scenario_summary(kind: str, x: float, period: str, reason: str | None, r: float, r_new: float,
                     same: dict, per_year: tuple[float, float]) -> str:
    """The line under the scenario picker: the move in every unit, per period and per year (markdown).
    same: scenario.equivalents (annual_pp, pp, relative_pct, churn_cut_pct)."""
    name = scenario_label(kind, x, period, reason)
    if kind == "annual_pp" and period != "year":
        return _("**{name}**: retention per year {year_from} → {year_to}; the model works {per}: {from_} → {to} "
                 "{per} ({points} points, {cut} % churn cut).").format(
            name=name, year_from=_pct(per_year[0]), year_to=_pct(per_year[1]), per=PER[period], from_=_pct(r, 2),
            to=_pct(r_new, 2), points=fmt.number(same["pp"], 2, sign=True),
            cut=fmt.number(same["churn_cut_pct"], 1, sign=True))
    return _("**{name}**: retention {from_} → {to} {per} ({points} points, {relative} % relative, {cut} % churn "
             "cut); per year {year_from} → {year_to}.").format(
        name=name, from_=_pct(r), to=_pct(r_new), per=PER[period], points=fmt.number(same["pp"], 2, sign=True),
        relative=fmt.number(same["relative_pct"], 1, sign=True), cut=fmt.number(same["churn_cut_pct"], 1, sign=True),
        year_from=_pct(per_year[0]), year_to=_pct(per_year[1]))


ASSUMED = {"margin": L("gross margin {value} %"), "cac": L("acquisition cost {value}")}  # fields of state.WhatIf
ASSUMED_TAG = L("assumed — enter yours")


def assumed_note(values: dict[str, float]) -> str:
    """The inputs still at an assumed value (not from the data, not typed), named with their values;
    '' when there are none. values: field → value, for the fields of ASSUMED still at their default."""
    named = [ASSUMED[key].format(value=_x(value, sign=False) if key == "margin" else fmt.number(value))
             for key, value in values.items()]
    if not named:
        return ""
    return _("**Assumed, not from your data:** {names}. Enter yours under *Inputs*: the results depend on them.").format(
        names=", ".join(named))


def formulas_markdown(period: str) -> str:
    """Every output's formula, as a markdown list (the page's 'How every number is computed')."""
    lines = [f"- **{label(k, period)}**: {f}" for k, f in FORMULAS.items()]
    break_even = _("Break-even programme cost")
    return "\n".join([str(SYMBOLS), "", *lines, f"- **{break_even}**: {BREAK_EVEN_FORMULA}", "", str(PROFIT_NOTE)])


NOT_MONEY = {"retention", "annual_retention", "expected_lifetime_periods", "expected_lifetime_years"}


def output_table(frame, period: str, currency: str | None = None):
    """clv.compare output → the table shown and downloaded: measure (label; money ones name `currency`,
    fmt.money_label), base, scenario, change, change_pct, formula."""
    from retention.fmt import money_label

    out = frame.copy()
    out.insert(0, "measure", [label(k, period) if k in NOT_MONEY else money_label(label(k, period), currency)
                              for k in out["output"]])
    out["formula"] = [str(FORMULAS[k]) for k in out["output"]]
    return out.drop(columns="output")

BASES = {"customers": L("customers"), "purchases": L("purchases")}
ASSUMPTIONS = {"constant_base": L("constant base"), "constant_inflow": L("constant inflow")}
TABLE_COLUMNS = {"base": L("base"), "scenario": L("scenario"), "change": L("change")}
UNITS_TITLE = {"week": L("Weeks"), "month": L("Months"), "quarter": L("Quarters"), "year": L("Years")}


def span(years: float) -> str:
    """The horizon in words: "5 years", "2.5 years", or the customers' whole lives for 0 years."""
    if years <= 0:
        return _("customers' whole lives")
    return ngettext("{n} year", "{n} years", int(years) if float(years).is_integer() else 2).format(n=f"{years:g}")


def input_fields(per: str, currency: str | None, r_cap: float) -> list[tuple]:
    """The What-if inputs in their order: (field of retention.state.WhatIf, label, maximum, step, format, help);
    per: the period's PER phrase, currency: the dataset's (for the money labels), r_cap: the highest retention."""
    return [
        ("active", _("Active customers"), None, 100.0, "%.0f", _("Customers active at the analysis date.")),
        ("retention", _("Retention {per}, %").format(per=per), r_cap * 100, 0.5, None,
         _("Of the customers at the start of a period, the share still customers at its end, pooled over the periods "
           "above: the headline figure of the Overview and Churn pages (per year: measured over the last 12 "
           "months).")),
        ("arpu", fmt.money_label(_("Revenue per customer {per}").format(per=per), currency), None, None, None,
         _("Net revenue ÷ average active customers ((CS + CE)/2) over the same periods.")),
        ("new", _("New customers {per}").format(per=per), None, 1.0, "%.0f",
         _("Average CN: customers starting (or restarting) during a period.")),
        ("margin", _("Gross margin, % of revenue"), 100.0, None, None, _("An assumption: the data has no costs.")),
        ("cac", fmt.money_label(_("Acquisition cost per new customer"), currency), None, None, None, None),
        ("discount", _("Discount rate per year, %"), 100.0, None, None, _("Converted to the period.")),
        ("years", _("Horizon, years (0 = none)"), 50.0, 1.0, None,
         _("Finite by default; 0 values customers over their whole life.")),
        ("growth", _("Margin growth per year of tenure, %"), 100.0, None, None, None),
        ("programme", fmt.money_label(_("Programme cost per customer {per}").format(per=per), currency), None, None,
         None, _("What the retention effort costs; charged in the scenario only.")),
    ]
