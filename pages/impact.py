"""Did it work? The effect of a retention programme (loyalty scheme, discount, onboarding change) on retention."""

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, datasets, downloads, impact_views, links
from retention.i18n import _
from retention.metrics import cohorts, impact

K = state.keys(state.Impact)

ds = datasets.dataset()
st.title(_("Did it work?"))
st.caption(_("Measures whether a retention programme kept more customers, by how much and how sure the data can be. "
             "Programmes are rarely tried at random, so every result says what could make it wrong. "
             "The view is saved in the page's link."))
if not ds.has_purchases:
    st.info(_("This page needs a purchases file with dates: retention is measured from purchases month by month."))
    st.stop()

first, last = datasets.data_days(ds)
values, segments = cache.cached(cohorts.attribute_values, ds), datasets.segment_attributes(ds)
links.page_state(state.Impact, state.impact_limits(
    first, last, segments, lambda c: impact.column_values(values, c),
    lambda c: impact.member_values_guess(impact.column_values(values, c)), cache.cached(impact.default_launch, ds)))
design = st.segmented_control(_("Design"), list(ui_text.IMPACT_DESIGNS), required=True, key=K.design,
                              format_func=lambda d: str(ui_text.IMPACT_DESIGNS[d]))
c = st.columns(3)
k = c[0].selectbox(_("Retention at month"), list(range(1, impact.MAX_K + 1)), key=K.k,
                   help=_("Month k after the first purchase (or after the join month, when members have join "
                          "dates): the share of customers who bought in that calendar month (as on the Cohorts "
                          "page, classic mode)."))
if design == "launch":
    launch = c[1].date_input(_("Launch date"), min_value=first, max_value=last, key=K.launch,
                             help=_("Cohorts whose first month starts on or after this date count as 'after'."))
    bundle, dated = cache.cached(impact.launch_effect, ds, launch=launch.isoformat(), k=k), False
else:
    bundle, dated = impact_views.member_effect(ds, c, segments, values, k)

result = bundle["result"]
impact_views.result_figures(ds, result, k, design, dated)
if design == "launch":
    impact_views.launch_details(bundle, result, k)
else:
    impact_views.members_details(bundle, dated)
impact_views.worth_section(ds, result, k)

st.caption(_("Download: the result in one row (effect, interval, customers, method, warning codes)."))
downloads.download_buttons(pd.DataFrame([impact.summary_row(result)]).assign(
    warnings=lambda f: f["warnings"].map(" ".join)), _("impact_result"), key="impact_result")
