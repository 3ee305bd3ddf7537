"""Did it work? The effect of a retention programme (loyalty scheme, discount, onboarding change) on retention."""

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.charts import impact as charts
from retention.fmt import money, money_label
from retention.i18n import _, ngettext
from retention.metrics import churn, cohorts, impact
from retention.scenarios import clv, impact_value, inputs
from retention.ui_text.impact import points

K = state.keys(state.Impact)

ds = datasets.dataset()
st.title(_("Did it work?"))
st.caption(_("Measures whether a retention programme kept more customers, by how much and how sure the data can be. "
             "Programmes are rarely tried at random, so every result says what could make it wrong. "
             "The view is saved in the page's link."))
if not ds.has_purchases:
    st.info(_("This page needs a purchases file with dates: retention is measured from purchases month by month."))
    st.stop()

first, last = datasets.data_days(ds)
values, segments = cache.cached(cohorts.attribute_values, ds), datasets.segment_attributes(ds)


def column_values(values: pd.DataFrame, column: str) -> list[str]:
    """The values of one segment column, as text (values: cohorts.attribute_values' attribute, value)."""
    return values.loc[values["attribute"] == column, "value"].astype(str).tolist()


view = links.page_state(state.Impact, state.impact_limits(
    first, last, segments, lambda c: column_values(values, c),
    lambda c: impact.member_values_guess(column_values(values, c))))
design = st.segmented_control(_("Design"), list(ui_text.IMPACT_DESIGNS), required=True, key=K.design,
                              format_func=lambda d: str(ui_text.IMPACT_DESIGNS[d]))
c = st.columns(3)
k = c[0].selectbox(_("Retention at month"), list(range(1, impact.MAX_K + 1)), key=K.k,
                   help=_("Month k after the first purchase (or after the join month, when members have join "
                          "dates): the share of customers who bought in that calendar month (as on the Cohorts "
                          "page, classic mode)."))
dated = False
if design == "launch":
    launch = c[1].date_input(_("Launch date"), min_value=first, max_value=last, key=K.launch,
                             help=_("Cohorts whose first month starts on or after this date count as 'after'."))
    result_bundle = cache.cached(impact.launch_effect, ds, launch=launch.isoformat(), k=k)
else:
    if not segments:
        st.info(_("Mark members with a segment column (for example a 'member' or 'loyalty' column mapped as a segment "
                  "on the upload page), a column of join dates, or upload a list of member ids below."))
    column = c[1].selectbox(_("Member column"), segments or [None], key=K.member_column,
                            format_func=lambda s: "—" if s is None else s)
    chosen = c[2].multiselect(_("Values that mean member"), column_values(values, column) if column else [],
                              key=K.member_values)
    c = st.columns(3)
    join_column = c[0].selectbox(
        _("Or a column of join dates"), [None, *segments], key=K.join_column,
        format_func=lambda s: _("Not used") if s is None else s,
        help=_("A segment column holding each member's join date (empty for non-members). With join dates, "
               "retention is counted from the month members joined, against non-members of the same cohort at the "
               "same month, matched on what they did before it."))
    match = c[1].selectbox(_("Also match on segment"), [None, *segments], key=K.match_segment,
                           format_func=lambda s: _("No segment") if s is None else ui_text.segment_name(s))
    uploaded = st.file_uploader(_("Or a list of members: one customer id per line (first column of a CSV), "
                                  "optionally the join date in the second column"), type=["csv", "txt"],
                                key="impact_member_ids")
    members = None
    if uploaded is not None:
        members = impact.read_member_list(uploaded.getvalue().decode("utf-8-sig", errors="replace"))
        st.caption(ngettext("{n} id read from {file} (the list is not kept in the link).",
                            "{n} ids read from {file} (the list is not kept in the link).",
                            len(members["all_ids"])).format(n=fmt.number(len(members["all_ids"])),
                                                            file=widgets.md(uploaded.name)))
    elif join_column:
        members = {**cache.cached(impact.join_dates_from_column, ds, column=join_column), "dated": True}
        st.caption(_("Members: the customers with a join date in {column}; the member column is not used.").format(
            column=widgets.md(join_column)))
    if members is not None and members["dated"]:
        if members["bad"]:
            shown = "; ".join(f"{widgets.md(i)}: {widgets.md(t)}" for i, t in members["bad"][:3])
            source = widgets.md(uploaded.name) if uploaded is not None else widgets.md(join_column)
            st.warning(ngettext("{source}: {n} join date could not be read ({shown}); that member is left out. "
                                "Write dates as YYYY-MM-DD.",
                                "{source}: {n} join dates could not be read ({shown}); those members are left out. "
                                "Write dates as YYYY-MM-DD.", len(members["bad"])).format(
                source=source, n=fmt.number(len(members["bad"])), shown=shown), icon=":material/warning:")
        if not members["ids"]:
            st.info(_("No join date could be read, so members cannot be compared from the month they joined."))
            st.stop()
        dated = True
        result_bundle = cache.cached(impact.joined_effect, ds, k=k, member_ids=members["ids"],
                                  join_dates=members["dates"], undated_ids=members["undated"], segment=match)
    elif members is not None:
        result_bundle = cache.cached(impact.member_effect, ds, k=k, member_ids=members["all_ids"], segment=match)
    elif column and chosen:
        result_bundle = cache.cached(impact.member_effect, ds, k=k, member_column=column, member_values=list(chosen),
                                  segment=match)
    else:
        st.info(_("Pick the member column and the values that mean 'member', a column of join dates, or upload a "
                  "list of member ids."))
        st.stop()

