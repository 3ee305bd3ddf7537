"""The downloadable HTML report: self-contained, escaped, with charts and tables."""

import pandas as pd
import plotly.graph_objects as go

from retention import report


def test_report_is_self_contained_and_escapes_data():
    fig = go.Figure(go.Bar(x=["<b>x</b>"], y=[1]))
    frame = pd.DataFrame({"segment": ["<script>alert(1)</script>", "Łódź"], "value": [1.5, 2.0]})
    text = report.build("Cohorts <now>", "Dataset: <img src=x>", [("Chart", fig), ("Table", frame), ("", "a & b")])
    assert text.startswith("<!DOCTYPE html>")
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x>" not in text and "Cohorts &lt;now&gt;" in text
    assert "Łódź" in text and "a &amp; b" in text
    assert "Plotly.newPlot" in text and "<script src" not in text  # plotly.js embedded, no network needed


def test_long_tables_are_cut_with_a_note():
    frame = pd.DataFrame({"n": range(report.MAX_TABLE_ROWS + 10)})
    text = report.build("t", "s", [("rows", frame)])
    assert f"First {report.MAX_TABLE_ROWS:,} of {report.MAX_TABLE_ROWS + 10:,} rows." in text
