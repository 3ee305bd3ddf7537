"""Cohorts: of the customers who started in a period, how many came back in each later period."""

import numpy as np
import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.fmt import number, percent
from retention.i18n import _
from retention.charts import cohorts as charts
from retention.metrics import cohorts, headline
from retention.ui_text.cohorts import (AVERAGES, AVERAGE_NAMES, BASES, DEFINITIONS, FADED, GRAINS, GRAINS_AFTER,
                                       GRAINS_SHOWN, GRAIN_K, GRAIN_K_OVER_TIME, IMPROVING, LEAD, MODES,
                                       MODES_BY_COHORT, MODES_BY_SEGMENT, NEXT, NEXT_BARE, NEXT_END, NONE_YET,
                                       ON_AVERAGE, PERIOD_ONE, PERIOD_ONE_NAME, SHOW, STARTED, TREND, quarter)

K = state.keys(state.Cohorts)

ds = datasets.dataset()
st.title(_("Cohorts"))
info = cache.cached(cohorts.availability, ds).iloc[0]
modes = [m for m, ok in (("classic", info.customers_first_purchase), ("rolling", info.customers_first_purchase),
                         ("revenue", info.customers_first_purchase and info.has_amounts),
                         ("survival", info.customers_survival)) if ok]
bases = ["first_purchase"] * bool(info.customers_first_purchase) + ["signup"] * bool(info.customers_signup)
days = [pd.Timestamp(d).date() for d in (info.first_date, info.last_date)] if modes else [None, None]
values, segments = cache.cached(cohorts.attribute_values, ds), datasets.segment_attributes(ds)
links.page_state(state.Cohorts, state.cohorts_limits(modes, bases, *days, values, segments))
if not modes:
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
    st.stop()

# The finding first, then the view, then its controls; on a phone the controls go after the chart (widgets.PHONE_CSS).
lead, controls = st.container(), st.container(key="cohorts_controls")
c = controls.columns(4)
grain = c[0].selectbox(_("Period"), list(GRAINS), format_func=lambda g: str(GRAINS[g]), key=K.period)
mode = c[1].selectbox(_("Retention"), modes, format_func=lambda m: str(MODES[m]), key=K.mode)
basis = c[2].selectbox(_("Cohort by"), bases, format_func=lambda b: str(BASES[b]), key=K.basis)
as_of = c[3].date_input(_("Analysis date"), min_value=days[0], max_value=days[1], key=K.as_of,
                        format=ui_text.date_input_format(),
                        help=_("Nothing after this day is counted; periods not ended by then are incomplete. Default: "
                               "the last date in the data."))
with controls.expander(_("Filters and sample size")):
    f = st.columns(4)
    span = f[0].date_input(_("Cohorts starting between"), value=(), min_value=days[0], max_value=days[1],
                           key=K.span, format=ui_text.date_input_format())
    attribute = f[1].selectbox(_("Only customers with"), [None, *values["attribute"].unique()],
                               key=K.filter_by, format_func=lambda a: _("(anyone)") if a is None else ui_text.segment_name(a))
    kept = f[2].multiselect(_("Values"), values.loc[values["attribute"] == attribute, "value"],
                            key=K.filter_values, format_func=lambda v: ui_text.segment_value(attribute, v))
    minimum = f[3].number_input(_("Minimum sample (customers)"), 1, 10_000, key=K.min)
params = dict(period=grain, mode=mode, cohort_by=basis, as_of=as_of.isoformat(), min_customers=int(minimum),
              filters={attribute: kept} if attribute and kept else None,
              cohort_from=span[0].isoformat() if len(span) > 0 else None,
              cohort_to=span[1].isoformat() if len(span) > 1 else None)
cells = cache.cached(cohorts.matrix, ds, **params)
if cells.empty:
    st.info(_("No customer starts a cohort with these settings."))
    st.stop()
label = {"week": lambda d: fmt.date(d, "medium"), "month": lambda d: fmt.month_year(d, short=True),
         "quarter": quarter}[grain]
