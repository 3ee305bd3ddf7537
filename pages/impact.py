"""Did it work? The effect of a retention programme (loyalty scheme, discount, onboarding change) on retention."""

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.charts import impact as charts
from retention.fmt import money, money_label
from retention.metrics import churn, cohorts, impact
from retention.scenarios import clv, impact_value, inputs

ds = datasets.dataset()
st.title("Did it work?")
st.caption("Measures whether a retention programme kept more customers, by how much and how sure the data can be. "
           "Programmes are rarely tried at random, so every result says what could make it wrong. "
           "The view is saved in the page's link.")
if not ds.has_purchases:
    st.info("This page needs a purchases file with dates: retention is measured from purchases month by month.")
    st.stop()

first, last = datasets.data_days(ds)
values, segments = cache.cached(cohorts.attribute_values, ds), datasets.segment_attributes(ds)


def column_values(column: str) -> list[str]:
    return values.loc[values["attribute"] == column, "value"].astype(str).tolist()


view = links.page_state(state.Impact, state.impact_limits(
    first, last, segments, column_values, lambda c: impact.member_values_guess(column_values(c))))
design = st.segmented_control("Design", list(ui_text.IMPACT_DESIGNS), required=True, key="impact_design",
                              format_func=ui_text.IMPACT_DESIGNS.get)
c = st.columns(3)
k = c[0].selectbox("Retention at month", list(range(1, impact.MAX_K + 1)), key="impact_k",
                   help="Month k after the first purchase: the share of customers who bought in that calendar month "
                        "(as on the Cohorts page, classic mode).")
member_ids: list[str] = []
if design == "launch":
    launch = c[1].date_input("Launch date", min_value=first, max_value=last, key="impact_launch",
                             help="Cohorts whose first month starts on or after this date count as 'after'.")
    result_bundle = cache.cached(impact.launch_effect, ds, launch=launch.isoformat(), k=k)
else:
    if not segments:
        st.info("Mark members with a segment column (for example a 'member' or 'loyalty' column mapped as a segment "
                "on the upload page) or upload a list of member ids below.")
    column = c[1].selectbox("Member column", segments or [None], key="impact_member_column",
                            format_func=lambda s: "—" if s is None else s)
    chosen = c[2].multiselect("Values that mean member", column_values(column) if column else [],
                              key="impact_member_values")
    match = c[0].selectbox("Also match on segment", [None, *segments], key="impact_match_segment",
                           format_func=lambda s: "No segment" if s is None else s)
    uploaded = st.file_uploader("Or a list of member ids (one per line, first column of a CSV)", type=["csv", "txt"],
                                key="impact_member_ids")
    if uploaded is not None:
        lines = uploaded.getvalue().decode("utf-8-sig", errors="replace").splitlines()
        member_ids = [line.split(",")[0].strip().strip('"') for line in lines if line.strip()]
        st.caption(f"{len(member_ids):,} ids read from {widgets.md(uploaded.name)} (the list is not kept in the link).")
    if not member_ids and not (column and chosen):
        st.info("Pick the member column and the values that mean 'member', or upload a list of member ids.")
        st.stop()
    result_bundle = cache.cached(impact.member_effect, ds, k=k, member_column=None if member_ids else column,
                              member_values=[] if member_ids else list(chosen), member_ids=member_ids, segment=match)

result = result_bundle["result"]
treated, control = ui_text.IMPACT_SIDES[design]
st.markdown(ui_text.impact_sentence(result))
m = st.columns(4)
m[0].metric(f"Effect on month-{k} retention", "–" if result["effect_pp"] != result["effect_pp"]
            else f"{result['effect_pp']:+.1f} points",
            None if result["effect_pp"] != result["effect_pp"]
            else f"95%: {result['ci_low_pp']:+.1f} to {result['ci_high_pp']:+.1f}", delta_color="off",
            delta_arrow="off", help=ui_text.IMPACT_METHODS[result["method"]])
m[1].metric(f"Customers {treated}", f"{result['treated_customers']:,}", f"{result['treated_cohorts']} cohorts",
            delta_color="off", delta_arrow="off")
m[2].metric(f"Customers {control}", f"{result['control_customers']:,}", f"{result['control_cohorts']} cohorts",
            delta_color="off", delta_arrow="off")
m[3].metric("Plain difference (no trend, no matching)",
            "–" if result["naive_pp"] != result["naive_pp"] else f"{result['naive_pp']:+.1f} points",
            help="Retention of one side minus the other's, all customers pooled: what a quick comparison would say.")
if result["revenue_effect"] == result["revenue_effect"]:
    st.caption(f"Revenue per customer over months 0–{k}: {money(result['revenue_effect'], ds.currency, sign=True)} "
               f"(95% interval {money(result['revenue_low'], ds.currency, sign=True)} to "
               f"{money(result['revenue_high'], ds.currency, sign=True)}).")
