"""What-if: "+X retention → how much more profit?", from the dataset's own retention, revenue and costs."""

import math

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.fmt import money, money_label
from retention.charts import whatif as charts
from retention.metrics import btyd, churn, customers, reasons
from retention.scenarios import analysis, clv, inputs, sbg, tenure, wording
from retention.scenarios.scenario import KINDS, R_CAP, Scenario, apply, equivalents

ds = datasets.dataset()
st.title("What if customers stayed longer?")
st.caption("Turns your measured retention, revenue and costs into the profit effect of keeping customers longer. "
           "Every input can be edited; values measured from the data are marked *measured*. "
           "The scenario and the inputs are saved in the page's link.")

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
        st.info(f"The purchase model could not be fitted on this data ({widgets.md(exc)}).")
        return
    c = st.columns(3)
    c[0].metric("Expected active customers (Σ P(alive))", f"{v['expected_active']:,.0f}",
                f"of {v['customers']:,} who ever bought", delta_color="off", delta_arrow="off",
                help=ui_text.P_ALIVE_HELP)
    if math.isnan(v["today_total"]):
        st.info("The purchases have no amounts (or too few repeat buyers), so the value of a purchase cannot be "
                "modelled: only the expected active customers are shown.")
        return
    c[1].metric(f"Value of today's customers, next {v['years']:g} years", money(v["today_total"], ds.currency, decimals=0),
                f"{money(v['today_mean'], ds.currency)} per customer", delta_color="off", delta_arrow="off")
    c[2].metric(f"New customer's value, next {v['years']:g} years", money(v["new_customer"], ds.currency),
                help="Repeat purchases only: the first purchase is being made. Before acquisition cost.")
    st.caption(ui_text.whatif_model_note(margin, discount, years, v["years"], [k for k in ("whatif_margin", "whatif_discount")
                                                                          if assumed(k)]))


links.page_state(state.WhatIf, state.whatif_limits(measure, lambda: reason_shares()["reason"].tolist()))
period = st.segmented_control("Period of the model", list(clv.PERIODS_PER_YEAR), required=True, key="whatif_period")
measured = measure(period)
if measured.get("basis") == tenure.BASIS:
    st.info(ui_text.whatif_from_tenure(measured, period), icon=":material/hourglass_bottom:")
elif measured:
    st.caption(f"Measured over {measured['periods_used']} complete {period}s up to {measured['as_of']:%d %b %Y} "
               f"({measured['basis']} basis, as on the Churn page).")
    if not measured["has_amounts"]:
        st.info("The purchases have no amounts, so revenue per customer is not measured: type your own.")
else:
    try:
        cache.cached(inputs.measure, ds, period=period)
    except churn.NoChurnData as exc:
        st.warning(f"Retention cannot be measured from this dataset ({exc}); type your own numbers below.")


def tagged(label: str, key: str) -> str:
    found = measure(period)
    measured_here = state.measured_input(found, key.removeprefix("whatif_"))
    tag = ui_text.WHATIF_TENURE_TAG if found.get("basis") == tenure.BASIS else "measured"
    return f"{label} ({tag if st.session_state[key] == measured_here else 'your value'})"


def assumed(key: str) -> bool:
    """An input the data cannot give (margin, acquisition cost) still at the page's assumed default."""
    return key in wording.ASSUMED and st.session_state[key] == state.WhatIf.__dataclass_fields__[
        key.removeprefix("whatif_")].default


