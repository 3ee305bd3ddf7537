"""The Cohorts page's views (pages/cohorts.py calls them): survival by tenure for files without dates, the lead
sentence, and the four tabs (heatmap, average curve, period k over time, segments), each taking the page's `View`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.charts import cohorts as charts
from retention.fmt import number, percent
from retention.i18n import _
from retention.metrics import cohorts, headline
from retention.ui import cache, downloads, links, widgets
from retention.ui_text.cohorts import (AVERAGE_NAMES, FADED, GRAIN_K, GRAIN_K_OVER_TIME, GRAINS_AFTER, IMPROVING,
                                       MODES_BY_COHORT, MODES_BY_SEGMENT, NONE_YET, ON_AVERAGE, PERIOD_ONE_NAME, SHOW,
                                       cohort_name, lead)

K = state.keys(state.Cohorts)


@dataclass(frozen=True)
class View:
    """What the Cohorts page chose and measured. `cells`: metrics.cohorts.matrix with intervals and a
    `cohort_label` column, periods up to `shown`; `params`: the matrix query's parameters (for the segments' split);
    `most`: the last period of the matrix before `shown` cut it; `segments`: the attributes to compare by;
    `report`: downloads.ReportSections."""

    ds: Any
    report: Any
    cells: pd.DataFrame
    params: dict
    grain: str
    mode: str
    show: str
    average: str
    minimum: int
    as_of: dt.date
    shown: int
    most: int
    segments: list

    @property
    def unit(self) -> str:
        return _("Revenue kept (%, period 0 = 100)") if self.mode == "revenue" else _("Retained (%)")

    def label(self, day) -> str:
        return cohort_name(day, self.grain)


def without_cohorts(ds, info: pd.Series, segments: list[str]) -> None:
    """A dataset without calendar cohorts: survival by tenure (a customers file with a tenure and a status), else
    the share churned, if any, and why there are no cohorts. info: the row of metrics.cohorts.availability."""
    if info.customers_tenure:
        st.caption(_("This customers file gives a tenure and a status but no dates, so there are no calendar "
                     "cohorts: the chance of still being a customer after each tenure (Kaplan–Meier; active customers "
                     "censored)."))
        points = cohorts.survival_at(cache.cached(cohorts.tenure_survival, ds))
        m = st.columns(max(1, len(points)))
        for col, (n, pct) in zip(m, points.items()):  # the same figures as the Overview's
            col.metric(ui_text.still_after(n), percent(pct), help=str(ui_text.KM_TENURE_HELP))
        seg = st.selectbox(_("Compare by"), [None, *segments], key=K.tenure_segment,
                           format_func=lambda s: _("Everyone together") if s is None else ui_text.segment_name(s))
        km = cache.cached(cohorts.tenure_survival, ds, segment=seg)
        title = (_("{pct} of customers are still with you after 12 months of tenure").format(
            pct=percent(points[12], 0)) if 12 in points else _("Share of customers still with you after each tenure"))
        fig = charts.segment_curves(km, {"x": _("Tenure (as in the file, usually months)"),
                                         "y": _("Still a customer (%)"),
                                         "none": _("All") if seg is None else _("(no value)")}, title, steps=True)
        st.plotly_chart(fig, width="stretch", key="cohorts_km")
        downloads.download_buttons(km, _("survival_by_tenure"), key="cohorts_km_download")
        downloads.report_button(_("Cohorts"), [(_("Still a customer by tenure"), fig), (_("Survival by tenure"), km)],
                                "cohorts_report")
    else:
        head = headline.as_dict(cache.cached(headline.summary, ds))
        if "share_churned" in head:  # a customers file with a status only: its one figure, the Overview's
            widgets.headline_metric(st.columns(3)[0], head["share_churned"])
        st.info(_("There are no cohorts in this dataset: it has no dates and no tenure, so nothing says when a customer "
                  "joined or how long they stayed. Cohorts need purchases with dates, or a customers file with signup "
                  "dates (and cancel dates) or a tenure column (months as a customer)."))


def labelled(cells: pd.DataFrame, grain: str) -> pd.DataFrame:
    """The matrix with a `cohort_label` column: each cohort's name in the viewer's language."""
    starts, names = pd.factorize(cells["cohort"])  # label each cohort once, not each cell
    return cells.assign(cohort_label=np.array([cohort_name(d, grain) for d in names], dtype=object)[starts])


def lead_sentence(cells: pd.DataFrame, mode: str, basis: str, grain: str) -> str:
    """The finding above the view, from the unsegmented matrix (metrics.cohorts.summary at period 1)."""
    s = cache.reuse(cohorts.summary, cells, k=1, mode=mode)
    return lead(s, cohorts.trend(s), mode, basis, grain) if s else str(NONE_YET[grain])


def heatmap_figure(cells: pd.DataFrame, grain: str, mode: str, show: str, minimum: int):
    """The heatmap tab's figure (charts.heatmap with the page's words). cells: as View.cells."""
    rows, left_out = cohorts.completed_at(cells, 1)  # as the lead: small cohorts only when all are small
    ones = rows["retention_pct"]
    title = (_("{period}: from {low} to {high} across complete cohorts of at least {n} customers") if left_out
             else _("{period}: from {low} to {high} across complete cohorts"))
    hover = (_("{cohort}, {k}: {value} ({active} buyers of {size}){note}") if mode == "revenue" else
             _("{cohort}, {k}: {active} of {size} = {value} (95% CI {low}–{high}){note}"))
    return cache.reuse(charts.heatmap, cells, show, {
        "x": str(GRAINS_AFTER[grain]), "y": _("Cohort"), "sizes": _("Cohort size"),
        "colorbar": str(SHOW[show]), "hover": hover, "incomplete": " · " + _("incomplete period"),
        "small": " · " + _("fewer than {n} customers").format(n=number(minimum))},
        title.format(period=GRAIN_K[grain].format(k=1), low=percent(ones.min(), 0), high=percent(ones.max(), 0),
                     n=number(minimum))
        if len(ones) else str(MODES_BY_COHORT[mode]))


def first_heatmap(con):
    """The heatmap the Cohorts page opens with (its default controls: state.Cohorts), computed as the page
    computes it, from a connection to a dataset's tables (the Data page's draft, before Save), and the width (px)
    it keeps on a narrow screen; None when the page would not open on it (no first-purchase cohorts, no cell)."""
    d = state.Cohorts()
    info = cohorts.availability(con).iloc[0]
    if d.mode not in cohorts.available_modes(info) or d.basis not in cohorts.available_bases(info):
        return None
    cells = cohorts.matrix(con, period=d.period, mode=d.mode, cohort_by=d.basis, min_customers=d.min,
                           as_of=pd.Timestamp(info.last_date).date().isoformat())
    if cells.empty:
        return None
    cells = labelled(cohorts.with_intervals(cells, mode=d.mode), d.period)
    most = int(cells["period"].max())
    shown = min(max(state.SHOWN[d.period], 1), max(most, 1)) if most > 1 else most  # the page's slider
    return (heatmap_figure(cells[cells["period"] <= shown], d.period, d.mode, d.show, d.min),
            charts.heatmap_min_width(shown))


def heatmap_tab(v: View) -> None:
    """The retention matrix as a heatmap, its caption and download."""
    cells, grain, mode = v.cells, v.grain, v.mode
    v.report.chart(heatmap_figure(cells, grain, mode, v.show, v.minimum), "cohorts_heatmap",
                   _("Retention by cohort"), min_width=charts.heatmap_min_width(int(cells["period"].max())))
    st.caption(FADED[grain].format(day=fmt.date(v.as_of), n=number(v.minimum)))
    matrix = v.report.table(cells.drop(columns=["cohort_label"]), _("Cohort matrix"))
    downloads.download_buttons(matrix, _("cohort_matrix_{mode}_{period}").format(mode=mode, period=grain),
                               key="cohorts_matrix_dl")


def curve_tab(v: View) -> None:
    """The average retention curve with its band, and the cohorts the viewer picks drawn next to it."""
    cells, grain, mode = v.cells, v.grain, v.mode
    curve = cache.reuse(cohorts.average_curve, cells, mode=mode, average=v.average, min_customers=int(v.minimum))
    picked = st.multiselect(_("Show cohorts"), list(dict.fromkeys(cells["cohort"].dt.date)), key=K.picked,
                            format_func=lambda d: v.label(pd.Timestamp(d)))
    point = curve[curve["period"] == 1]
    v.report.chart(cache.reuse(charts.average_curve, curve, cells[cells["cohort"].dt.date.isin(picked)], {
        "average": str(AVERAGE_NAMES[v.average]), "band": _("95% CI"),
        "x": GRAIN_K[grain].format(k="(k)"), "y": v.unit,
        "hover": _("k = {k}: {value} ({cohorts} cohorts, {customers} customers)")},
        ON_AVERAGE[mode].format(pct=percent(point["retention_pct"].iloc[0], 0)) if len(point)
        else _("Average curve")), "cohorts_curve", _("Average curve"))
    downloads.download_buttons(v.report.table(curve, _("Average curve (table)")),
                               _("cohort_average_{mode}_{period}").format(mode=mode, period=grain),
                               key="cohorts_curve_dl")


def over_time_tab(v: View) -> None:
    """Retention in period k of each cohort, oldest to newest: is it improving?"""
    links.keep_within(K.k, 1, max(v.most, 1))
    k = st.number_input(_("Period k"), 1, max(v.most, 1), key=K.k)
    series = cohorts.period_over_time(v.cells, k=int(k), mode=v.mode)
    v.report.chart(cache.reuse(charts.over_time, series, {"name": GRAIN_K[v.grain].format(k=k),
                                                          "incomplete": _("Not ended yet"), "x": _("Cohort"),
                                                          "y": v.unit},
                               IMPROVING[v.grain].format(k=k)),
                   "cohorts_over_time", GRAIN_K_OVER_TIME[v.grain].format(k=k))


def segments_tab(v: View) -> None:
    """The average curve of each value of a segment attribute (the six largest drawn, all in the download)."""
    grain, mode = v.grain, v.mode
    seg = st.selectbox(_("Compare by"), v.segments, key=K.segment, format_func=ui_text.segment_name)
    if not seg:
        st.info(_("This data has no segment columns (such as channel, plan or country) to compare by."))
        return
    split = cache.cached(cohorts.matrix, v.ds, **v.params, segment=seg)
    by = cohorts.average_curve(split[split["period"] <= v.shown], mode=mode, average=v.average,
                               min_customers=int(v.minimum))
    by = by.assign(segment=by["segment"].map(lambda value: ui_text.segment_value(seg, value)))  # RFM group names
    top = by[by["period"] == 0].nlargest(6, "customers")["segment"]
    drawn = by[by["segment"].isin(top) | (by["segment"].isna() & top.isna().any())]
    one = drawn[drawn["period"] == 1].sort_values("retention_pct").fillna({"segment": _("(no value)")})
    v.report.chart(cache.reuse(charts.segment_curves, drawn, {"x": GRAIN_K[grain].format(k="(k)"), "y": v.unit,
                                                              "none": _("(no value)")},
                               _("In {period}, {most} keeps the most ({most_pct}), {fewest} the fewest "
                                 "({fewest_pct})").format(
                                   period=PERIOD_ONE_NAME[grain],
                                   most=one["segment"].iloc[-1], most_pct=percent(one["retention_pct"].iloc[-1], 0),
                                   fewest=one["segment"].iloc[0], fewest_pct=percent(one["retention_pct"].iloc[0], 0))
                               if len(one) > 1 else MODES_BY_SEGMENT[mode].format(segment=ui_text.segment_name(seg))),
                   "cohorts_segments", _("By {segment}").format(segment=ui_text.segment_name(seg)))
    st.caption(_("The six largest groups; each with its 95% band. All groups are in the download."))
    named = ui_text.segment_name(seg)
    downloads.download_buttons(v.report.table(by, _("Average curve by {segment}").format(segment=named)),
                               _("cohort_average_by_{segment}").format(segment=seg), key="cohorts_segments_dl")
