"""'Did it work?' charts: frame → plotly Figure, no data access. Every word shown comes in as an argument."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from retention.charts.theme import MUTED, PALETTE, integer_ticks, style

BEFORE, AFTER, TREND = PALETTE[0], PALETTE[1], MUTED


def trend(cohorts: pd.DataFrame, launch, title: str, y_title: str, names: tuple[str, str, str],
          launch_label: str, hover: tuple[str, str] = ("of {n} customers", "trend")) -> go.Figure:
    """Month-k retention per cohort (markers sized by customers), before and after, the pre-launch trend
    (solid) and its extrapolation (dotted), the launch marked. In: impact.before_after()["cohorts"].
    hover: the words of the tooltips ("of {n} customers", "trend")."""
    of_customers = hover[0].replace("{n}", "%{customdata[0]:,}")
    fig = go.Figure()
    for side, name, colour in (("before", names[0], BEFORE), ("after", names[1], AFTER)):
        rows = cohorts[cohorts["side"] == side]
        fig.add_scatter(x=rows["cohort"], y=rows["retention_pct"], mode="markers", name=name,
                        marker={"color": colour, "size": 7}, customdata=rows[["customers"]],
                        hovertemplate="%{x|%b %Y}: %{y:.1f} % " + of_customers + "<extra></extra>")
    for side, dash, show in (("before", "solid", True), ("after", "dot", False)):
        rows = cohorts[(cohorts["side"] == side) & cohorts["expected_pct"].notna()]
        fig.add_scatter(x=rows["cohort"], y=rows["expected_pct"], mode="lines", name=names[2], showlegend=show,
                        legendgroup="trend", line={"color": TREND, "dash": dash},
                        hovertemplate="%{x|%b %Y}: " + hover[1] + " %{y:.1f} %<extra></extra>")
    fig.add_vline(x=pd.Timestamp(launch).timestamp() * 1000, line={"color": AFTER, "dash": "dash"},
                  annotation_text=launch_label, annotation_position="top")
    fig.update_yaxes(rangemode="tozero")
    return style(fig, title, None, y_title)


def curves(frame: pd.DataFrame, title: str, x_title: str, y_title: str, names: tuple[str, str, str],
           month_word: str = "month") -> go.Figure:
    """Retention at months 1…n: members, matched non-members, all non-members. In: impact.member_curves()."""
    fig = go.Figure()
    for column, name, colour, dash in (("members_pct", names[0], AFTER, "solid"),
                                       ("matched_pct", names[1], BEFORE, "solid"),
                                       ("others_pct", names[2], MUTED, "dot")):
        fig.add_scatter(x=frame["k"], y=frame[column], mode="lines+markers", name=name,
                        line={"color": colour, "dash": dash},
                        hovertemplate=month_word + " %{x}: %{y:.1f} %<extra>" + name + "</extra>")
    fig.update_yaxes(rangemode="tozero")
    integer_ticks(fig, frame["k"])
    return style(fig, title, x_title, y_title)
