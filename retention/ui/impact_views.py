"""The views of "Did it work?" (pages/impact.py calls them): who the members are (members design), the result's
figures, the launch's trend or the members' curves and balance, and what the effect is worth. `bundle` is what
metrics.impact's launch_effect / member_effect / joined_effect return, `result` its "result"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.charts import impact as charts
from retention.fmt import money_label
from retention.i18n import _
from retention.metrics import churn, impact
from retention.scenarios import impact_value, inputs
from retention.ui import cache, downloads, links, widgets
from retention.ui_text import impact as words
from retention.ui_text.impact import points

K = state.keys(state.Impact)


def member_effect(ds, c: list, segments: list[str], values: pd.DataFrame, k: int) -> tuple[dict, bool]:
    """The members design's controls (the member column and its values in the columns `c`; below them join dates,
    a segment to match on, a member list) and the effect they ask for: (bundle, whether members have join dates).
    values: cohorts.attribute_values. Stops the page while nothing says who the members are."""
    if not segments:
        st.info(_("Mark members with a segment column (for example a 'member' or 'loyalty' column mapped as a segment "
                  "on the upload page), a column of join dates, or upload a list of member ids below."))
    column = c[1].selectbox(_("Member column"), segments or [None], key=K.member_column,
                            format_func=lambda s: "—" if s is None else s)
    chosen = c[2].multiselect(_("Values that mean member"), impact.column_values(values, column) if column else [],
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
    members = _listed_members(ds, uploaded, join_column)
    if members is not None and members["dated"]:
        _check_join_dates(members, widgets.md(uploaded.name if uploaded is not None else join_column))
        return cache.cached(impact.joined_effect, ds, k=k, member_ids=members["ids"], join_dates=members["dates"],
                            undated_ids=members["undated"], segment=match), True
    if members is not None:
        return cache.cached(impact.member_effect, ds, k=k, member_ids=members["all_ids"], segment=match), False
    if column and chosen:
        return cache.cached(impact.member_effect, ds, k=k, member_column=column, member_values=list(chosen),
                            segment=match), False
    st.info(_("Pick the member column and the values that mean 'member', a column of join dates, or upload a "
              "list of member ids."))
    st.stop()


def _listed_members(ds, uploaded, join_column: str | None) -> dict | None:
    """The members an uploaded list (impact.read_member_list) or a column of join dates names; None: neither."""
    if uploaded is not None:
        members = impact.read_member_list(uploaded.getvalue().decode("utf-8-sig", errors="replace"))
        st.caption(words.ids_read(len(members["all_ids"]), widgets.md(uploaded.name)))
        return members
    if join_column:
        members = {**cache.cached(impact.join_dates_from_column, ds, column=join_column), "dated": True}
        st.caption(_("Members: the customers with a join date in {column}; the member column is not used.").format(
            column=widgets.md(join_column)))
        return members
    return None


def _check_join_dates(members: dict, source: str) -> None:
    """Warn about join dates that could not be read; stop the page when none could."""
    if members["bad"]:
        st.warning(words.unread_join_dates(source, members["bad"], widgets.md), icon=":material/warning:")
    if not members["ids"]:
        st.info(_("No join date could be read, so members cannot be compared from the month they joined."))
        st.stop()


def result_figures(ds, result: dict, k: int, design: str, dated: bool) -> None:
    """The finding in words, the effect with its interval, the customers on each side, the plain difference,
    the effect on revenue, the warnings and the method."""
    treated, control = ui_text.IMPACT_SIDES[design]
    st.markdown(ui_text.impact_sentence(result))
    m = st.columns(4)
    m[0].metric(_("Effect on month-{k} retention").format(k=k), points(result["effect_pp"]),
                words.effect_interval(result), delta_color="off", delta_arrow="off",
                help=ui_text.impact_method(result["method"]))
    m[1].metric(_("Customers {side}").format(side=treated), fmt.number(result["treated_customers"]),
                words.cohorts_count(result["treated_cohorts"]), delta_color="off", delta_arrow="off")
    m[2].metric(_("Customers {side}").format(side=control), fmt.number(result["control_customers"]),
                words.cohorts_count(result["control_cohorts"]), delta_color="off", delta_arrow="off")
    m[3].metric(_("Plain difference (no trend, no matching)"), points(result["naive_pp"]),
                help=_("Retention of one side minus the other's, all customers pooled: what a quick comparison would "
                       "say."))
    if result["revenue_effect"] == result["revenue_effect"]:
        st.caption(words.revenue_effect(result, k, dated, ds.currency))
    for code in result["warnings"]:
        st.warning(ui_text.impact_warning(code, result), icon=":material/warning:")
    st.caption(_("Method: {method}.").format(method=ui_text.impact_method(result["method"])))


def launch_details(bundle: dict, result: dict, k: int) -> None:
    """Month-k retention by cohort against the pre-launch trend, the seasonality check, the cohorts to download."""
    table = bundle["cohorts"]
    if len(table):
        st.plotly_chart(cache.reuse(charts.trend, table, result["launch"],
                                    _("Month-{k} retention by cohort, the pre-launch trend and the launch").format(k=k),
                                    _("Retained at month {k}, %").format(k=k),
                                    (_("Before the launch"), _("After the launch"), _("Trend")), _("Launch"),
                                    hover=(_("of {n} customers"), _("trend"))), key="impact_trend_chart")
    st.markdown(ui_text.impact_year_earlier(result["year_earlier"], k))
    st.caption(_("Download: month-k retention per cohort and the trend."))
    downloads.download_buttons(table.rename(columns={"expected_pct": "trend_pct"}), _("impact_cohorts"),
                               key="impact_cohorts")


def members_details(bundle: dict, dated: bool) -> None:
    """Members' retention curves against matched and all non-members, and the balance table."""
    curves = bundle["curves"]
    if len(curves):
        st.plotly_chart(cache.reuse(charts.curves, curves, _("Members against matched and all non-members"),
                                    _("Months after joining") if dated else _("Months after the first purchase"),
                                    _("Retained, %"),
                                    (_("Members"), _("Matched non-members"), _("All non-members")),
                                    month_word=_("month")), key="impact_curves_chart")
    st.subheader(_("Balance: were members already different?"))
    balance = bundle["balance"].assign(
        covariate=lambda f: f["covariate"].map(lambda c: str(ui_text.IMPACT_COVARIATES[c])))
    shown, config = widgets.readable(
        balance.assign(**{c: balance[c].map(lambda v: fmt.number(v, 2)) for c in balance.columns if c != "covariate"}),
        {c: str(t) for c, t in ui_text.IMPACT_BALANCE_LABELS.items()})
    st.dataframe(shown, hide_index=True, column_config=config, key="impact_balance")
    st.caption(_("Standardised mean difference: the gap in standard deviations; below 0.1 is usually read as "
                 "balanced."))
    downloads.download_buttons(balance, _("impact_balance"), key="impact_balance_download")