cells = cache.reuse(cohorts.with_intervals, cells, mode=mode)
starts, names = pd.factorize(cells["cohort"])  # label each cohort once, not each cell
cells = cells.assign(cohort_label=np.array([label(d) for d in names], dtype=object)[starts])

s = cache.reuse(cohorts.summary, cells, k=1, mode=mode)
lead_text = ""
if s:
    trend = "risen" if s["latest_pct"] > s["first_pct"] + 0.5 else "fallen" if s["latest_pct"] < s["first_pct"] - 0.5 \
        else "level"
    lead_text = (LEAD[mode].format(started=STARTED[basis], cohort=label(s["latest_cohort"]),
                                   size=number(s["latest_size"]), pct=percent(s["latest_pct"], 0), next=NEXT[grain], next_bare=NEXT_BARE[grain],
                                   next_end=NEXT_END[grain])
                 + _("; ") + TREND[trend].format(retention=PERIOD_ONE[grain], first=percent(s["first_pct"], 0),
                                               latest=percent(s["latest_pct"], 0), n=number(s["cohorts"]),
                                               m=number(s["average_cohorts"]), average=percent(s["average_pct"], 0)))
lead.markdown(lead_text or str(NONE_YET[grain]))
with controls.expander(_("How these numbers are defined")):
    st.markdown(str(DEFINITIONS))

most = int(cells["period"].max())
g = controls.columns([2, 3, 3])
links.keep_within(K.shown, 1, max(most, 1))
shown = g[0].slider(str(GRAINS_SHOWN[grain]), 1, max(most, 1), key=K.shown) if most > 1 else most
measures = ["pct", "count"] + ["revenue"] * (mode == "revenue")
show = g[1].radio(_("Cells show"), measures, format_func=lambda m: str(SHOW[m]), horizontal=True, key=K.show)
average = g[2].radio(_("Average"), list(AVERAGES), format_func=lambda a: str(AVERAGES[a]), horizontal=True,
                     key=K.average)
cells = cells[cells["period"] <= shown]
unit = _("Revenue kept (%, period 0 = 100)") if mode == "revenue" else _("Retained (%)")
tab, panel = widgets.tabs({"heatmap": _("Heatmap"), "curve": _("Average curve"),
                      "over_time": GRAIN_K_OVER_TIME[grain].format(k="k"), "segments": _("Segments")},
                     key=K.tab)
