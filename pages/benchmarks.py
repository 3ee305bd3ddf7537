"""Benchmarks: the user's figures next to published industry figures of the same metric and period, and
internal benchmarks (segments against the rest, this period against a year earlier)."""

import streamlit as st

from retention import state
from retention.ui import cache, datasets, downloads, links
from retention.ui.benchmarks import internal, published
from retention.benchmarks import catalog, compare, figures
from retention.ui_text import benchmarks as wording
from retention.ui_text.benchmarks import PAGE as T
from retention.metrics import churn

K = state.keys(state.Benchmarks)

ds = datasets.dataset()
st.title(str(T["title"]))
st.caption(str(T["intro"]))

bench = published.benchmark_file()
labels = wording.industry_labels(catalog.industries(bench))
attributes = datasets.segment_attributes(ds)
first_day, last_day = datasets.data_days(ds)
try:
    default_period, why = cache.cached(compare.default_period, ds)
except churn.NoChurnData:
    default_period, why = "year", None
links.page_state(state.Benchmarks, state.benchmarks_limits(list(labels), compare.DEFAULT_INDUSTRIES, attributes,
                                                           first_day, last_day, default_period))
picked = st.multiselect(str(T["industries"]), list(labels), format_func=labels.get, help=str(T["industries_help"]),
                        key=K.industries)
selected = bench[bench["industry"].isin(picked)]

try:
    as_of = str(cache.cached(churn.basis_info, ds).iloc[0]["as_of"])
except churn.NoChurnData:
    as_of = None
period, pooled, first, days = published.settings(first_day, last_day)
if why:
    st.caption(wording.default_period_note(why, default_period, period))

can, report = cache.cached(figures.available, ds).iloc[0], downloads.ReportSections()
wanted = compare.comparable(can, selected)
if not picked:
    st.info(str(T["pick_industry"]))
elif not wanted:
    published.no_comparison(ds)
else:
    months, horizon_days = compare.curve_horizons(selected)
    (date_from, date_to), (first_from, first_to) = compare.iso_range(pooled), compare.iso_range(first)
    user = cache.cached(compare.user_figures, ds, wanted=wanted, period=period, date_from=date_from, date_to=date_to,
                        first_from=first_from, first_to=first_to, as_of=as_of, inactive_days=int(days),
                        months=months, days=horizon_days)
    published.published_figures(user, compare.table(user, selected), wanted, report)

internal.against_yourself(ds, can, as_of, days, first_day, attributes, report)
downloads.report_button(str(T["title"]), report, key="benchmarks_report")
