"""Charts of the churn drivers: frame → plotly Figure, no data access. Words (labels, titles) come from the page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from retention.charts.theme import MUTED, PRIMARY, category_lines, color, style, wrap_categories


def value_bars(values: pd.DataFrame, overall_pct: float, labels: dict, title: str) -> go.Figure:
    """One attribute's rows of drivers()['values'] → horizontal bars of churn % per value with the 95% interval,
    in the attribute's order (top first), small groups grey, a dashed line at the overall churn rate.
    labels: x, overall, blank; optional hover word: of."""
    frame = values.sort_values("order")
    names = [labels["blank"] if v is None or v != v else str(v) for v in frame["value"]]
    fig = go.Figure()
    fig.add_bar(x=frame["churn_pct"], y=names, orientation="h",
                marker={"color": [MUTED if s else PRIMARY for s in frame["small"]]},
                error_x={"type": "data", "symmetric": False, "array": frame["ci_high_pct"] - frame["churn_pct"],
                         "arrayminus": frame["churn_pct"] - frame["ci_low_pct"], "color": "#444"},
                customdata=frame[["customers", "churned"]].to_numpy(),
                hovertemplate="%{y}: %{x:.1f}% (%{customdata[1]:,} " + labels.get("of", "of") + " %{customdata[0]:,})<extra></extra>",
                showlegend=False)
    fig.add_vline(x=overall_pct, line={"dash": "dash", "color": color(5)}, annotation_text=labels["overall"],
                  annotation_position="top")
    fig.update_yaxes(autorange="reversed")
    return style(fig, title, labels["x"], None, height=max(260, 60 + 38 * len(frame)))


def odds_forest(odds: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """model()['odds'] → odds ratios with their 95% intervals on a log axis, a line at 1 (no difference).
    labels: x, blank."""
    names = [f"{a}: {labels['blank'] if v is None or v != v else v}" for a, v in zip(odds["attribute"], odds["value"])]
    fig = go.Figure()
    fig.add_scatter(x=odds["odds_ratio"], y=names, mode="markers", marker={"color": PRIMARY, "size": 9},
                    error_x={"type": "data", "symmetric": False, "array": odds["or_high"] - odds["odds_ratio"],
                             "arrayminus": odds["odds_ratio"] - odds["or_low"], "color": "#444"},
                    hovertemplate="%{y}: %{x:.2f}<extra></extra>", showlegend=False)
    fig.add_vline(x=1, line={"dash": "dash", "color": MUTED})
    fig.update_xaxes(type="log", dtick="D2")  # ticks at 1, 2 and 5 of each decade: every digit crowds a phone
    fig.update_yaxes(autorange="reversed")
    row = 20 + 14 * category_lines(names)  # px per row: its label's lines
    fig = style(fig, title, labels["x"], None, height=max(260, 60 + row * len(odds)))
    wrap_categories(fig, names)  # "Attribute: value" in lines: the plot keeps its width on a phone
    return fig


def gap_lines(gaps: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """over_time() output → one line per value: its churn gap (points vs everyone else) per cohort year; small
    groups as hollow markers. labels: x, y, blank."""
    fig = go.Figure()
    for i, (value, g) in enumerate(gaps.groupby("value", dropna=False, sort=False)):
        name = labels["blank"] if value is None or value != value else str(value)
        fig.add_scatter(x=g["cohort"], y=g["diff_pp"], mode="lines+markers", name=name,
                        line={"color": color(i)},
                        marker={"symbol": ["circle-open" if s else "circle" for s in g["small"]], "size": 8},
                        hovertemplate="%{fullData.name} %{x}: %{y:+.1f}<extra></extra>")
    fig.add_hline(y=0, line={"color": MUTED})
    fig.update_xaxes(dtick=1)
    return style(fig, title, labels["x"], labels["y"])
