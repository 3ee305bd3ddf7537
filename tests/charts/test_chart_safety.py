"""Untrusted strings (churn reasons, segment values, column names, benchmark sources) reach plotly inert.

plotly.js renders a few HTML tags in titles, axis labels, legend entries, hover text and annotations
(<a href>, <b>, <br>, <span style>, <sup> …) and decodes &lt; &gt; &amp; back to characters. So in the
figure JSON a hostile value must appear only entity-escaped, and it must decode back to exactly what the
user wrote (checked with the standard library's html.unescape, not with our own helper).
"""

from __future__ import annotations

import html
import json

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from retention.charts import benchmarks as bench_charts
from retention.charts import churn as churn_charts
from retention.charts import cohorts as cohort_charts
from retention.charts.theme import inert

LINK = '<a href="javascript:alert(1)">x</a>'
BOLD = "<b>Paid social</b>"
SPAN = '<span style="font-size:80px">big</span> & <br>co'
HOSTILE = (LINK, BOLD, SPAN)
TAGS = ("<a", "<b>", "<span", "<br", "</a>", "</b>")


def strings(obj, path=""):
    """Every string in a plotly JSON dict, with its path (e.g. data.0.name)."""
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from strings(value, f"{path}.{key}" if path else key)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from strings(value, f"{path}.{i}")


def assert_inert(fig, present=HOSTILE):
    """No tag of ours in any rendered text; hover templates (the page's own markup) hold no user value;
    and every hostile value is there, escaped, decoding to exactly itself."""
    spec = json.loads(pio.to_json(fig, validate=False))  # what st.plotly_chart sends to the browser
    # the theme wraps titles and category labels into lines with <br> (its only markup, #15.12): read them as the words they join
    found = [(path, text.replace("<br>", " ") if path == "layout.title.text" or ".ticktext." in path else text)
             for path, text in strings(spec)]
    for path, text in found:
        if path.endswith("hovertemplate"):
            assert not any(h in text or inert(h) in text for h in HOSTILE), (path, text)
        else:
            assert not any(tag in text for tag in TAGS), (path, text)
    decoded = {html.unescape(text) for _, text in found}
    for value in present:
        assert any(value in d for d in decoded), f"{value!r} is missing from the figure"


def test_inert_round_trips_through_an_html_decoder():
    for value in (*HOSTILE, "R&D", "a < b > c", "&amp; already", "Zażółć 🙂", ""):
        assert html.unescape(inert(value)) == value
        assert "<" not in inert(value) and ">" not in inert(value)


def test_pareto_and_lost_revenue_reasons():
    counts = pd.DataFrame({"reason": list(HOSTILE), "churned": [5, 3, 1], "share_pct": [55.6, 33.3, 11.1],
                           "cumulative_pct": [55.6, 88.9, 100.0]})
    labels = {"churned": "Churned", "cumulative": "Cumulative", "x": "Reason", "y": "n", "y2": "%"}
    assert_inert(churn_charts.pareto(counts, labels, f"“{LINK}” is the most common reason"))
    lost = pd.DataFrame({"reason": list(HOSTILE), "lost_per_period": [10.0, 5.0, 1.0],
                         "with_purchases": [2, 1, 1], "avg_per_customer": [5.0, 5.0, 1.0]})
    assert_inert(churn_charts.lost_revenue_bars(lost, {"x": "Revenue", "y": "Reason"}, "Lost"))


def test_reasons_over_time_legend_and_hover():
    periods = pd.to_datetime(["2024-01-01", "2024-02-01"])
    frame = pd.DataFrame({"reason": np.repeat(HOSTILE, 2), "period_start": np.tile(periods, 3),
                          "churned": [1, 2, 3, 4, 5, 6], "share_pct": [10.0] * 6, "complete": [True, False] * 3})
    fig = churn_charts.reasons_area(frame, "churned", {"x": "Period", "y": "Churned"}, "Reasons")
    assert_inert(fig)
    assert {t.hovertemplate.split("<extra>")[1] for t in fig.data} == {"%{fullData.name}</extra>"}


