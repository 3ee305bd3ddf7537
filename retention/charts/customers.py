"""Charts of the Customers page (BG/NBD model and RFM groups): frame → plotly Figure, no data access; every
word shown comes from the page (`labels`), but for the hover texts, translated here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from retention.charts.theme import MUTED, PALETTE, PRIMARY, SEQUENTIAL, style
from retention.i18n import _


def p_alive_histogram(dist: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """Customers per P(alive) bin. In: customers.distribution (low, high, customers); labels: x, y."""
    mid = ((dist["low"] + dist["high"]) / 2 * 100).to_numpy()
    bars = [{"type": "bar", "x": mid, "y": dist["customers"].to_numpy(), "width": float((dist["high"] - dist["low"])
             .iloc[0] * 100 * 0.95), "marker": {"color": PRIMARY},
             "customdata": (dist[["low", "high"]] * 100).to_numpy(),
             "hovertemplate": _("%{customdata[0]:.0f}–%{customdata[1]:.0f}%: %{y:,} customers") + "<extra></extra>"}]
    fig = go.Figure({"data": bars, "layout": {"showlegend": False, "xaxis": {"range": [0, 100], "ticksuffix": "%"}}})
    return style(fig, title, labels["x"], labels["y"])


def grid_heatmap(grid: pd.DataFrame, column: str, labels: dict, title: str, percent: bool = False) -> go.Figure:
    """A model value by repeat purchase days (rows) and days since the last purchase (columns).
    In: customers.grid (frequency, days_since_last, <column>); labels: x, y, colorbar."""
    table = grid.pivot(index="frequency", columns="days_since_last", values=column).sort_index()
    table = table[sorted(table.columns, reverse=True)]  # most recent purchase on the right
    z = table.to_numpy() * (100 if percent else 1)
    fmt = ".0f" if percent else ".2f"
    suffix = "%" if percent else ""
    trace = {"type": "heatmap", "z": z, "x": [str(c) for c in table.columns], "y": table.index.to_numpy(),
             "colorscale": SEQUENTIAL, "colorbar": {"title": {"text": labels["colorbar"], "side": "right"}, "ticksuffix": suffix},
             "hovertemplate": _("%{y} repeat purchase days, last purchase %{x} days ago: {value}").replace(
                 "{value}", f"%{{z:{fmt}}}{suffix}") + "<extra></extra>",
             "hoverongaps": False}
    if percent:
        trace |= {"zmin": 0, "zmax": 100}
    fig = go.Figure({"data": [trace], "layout": {"xaxis": {"type": "category", "nticks": 8}}})
    return style(fig, title, labels["x"], labels["y"])


def tracking_lines(track: pd.DataFrame, cumulative: bool, calibration_end, labels: dict, title: str) -> go.Figure:
    """Actual vs predicted repeat purchases per week (or cumulative), the holdout shaded.
    In: Validation.tracking (week_start, actual, predicted, *_cumulative, holdout); labels: actual, predicted,
    holdout, x, y."""
    suffix = "_cumulative" if cumulative else ""
    x = track["week_start"].to_numpy()
    lines = [{"type": "scatter", "x": x, "y": track["actual" + suffix].to_numpy(), "name": labels["actual"],
              "mode": "lines", "line": {"color": PRIMARY}},
             {"type": "scatter", "x": x, "y": track["predicted" + suffix].to_numpy(), "name": labels["predicted"],
              "mode": "lines", "line": {"color": PALETTE[1], "dash": "dash"}}]
    fig = go.Figure({"data": lines})
    held = track[track["holdout"]]
    if len(held):
        fig.add_vrect(x0=pd.Timestamp(calibration_end), x1=held["week_start"].max() + pd.Timedelta(days=6),
                      fillcolor=MUTED, opacity=0.15, line_width=0, annotation_text=labels["holdout"],
                      annotation_position="top left")
    fig.update_traces(hovertemplate="%{x|%d %b %Y}: %{y:,.0f}")
    return style(fig, title, labels["x"], labels["y"])


def by_frequency_bars(groups: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """Mean actual vs predicted holdout purchases by calibration repeat purchases (0 … 7+).
    In: Validation.by_frequency (label, customers, actual, predicted); labels: actual, predicted, x, y."""
    x = groups["label"].astype(str).to_numpy()
    bars = [{"type": "bar", "x": x, "y": groups["actual"].to_numpy(), "name": labels["actual"],
             "marker": {"color": PRIMARY}, "customdata": groups["customers"].to_numpy(),
             "hovertemplate": _("%{x}: %{y:.2f} (%{customdata:,} customers)") + "<extra></extra>"},
            {"type": "bar", "x": x, "y": groups["predicted"].to_numpy(), "name": labels["predicted"],
             "marker": {"color": PALETTE[1]}, "hovertemplate": "%{x}: %{y:.2f}<extra></extra>"}]
    fig = go.Figure({"data": bars, "layout": {"barmode": "group", "xaxis": {"type": "category"}}})
    return style(fig, title, labels["x"], labels["y"])
