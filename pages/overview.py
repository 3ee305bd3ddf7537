"""Overview: the dataset at a glance, in plain words first, numbers second; each tile links to its page."""

import streamlit as st

from retention import fmt, ui_text
from retention.ui import cache, datasets, downloads, overview_views, widgets
from retention.i18n import _
from retention.metrics import churn, headline, overview

MODEL_RUN = "overview_model_run"  # session key: this run follows the model's fits (see below)

ds = datasets.dataset()
st.title(widgets.md(ds.name))

t = cache.cached(overview.totals, ds).iloc[0]
if t.first_date == t.first_date:
    st.caption(_("Data from {first} to {last}. Hover over a number for what it means.").format(
        first=fmt.date(t.first_date), last=fmt.date(t.last_date)))

# The purchase model's fits take seconds on a large shop (about 20 s at a million customers) and change only the
# first card: unless this process has them already, the page is drawn without them first, saying so in that card,
# then the model is fitted and the page run again, drawn with it from the cache. (A run again, not that card drawn
# again in this run: a container drawn twice in one run keeps the first drawing's elements past the second's.)
after_fits = st.session_state.pop(MODEL_RUN, False)
figures = cache.cached(headline.summary, ds)
pending = (overview_views.model_pending(headline.as_dict(figures)) and not cache.known(headline.model_figures, ds)
           and not after_fits)
if not pending:
    figures = headline.with_model(figures, cache.cached(headline.model_figures, ds))
head = headline.as_dict(figures)
try:
    monthly_crr = cache.cached(churn.retention_by_period, ds, period="month")
except churn.NoChurnData:
    monthly_crr = None
done = churn.usable_periods(monthly_crr) if monthly_crr is not None else None

overview_views.tiles(ds, t, monthly_crr, head)
left, right = st.columns(2)
retention_box = left.container(border=True)
with retention_box:
    spark = overview_views.retention_card(ds, head, done, pending)
with right.container(border=True):
    overview_views.cohorts_card(ds, head)
left, right = st.columns(2)
with left.container(border=True):
    overview_views.compare_card(ds, head)
with right.container(border=True):
    overview_views.reasons_card(ds)
monthly = cache.cached(overview.monthly, ds)
fig = overview_views.buyers_chart(monthly, t.last_date)
if pending:
    with retention_box, st.spinner(str(ui_text.MODEL_FITTING)):
        cache.cached(headline.model_figures, ds)
    st.session_state[MODEL_RUN] = True  # the next run draws the model, whatever known() says then
    st.rerun()

downloads.report_button(_("Overview"), [(_("Headline numbers"), t.to_frame().T),
                                        (_("Headline figures"), figures.drop(columns=["check"], errors="ignore")),
                                        (_("Buyers per month"), fig), (_("Customers kept per month"), spark),
                                        (_("Customer retention per month"), done), (_("Monthly figures"), monthly)],
                        key="overview_report")