def test_segment_by_reason_heatmap_with_a_hostile_column_name():
    frame = pd.DataFrame({"segment": [BOLD, BOLD, SPAN, SPAN], "reason": [LINK, "Price", LINK, "Price"],
                          "index": [120.0, 80.0, 90.0, 110.0], "share_pct": [60.0, 40.0, 45.0, 55.0],
                          "churned": [6, 4, 9, 11], "small": [True, True, False, False]})
    column = '<span style="color:red">plan</span>'
    fig = churn_charts.segment_heatmap(frame, {"x": "Reason", "y": column, "colorbar": "vs overall",
                                               "none": "(no value)", "small": " (few)"}, f"Which {column} leaves")
    assert_inert(fig, present=(*HOSTILE, column))


def test_tenure_heatmap_reasons():
    frame = pd.DataFrame({"reason": [LINK, LINK, BOLD], "band_no": [1, 2, 1], "band_from_months": [0.0, 6.0, 0.0],
                          "band_to_months": [6.0, np.nan, 6.0], "share_pct": [70.0, 30.0, 100.0]})
    fig = churn_charts.tenure_heatmap(frame, {"x": "Tenure", "y": "Reason", "colorbar": "%", "unit": " mo",
                                              "open": "+"}, "When")
    assert_inert(fig, present=(LINK, BOLD))


def test_segment_curves_and_cohort_lines():
    curve = pd.DataFrame({"segment": np.repeat(HOSTILE, 2), "period": [0, 1] * 3, "retention_pct": [100, 40.0] * 3,
                          "ci_low_pct": [100, 30.0] * 3, "ci_high_pct": [100, 50.0] * 3, "small": [False] * 6})
    fig = cohort_charts.segment_curves(curve, {"x": "k", "y": "%", "none": "(no value)"},
                                       f"In month 1, {BOLD} keeps the most")
    assert_inert(fig)
    assert all("%{fullData.name}" in t.hovertemplate for t in fig.data if t.hovertemplate)


def test_segments_against_the_rest():
    frame = pd.DataFrame({"segment": list(HOSTILE), "p1": [40.0, 50.0, 60.0], "ci_low": [35.0, 45.0, 55.0],
                          "ci_high": [45.0, 55.0, 65.0], "beyond_noise": [True, False, True],
                          "small": [False, True, False], "trials": [100, 20, 100], "successes": [40, 10, 60],
                          "diff_pts": [-10.0, 0.0, 10.0]})
    labels = {"segment": "Segment", "overall": "All", "none": "(no value)", "x": "%", "y": "<b>channel</b>"}
    assert_inert(bench_charts.segments_against_rest(frame, labels, f"{LINK} highest"))


@pytest.mark.parametrize("builder", ["figure_against", "curve_with_points"])
def test_benchmark_sources_from_an_uploaded_file(builder):
    """A user's own benchmarks file names industries and publishers: those are untrusted too."""
    rows = pd.DataFrame({"value": [70.0, 80.0], "industry": [LINK, "Retail"], "publisher": [BOLD, SPAN],
                         "year": [2024, 2023], "confidence": ["low", "high"], "converted": [False, True],
                         "value_pct": [70.0, 80.0], "period": ["annual", "monthly"], "metric": ["m", "m"],
                         "horizon_months": [1.0, 3.0]})
    labels = {"you": "You", "band": "95%", "benchmark": "Published", "converted": "from", "low": "low", "x": "%",
              "y": "%"}
    if builder == "figure_against":
        fig = bench_charts.figure_against(rows, {"value": 75.0, "ci_low": 72.0, "ci_high": 78.0}, labels, "Annual")
        # the category order names the escaped categories, or plotly would draw nothing in order
        assert list(fig.layout.yaxis.categoryarray) == list(fig.data[-1].y)
    else:
        curve = pd.DataFrame({"months": [1, 3], "value": [75.0, 60.0], "ci_low": [70.0, 55.0],
                              "ci_high": [80.0, 65.0], "horizon_months": [1, 3], "small": [False, True]})
        fig = bench_charts.curve_with_points(curve, rows, labels, "Curve")
    assert_inert(fig)