FIELDS = [  # key, label, maximum, step, format, help (defaults: retention.state.WhatIf)
    ("whatif_active", "Active customers", None, 100.0, "%.0f", "Customers active at the analysis date."),
    ("whatif_retention", f"Retention per {period}, %", R_CAP * 100, 0.5, None,
     "Of the customers at the start of a period, the share still customers at its end, pooled over the periods "
     "above: the headline figure of the Overview and Churn pages (per year: measured over the last 12 months)."),
    ("whatif_arpu", money_label(f"Revenue per customer per {period}", ds.currency), None, None, None,
     "Net revenue ÷ average active customers ((CS + CE)/2) over the same periods."),
    ("whatif_new", f"New customers per {period}", None, 1.0, "%.0f",
     "Average CN: customers starting (or restarting) during a period."),
    ("whatif_margin", "Gross margin, % of revenue", 100.0, None, None, "An assumption: the data has no costs."),
    ("whatif_cac", money_label("Acquisition cost per new customer", ds.currency), None, None, None, None),
    ("whatif_discount", "Discount rate per year, %", 100.0, None, None, "Converted to the period."),
    ("whatif_years", "Horizon, years (0 = none)", 50.0, 1.0, None,
     "Finite by default; 0 values customers over their whole life."),
    ("whatif_growth", "Margin growth per year of tenure, %", 100.0, None, None, None),
    ("whatif_programme", money_label(f"Programme cost per customer per {period}", ds.currency), None, None, None,
     "What the retention effort costs; charged in the scenario only."),
]
v = {}
with st.expander("Inputs", expanded=True, icon=":material/tune:"):
    cols = st.columns(4)
    for i, (key, label, top, step, fmt, tip) in enumerate(FIELDS):
        measured_input = key.removeprefix("whatif_") in state.MEASURED
        shown = tagged(label, key) if measured_input else f"{label} ({wording.ASSUMED_TAG})" if assumed(key) else label
        v[key] = cols[i % 4].number_input(shown, 0.0, top, step=step, format=fmt, key=key, help=tip)
years = v["whatif_years"]
horizon = round(years * clv.PERIODS_PER_YEAR[period]) if years > 0 else math.inf
model = clv.Inputs(v["whatif_active"], v["whatif_retention"] / 100, v["whatif_arpu"], v["whatif_margin"],
                   v["whatif_cac"], v["whatif_new"], v["whatif_discount"], period, horizon, v["whatif_growth"],
                   v["whatif_programme"])

kind = st.segmented_control("Scenario", KINDS, required=True, key="whatif_kind", format_func=wording.KIND_LABELS.get)
c = st.columns([1, 2, 2])
x = c[0].number_input("X", -100.0, 100.0, step=0.5, key="whatif_x")
scenario = Scenario(kind, x, periods_per_year=model.periods_per_year)
if kind == "reason":
    shares = reason_shares()
    if shares.empty:
        st.info("This dataset has no churn reasons; pick another scenario type.")
        st.stop()
    reason = c[1].selectbox("Churn reason", shares["reason"].tolist(), key="whatif_reason")
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
    st.warning(f"That scenario reaches {applied.uncapped:.1%} retention per {period}; nobody keeps every customer, "
               f"so it is capped at {R_CAP:.1%}.")

table = clv.compare(model, applied.retention).set_index("output")
head = clv.headline(model, applied.retention)
facts = clv.published_comparison(model, applied.retention)
span = f"{years:g} years" if years > 0 else "customers' whole lives"
c = st.columns(4)
c[0].metric(f"More profit over {span}", money(head['profit_change'], ds.currency, decimals=0), f"{head['profit_change_pct']:+.1f} %",
            help=f"Present value, {head['assumption'].replace('_', ' ')}. {wording.PROFIT_CHANGE_FORMULA}")
row = table.loc["value_of_base"]
c[1].metric("Value of today's customers", money(row.scenario, ds.currency, decimals=0),
            money(row.change, ds.currency, decimals=0, sign=True),
            help=wording.FORMULAS["value_of_base"])
row = table.loc["new_customer_value"]
c[2].metric("New customer's value", money(row.scenario, ds.currency), f"{row.change_pct:+.1f} %",
            help="Net of acquisition cost: " + wording.FORMULAS["new_customer_value"])
c[3].metric(f"Break-even programme cost per customer per {period}",
            money(clv.break_even(model, applied.retention), ds.currency),
            help=wording.BREAK_EVEN_FORMULA)
st.info(f"**Published: “+5 % retention → +25–95 % profit”.** {wording.published_explanation(facts)}",
        icon=":material/menu_book:")

shown, report_sections = wording.output_table(table.reset_index(), period, ds.currency), downloads.ReportSections()
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    **{col: st.column_config.NumberColumn(col, format="%,.2f") for col in ("base", "scenario", "change")},
    "change_pct": st.column_config.NumberColumn("change %", format="%+.1f")})
downloads.download_buttons(shown, "whatif", key="whatif_table")
with st.expander("How every number is computed", icon=":material/function:"):
    st.markdown(wording.formulas_markdown(period))