result = result_bundle["result"]
treated, control = ui_text.IMPACT_SIDES[design]
st.markdown(ui_text.impact_sentence(result))
m = st.columns(4)
m[0].metric(_("Effect on month-{k} retention").format(k=k), points(result["effect_pp"]),
            None if result["effect_pp"] != result["effect_pp"]
            else _("{level}: {low} to {high}").format(level=fmt.percent(95, 0), low=fmt.number(result["ci_low_pp"], 1, sign=True),
                                                  high=fmt.number(result["ci_high_pp"], 1, sign=True)),
            delta_color="off", delta_arrow="off", help=ui_text.impact_method(result["method"]))
m[1].metric(_("Customers {side}").format(side=treated), fmt.number(result["treated_customers"]),
            ngettext("{n} cohort", "{n} cohorts", result["treated_cohorts"]).format(n=result["treated_cohorts"]),
            delta_color="off", delta_arrow="off")
m[2].metric(_("Customers {side}").format(side=control), fmt.number(result["control_customers"]),
            ngettext("{n} cohort", "{n} cohorts", result["control_cohorts"]).format(n=result["control_cohorts"]),
            delta_color="off", delta_arrow="off")
m[3].metric(_("Plain difference (no trend, no matching)"), points(result["naive_pp"]),
            help=_("Retention of one side minus the other's, all customers pooled: what a quick comparison would "
                   "say."))
if result["revenue_effect"] == result["revenue_effect"]:
    st.caption((_("Revenue per customer over months 0–{k} after joining: {effect} ({level} interval {low} to {high}).")
                if dated else
                _("Revenue per customer over months 0–{k}: {effect} ({level} interval {low} to {high}).")).format(
        k=k, level=fmt.percent(95, 0), effect=money(result["revenue_effect"], ds.currency, sign=True),
        low=money(result["revenue_low"], ds.currency, sign=True),
        high=money(result["revenue_high"], ds.currency, sign=True)))
for code in result["warnings"]:
    st.warning(ui_text.impact_warning(code, result), icon=":material/warning:")
st.caption(_("Method: {method}.").format(method=ui_text.impact_method(result["method"])))

if design == "launch":
    table = result_bundle["cohorts"]
    if len(table):
        st.plotly_chart(cache.reuse(charts.trend, table, result["launch"],
                                _("Month-{k} retention by cohort, the pre-launch trend and the launch").format(k=k),
                                _("Retained at month {k}, %").format(k=k),
                                (_("Before the launch"), _("After the launch"), _("Trend")), _("Launch"),
                                hover=(_("of {n} customers"), _("trend"))), key="impact_trend_chart")
    st.markdown(ui_text.impact_year_earlier(result["year_earlier"], k))
    shown = table.rename(columns={"expected_pct": "trend_pct"})
    st.caption(_("Download: month-k retention per cohort and the trend."))
    downloads.download_buttons(shown, _("impact_cohorts"), key="impact_cohorts")
