"""Churn page, "Drivers": the attributes that go with churning, a chart per attribute, the model, the rules."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.charts import drivers as driver_charts
from retention.fmt import money_label, number, percent
from retention.i18n import _
from retention.metrics import churn, cohorts, drivers
from retention.ui import cache, connections, downloads, links, widgets
from retention.ui.churn import View
from retention.ui_text import texts
from retention.ui_text.churn import DOWNLOADS


def drivers_tab(v: View) -> None:
    """Churn drivers: the attributes that go with churning, ranked; a chart per attribute, the model, the rules."""
    ds, report = v.ds, v.report
    days = int(v.days) if v.basis == "purchases" else churn.DEFAULT_INACTIVE_DAYS
    try:
        found = cache.cached(drivers.drivers, ds, inactive_days=days)
    except drivers.NoDrivers:
        st.info(_("Churn drivers are computed on uploaded datasets, not on a remote engine.") if connections.is_engine(ds.id) else
                _("Churn drivers need to know who churned: a customers file with a churn status or cancel date, or "
                  "dated purchases."))
        return
    ranking, values, t = found["ranking"], found["values"], ui_text
    st.markdown(t.driver_definition(found["definition"]) + " " + t.driver_churned_share(found["churned"],
                                                                                     found["customers"]))
    if ranking.empty:
        st.info(_("No column of the data can be compared (see the columns left out below)."))
    beyond = ranking[ranking["significant"]]
    for row in beyond.head(3).to_dict("records"):
        st.markdown("- " + t.driver_sentence(row | {"attribute": t.driver_attribute(row["attribute"])},
                                             found["customers"], found["churned"], widgets.md))
    if len(ranking) and beyond.empty:
        st.markdown(_("No attribute's churn differs beyond what chance gives (Holm-corrected p ≥ 0.05)."))
    if len(ranking):
        shown = ranking.assign(top_value=ranking["top_value"].map(t.driver_value),
                               attribute=ranking["attribute"].map(t.driver_attribute),
                               kind=ranking["kind"].map(lambda k: str(t.DRIVER_KINDS.get(k, k))))[
            ["rank", "attribute", "top_value", "top_churn_pct", "top_diff_pp", "top_excess_churned", "cramers_v",
             "p_adjusted", "significant", "kind", "values"]]
        table, config = widgets.readable(shown, texts(t.DRIVER_RANK_LABELS), {"top_churn_pct": "{:.1f}",
                                    "top_diff_pp": "{:+.1f}", "top_excess_churned": "{:,.0f}", "cramers_v": "{:.3f}",
                                    "p_adjusted": "{:.2g}"})
        st.dataframe(table, hide_index=True, key="churn_drivers_rank", column_config=config)
        st.caption(_("Ranked by how much of churn each attribute explains: attributes beyond chance first (chi-square "
                     "test, p-values corrected for the number of attributes tested, Holm), then by Cramér's V "
                     "corrected for the number of values, so a column with many small groups does not win by noise. "
                     "Numbers are cut into bins of about equal size with rounded edges ('6–19': 6 to 19; '39–<63': "
                     "39 up to under 63). Tenure, orders and revenue to date grow while a customer stays, so churned "
                     "customers have less of them partly because they left: they are ranked, but kept out of the "
                     "model below."))
        attribute = st.selectbox(_("Attribute"), ranking["attribute"].tolist(), key="churn_driver_attribute",
                                 format_func=t.driver_attribute)
        rows = values[values["attribute"] == attribute]
        overall = 100 * found["churned"] / max(found["customers"], 1)
        top = ranking[ranking["attribute"] == attribute].iloc[0]
        report.chart(cache.reuse(driver_charts.value_bars, rows, overall, {"x": _("Churned (%), with the {level} interval").format(level=percent(95, 0)), "of": _("of"),
                     "overall": _("everyone {pct}").format(pct=percent(overall)), "blank": str(t.DRIVER_BLANK)},
                     _("{attribute}: “{value}” churns at {pct}").format(
                         attribute=t.driver_attribute(attribute), value=t.driver_value(top["top_value"]),
                         pct=percent(top["top_churn_pct"]))), "churn_driver_chart")
        labels = texts(t.DRIVER_VALUE_LABELS)
        labels |= {"excess_revenue": money_label(labels["excess_revenue"], ds.currency)}
        shown_rows = rows.assign(value=rows["value"].map(t.driver_value))
        table, config = widgets.readable(shown_rows, labels, {c: "{:.1f}" for c in ("churn_pct", "ci_low_pct", "ci_high_pct",
                                    "rest_pct")} | {"diff_pp": "{:+.1f}", "excess_churned": "{:+,.0f}",
                                    "excess_revenue": "{:+,.0f}"})
        st.dataframe(table, hide_index=True, key="churn_driver_values", column_config=config)
        st.caption(_("Grey bars: fewer than {n} customers, read with care. Churned customers the difference accounts "
                     "for = churned − customers × everyone else's churn rate.").format(n=drivers.SMALL))
        driver_links(v, attribute, rows)
        downloads.download_buttons(values.assign(value=values["value"].map(t.driver_value)), str(DOWNLOADS["drivers"]),
                            key="churn_drivers_download")
        report.table(values, _("Churn drivers"))
        multivariable_view(v, days)
    left_out = found["excluded"]
    if len(left_out):
        with st.expander(_("Columns never used as drivers ({n})").format(n=number(len(left_out)))):
            for r in left_out.itertuples():
                st.markdown(f"- **{widgets.md(r.column)}**: {t.DRIVER_EXCLUDED.get(r.reason, r.reason)}")


def driver_links(v: View, attribute: str, rows: pd.DataFrame) -> None:
    """Links that open Cohorts and the win-back list filtered to one value of a segment attribute."""
    ds, segments = v.ds, v.segments
    known = cache.cached(cohorts.attribute_values, ds)
    if attribute not in set(known["attribute"]) and attribute not in segments:
        return
    choices = [x for x in rows.sort_values("order")["value"] if x is not None and x == x]
    value = st.selectbox(_("Look at the customers with this {attribute}").format(attribute=widgets.md(attribute)), choices,
                         key="churn_driver_value")
    if value is None:
        return
    c = st.columns(2)
    if attribute in set(known["attribute"]):
        c[0].page_link("pages/cohorts.py", label=_("Cohorts of {attribute} “{value}”").format(
                       attribute=widgets.md(attribute), value=widgets.md(value)), icon=":material/grid_on:",
                       query_params=links.to_view(ds.id, state.Cohorts, filter_by=attribute, filter_values=(value,)))
    if attribute in segments:
        c[1].page_link("pages/churn.py", label=_("Win-back list of {attribute} “{value}”").format(
                       attribute=widgets.md(attribute), value=widgets.md(value)), icon=":material/group:",
                       query_params=links.to_view(ds.id, state.Churn, tab="winback", list_segment=attribute,
                                                  list_values=(value,)))


def multivariable_view(v: View, days: int) -> None:
    """Logistic regression on the top attributes (odds ratios, holdout AUC), the top combinations, the gap over time."""
    ds, report = v.ds, v.report
    multi = cache.cached(drivers.multivariable, ds, inactive_days=days)
    fit, t = multi["model"], ui_text
    st.subheader(_("The top attributes together"))
    rules = multi["rules"]
    if len(rules):
        st.markdown(_("Churn by combination of the two top attributes (highest and lowest):"))
        for row in rules.to_dict("records"):
            st.markdown("- " + t.driver_rule(row | {k: t.driver_attribute(row[k]) for k in ("first", "second")}, widgets.md))
    if len(fit["odds"]):
        named = fit["odds"].assign(attribute=fit["odds"]["attribute"].map(t.driver_attribute))
        fitted = named[named["status"] == "ok"]  # the values without an odds ratio are named below
        report.chart(cache.reuse(driver_charts.odds_forest, fitted, {"x": _("Odds ratio (log scale; 1 = as the "
                     "most common value)"), "blank": str(t.DRIVER_BLANK)}, _("Each attribute with the others held equal")),
                     "churn_driver_odds")
        st.caption(t.driver_model_note(fit["auc"], fit["train"], fit["test"])
                   + (" " + _("Fitted on a sample of {n} customers.").format(n=number(multi["rows"]))
                      if multi["sampled"] else ""))
        flags = t.driver_model_flags(named, fit.get("fallback"), t.driver_value)
        if flags:
            st.caption(flags)
        odds = named.assign(value=named["value"].map(t.driver_value), reference=named["reference"].map(t.driver_value))
        table, config = widgets.readable(odds, texts(t.DRIVER_ODDS_LABELS), {"odds_ratio": "{:.2f}", "or_low": "{:.2f}",
                                    "or_high": "{:.2f}", "p_value": "{:.2g}"})
        st.dataframe(table, hide_index=True, key="churn_driver_odds_table", column_config=config)
    gaps = multi["over_time"]
    if len(gaps):
        report.chart(cache.reuse(driver_charts.gap_lines, gaps, {"x": _("Cohort (year customers started)"),
                     "y": _("Churn vs everyone else (points)"), "blank": str(t.DRIVER_BLANK)},
                     _("{attribute}: churn gap by cohort").format(attribute=t.driver_attribute(multi["top"]))),
                     "churn_driver_time")
        st.caption(_("Each value's churn minus that of everyone else who started the same year; hollow points: fewer "
                     "than {n} customers. Older cohorts have had longer to churn, so compare the gaps, not the "
                     "levels.").format(n=drivers.SMALL))
