"""What-if: "+X retention → how much more profit?", from the dataset's own retention, revenue and costs."""

import math

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.fmt import money, money_label, number, percent
from retention.i18n import _, ngettext
from retention.charts import whatif as charts
from retention.metrics import btyd, churn, customers, reasons
from retention.scenarios import analysis, clv, inputs, sbg, tenure, wording
from retention.scenarios.scenario import KINDS, R_CAP, Scenario, apply, equivalents

BASES = {"customers": _("customers"), "purchases": _("purchases")}
ASSUMPTIONS = {"constant_base": _("constant base"), "constant_inflow": _("constant inflow")}
TABLE_COLUMNS = {"base": _("base"), "scenario": _("scenario"), "change": _("change")}
UNITS_TITLE = {"week": _("Weeks"), "month": _("Months"), "quarter": _("Quarters"), "year": _("Years")}

ds = datasets.dataset()
st.title(_("What if customers stayed longer?"))
st.caption(_("Turns your measured retention, revenue and costs into the profit effect of keeping customers longer. "
             "Every input can be edited; values measured from the data are marked *measured*. "
             "The scenario and the inputs are saved in the page's link."))

def measure(period: str) -> dict:
    """The measured inputs; from tenure when the data has no dates (a customers file with tenure and a churned
    flag); {} when neither gives retention."""
    try:
        return cache.cached(inputs.measure, ds, period=period).iloc[0].to_dict()
    except churn.NoChurnData:
        pass
    try:
        return cache.cached(tenure.measure, ds, period=period).iloc[0].to_dict()
    except churn.NoChurnData:
        return {}


def reason_shares() -> pd.DataFrame:
    return cache.cached(reasons.reason_counts, ds) if ds.has_customers else pd.DataFrame({"reason": []})


def model_tab() -> None:
    """CLV of today's customers and of a new customer from the fitted BG/NBD + Gamma-Gamma models (Customers page),
    with this page's margin, discount rate and years."""
    margin, discount, years = (float(st.session_state[k]) for k in ("whatif_margin", "whatif_discount", "whatif_years"))
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
    st.caption(ui_text.whatif_model_note(margin, discount, years, v["years"], [k for k in ("whatif_margin", "whatif_discount")
                                                                          if assumed(k)]))
    model_scenario(margin, discount, years)


def model_scenario(margin: float, discount: float, years: float) -> None:
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


links.page_state(state.WhatIf, state.whatif_limits(measure, lambda: reason_shares()["reason"].tolist()))
period = st.segmented_control(_("Period of the model"), list(clv.PERIODS_PER_YEAR), required=True, key="whatif_period",
                              format_func=lambda p: str(wording.PERIOD_NAMES.get(p, p)))
measured = measure(period)
per = wording.PER[period]
if measured.get("basis") == tenure.BASIS:
    st.info(ui_text.whatif_from_tenure(measured, period), icon=":material/hourglass_bottom:")
elif measured:
    st.caption(_("Measured over {n} complete periods ({unit}) up to {day} ({basis} basis, as on the Churn "
                 "page).").format(n=number(measured["periods_used"]), unit=wording.UNITS[period],
                                  day=fmt.date(measured["as_of"]), basis=BASES.get(measured["basis"], measured["basis"])))
    if not measured["has_amounts"]:
        st.info(_("The purchases have no amounts, so revenue per customer is not measured: type your own."))
else:
    try:
        cache.cached(inputs.measure, ds, period=period)
    except churn.NoChurnData as exc:
        st.warning(_("Retention cannot be measured from this dataset ({problem}); type your own numbers below.").format(
            problem=exc))


def tagged(label: str, key: str) -> str:
    found = measure(period)
    measured_here = state.measured_input(found, key.removeprefix("whatif_"))
    tag = ui_text.WHATIF_TENURE_TAG if found.get("basis") == tenure.BASIS else _("measured")
    yours = _("your value")
    return f"{label} ({tag if st.session_state[key] == measured_here else yours})"


def assumed(key: str) -> bool:
    """An input the data cannot give (margin, acquisition cost) still at the page's assumed default."""
    return key in wording.ASSUMED and st.session_state[key] == state.WhatIf.__dataclass_fields__[
        key.removeprefix("whatif_")].default