else:
    curves = result_bundle["curves"]
    if len(curves):
        st.plotly_chart(cache.reuse(charts.curves, curves, _("Members against matched and all non-members"),
                                _("Months after joining") if dated else _("Months after the first purchase"),
                                _("Retained, %"),
                                (_("Members"), _("Matched non-members"), _("All non-members")),
                                month_word=_("month")), key="impact_curves_chart")
    st.subheader(_("Balance: were members already different?"))
    balance = result_bundle["balance"].assign(
        covariate=lambda f: f["covariate"].map(lambda c: str(ui_text.IMPACT_COVARIATES[c])))
    shown, config = widgets.readable(
        balance.assign(**{c: balance[c].map(lambda v: fmt.number(v, 2)) for c in balance.columns if c != "covariate"}),
        {c: str(t) for c, t in ui_text.IMPACT_BALANCE_LABELS.items()})
    st.dataframe(shown, hide_index=True, column_config=config, key="impact_balance")
    st.caption(_("Standardised mean difference: the gap in standard deviations; below 0.1 is usually read as "
                 "balanced."))
    downloads.download_buttons(balance, _("impact_balance"), key="impact_balance_download")

st.subheader(_("What it is worth"))
try:
    measured = cache.cached(inputs.measure, ds, period="month").iloc[0].to_dict()
except churn.NoChurnData:
    measured = {}
baseline = result["treated_pct"] - result["effect_pp"]
if not measured or measured.get("retention") != measured.get("retention") or baseline != baseline:
    st.info(_("Monthly retention cannot be measured from this dataset, so the effect cannot be valued here."))
else:
    c = st.columns(3)
    cost = c[0].number_input(money_label(_("Programme cost per member per month"), ds.currency), 0.0, None,
                             key=K.cost)
    margin = c[1].number_input(_("Gross margin (share of revenue, %)"), 0.0, 100.0, key=K.margin,
                               help=_("An assumption: the data has no costs."))
    arpu = measured.get("arpu")
    model = clv.Inputs(float(measured["active_customers"]), float(measured["retention"]),
                       float(arpu) if arpu == arpu else 0.0, margin, new_customers=float(measured["new_customers"]),
                       horizon=60, programme_cost=cost)
    effects = {"effect": result["effect_pp"], "low": result["ci_low_pp"], "high": result["ci_high_pp"]}
    worth = impact_value.worth(model, baseline, k, effects)
    shown = worth.assign(estimate=worth["estimate"].map(lambda e: str(ui_text.IMPACT_WORTH_ROWS[e])),
                         effect_pp=worth["effect_pp"].map(lambda v: fmt.number(v, 1, sign=True)),
                         x_pct=worth["x_pct"].map(lambda v: fmt.number(v, 2, sign=True)),
                         profit_change=worth["profit_change"].map(lambda v: fmt.number(v, 0, sign=True)),
                         break_even=worth["break_even"].map(lambda v: fmt.number(v, 2)))
    shown, config = widgets.readable(shown, {
        "estimate": _("Estimate"), "effect_pp": _("Month-{k} retention, points").format(k=k),
        "x_pct": _("Monthly churn removed, %"),
        "profit_change": money_label(_("Profit change over 5 years, after the programme's cost"), ds.currency),
        "break_even": money_label(_("Break-even cost per customer per month"), ds.currency)},
        )
    st.dataframe(shown, hide_index=True, column_config=config, key="impact_worth")
    st.caption(_("The comparison side lost {lost} of its customers by month {k}; the programme kept {effect} points "
                 "of them. The What-if scenario keeps the same share of the customers its model loses over those "
                 "months (as a cut of monthly churn), valued on this dataset's measured customers, retention and "
                 "revenue (present value over 5 years, {rate} discount a year). The interval's ends are valued the same "
                 "way.").format(lost=fmt.percent(100 - baseline, 1), k=k, rate=fmt.percent(10, 0),
                                effect=fmt.number(result["effect_pp"], 1, sign=True)))
    x = worth.loc[worth["estimate"] == "effect", "x_pct"].iloc[0]
    if x == x:
        st.page_link("pages/whatif.py", label=_("Use as scenario in What if"), icon=":material/calculate:",
                     query_params={"dataset": ds.id, **impact_value.whatif_query(x, cost, margin)})
    downloads.download_buttons(worth, _("impact_worth"), key="impact_worth_download")
st.caption(_("Download: the result in one row (effect, interval, customers, method, warning codes)."))
downloads.download_buttons(pd.DataFrame([impact.summary_row(result)]).assign(
    warnings=lambda f: f["warnings"].map(" ".join)), _("impact_result"), key="impact_result")
