"""Charts of the Overview page: frame → plotly Figure, no data access; every word shown comes from the page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from retention import fmt

from retention.charts.theme import PALETTE, PRIMARY, localize, make_inert, style


def kept_sparkline(done: pd.DataFrame, y_title: str) -> go.Figure:
    """The last 13 complete months' customer retention as a small line.

    In: retention_by_period rows (period_start, crr_pct) of complete months, oldest first."""
    recent = done.tail(13)
    fig = go.Figure({"data": [{"type": "scatter", "x": recent["period_start"].to_numpy(),
                               "y": recent["crr_pct"].to_numpy(), "mode": "lines+markers", "line": {"color": PRIMARY},
                               "hovertemplate": "%{x|" + fmt.plotly_formats()["month_tick"] + "}: %{y:.1f}%<extra></extra>"}],
                     "layout": {"height": 170, "margin": {"l": 40, "r": 10, "t": 10, "b": 30}, "showlegend": False,
                                "yaxis": {"title": {"text": y_title}, "ticksuffix": "%"}}})
    return make_inert(localize(fig))


def buyers_per_month(monthly: pd.DataFrame, complete: pd.Series, names: tuple[str, str], title: str,
                     x_title: str, y_title: str) -> go.Figure:
    """Returning and new buyers per month, stacked; months not over (complete False) faded.

    In: overview.monthly rows (month, buyers, new_buyers); complete: one bool per row; names: (returning, new)."""
    opacity = [1.0 if c else 0.35 for c in complete]
    month = monthly["month"].to_numpy()
    bars = [{"type": "bar", "x": month, "y": (monthly["buyers"] - monthly["new_buyers"]).to_numpy(), "name": names[0],
             "marker": {"color": PRIMARY, "opacity": opacity}},
            {"type": "bar", "x": month, "y": monthly["new_buyers"].to_numpy(), "name": names[1],
             "marker": {"color": PALETTE[1], "opacity": opacity}}]
    return style(go.Figure({"data": bars, "layout": {"barmode": "stack"}}), title, x_title, y_title)
