"""Churn: how many customers leave per period (CRR), who comes and goes (lifecycle), and why they leave."""

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.ui.churn import View
from retention.ui.churn.drivers import drivers_tab
from retention.ui.churn.lead import lead_with_dates, lead_without_dates
from retention.ui.churn.reasons import reasons_tab
from retention.ui.churn.winback import winback_tab
from retention.fmt import money_label, number, percent
from retention.charts import churn as charts
from retention.i18n import _
from retention.metrics import btyd, churn, customers, lifecycle
from retention.ui_text import PER_PERIOD, PERIOD_NAMES, complete_periods, texts
from retention.ui_text.churn import (ACTIVE, ALT, BASES, DEFINITION, DOWNLOADS, LAST_COMPLETE, LIFE_LABELS, MEASURES,
                                     MODEL_LABELS, RATE_LABELS, REVENUE_LABELS, TABS, pts)

K = state.keys(state.Churn)


def rate_tab(v: View) -> None:
    """Retention rate: the pooled figures, the kept-share line and its table; the definitions in an expander."""
    info, period, basis, days, frame, s = v.info, v.period, v.basis, v.days, v.frame, v.summary
    per = PER_PERIOD[period]
    if s["periods"]:
        m = st.columns(3)
        m[0].metric(_("Kept {per} (active at start and end)").format(per=per), percent(s["alt_crr_pct"]),
                    help=_("Of the customers at the start of each period, the share still customers at its end; "
                           "pooled over the last {periods}. The headline's definition.").format(
                        periods=complete_periods(s["periods"], period)))
        m[1].metric(_("Standard formula (CE − CN) ÷ CS {per}").format(per=per), percent(s["crr_pct"]),
                    pts(-s["difference_pp"]), delta_color="off", delta_arrow=widgets.arrow(-s["difference_pp"]),
                    help=_("Also subtracts customers who joined and left within a period. Difference from the "
                           "kept share, in percentage points."))
        m[2].metric(_("Churn {per} (standard formula)").format(per=per), percent(s["churn_pct"]))
    measure = st.radio(_("Show"), list(MEASURES), format_func=lambda m: str(MEASURES[m]), horizontal=True,
                       key=K.measure)
    title = (_("Over the last {periods}, {pct} of customers were kept {per}").format(
        periods=complete_periods(s["periods"], period), pct=percent(s["alt_crr_pct"]), per=per)
        if s["periods"] else _("Retention {per}").format(per=per))
    y = _("Retention {per} (%)") if measure == "crr" else _("Churn {per} (%)")
    v.report.chart(cache.reuse(charts.rate_lines, frame, measure, {"standard": _("Standard (CE − CN)/CS"), "alternative":
                 _("Kept (active at start and end)"), "band": _("{level} interval (kept)").format(level=percent(95, 0)), "x": str(PERIOD_NAMES[period]),
                 "y": y.format(per=per)}, title), "churn_rate_chart")
    if basis == "purchases":
        model_figures(v)
    with st.expander(_("How it is counted")):
        left = _("{no_signup} without a signup date, {no_date} churned without a date").format(
            no_signup=number(info.without_signup), no_date=number(info.churned_without_date))
        st.markdown(DEFINITION.format(small=churn.SMALL_SAMPLE, n=f"{churn.PERIODS_PER_YEAR[period]:g}",
                                      active=ACTIVE[basis].format(w=days, left=left)))
        st.markdown(ALT.format(level=percent(95, 0)))
    table = frame[["period_start", "complete", "warm_up", "customers_start", "new_customers", "lost",
                   "customers_end", "alt_crr_pct", "crr_pct", "churn_pct", "difference_pp"]]
    labels = texts(RATE_LABELS)
    readable_table, config = widgets.readable(table, labels, {c: "{:.1f}" for c in ("alt_crr_pct", "crr_pct", "churn_pct")}
                                         | {"difference_pp": "{:+.2f}"}, date_columns=("period_start",))
    st.dataframe(readable_table, hide_index=True, key="churn_table", column_config=config)
    v.report.table(table.rename(columns=labels), _("Retention {per}").format(per=per))
    downloads.download_buttons(table.rename(columns=labels), str(DOWNLOADS[period]), key="churn_table_download")


