"""The What-if page's figures and longer tabs (pages/whatif.py calls them): the scenario's headline figures, profit
over time, sensitivity, what matters most, the purchase model's view and young cohorts (sBG)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from retention import fmt, ui_text
from retention.charts import whatif as charts
from retention.fmt import money, money_label, number, percent
from retention.i18n import _, ngettext
from retention.metrics import btyd, customers
from retention.scenarios import analysis, clv, inputs, sbg
from retention.scenarios.scenario import Scenario
from retention.ui import cache, downloads, widgets
from retention.ui_text import whatif as wording
from retention.ui_text.whatif import ASSUMPTIONS, UNITS_TITLE


def model_tab(ds, margin: float, discount: float, years: float, per_year: tuple[float, float],
              assumed: list[str]) -> None:
    """CLV of today's customers and of a new customer from the fitted BG/NBD + Gamma-Gamma models (Customers page),
    with the page's margin, discount rate and years; per_year: annual retention today and in the scenario; assumed:
    the inputs (margin, discount) still at their assumed defaults."""
    margin, discount, years = float(margin), float(discount), float(years)
    try:
        v = cache.cached(customers.model_clv, ds, years=years, margin_pct=margin, discount_pct=discount)
    except btyd.NoModelData as exc:
        st.info(_("The purchase model could not be fitted on this data ({problem}).").format(problem=widgets.md(exc)))
        return
    c = st.columns(3)
    c[0].metric(_("Expected active customers (Σ P(alive))"), number(v["expected_active"]),
                ngettext("of {n} who ever bought", "of {n} who ever bought", v["customers"]).format(
                    n=number(v["customers"])), delta_color="off", delta_arrow="off", help=str(ui_text.P_ALIVE_HELP))
    if math.isnan(v["today_total"]):
        st.info(_("The purchases have no amounts (or too few repeat buyers), so the value of a purchase cannot be "
                  "modelled: only the expected active customers are shown."))
        return
    c[1].metric(_("Value of today's customers, next {years} years").format(years=f"{v['years']:g}"),
                money(v["today_total"], ds.currency, decimals=0),
                _("{amount} per customer").format(amount=money(v["today_mean"], ds.currency)), delta_color="off",
                delta_arrow="off")
    c[2].metric(_("New customer's value, next {years} years").format(years=f"{v['years']:g}"),
                money(v["new_customer"], ds.currency),
                help=_("Repeat purchases only: the first purchase is being made. Before acquisition cost."))
    st.caption(ui_text.whatif_model_note(margin, discount, years, v["years"], assumed))
    model_scenario(ds, margin, discount, years, per_year)


def model_scenario(ds, margin: float, discount: float, years: float, per_year: tuple[float, float]) -> None:
    """The page's retention scenario in the model's terms: every customer's future dropout probability scaled so
    that the model's implied annual retention moves by the scenario's points (customers.model_scenario)."""
    points = 100 * (per_year[1] - per_year[0])
    got = cache.cached(customers.model_scenario, ds, points=round(points, 6), years=years, margin_pct=margin,
                    discount_pct=discount)
    st.subheader(_("Your scenario in the model's terms"))
    st.markdown(_("The scenario moves annual retention by **{points}** points. In the purchase model, of today's "
                  "customers expected to be active, **{before}** are expected still active a year from now; to make "
                  "that **{after}**, each customer's chance of leaving after a purchase is multiplied by **{k}** "
                  "(on average {drop_before} → {drop_after}).").format(
        points=number(points, 1, sign=True), before=percent(got["retention_before"], 1),
        after=percent(got["retention_after"], 1), k=number(got["k"], 2),
        drop_before=percent(got["dropout_before"], 1), drop_after=percent(got["dropout_after"], 1)))
    if got["capped"]:
        st.warning(_("The model cannot reach that: the closest it gets is {after}.").format(
            after=percent(got["retention_after"], 1)))
    if math.isnan(got["today_before"]):
        return
    c = st.columns(3)
    c[0].metric(_("Profit change, today's customers, next {years} years").format(years=number(got["years"], 0)),
                money(got["profit_change"], ds.currency, decimals=0, sign=True),
                help=_("Margin on the extra (or lost) purchases of today's customers, discounted: their value in "
                       "the scenario minus their value today."))
    c[1].metric(_("Value of today's customers, scenario"), money(got["today_after"], ds.currency, decimals=0),
                money(got["today_after"] - got["today_before"], ds.currency, decimals=0, sign=True),
                delta_color="off")
    c[2].metric(_("New customer's value, scenario"), money(got["new_after"], ds.currency),
                money(got["new_after"] - got["new_before"], ds.currency, sign=True), delta_color="off")
    st.caption(_("How: the purchase model lets a customer leave only right after a purchase, with their own "
                 "probability p. The scenario multiplies every customer's p by the same factor from today on "
                 "(their purchase rates stay as fitted), chosen so that the share of today's active customers "
                 "still active in a year moves by the scenario's points. Values before and after use the same "
                 "margin, discount rate and years."))


def sbg_tab(ds, model: clv.Inputs, table: pd.DataFrame, period: str, report: downloads.ReportSections) -> None:
    """Young cohorts: the sBG fit at the page's period, its projection, a new customer's lifetime and value next to
    the constant-retention model's (table: clv.compare indexed by output)."""
    fitted = cache.cached(inputs.sbg_fit, ds, period=period)
    if fitted.empty:
        st.info(_("Not enough cohort data to fit the model at this period (it needs week, month or quarter "
                  "cohorts observed for at least two periods)."))
    else:
        f = sbg.Fit(**fitted.iloc[0].drop("mode").to_dict())
        cells = cache.cached(inputs.survival_cells, ds, period=period)
        first, twelfth = sbg.retention_rate(f.alpha, f.beta, [1, 12])
        report.chart(cache.reuse(charts.sbg_projection,
            analysis.cohort_projections(cells, f, f.periods), analysis.pooled_survival(cells),
            sbg.projection(f, f.periods),
            _("Retention rises with tenure: {first} stay after the first period, {twelfth} after the twelfth").format(
                first=fmt.percent(100 * first, 0), twelfth=fmt.percent(100 * twelfth, 0)),
            _("{unit} since joining").format(unit=UNITS_TITLE[period]), _("Share still customers"),
            (_("sBG model"), _("All cohorts"))),
            key="whatif_sbg_chart")
        lifetime = sbg.expected_residual_lifetime(f.alpha, f.beta)
        sbg_clv = sbg.residual_clv_end(model.margin, f.alpha, f.beta, 1, model.discount, model.horizon)
        c = st.columns(3)
        c[0].metric("α, β", f"{fmt.number(f.alpha, 2)}; {fmt.number(f.beta, 2)}",
                    help=_("± {alpha_se}, ± {beta_se} (standard errors); {n} customers in {cohorts} cohorts.").format(
                        alpha_se=fmt.number(f.alpha_se, 2), beta_se=fmt.number(f.beta_se, 2),
                        n=number(f.customers), cohorts=number(f.cohorts)))
        c[1].metric(_("Expected lifetime of a new customer ({unit})").format(unit=wording.UNITS[period]),
                    fmt.number(lifetime, 1) if lifetime < math.inf else "∞",
                    _("{change} vs constant retention").format(
                        change=fmt.number(lifetime - clv.expected_lifetime(model.retention), 1, sign=True))
                    if lifetime < math.inf else None, help=_("1 + β/(α − 1); infinite when α ≤ 1."))
        c[2].metric(_("New customer's value, sBG (period ends)"), money(sbg_clv, ds.currency),
                    _("{change} vs constant retention").format(
                        change=fmt.number(sbg_clv - table.loc["clv_end", "base"], 2, sign=True)),
                    help=_("Σ m·S(t)/(1+d)^t over the horizon (Fader & Hardie 2010)."))
        st.caption(str(wording.SBG_NOTE) + " " + _("Solid: observed; dotted: projected beyond each cohort's data.")
                   + (" " + _("Purchase data: survival read as 'bought in this period or later'; the model is "
                              "meant for subscriptions.") if fitted.iloc[0]["mode"] == "rolling" else ""))