for code in result["warnings"]:
    st.warning(ui_text.impact_warning(code, result), icon=":material/warning:")
st.caption(f"Method: {ui_text.IMPACT_METHODS[result['method']]}.")

if design == "launch":
    table = result_bundle["cohorts"]
    if len(table):
        st.plotly_chart(cache.reuse(charts.trend, table, result["launch"],
                                f"Month-{k} retention by cohort, the pre-launch trend and the launch",
                                f"Retained at month {k}, %", ("Before the launch", "After the launch", "Trend"),
                                "Launch"), key="impact_trend_chart")
    st.markdown(ui_text.impact_year_earlier(result["year_earlier"], k))
    shown = table.rename(columns={"expected_pct": "trend_pct"})
    st.caption("Download: month-k retention per cohort and the trend.")
    downloads.download_buttons(shown, "impact_cohorts", key="impact_cohorts")
else:
    curves = result_bundle["curves"]
    if len(curves):
        st.plotly_chart(cache.reuse(charts.curves, curves, "Members against matched and all non-members",
                                "Months after the first purchase", "Retained, %",
                                ("Members", "Matched non-members", "All non-members")), key="impact_curves_chart")
    st.subheader("Balance: were members already different?")
    balance = result_bundle["balance"].assign(covariate=lambda f: f["covariate"].map(ui_text.IMPACT_COVARIATES))
    shown, config = widgets.readable(balance, ui_text.IMPACT_BALANCE_LABELS,
                                {c: "{:,.2f}" for c in balance.columns if c != "covariate"})
    st.dataframe(shown, hide_index=True, column_config=config, key="impact_balance")
    st.caption("Standardised mean difference: the gap in standard deviations; below 0.1 is usually read as balanced.")
    downloads.download_buttons(balance, "impact_balance", key="impact_balance_download")

st.subheader("What it is worth")
try:
    measured = cache.cached(inputs.measure, ds, period="month").iloc[0].to_dict()
except churn.NoChurnData:
    measured = {}
baseline = result["treated_pct"] - result["effect_pp"]
if not measured or measured.get("retention") != measured.get("retention") or baseline != baseline:
    st.info("Monthly retention cannot be measured from this dataset, so the effect cannot be valued here.")
else:
    c = st.columns(3)
    cost = c[0].number_input(money_label("Programme cost per member per month", ds.currency), 0.0, None,
                             key="impact_cost")
    margin = c[1].number_input("Gross margin, % of revenue", 0.0, 100.0, key="impact_margin",
                               help="An assumption: the data has no costs.")
    arpu = measured.get("arpu")
    model = clv.Inputs(float(measured["active_customers"]), float(measured["retention"]),
                       float(arpu) if arpu == arpu else 0.0, margin, new_customers=float(measured["new_customers"]),
                       horizon=60, programme_cost=cost)
    effects = {"effect": result["effect_pp"], "low": result["ci_low_pp"], "high": result["ci_high_pp"]}
    worth = impact_value.worth(model, baseline, k, effects)
    shown = worth.assign(estimate=worth["estimate"].map(ui_text.IMPACT_WORTH_ROWS))
    shown, config = widgets.readable(shown, {
        "estimate": "Estimate", "effect_pp": f"Month-{k} retention, points", "x_pct": "Monthly churn removed, %",
        "profit_change": money_label("Profit change over 5 years, after the programme's cost", ds.currency),
        "break_even": money_label("Break-even cost per customer per month", ds.currency)},
        {"effect_pp": "{:+.1f}", "x_pct": "{:+.2f}", "profit_change": "{:+,.0f}", "break_even": "{:,.2f}"})
    st.dataframe(shown, hide_index=True, column_config=config, key="impact_worth")
    st.caption(f"The comparison side lost {100 - baseline:.1f}% of its customers by month {k}; the programme kept "
               f"{result['effect_pp']:+.1f} points of them. The What-if scenario keeps the same share of the customers "
               "its model loses over those months (as a cut of monthly churn), valued on this dataset's measured "
               "customers, retention and revenue (present value over 5 years, 10% discount a year). The interval's "
               "ends are valued the same way.")
    x = worth.loc[worth["estimate"] == "effect", "x_pct"].iloc[0]
    if x == x:
        st.page_link("pages/whatif.py", label="Use as scenario in What if", icon=":material/calculate:",
                     query_params={"dataset": ds.id, **impact_value.whatif_query(x, cost, margin)})
    downloads.download_buttons(worth, "impact_worth", key="impact_worth_download")
st.caption("Download: the result in one row (effect, interval, customers, method, warning codes).")
downloads.download_buttons(pd.DataFrame([impact.summary_row(result)]).assign(
    warnings=lambda f: f["warnings"].map(" ".join)), "impact_result", key="impact_result")