def model_figures(v: View) -> None:
    """The BG/NBD model's expected active customers and churn per period, next to the inactivity window's."""
    period, as_of, s = v.period, v.as_of, v.summary
    try:
        frame = cache.cached(customers.model_churn, v.ds, period=period, as_of=as_of)
    except btyd.NoModelData:
        return
    m = customers.model_churn_summary(frame)
    if not m["periods"]:
        return
    per = PER_PERIOD[period]
    c = st.columns(3)
    c[0].metric(_("Expected active customers (Σ P(alive))"), number(m["expected_active"]),
                help=str(ui_text.P_ALIVE_HELP))
    c[1].metric(_("Model churn {per}").format(per=per), percent(m["churn_pct"]),
                _("{difference} vs the window").format(difference=pts(m["churn_pct"] - s["churn_pct"], 1))
                if s["periods"] else None,
                delta_color="off", delta_arrow=widgets.arrow(m["churn_pct"] - s["churn_pct"], 1),
                help=str(ui_text.MODEL_CHURN_HELP))
    c[2].metric(_("Model retention {per}").format(per=per), percent(m["retention_pct"]))
    st.caption(ui_text.model_churn_difference(period, m["periods"]))
    table = frame
    labels = texts(MODEL_LABELS)
    with st.expander(_("Model churn {per}").format(per=per)):
        readable_table, config = widgets.readable(table, labels, {k: "{:,.0f}" for k in ("expected_start", "expected_kept",
                                             "expected_active_end")} | {"model_retention_pct": "{:.1f}",
                                                                        "model_churn_pct": "{:.1f}"},
                                             date_columns=("period_start",))
        st.dataframe(readable_table, hide_index=True, key="churn_model_table", column_config=config)
    v.report.table(table.rename(columns=labels), _("Model churn {per}").format(per=per))


def lifecycle_tab(v: View) -> None:
    """New, came back, retained and churned customers per period, and the quick ratio."""
    period, params = v.period, v.params
    life = cache.cached(lifecycle.lifecycle, v.ds, **params)
    done = life[life["complete"] & ~life["warm_up"]]
    ratio = done["quick_ratio"].tail(1).iloc[0] if len(done) else float("nan")
    if ratio == ratio:
        title = (_("Quick ratio {ratio} {when}: the base grows") if ratio > 1 else
                 _("Quick ratio {ratio} {when}: the base shrinks")).format(ratio=number(ratio, 2),
                                                                         when=LAST_COMPLETE[period])
    else:
        title = _("Customers gained and lost {per}").format(per=PER_PERIOD[period])
    v.report.chart(cache.reuse(charts.lifecycle_bars, life, {"new": _("New"), "resurrected": _("Came back"),
                 "retained": _("Retained"), "churned": _("Churned"), "quick_ratio": _("Quick ratio"),
                 "x": str(PERIOD_NAMES[period]), "y": _("Customers (churned below 0)"), "y2": _("Quick ratio")},
                 title), "churn_life")
    st.caption(_("Retained = active at start and end; new = first time a customer; came back = active again after "
                 "a lapse; churned = active at the start, not at the end. Quick ratio = (new + came back) / churned. "
                 "Customers who joined and left within the same period are in no bar (column “Joined and left in "
                 "the period”)."))
    labels = texts(LIFE_LABELS)
    readable_table, config = widgets.readable(life, labels, {"quick_ratio": "{:.2f}"},
                                         date_columns=("period_start", "period_end"))
    st.dataframe(readable_table, hide_index=True, key="churn_life_table", column_config=config)
    v.report.table(life.rename(columns=labels), _("Lifecycle"))


