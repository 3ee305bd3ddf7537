"""#15.12 at phone width: long chart titles are wrapped into lines (never cut), the top margin has room for the
lines and for the legend rows under them, and a long legend goes to the foot of the figure."""

from __future__ import annotations

import pytest

import plotly.graph_objects as go

from retention.charts import theme

LONG = ("In March 2024, 41% of the customers who bought in February bought again, the lowest share in a year")


def _fig(names):
    fig = go.Figure()
    for i, name in enumerate(names):
        fig.add_scatter(x=[0, 1], y=[i, i + 1], name=name)
    return fig


def test_long_title_is_wrapped_at_words_within_the_budget():
    lines = theme.title_lines(LONG, 42)
    assert " ".join(lines) == LONG  # nothing cut, nothing added
    assert len(lines) == 3 and all(len(line) <= 42 for line in lines)
    assert theme.title_lines("Short title") == ["Short title"]
    # a word longer than the budget keeps its own line rather than being split
    assert theme.title_lines("a " + "x" * 50 + " b", 42) == ["a", "x" * 50, "b"]


def test_legend_rows_at_phone_width():
    assert theme.legend_rows([]) == 0
    assert theme.legend_rows(["Observed", "Fitted"]) == 1  # 2 × (46 + 8 × 7.2) px < 330 px
    # each entry 46 + 40 × 7.2 = 334 px: wider than a row, so one row each
    assert theme.legend_rows(["x" * 40] * 3) == 3
    # entries of 46 + 10 × 7.2 = 118 px: two fit in 330 px, the third starts a new row
    assert theme.legend_rows(["y" * 10] * 5) == 3


def test_title_lines_and_legend_rows_get_their_room_above_the_plot():
    fig = theme.style(_fig(["Today's retention", "Scenario", "Published", "Your shop"]), LONG, "x", "y")
    title = fig.layout.title.text
    assert title.count("<br>") == 2 and title.replace("<br>", " ") == LONG
    rows = theme.legend_rows(["Today's retention", "Scenario", "Published", "Your shop"])
    assert rows == 2  # 46+17×7.2 + 46+8×7.2 + 46+9×7.2 = 370 px > 330 px
    # 24 px padding + 3 title lines of 21 px + 2 legend rows of 24 px + 6 px gap
    assert fig.layout.margin.t == 24 + 3 * 21 + 2 * 24 + 6
    # the legend sits under the title's lines, its rows ending where the plot starts; the title hangs from the top
    legend = fig.layout.legend
    assert legend.orientation == "h" and legend.yanchor == "top"
    assert (1 - legend.y) * fig.layout.height == pytest.approx(24 + 3 * 21)  # its top edge, in px from the figure's top
    # both of its positions in container units: with x in the container's and y in the plot's, plotly.js reserves
    # the legend's width as a left margin and pushes the plot right (a blank band left of every plot at 1440 px)
    assert legend.xref == "container" and legend.yref == "container" and legend.x == 0
    assert fig.layout.title.yanchor == "top" and fig.layout.title.yref == "container"
    # the plot keeps the height the builder asked for: the figure grows by the extra margin
    assert fig.layout.height == 420 + (fig.layout.margin.t - 70)


def test_a_long_legend_goes_below_the_plot_with_room():
    names = [f"Reason number {i}" for i in range(8)]
    fig = theme.style(_fig(names), "Short", "x", "y", legend="below")
    rows = theme.legend_rows(names)
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    assert fig.layout.margin.b == 50 + 24 * rows + 30
    assert fig.layout.margin.t == 24 + 21  # the title only


def test_title_markup_from_data_stays_inert_across_lines():
    fig = theme.style(_fig([]), "Segment <b>VIP</b> & friends " + "word " * 12)
    title = fig.layout.title.text
    assert "<b>" not in title and "&lt;b&gt;VIP&lt;/b&gt; &amp; friends" in title
    assert "<br>" in title  # the line breaks are the only markup


def test_long_category_labels_are_wrapped_and_stay_inert():
    from retention.charts import benchmarks

    compared = __import__("pandas").DataFrame({
        "value": [80.4, 93.1], "industry": ["Subscription - all", "Telecommunications <b>"],
        "publisher": ["Recurly (via e-Strategy/MarketingCharts)", "Exploding Topics"], "year": [2019, 2023],
        "confidence": ["", "low"], "converted": [False, False], "period": ["quarter", "quarter"],
        "value_pct": [80.4, 93.1]})
    labels = {"you": "You", "band": "Band", "benchmark": "Published", "converted": "from", "low": "low", "x": "%"}
    fig = benchmarks.figure_against(compared, {"value": 45.5, "ci_low": 40.0, "ci_high": 50.0}, labels, "T")
    axis = fig.layout.yaxis
    assert list(axis.tickvals) == list(axis.categoryarray)  # the ticks sit on the categories as the data names them
    for text in axis.ticktext:
        assert all(len(__import__("html").unescape(line)) <= 22 or " " not in line for line in text.split("<br>"))
        assert "<b>" not in text
    assert any("<br>" in t for t in axis.ticktext)
    assert fig.layout.legend.xref == "container"  # the legend starts at the figure's edge, not after the labels


