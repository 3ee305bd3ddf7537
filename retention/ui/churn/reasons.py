"""Churn page, "Why they leave": the reason spellings editor, Pareto, over time, by segment, lost revenue, tenure."""

from __future__ import annotations

import zlib

import pandas as pd
import streamlit as st

from retention import state
from retention.charts import churn as charts
from retention.fmt import money_label, number, percent
from retention.i18n import _
from retention.metrics import reasons
from retention.ui import cache, downloads, widgets
from retention.ui.churn import View
from retention.ui_text import PER_PERIOD, reason_label, segment_name, segment_value, texts
from retention.ui_text.churn import DOWNLOADS, SEGMENT_LABELS

K = state.keys(state.Churn)

SYNONYMS = "churn_synonyms_edited"  # the viewer's reason spellings table, kept while other tabs are open


def reason_params() -> dict:
    """The reason mapping every reason query takes: the viewer's spellings table (if edited) and the fold share."""
    return dict(synonyms=st.session_state.get(SYNONYMS), min_share_pct=st.session_state.get(K.fold, 0.0))


def reasons_tab(v: View) -> None:
    """Why customers leave: Pareto, over time, by segment, lost revenue and tenure at churn."""
    ds, report, segments = v.ds, v.report, v.segments
    info, period, as_of = v.info, v.period, v.as_of
    per = PER_PERIOD[period]
    st.slider(_("Fold reasons given by fewer than this share of churned customers into “{other}” (%)").format(
        other=reason_label(reasons.OTHER)), 0.0, 10.0, step=0.5, key=K.fold)
    with st.expander(_("Reason spellings → reason (edit to merge reasons)")):
        saved = st.session_state.get(SYNONYMS)
        shown = pd.DataFrame(reasons.read_synonyms() if saved is None else saved, columns=["variant", "reason"])
        # keyed by the table it starts from: after an edit is kept, the editor starts afresh from the kept table
        edited = st.data_editor(shown, num_rows="dynamic", hide_index=True,
                                column_config={"variant": _("Spelling in the file"), "reason": _("Reason")},
                                key=f"churn_synonyms_{zlib.crc32(repr(saved).encode())}")
        if not edited.equals(shown):
            st.session_state[SYNONYMS] = edited.dropna().astype(str).values.tolist()
    rp = reason_params()
    counts = cache.cached(reasons.reason_counts, ds, **rp)
    if counts.empty:
        st.info(_("No churned customers with a known churn in this data (a customers file with a cancel date, a "
                  "churn status or a churn reason is needed)."))
    else:
        top = counts.iloc[0]
        shown_counts = counts.assign(reason=counts["reason"].map(reason_label))
        report.chart(cache.reuse(charts.pareto, shown_counts, {"churned": _("Churned customers"),
                     "cumulative": _("Cumulative share"), "x": _("Reason"), "y": _("Churned customers"),
                     "y2": _("Cumulative share (%)")},
                     _("“{reason}” is the most common reason: {pct} of {n} churned customers").format(
                         reason=reason_label(top.reason), pct=percent(top.share_pct, 0),
                         n=number(counts.churned.sum()))), "churn_pareto")
        downloads.download_buttons(report.table(shown_counts, _("Churn reasons")), str(DOWNLOADS["reasons"]),
                            key="churn_reasons_download")
        over = cache.cached(reasons.reasons_over_time, ds, period=period, as_of=as_of, **rp) if info is not None else None
        if over is not None and len(over):
            share = st.toggle(_("Show shares instead of counts"), key=K.reason_share)
            over = over.assign(reason=over["reason"].map(reason_label)) if "reason" in over else over
            report.chart(cache.reuse(charts.reasons_area, over, "share_pct" if share else "churned",
                         {"x": _("Period of churn"), "y": _("Share of churned (%)") if share else _("Churned customers")},
                         _("Churn reasons {per}").format(per=per)), "churn_reason_time")
        if segments:
            seg = st.selectbox(_("Reasons by segment"), segments, key=K.segment, format_func=segment_name)
            by = cache.cached(reasons.reasons_by_segment, ds, segment=seg, **rp)
            by = by.assign(reason=by["reason"].map(reason_label)) if "reason" in by else by
            by = by.assign(segment=by["segment"].map(lambda v: segment_value(seg, v))) if "segment" in by else by
            report.chart(cache.reuse(charts.segment_heatmap, by, {
                         "x": _("Reason"), "y": segment_name(seg), "colorbar": _("vs overall"), "share": _("of the segment's churned"), "index": _("index"),
                         "none": _("(no value)"), "small": _(" (few)")},
                         _("Which {segment} leaves for which reason").format(segment=segment_name(seg))), "churn_segment_map")
            st.caption(_("Blue: the reason is more common in this segment than overall; orange: less. Cells show the "
                         "share of the segment's churned customers. “(few)”: fewer than {n} churned customers, read "
                         "with care. Residual beyond ±2 in the table: unlikely to be chance.").format(
                n=reasons.SMALL_SEGMENT))
            labels = texts(SEGMENT_LABELS) | {"segment": segment_name(seg)}
            readable_table, config = widgets.readable(by, labels, {
                "share_pct": "{:.1f}", "overall_share_pct": "{:.1f}", "index": "{:.0f}", "residual": "{:+.1f}"})
            st.dataframe(readable_table, hide_index=True, key="churn_segment_table", column_config=config)
            report.table(by.rename(columns=labels), _("Reasons by {segment}").format(segment=segment_name(seg)))
        if ds.has_purchases:
            lost = cache.cached(reasons.lost_revenue_by_reason, ds, period=period, **rp)
            lost = lost.assign(reason=lost["reason"].map(reason_label)) if "reason" in lost else lost
            report.chart(cache.reuse(charts.lost_revenue_bars, lost, {"x": money_label(
                         _("Revenue {per} that left").format(per=per), ds.currency), "y": _("Reason"),
                         "customers": _("customers"), "each": _("each")},
                         _("Revenue {per} lost, by reason").format(per=per)), "churn_lost")
            st.caption(_("Each churned customer's revenue to date / the number of periods from their first purchase "
                         "to their churn (both included), summed per reason."))
        tenure = cache.cached(reasons.reasons_by_tenure, ds, **rp)
        if tenure["band_no"].notna().any():
            tenure = tenure.assign(reason=tenure["reason"].map(reason_label))
            report.chart(cache.reuse(charts.tenure_heatmap, tenure, {"x": _("Tenure at churn"), "y": _("Reason"),
                         "colorbar": _("Share of the reason (%)"), "unit": _(" mo"), "open": "+"},
                         _("When customers leave, per reason")), "churn_tenure")
            st.caption(_("Tenure from signup (else first purchase) to churn, else the file's tenure column, in months."))