def headline_figures(ds, model: clv.Inputs, r_new: float, table: pd.DataFrame, head: dict, span: str) -> None:
    """The scenario's four figures: more profit over the horizon (`span`, in words), today's customers' value, a new
    customer's value and the break-even programme cost. r_new: the scenario's retention per period; table:
    clv.compare indexed by output; head: clv.headline."""
    per = wording.PER[model.period]
    c = st.columns(4)
    c[0].metric(_("More profit over {span}").format(span=span), money(head['profit_change'], ds.currency, decimals=0),
                fmt.number(head["profit_change_pct"], 1, sign=True) + " %",
                delta_arrow=widgets.arrow(head["profit_change_pct"], 1),
                help=_("Present value, {assumption}.").format(assumption=ASSUMPTIONS.get(head["assumption"],
                                                                                          head["assumption"]))
                + " " + str(wording.PROFIT_CHANGE_FORMULA))
    row = table.loc["value_of_base"]
    c[1].metric(_("Value of today's customers"), money(row.scenario, ds.currency, decimals=0),
                money(row.change, ds.currency, decimals=0, sign=True), delta_arrow=widgets.arrow(row.change, 0),
                help=str(wording.FORMULAS["value_of_base"]))
    row = table.loc["new_customer_value"]
    c[2].metric(_("New customer's value"), money(row.scenario, ds.currency),
                fmt.number(row.change_pct, 1, sign=True) + " %", delta_arrow=widgets.arrow(row.change_pct, 1),
                help=_("Net of acquisition cost:") + " " + str(wording.FORMULAS["new_customer_value"]))
    c[3].metric(_("Break-even programme cost per customer {per}").format(per=per),
                money(clv.break_even(model, r_new), ds.currency),
                help=str(wording.BREAK_EVEN_FORMULA))