FIELDS = [  # key, label, maximum, step, format, help (defaults: retention.state.WhatIf)
    ("whatif_active", _("Active customers"), None, 100.0, "%.0f", _("Customers active at the analysis date.")),
    ("whatif_retention", _("Retention {per}, %").format(per=per), R_CAP * 100, 0.5, None,
     _("Of the customers at the start of a period, the share still customers at its end, pooled over the periods "
       "above: the headline figure of the Overview and Churn pages (per year: measured over the last 12 months).")),
    ("whatif_arpu", money_label(_("Revenue per customer {per}").format(per=per), ds.currency), None, None, None,
     _("Net revenue ÷ average active customers ((CS + CE)/2) over the same periods.")),
    ("whatif_new", _("New customers {per}").format(per=per), None, 1.0, "%.0f",
     _("Average CN: customers starting (or restarting) during a period.")),
    ("whatif_margin", _("Gross margin, % of revenue"), 100.0, None, None, _("An assumption: the data has no costs.")),
    ("whatif_cac", money_label(_("Acquisition cost per new customer"), ds.currency), None, None, None, None),
    ("whatif_discount", _("Discount rate per year, %"), 100.0, None, None, _("Converted to the period.")),
    ("whatif_years", _("Horizon, years (0 = none)"), 50.0, 1.0, None,
     _("Finite by default; 0 values customers over their whole life.")),
    ("whatif_growth", _("Margin growth per year of tenure, %"), 100.0, None, None, None),
    ("whatif_programme", money_label(_("Programme cost per customer {per}").format(per=per), ds.currency), None, None,
     None, _("What the retention effort costs; charged in the scenario only.")),
]
v = {}
with st.expander(_("Inputs"), expanded=True, icon=":material/tune:"):
    cols = st.columns(4)
    for i, (key, label, top, step, form, tip) in enumerate(FIELDS):
        measured_input = key.removeprefix("whatif_") in state.MEASURED
        shown = tagged(label, key) if measured_input else f"{label} ({wording.ASSUMED_TAG})" if assumed(key) else label
        v[key] = cols[i % 4].number_input(shown, 0.0, top, step=step, format=form, key=key, help=tip)
years = v["whatif_years"]
horizon = round(years * clv.PERIODS_PER_YEAR[period]) if years > 0 else math.inf
model = clv.Inputs(v["whatif_active"], v["whatif_retention"] / 100, v["whatif_arpu"], v["whatif_margin"],
                   v["whatif_cac"], v["whatif_new"], v["whatif_discount"], period, horizon, v["whatif_growth"],
                   v["whatif_programme"])

kind = st.segmented_control(_("Scenario"), KINDS, required=True, key="whatif_kind",
                            format_func=lambda k: str(wording.KIND_LABELS[k]))
c = st.columns([1, 2, 2])
x = c[0].number_input("X", -100.0, 100.0, step=0.5, key="whatif_x")
scenario = Scenario(kind, x, periods_per_year=model.periods_per_year)
if kind == "reason":
    shares = reason_shares()
    if shares.empty:
        st.info(_("This dataset has no churn reasons; pick another scenario type."))
        st.stop()
    reason = c[1].selectbox(_("Churn reason"), shares["reason"].tolist(), key="whatif_reason")
    scenario = Scenario(kind, x, reason, float(shares.set_index("reason").loc[reason, "share_pct"]) / 100)
applied = apply(model.retention, scenario)
same = equivalents(model.retention, applied.retention, model.periods_per_year)
per_year = tuple(clv.annual_retention(r, model.periods_per_year) for r in (model.retention, applied.retention))
st.markdown(wording.scenario_summary(kind, x, period, scenario.reason and widgets.md(scenario.reason), model.retention,
                                     applied.retention, same,
                                     per_year))
note = wording.assumed_note({k: v[k] for k in wording.ASSUMED if assumed(k)})
if note:
    st.markdown(note)
if applied.capped:
    st.warning(_("That scenario reaches {pct} retention {per}; nobody keeps every customer, so it is capped at "
                 "{cap}.").format(pct=fmt.percent(100 * applied.uncapped), per=per, cap=fmt.percent(100 * R_CAP)))

table = clv.compare(model, applied.retention).set_index("output")
head = clv.headline(model, applied.retention)
facts = clv.published_comparison(model, applied.retention)
span = ngettext("{n} year", "{n} years", int(years) if float(years).is_integer() else 2).format(n=f"{years:g}") \
    if years > 0 else _("customers' whole lives")