report_sections = downloads.ReportSections()
with panel:
    if tab == "heatmap":
        ones = cells.loc[(cells["period"] == 1) & cells["complete"], "retention_pct"].dropna()
        hover = (_("{cohort}, {k}: {value} ({active} buyers of {size}){note}") if mode == "revenue" else
                 _("{cohort}, {k}: {active} of {size} = {value} (95% CI {low}–{high}){note}"))
        report_sections.chart(cache.reuse(charts.heatmap, cells, show, {
            "x": str(GRAINS_AFTER[grain]), "y": _("Cohort"), "sizes": _("Cohort size"),
            "colorbar": str(SHOW[show]), "hover": hover, "incomplete": " · " + _("incomplete period"),
            "small": " · " + _("fewer than {n} customers").format(n=number(minimum))},
            _("{period}: from {low} to {high} across complete cohorts").format(
                period=GRAIN_K[grain].format(k=1), low=percent(ones.min(), 0), high=percent(ones.max(), 0))
            if len(ones) else str(MODES_BY_COHORT[mode])), "cohorts_heatmap", _("Retention by cohort"),
            min_width=charts.heatmap_min_width(int(cells["period"].max())))
        st.caption(FADED[grain].format(day=fmt.date(as_of), n=number(minimum)))
        matrix = report_sections.table(cells.drop(columns=["cohort_label"]), _("Cohort matrix"))
        downloads.download_buttons(matrix, _("cohort_matrix_{mode}_{period}").format(mode=mode, period=grain),
                            key="cohorts_matrix_dl")
    elif tab == "curve":
        curve = cache.reuse(cohorts.average_curve, cells, mode=mode, average=average, min_customers=int(minimum))
        picked = st.multiselect(_("Show cohorts"), list(dict.fromkeys(cells["cohort"].dt.date)), key=K.picked,
                                format_func=lambda d: label(pd.Timestamp(d)))
        point = curve[curve["period"] == 1]
        report_sections.chart(cache.reuse(charts.average_curve, curve, cells[cells["cohort"].dt.date.isin(picked)], {
            "average": str(AVERAGE_NAMES[average]), "band": _("95% CI"),
            "x": GRAIN_K[grain].format(k="(k)"), "y": unit,
            "hover": _("k = {k}: {value} ({cohorts} cohorts, {customers} customers)")},
            ON_AVERAGE[mode].format(pct=percent(point["retention_pct"].iloc[0], 0)) if len(point)
            else _("Average curve")), "cohorts_curve", _("Average curve"))
        downloads.download_buttons(report_sections.table(curve, _("Average curve (table)")),
                            _("cohort_average_{mode}_{period}").format(mode=mode, period=grain), key="cohorts_curve_dl")
    elif tab == "over_time":
        links.keep_within(K.k, 1, max(most, 1))
        k = st.number_input(_("Period k"), 1, max(most, 1), key=K.k)
        series = cohorts.period_over_time(cells, k=int(k), mode=mode)
        report_sections.chart(cache.reuse(charts.over_time, series, {"name": GRAIN_K[grain].format(k=k),
                                                        "incomplete": _("Not ended yet"), "x": _("Cohort"), "y": unit},
                             IMPROVING[grain].format(k=k)),
                     "cohorts_over_time", GRAIN_K_OVER_TIME[grain].format(k=k))
    else:
        seg = st.selectbox(_("Compare by"), segments, key=K.segment, format_func=ui_text.segment_name)
        if seg:
            split = cache.cached(cohorts.matrix, ds, **params, segment=seg)
            by = cohorts.average_curve(split[split["period"] <= shown], mode=mode, average=average,
                                       min_customers=int(minimum))
            by = by.assign(segment=by["segment"].map(lambda v: ui_text.segment_value(seg, v)))  # RFM group names
            top = by[by["period"] == 0].nlargest(6, "customers")["segment"]
            drawn = by[by["segment"].isin(top) | (by["segment"].isna() & top.isna().any())]
            one = drawn[drawn["period"] == 1].sort_values("retention_pct").fillna({"segment": _("(no value)")})
            report_sections.chart(cache.reuse(charts.segment_curves, drawn, {"x": GRAIN_K[grain].format(k="(k)"), "y": unit,
                                                                "none": _("(no value)")},
                                 _("In {period}, {most} keeps the most ({most_pct}), {fewest} the fewest "
                                   "({fewest_pct})").format(
                                     period=PERIOD_ONE_NAME[grain],
                                     most=one["segment"].iloc[-1], most_pct=percent(one["retention_pct"].iloc[-1], 0),
                                     fewest=one["segment"].iloc[0], fewest_pct=percent(one["retention_pct"].iloc[0], 0))
                                 if len(one) > 1 else MODES_BY_SEGMENT[mode].format(segment=ui_text.segment_name(seg))),
                         "cohorts_segments", _("By {segment}").format(segment=ui_text.segment_name(seg)))
            st.caption(_("The six largest groups; each with its 95% band. All groups are in the download."))
            downloads.download_buttons(report_sections.table(by, _("Average curve by {segment}").format(segment=ui_text.segment_name(seg))),
                                _("cohort_average_by_{segment}").format(segment=seg), key="cohorts_segments_dl")
        else:
            st.info(_("This data has no segment columns (such as channel, plan or country) to compare by."))
downloads.report_button(_("Cohorts"), report_sections, key="cohorts_report")
