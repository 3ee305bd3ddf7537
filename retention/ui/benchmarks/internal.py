"""Benchmarks page, against yourself: customer retention and a share of new customers this year against the
same months a year earlier, and each segment against the rest. `report` is the page's downloads.ReportSections."""

from __future__ import annotations

import streamlit as st

from retention import fmt, state, ui_text
from retention.benchmarks import internal
from retention.charts import benchmarks as charts
from retention.ui import cache, widgets
from retention.ui_text import benchmarks as wording
from retention.ui_text.benchmarks import PAGE as T

K = state.keys(state.Benchmarks)


def against_yourself(ds, can, as_of: str | None, days: int, first_day, attributes: list[str], report) -> None:
    """The internal benchmarks. can: the figures.available row; as_of: the analysis date (None without churn
    data); days: the inactivity window; first_day: the data's first day; attributes: the segment columns."""
    st.header(str(T["internal"]))
    st.caption(str(T["internal_intro"]))
    if can["customer_retention"] and as_of:
        year_over_year(T["yoy_label"].format(figure=wording.cap(wording.figure_name("customer_retention", 1)),
                                             span="{span}"),
                       *internal.recent_year(as_of),
                       lambda start, end: cache.cached(internal.retention_year_over_year, ds, period="month",
                                                       date_from=start, date_to=end, inactive_days=int(days),
                                                       as_of=as_of).iloc[0].to_dict(), first_day)
    share = st.selectbox(str(T["segment_metric"]), list(T["segment_metrics"]),
                         format_func=lambda m: str(T["segment_metrics"][m]),
                         key=K.segment_metric) if can["repeat_purchase_rate"] else None
    if share in ("repeat_12", "month1") and as_of:
        share_year_over_year(ds, share, as_of, first_day)
    if not attributes:
        st.caption(str(T["no_segments"]))
    elif share:
        segments(ds, share, attributes, as_of, report)


def year_over_year(label: str, start: str, end: str, compute, first_day) -> None:
    """One year-over-year line, naming only months with data (the window clipped to the data's first day).
    compute(start, end): the two periods' test (internal.two_periods) as a dict."""
    clipped = internal.window_with_data(start, end, first_day.isoformat() if first_day else None)
    if clipped is None:
        return
    start, end, earlier = clipped
    label = label.format(span=wording.span(start, end))
    st.markdown(f"**{T['yoy']}.** " + (wording.comparison(label, T["year_before"], compute(start, end)) if earlier
                else T["no_year_before"].format(label=label, first=fmt.month_year(first_day, short=True))))


def share_year_over_year(ds, share: str, as_of: str, first_day) -> None:
    """Repeat purchase within 12 months ('repeat_12': first orders of the year that ended 12 months before as_of)
    or coming back in month 1 ('month1': cohorts of the last year), against a year earlier."""
    def compute(start: str, end: str) -> dict:
        if share == "repeat_12":
            test = cache.cached(internal.repurchase_year_over_year, ds, months=12, first_from=start, first_to=end,
                                as_of=as_of)
        else:
            test = cache.cached(internal.cohort_retention_year_over_year, ds, k=1, cohort_from=start, cohort_to=end,
                                as_of=as_of)
        return test.iloc[0].to_dict()

    year_over_year(T["yoy_first_label"].format(figure=T["segment_metrics"][share], span="{span}"),
                   *internal.recent_year_before(as_of, 12 if share == "repeat_12" else 0), compute, first_day)


def segments(ds, share: str, attributes: list[str], as_of: str | None, report) -> None:
    """The chosen share per segment of one attribute, each against the rest: chart and sentences."""
    attribute = st.selectbox(str(T["segment"]), attributes, key=K.segment, format_func=ui_text.segment_name)
    if share == "month1":
        groups = cache.cached(internal.cohort_retention_by_segment, ds, segment=attribute, k=1, as_of=as_of)
    else:
        groups = cache.cached(internal.repurchase_by_segment, ds, segment=attribute,
                              months=12 if share == "repeat_12" else None, as_of=as_of)
    if "segment" in groups:  # the RFM groups' names in the reader's language (a file's values as written)
        groups = groups.assign(segment=groups["segment"].map(lambda v: ui_text.segment_value(attribute, v)))
    if not len(groups):
        return
    words = {"segment": str(T["segment_metrics"][share]), "overall": str(T["overall"]), "none": str(T["no_value"]),
             "x": str(T["x_pct"]), "y": ui_text.segment_name(attribute)}
    report.chart(cache.reuse(charts.segments_against_rest, groups, words, wording.segments_title(groups)),
                 "benchmarks_segments_chart", str(T["internal"]))
    st.markdown("\n".join("- " + wording.comparison(widgets.md(wording.segment_name(r["segment"])), str(T["rest"]), r)
                          for r in groups.to_dict("records")))