def profit_tab(currency: str | None, model: clv.Inputs, r_new: float, head: dict, span: str,
               report: downloads.ReportSections) -> None:
    """Profit per period today and in the scenario, on the path the headline uses (head: clv.headline)."""
    period = model.period
    report.chart(cache.reuse(charts.profit,
        analysis.profit_paths(model, r_new, head["assumption"]),
        _("The scenario adds {amount} of profit in present value over {span}").format(
            amount=number(head["profit_change"]), span=span),
        _("{unit} from now").format(unit=UNITS_TITLE[period]),
        money_label(_("Profit {per}").format(per=wording.PER[period]), currency),
        (_("Today's retention"), _("Scenario"))),
        key="whatif_profit_chart")
    st.caption(_("Constant inflow: the same number of new customers every period, so better retention grows the "
                 "base. Constant base: every leaver is replaced, so better retention saves acquisition costs."))


def sensitivity_tab(model: clv.Inputs, points: float, profit_change_pct: float,
                    report: downloads.ReportSections) -> None:
    """Profit change against retention uplift, the scenario's own `points` (per period) marked."""
    per = wording.PER[model.period]
    report.chart(cache.reuse(charts.sensitivity,
        analysis.sensitivity(model), points, profit_change_pct,
        _("Each extra point of retention {per} adds profit").format(per=per),
        _("Retention uplift, percentage points {per}").format(per=per), _("Profit change, %"), _("Your scenario")),
        key="whatif_sensitivity_chart")


def tornado_tab(model: clv.Inputs, scenario: Scenario, report: downloads.ReportSections) -> None:
    """The profit gain with each input moved 20 % down and up, the others fixed."""
    spread = analysis.tornado(model, scenario)
    report.chart(cache.reuse(charts.tornado,
        spread, {k: str(v) for k, v in wording.INPUT_LABELS.items()},
        _("{input} moves the profit gain most").format(input=wording.INPUT_LABELS[spread["input"].iloc[0]]),
        _("Profit gain (present value)"), (_("Input −20 %"), _("Input +20 %"))), key="whatif_tornado_chart")
    st.caption(_("Each input moved 20 % down and up with the others fixed (retention: its churn ±20 %)."))
