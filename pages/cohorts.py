"""Cohorts: of the customers who started in a period, how many came back in each later period."""

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.ui.cohorts_views import (View, curve_tab, heatmap_tab, labelled, lead_sentence, over_time_tab,
                                        segments_tab, without_cohorts)
from retention.i18n import _
from retention.metrics import cohorts
from retention.ui_text.cohorts import AVERAGES, BASES, DEFINITIONS, GRAIN_K_OVER_TIME, GRAINS, GRAINS_SHOWN, MODES, SHOW

K = state.keys(state.Cohorts)

ds = datasets.dataset()
st.title(_("Cohorts"))
info = cache.cached(cohorts.availability, ds).iloc[0]
modes, bases = cohorts.available_modes(info), cohorts.available_bases(info)
days = [pd.Timestamp(d).date() for d in (info.first_date, info.last_date)] if modes else [None, None]
values, segments = cache.cached(cohorts.attribute_values, ds), datasets.segment_attributes(ds)
links.page_state(state.Cohorts, state.cohorts_limits(modes, bases, *days, values, segments))
if not modes:
    without_cohorts(ds, info, segments)
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
cells = labelled(cache.reuse(cohorts.with_intervals, cells, mode=mode), grain)
lead.markdown(lead_sentence(cells, mode, basis, grain))
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
report_sections = downloads.ReportSections()
view = View(ds=ds, report=report_sections, cells=cells[cells["period"] <= shown], params=params, grain=grain,
            mode=mode, show=show, average=average, minimum=minimum, as_of=as_of, shown=shown, most=most,
            segments=segments)
tab, panel = widgets.tabs({"heatmap": _("Heatmap"), "curve": _("Average curve"),
                           "over_time": GRAIN_K_OVER_TIME[grain].format(k="k"), "segments": _("Segments")}, key=K.tab)
with panel:
    {"heatmap": heatmap_tab, "curve": curve_tab, "over_time": over_time_tab, "segments": segments_tab}[tab](view)
downloads.report_button(_("Cohorts"), report_sections, key="cohorts_report")