tab, panel = widgets.tabs({"profit": "Profit over time", "sensitivity": "Sensitivity", "tornado": "What matters most",
                      "sbg": "Young cohorts (sBG)", **({"bgnbd": "From the purchase model"} if ds.has_purchases else {})},
                     key="whatif_tab")
with panel:
    if tab == "profit":
        report_sections.chart(cache.reuse(charts.profit,
            analysis.profit_paths(model, applied.retention, head["assumption"]),
            f"The scenario adds {head['profit_change']:,.0f} of profit in present value over {span}",
            f"{period.capitalize()}s from now", money_label(f"Profit per {period}", ds.currency),
            ("Today's retention", "Scenario")),
            key="whatif_profit_chart")
        st.caption("Constant inflow: the same number of new customers every period, so better retention grows the "
                   "base. Constant base: every leaver is replaced, so better retention saves acquisition costs.")
    elif tab == "sensitivity":
        report_sections.chart(cache.reuse(charts.sensitivity,
            analysis.sensitivity(model), same["pp"], head["profit_change_pct"],
            f"Each extra point of {wording.ADJECTIVE[period]} retention adds profit",
            f"Retention uplift, percentage points per {period}", "Profit change, %", "Your scenario"),
            key="whatif_sensitivity_chart")
    elif tab == "tornado":
        spread = analysis.tornado(model, scenario)
        report_sections.chart(cache.reuse(charts.tornado,
            spread, wording.INPUT_LABELS, f"{wording.INPUT_LABELS[spread['input'].iloc[0]]} moves the profit gain most",
            "Profit gain (present value)", ("Input −20 %", "Input +20 %")), key="whatif_tornado_chart")
        st.caption("Each input moved 20 % down and up with the others fixed (retention: its churn ±20 %).")
    elif tab == "bgnbd":
        model_tab()
    else:
        fitted = cache.cached(inputs.sbg_fit, ds, period=period)
        if fitted.empty:
            st.info("Not enough cohort data to fit the model at this period (it needs week, month or quarter "
                    "cohorts observed for at least two periods).")
        else:
            f = sbg.Fit(**fitted.iloc[0].drop("mode").to_dict())
            cells = cache.cached(inputs.survival_cells, ds, period=period)
            first, twelfth = sbg.retention_rate(f.alpha, f.beta, [1, 12])
            report_sections.chart(cache.reuse(charts.sbg_projection,
                analysis.cohort_projections(cells, f, f.periods), analysis.pooled_survival(cells),
                sbg.projection(f, f.periods),
                f"Retention rises with tenure: {first:.0%} stay after the first {period}, {twelfth:.0%} after the twelfth",
                f"{period.capitalize()}s since joining", "Share still customers", ("sBG model", "All cohorts")),
                key="whatif_sbg_chart")
            lifetime = sbg.expected_residual_lifetime(f.alpha, f.beta)
            sbg_clv = sbg.residual_clv_end(model.margin, f.alpha, f.beta, 1, model.discount, model.horizon)
            c = st.columns(3)
            c[0].metric("α, β", f"{f.alpha:.2f}, {f.beta:.2f}", help=f"± {f.alpha_se:.2f}, ± {f.beta_se:.2f} (standard "
                        f"errors); {f.customers:,} customers in {f.cohorts} cohorts.")
            c[1].metric(f"Expected lifetime of a new customer ({period}s)", f"{lifetime:.1f}" if lifetime < math.inf else "∞",
                        f"{lifetime - clv.expected_lifetime(model.retention):+.1f} vs constant retention"
                        if lifetime < math.inf else None, help="1 + β/(α − 1); infinite when α ≤ 1.")
            c[2].metric("New customer's value, sBG (period ends)", money(sbg_clv, ds.currency),
                        f"{sbg_clv - table.loc['clv_end', 'base']:+,.2f} vs constant retention",
                        help="Σ m·S(t)/(1+d)^t over the horizon (Fader & Hardie 2010).")
            st.caption(wording.SBG_NOTE + " Solid: observed; dotted: projected beyond each cohort's data."
                       + (" Purchase data: survival read as 'bought in this period or later'; the model is meant for "
                          "subscriptions." if fitted.iloc[0]["mode"] == "rolling" else ""))
downloads.report_button("What if", [("Base and scenario", shown), *report_sections], key="whatif_report")
