"""Churn: how many customers leave per period (CRR), who comes and goes (lifecycle), and why they leave."""

import pandas as pd
import streamlit as st

from retention import state
from retention.fmt import number, percent
from retention.i18n import _
from retention.metrics import churn
from retention.ui import cache, datasets, downloads, links, widgets
from retention.ui.churn import View
from retention.ui.churn.drivers import drivers_tab
from retention.ui.churn.lead import lead_with_dates, lead_without_dates
from retention.ui.churn.lifecycle import lifecycle_tab
from retention.ui.churn.rate import rate_tab
from retention.ui.churn.reasons import reasons_tab
from retention.ui.churn.revenue import revenue_tab
from retention.ui.churn.winback import winback_tab
from retention.ui_text import PERIOD_NAMES, texts
from retention.ui_text.churn import BASES, TABS

K = state.keys(state.Churn)

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