c = st.columns(4)
c[0].metric(_("More profit over {span}").format(span=span), money(head['profit_change'], ds.currency, decimals=0),
            fmt.number(head["profit_change_pct"], 1, sign=True) + " %",
            help=_("Present value, {assumption}.").format(assumption=ASSUMPTIONS.get(head["assumption"],
                                                                                      head["assumption"]))
            + " " + str(wording.PROFIT_CHANGE_FORMULA))
row = table.loc["value_of_base"]
c[1].metric(_("Value of today's customers"), money(row.scenario, ds.currency, decimals=0),
            money(row.change, ds.currency, decimals=0, sign=True),
            help=str(wording.FORMULAS["value_of_base"]))
row = table.loc["new_customer_value"]
c[2].metric(_("New customer's value"), money(row.scenario, ds.currency), fmt.number(row.change_pct, 1, sign=True) + " %",
            help=_("Net of acquisition cost:") + " " + str(wording.FORMULAS["new_customer_value"]))
c[3].metric(_("Break-even programme cost per customer {per}").format(per=per),
            money(clv.break_even(model, applied.retention), ds.currency),
            help=str(wording.BREAK_EVEN_FORMULA))
st.info(_("**Published: “+5 % retention → +25–95 % profit”.**") + " " + wording.published_explanation(facts),
        icon=":material/menu_book:")

shown, report_sections = wording.output_table(table.reset_index(), period, ds.currency), downloads.ReportSections()
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    "measure": st.column_config.TextColumn(_("measure")), "formula": st.column_config.TextColumn(_("formula")),
    **{col: st.column_config.NumberColumn(str(name), format="%,.2f") for col, name in TABLE_COLUMNS.items()},
    "change_pct": st.column_config.NumberColumn(_("change %"), format="%+.1f")})
downloads.download_buttons(shown, _("whatif"), key="whatif_table")
with st.expander(_("How every number is computed"), icon=":material/function:"):
    st.markdown(wording.formulas_markdown(period))

tab, panel = widgets.tabs({"profit": _("Profit over time"), "sensitivity": _("Sensitivity"), "tornado": _("What matters most"),
                      "sbg": _("Young cohorts (sBG)"),
                      **({"bgnbd": _("From the purchase model")} if ds.has_purchases else {})}, key="whatif_tab")
with panel:
    if tab == "profit":
        report_sections.chart(cache.reuse(charts.profit,
            analysis.profit_paths(model, applied.retention, head["assumption"]),
            _("The scenario adds {amount} of profit in present value over {span}").format(
                amount=number(head["profit_change"]), span=span),
            _("{unit} from now").format(unit=UNITS_TITLE[period]),
            money_label(_("Profit {per}").format(per=per), ds.currency), (_("Today's retention"), _("Scenario"))),
            key="whatif_profit_chart")
        st.caption(_("Constant inflow: the same number of new customers every period, so better retention grows the "
                     "base. Constant base: every leaver is replaced, so better retention saves acquisition costs."))
    elif tab == "sensitivity":
        report_sections.chart(cache.reuse(charts.sensitivity,
            analysis.sensitivity(model), same["pp"], head["profit_change_pct"],
            _("Each extra point of retention {per} adds profit").format(per=per),
            _("Retention uplift, percentage points {per}").format(per=per), _("Profit change, %"), _("Your scenario")),
            key="whatif_sensitivity_chart")
    elif tab == "tornado":
        spread = analysis.tornado(model, scenario)
        report_sections.chart(cache.reuse(charts.tornado,
            spread, {k: str(v) for k, v in wording.INPUT_LABELS.items()},
            _("{input} moves the profit gain most").format(input=wording.INPUT_LABELS[spread["input"].iloc[0]]),
            _("Profit gain (present value)"), (_("Input −20 %"), _("Input +20 %"))), key="whatif_tornado_chart")
        st.caption(_("Each input moved 20 % down and up with the others fixed (retention: its churn ±20 %)."))
    elif tab == "bgnbd":
        model_tab()
    else:
        fitted = cache.cached(inputs.sbg_fit, ds, period=period)
        if fitted.empty:
            st.info(_("Not enough cohort data to fit the model at this period (it needs week, month or quarter "
                      "cohorts observed for at least two periods)."))
        else:
            f = sbg.Fit(**fitted.iloc[0].drop("mode").to_dict())
            cells = cache.cached(inputs.survival_cells, ds, period=period)
            first, twelfth = sbg.retention_rate(f.alpha, f.beta, [1, 12])
            report_sections.chart(cache.reuse(charts.sbg_projection,
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
downloads.report_button(_("What if"), [(_("Base and scenario"), shown), *report_sections], key="whatif_report")