def worth_section(ds, result: dict, k: int) -> None:
    """What the effect is worth on the What-if model of this dataset (programme cost and margin chosen here),
    with a link that opens it as a What-if scenario."""
    st.subheader(_("What it is worth"))
    try:
        measured = cache.cached(inputs.measure, ds, period="month").iloc[0].to_dict()
    except churn.NoChurnData:
        measured = {}
    if not impact_value.can_value(measured, result):
        st.info(_("Monthly retention cannot be measured from this dataset, so the effect cannot be valued here."))
        return
    c = st.columns(3)
    cost = c[0].number_input(money_label(_("Programme cost per member per month"), ds.currency), 0.0, None,
                             key=K.cost)
    margin = c[1].number_input(_("Gross margin (share of revenue, %)"), 0.0, 100.0, key=K.margin,
                               help=_("An assumption: the data has no costs."))
    worth = impact_value.result_worth(result, measured, k, margin, cost)
    shown, labels = words.worth_table(worth, k, ds.currency)
    shown, config = widgets.readable(shown, labels)
    st.dataframe(shown, hide_index=True, column_config=config, key="impact_worth")
    st.caption(words.worth_note(impact_value.baseline_pct(result), k, result["effect_pp"]))
    x = impact_value.effect_x(worth)
    if x == x:
        st.page_link("pages/whatif.py", label=_("Use as scenario in What if"), icon=":material/calculate:",
                     query_params=links.to_view(ds.id, state.WhatIf, **impact_value.whatif_scenario(x, cost, margin)))
    downloads.download_buttons(worth, _("impact_worth"), key="impact_worth_download")
