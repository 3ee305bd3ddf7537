"""Churn page, "Retention rate": the pooled figures, the kept-share line and its table, and next to them the purchase
model's expected active customers and churn."""

from __future__ import annotations

import streamlit as st

from retention import state, ui_text
from retention.charts import churn as charts
from retention.fmt import number, percent
from retention.i18n import _
from retention.metrics import btyd, churn, customers, headline
from retention.ui import cache, downloads, widgets
from retention.ui.churn import View
from retention.ui_text import PER_PERIOD, PERIOD_NAMES, complete_periods, texts
from retention.ui_text.churn import ACTIVE, ALT, DEFINITION, DOWNLOADS, MEASURES, MODEL_LABELS, RATE_LABELS, pts

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
    """The BG/NBD model's expected active customers and churn per period, next to the inactivity window's. When
    the model failed its calibration/holdout check (headline.model_check, the same check the Overview's headline
    uses), the page says so and why, and its figures go into an expander: they are not a measurement then."""
    period, as_of, s = v.period, v.as_of, v.summary
    try:
        frame = cache.cached(customers.model_churn, v.ds, period=period, as_of=as_of)
    except btyd.NoModelData:
        return
    m = customers.model_churn_summary(frame)
    if not m["periods"]:
        return
    per = PER_PERIOD[period]
    check = cache.cached(headline.model_check, v.ds, as_of=as_of)
    if not check["used"]:
        st.caption(ui_text.model_not_used(check))
    shown = st.container() if check["used"] else st.expander(_("The purchase model's figures (not used)"))
    c = shown.columns(3)
    c[0].metric(_("Expected active customers (Σ P(alive))"), number(m["expected_active"]),
                help=str(ui_text.P_ALIVE_HELP))
    c[1].metric(_("Model churn {per}").format(per=per), percent(m["churn_pct"]),
                _("{difference} vs the window").format(difference=pts(m["churn_pct"] - s["churn_pct"], 1))
                if s["periods"] else None,
                delta_color="off", delta_arrow=widgets.arrow(m["churn_pct"] - s["churn_pct"], 1),
                help=str(ui_text.MODEL_CHURN_HELP))
    c[2].metric(_("Model retention {per}").format(per=per), percent(m["retention_pct"]))
    shown.caption(ui_text.model_churn_difference(period, m["periods"]))
    table = frame
    labels = texts(MODEL_LABELS)
    with st.expander(_("Model churn {per}").format(per=per)):
        readable_table, config = widgets.readable(table, labels, {k: "{:,.0f}" for k in ("expected_start", "expected_kept",
                                             "expected_active_end")} | {"model_retention_pct": "{:.1f}",
                                                                        "model_churn_pct": "{:.1f}"},
                                             date_columns=("period_start",))
        st.dataframe(readable_table, hide_index=True, key="churn_model_table", column_config=config)
    v.report.table(table.rename(columns=labels), _("Model churn {per}").format(per=per))