def test_reason_heatmaps_wrap_their_row_labels_and_keep_a_narrow_colour_bar():
    import pandas as pd

    from retention.charts import churn as churn_charts

    frame = pd.DataFrame({"reason": ["Competitor offered higher download speeds", "Moved away"] * 2,
                          "band_no": [0, 0, 1, 1], "band_from_months": [1, 1, 6, 6],
                          "band_to_months": [6, 6, None, None], "share_pct": [60.0, 40.0, 10.0, 90.0]})
    labels = {"x": "Tenure", "y": "Reason", "colorbar": "% of reason", "unit": " mo", "open": "+"}
    fig = churn_charts.tenure_heatmap(frame, labels, "When customers leave")
    axis = fig.layout.yaxis
    assert list(axis.tickvals) == ["Competitor offered higher download speeds", "Moved away"]
    assert axis.ticktext[0] == "Competitor offered<br>higher download speeds" and axis.ticktext[1] == "Moved away"
    assert fig.data[0].colorbar.title.side == "right" and fig.data[0].colorbar.thickness == 12


def test_chinese_and_japanese_titles_wrap_between_characters():
    """#19: a title without spaces (Chinese, Japanese) was one line, cut at phone width; its characters are about
    twice as wide as Latin ones, and closing punctuation never starts a line."""
    ja = "2025年12月は購入者の 73% がリピーターでした。直近 6 コホートで1か月目の維持率は上昇しました"
    lines = theme.title_lines(ja, 42)
    assert "".join(lines).replace(" ", "") == ja.replace(" ", "")  # nothing cut, nothing added
    assert len(lines) >= 3
    assert all(sum(2 if theme._wide(c) else 1 for c in line) <= 42 + 2 for line in lines)
    assert not any(line[0] in "，。、）" for line in lines)
    assert theme.title_lines("短い") == ["短い"]


def test_a_top_axis_gets_its_room_between_the_legend_and_the_plot():
    fig = theme.style(_fig(["Churned", "Cumulative"]), "Short title", "x", "y", top_axis=True)
    assert fig.layout.margin.t == 24 + 21 + 24 + 6 + theme.TOP_AXIS_PX
    # the legend stays right under the title; the axis takes the room under the legend
    assert (1 - fig.layout.legend.y) * fig.layout.height == pytest.approx(24 + 21)
    assert fig.layout.height == 420 + (fig.layout.margin.t - 70)


REASONS = ["Competitor offered higher download speeds", "Attitude of support person", "Moved", "Don't know"]


def test_reasons_run_down_the_side_of_the_pareto_most_common_first():
    """At 390 px, reasons under vertical bars took most of the chart's height (Telco, 20 reasons): they run down
    the side in lines, each bar is its reason's count, and the cumulative share has its own axis along the top."""
    import pandas as pd

    from retention.charts import churn

    counts = pd.DataFrame({"reason": REASONS, "churned": [50, 30, 15, 5], "share_pct": [50.0, 30.0, 15.0, 5.0],
                           "cumulative_pct": [50.0, 80.0, 95.0, 100.0]})
    fig = churn.pareto(counts, {"churned": "Churned", "cumulative": "Cumulative", "x": "Reason", "y": "Customers",
                                "y2": "Cumulative (%)"}, "Title")
    bars, line = fig.data
    assert bars.orientation == "h" and list(bars.y) == REASONS and list(bars.x) == [50, 30, 15, 5]
    assert list(line.x) == [50.0, 80.0, 95.0, 100.0] and line.xaxis == "x2"
    assert fig.layout.yaxis.autorange == "reversed"  # the most common at the top
    assert fig.layout.xaxis.title.text == "Customers" and fig.layout.yaxis.title.text == "Reason"
    assert fig.layout.xaxis2.side == "top" and fig.layout.xaxis2.title.text == "Cumulative (%)"
    # "Competitor offered higher download speeds" (41 characters) takes two lines of at most 22
    assert max(t.count("<br>") for t in fig.layout.yaxis.ticktext) == 1
    assert fig.layout.height >= 4 * (16 + 2 * 14)


def test_reasons_by_segment_put_reasons_down_the_side_and_each_cell_under_its_own_pair():
    import numpy as np
    import pandas as pd

    from retention.charts import churn

    frame = pd.DataFrame({"segment": ["Month-to-month", "Two year"] * 2, "reason": [REASONS[0]] * 2 + [REASONS[2]] * 2,
                          "index": [200.0, 50.0, 100.0, 25.0], "share_pct": [60.0, 10.0, 30.0, 5.0],
                          "churned": [60, 1, 30, 2], "small": [False, True, False, True]})
    fig = churn.segment_heatmap(frame, {"x": "Reason", "y": "Contract", "colorbar": "vs overall",
                                        "none": "(no value)", "small": " (few)"}, "Title")
    heat = fig.data[0]
    assert list(heat.y) == [REASONS[0], REASONS[2]] and list(heat.x) == ["Month-to-month", "Two year (few)"]
    # z is log2(index / 100) of the row's reason and the column's segment
    assert np.allclose(np.asarray(heat.z, float), [[1.0, -1.0], [0.0, -2.0]])
    assert [list(r) for r in heat.text] == [["60%", "10%"], ["30%", "5%"]]
    assert fig.layout.xaxis.title.text == "Contract" and fig.layout.yaxis.title.text == "Reason"