def revenue_tab(v: View) -> None:
    """Gross and net revenue retention from one period to the next."""
    info, period, as_of = v.info, v.period, v.as_of
    revenue = cache.cached(churn.revenue_retention, v.ds, period=period, as_of=as_of)
    if info.has_amounts and len(revenue):
        v.report.chart(cache.reuse(charts.revenue_lines, revenue, {"grr": _("Gross (GRR)"), "nrr": _("Net (NRR)"), "x":
                     str(PERIOD_NAMES[period]), "y": _("Revenue kept from the previous period (%)")},
                     _("Revenue kept from one period to the next ({per})").format(per=PER_PERIOD[period])),
                     "churn_revenue")
        st.caption(_("Base: customers who bought in the previous period. GRR = their revenue now, each capped at "
                     "what they spent before, / their revenue before; NRR = their revenue now / before (growth "
                     "counts). Refunds subtract. New customers are not in the base."))
        labels = texts(REVENUE_LABELS)
        labels |= {k: money_label(labels[k], v.ds.currency) for k in ("base_revenue", "kept_gross", "kept_net")}
        readable_table, config = widgets.readable(revenue, labels, {"base_revenue": "{:,.2f}", "kept_gross": "{:,.2f}",
                                             "kept_net": "{:,.2f}", "grr_pct": "{:.1f}", "nrr_pct": "{:.1f}"},
                                             date_columns=("period_start", "period_end"))
        st.dataframe(readable_table, hide_index=True, key="churn_revenue_table", column_config=config)
        v.report.table(revenue.rename(columns=labels), _("Revenue retention"))
    else:
        st.info(_("Revenue retention needs purchases with amounts."))


ds = datasets.dataset()
st.title(_("Churn"))
st.caption(_("How many customers leave each period, who comes and goes, and why they leave."))
lead = st.container()
report_sections = downloads.ReportSections()
try:
    info = cache.cached(churn.basis_info, ds).iloc[0]
except churn.NoChurnData:
    info = None

segments = datasets.segment_attributes(ds)
bases, last_day = (churn.available_bases(info), pd.Timestamp(info.as_of).date()) if info is not None else ([], None)
first_day = (datasets.data_days(ds)[0] or last_day) if info is not None else None
links.page_state(state.Churn, state.churn_limits(bases, info.basis if info is not None else None, last_day, segments,
                                              first_day))
view = View(ds=ds, report=report_sections, segments=segments, days=churn.DEFAULT_INACTIVE_DAYS)
if info is not None:
    c = st.columns(4)
    period = c[0].selectbox(_("Period"), list(PERIOD_NAMES), format_func=lambda p: str(PERIOD_NAMES[p]), key=K.period)
    basis = c[1].selectbox(_("Who counts as active"), bases, format_func=lambda b: str(BASES[b]), key=K.basis,
                           help=_("Customers file: signed up and not yet cancelled. Purchases: from the first "
                                  "purchase until W days after the last."))
    days = view.days
    if basis == "purchases":
        hint = cache.cached(churn.inactivity_hint, ds).iloc[0]
        days = c[2].number_input(_("Inactivity window W (days)"), 1, 3650, key=K.days,
                                 help=_("Lapsed W days after the last purchase. In this data, {share} of the gaps "
                                        "between a customer's purchases are {days} days or less.").format(share=percent(90, 0),
                                     days=number(hint.p90_days)))
    as_of = c[3].date_input(_("Analysis date"), min_value=first_day, max_value=last_day, key=K.as_of).isoformat()
    params = dict(period=period, basis=basis, inactive_days=int(days), as_of=as_of)
    frame = cache.cached(churn.retention_by_period, ds, **params)
    view = View(ds=ds, report=report_sections, segments=segments, info=info, period=period, basis=basis, days=days,
                as_of=as_of, frame=frame, summary=churn.crr_summary(frame, period), params=params)
with lead:
    if info is not None:
        lead_with_dates(view)
    else:
        lead_without_dates(view)
if info is not None:
    tab, panel = widgets.tabs(texts(TABS), key=K.tab)
    with panel:
        {"rate": rate_tab, "lifecycle": lifecycle_tab, "revenue": revenue_tab, "reasons": reasons_tab,
         "drivers": drivers_tab, "winback": winback_tab}[tab](view)
else:  # no dates: no tabs, the reasons, the drivers and the win-back list one under the other
    reasons_tab(view)
    st.header(_("Drivers"))
    drivers_tab(view)
    winback_tab(view)
downloads.report_button(_("Churn"), report_sections, key="churn_report")
