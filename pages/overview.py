"""Overview: the dataset at a glance, in plain words first, numbers second; each tile links to its page."""

import streamlit as st

from retention import fmt
from retention.ui import cache, datasets, downloads, overview_views, widgets
from retention.i18n import _
from retention.metrics import churn, headline, overview

ds = datasets.dataset()
st.title(widgets.md(ds.name))

t = cache.cached(overview.totals, ds).iloc[0]
if t.first_date == t.first_date:
    st.caption(_("Data from {first} to {last}. Hover over a number for what it means.").format(
        first=fmt.date(t.first_date), last=fmt.date(t.last_date)))

head = headline.as_dict(cache.cached(headline.summary, ds, model=True))
try:
    monthly_crr = cache.cached(churn.retention_by_period, ds, period="month")
except churn.NoChurnData:
    monthly_crr = None
done = churn.usable_periods(monthly_crr) if monthly_crr is not None else None

overview_views.tiles(ds, t, monthly_crr, head)
left, right = st.columns(2)
with left.container(border=True):
    spark = overview_views.retention_card(ds, head, done)
with right.container(border=True):
    overview_views.cohorts_card(ds, head)
left, right = st.columns(2)
with left.container(border=True):
    overview_views.compare_card(ds, head)
with right.container(border=True):
    overview_views.reasons_card(ds)
monthly = cache.cached(overview.monthly, ds)
fig = overview_views.buyers_chart(monthly, t.last_date)

downloads.report_button(_("Overview"), [(_("Headline numbers"), t.to_frame().T),
                                        (_("Headline figures"), cache.cached(headline.summary, ds, model=True).drop(
                                            columns=["check"], errors="ignore")),
                                        (_("Buyers per month"), fig), (_("Customers kept per month"), spark),
                                        (_("Customer retention per month"), done), (_("Monthly figures"), monthly)],
                        key="overview_report")
