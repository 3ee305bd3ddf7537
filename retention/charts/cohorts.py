"""Charts of the Cohorts page: frame → plotly Figure, no data access.

Every word shown (titles, axis titles, legend names, hover text templates) comes from the page. Conventions:
incomplete cells and points (their period had not ended at the analysis date) are faded and hatched or
grey; cells and points resting on fewer customers than the minimum sample have a dotted outline (heatmap:
they keep their colour) or are hollow (lines); cells not reached yet are blank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from retention import fmt
from retention.charts.theme import MUTED, PRIMARY, SEQUENTIAL, color, integer_ticks, rgba, style

SMALL_OUTLINE = "#374151"  # dotted outline of cells resting on fewer customers than the minimum sample
CELL_WIDTH, SIDE_COLUMN, LABELS_WIDTH = 46, 90, 150  # px: one period column; the sizes column; cohort labels, margins
VALUES = {"pct": "retention_pct", "count": "active", "revenue": "revenue"}


def _cell_text(values: pd.Series, measure: str) -> list[str]:
    if measure == "pct":
        return [fmt.percent(v, 0) if pd.notna(v) else "" for v in values]
    if measure == "revenue":
        return [fmt.compact(v) if pd.notna(v) and abs(v) >= 1000 else (fmt.number(v) if pd.notna(v) else "")
                for v in values]
    return [fmt.number(v) for v in values]


def heatmap(cells: pd.DataFrame, measure: str, labels: dict, title: str) -> go.Figure:
    """The cohort triangle with the cohort sizes in a side column.

    In: matrix rows of one segment with cohort_label (text), period, cohort_size, active, revenue,
    retention_pct, ci_low_pct, ci_high_pct, complete, small, in cohort order. measure: pct | count | revenue.
    labels: x, y, sizes (side column title), colorbar, hover (a str.format template with fields cohort, k,
    active, size, value, low, high, note: all given as formatted text), incomplete and small (notes added to the
    hover).

    Built as one figure spec (numpy grids, traces and layout as dicts) and validated once: adding traces and
    updating axes one by one took most of a Cohorts page run.
    """
    value = VALUES[measure]
    values = cells[value].to_numpy(dtype=float)
    text = np.asarray(_cell_text(cells[value], measure), dtype=object)
    complete, small = cells["complete"].to_numpy(dtype=bool), cells["small"].to_numpy(dtype=bool)
    notes = np.where(~complete, labels["incomplete"], "").astype(object) + np.where(small, labels["small"], "")
    hover = np.array([labels["hover"].format(cohort=c, k=k, active=fmt.number(a), size=fmt.number(n), value=v,
                                             low=fmt.percent(lo, 0), high=fmt.percent(hi, 0), note=note)
                      for c, k, a, n, v, lo, hi, note in zip(
                          cells["cohort_label"], cells["period"], cells["active"], cells["cohort_size"], text,
                          cells["ci_low_pct"], cells["ci_high_pct"], notes)], dtype=object)
    rows, order = pd.factorize(cells["cohort_label"], sort=False)
    order = list(order)
    period = cells["period"].to_numpy(dtype=int)
    periods = list(range(int(period.max()) + 1)) if len(cells) else []
    later = values[(period > 0) & ~np.isnan(values)]  # period 0 is often 100% by definition: not the scale
    shown = values[~np.isnan(values)]
    z_range = (later.min(), later.max()) if len(later) else (shown.min(), shown.max()) if len(shown) else (0, 1)

    def grid(column: np.ndarray, mask: np.ndarray, blank) -> np.ndarray:
        out = np.full((len(order), len(periods)), blank, dtype=column.dtype)
        out[rows[mask], period[mask]] = column[mask]
        return out

    # Small-sample cells keep their colour (an all-small dataset still reads, with its scale) and get a dotted
    # outline; incomplete cells are faded and hatched.
    layers = ((complete, 1.0), (~complete, 0.45))
    scale_on = 0 if complete.any() or not len(cells) else 1
    traces = [{"type": "heatmap", "z": grid(values, mask, np.nan), "x": periods, "y": order,
               "text": grid(text, mask, ""), "texttemplate": "%{text}", "customdata": grid(hover, mask, ""),
               "hoverongaps": False, "hovertemplate": "%{customdata}<extra></extra>", "colorscale": SEQUENTIAL,
               "zmin": z_range[0], "zmax": z_range[1], "opacity": opacity, "showscale": i == scale_on, "xgap": 1,
               "ygap": 1, "xaxis": "x", "yaxis": "y",
               "colorbar": {"title": {"text": labels["colorbar"], "side": "right"}, "orientation": "h",
                            "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top", "ypad": 8,
                            "len": min(0.5, 260 / _width(len(periods))), "lenmode": "fraction", "thickness": 12}}
              for i, (mask, opacity) in enumerate(layers)]
    pending = cells[~complete]
    traces.append({"type": "scatter", "x": pending["period"].to_numpy(), "y": pending["cohort_label"].to_numpy(),
                   "mode": "markers", "showlegend": False, "hoverinfo": "skip", "xaxis": "x", "yaxis": "y",
                   "marker": {"symbol": "line-ne", "size": 14, "line": {"width": 1.2, "color": MUTED}}})
    sizes = cells.drop_duplicates("cohort_label")
    # the sizes are the side column's tick labels, not text in the bars: tick labels get the room they need
    traces.append({"type": "bar", "x": sizes["cohort_size"].to_numpy(), "y": sizes["cohort_label"].to_numpy(),
                   "orientation": "h", "showlegend": False, "xaxis": "x2", "yaxis": "y2",
                   "marker": {"color": [MUTED if s else PRIMARY for s in sizes["small"]]},
                   "hovertemplate": "%{x:,}<extra></extra>"})
    rows_of = {label: i for i, label in enumerate(order)}
    outlines = [{"type": "rect", "xref": "x", "yref": "y", "x0": k - 0.46, "x1": k + 0.46, "y0": rows_of[c] - 0.44,
                 "y1": rows_of[c] + 0.44, "line": {"color": SMALL_OUTLINE, "width": 1.2, "dash": "dot"}, "layer": "above"}
                for c, k in zip(cells.loc[small, "cohort_label"], cells.loc[small, "period"])]
    split = 1 - min(0.14, SIDE_COLUMN / _width(len(periods)))
    layout = {
        "xaxis": {"domain": [0.0, split - 0.015], "anchor": "y", "title": {"text": labels["x"]}, "side": "top",
                  "dtick": 1 if len(periods) <= 40 else None, "range": [-0.5, len(periods) - 0.5]},
        "xaxis2": {"domain": [split, 1.0], "anchor": "y2", "title": {"text": labels["sizes"]}, "side": "top",
                   "showticklabels": False},
        "yaxis": {"domain": [0.0, 1.0], "anchor": "x", "title": {"text": labels["y"]}, "autorange": "reversed",
                  "type": "category", "automargin": True},
        "yaxis2": {"domain": [0.0, 1.0], "anchor": "x2", "matches": "y", "side": "right", "tickmode": "array",
                   "tickvals": sizes["cohort_label"].tolist(), "automargin": True,
                   "ticktext": [fmt.number(n) for n in sizes["cohort_size"]]},
        "shapes": outlines, "plot_bgcolor": "white",
    }
    fig = style(go.Figure({"data": traces, "layout": layout}), title, height=max(360, 150 + 22 * len(order)))
    fig.layout.margin.t += 65  # the period axis and its title sit at the top, under the figure's title
    fig.layout.margin.b = 60
    return fig


def heatmap_min_width(periods: int) -> int:
    """The narrowest the heatmap can be drawn with readable cells (CELL_WIDTH px per period k, k = 0…periods):
    on a narrower screen it scrolls sideways rather than shrinking its cells."""
    return _width(periods + 1)


def _width(columns: int) -> int:
    return int(columns * CELL_WIDTH + SIDE_COLUMN + LABELS_WIDTH)


def _band(fig: go.Figure, frame: pd.DataFrame, x: str, hue: str, name: str, shape: str, group: str | None = None) -> None:
    """A 95% band; listed in the legend under `name` unless it belongs to a line's legend `group`."""
    if frame["ci_low_pct"].isna().all():
        return
    fig.add_scatter(x=frame[x], y=frame["ci_high_pct"], mode="lines", line={"width": 0, "shape": shape},
                    showlegend=False, hoverinfo="skip", legendgroup=group)
    fig.add_scatter(x=frame[x], y=frame["ci_low_pct"], mode="lines", line={"width": 0, "shape": shape},
                    fill="tonexty", fillcolor=rgba(hue, 0.18), name=name, showlegend=group is None,
                    hoverinfo="skip", legendgroup=group)


def average_curve(curve: pd.DataFrame, picked: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """The average curve with its 95% band, and picked cohorts as thin lines.

    In: curve = average_curve rows of one segment (period, retention_pct, ci_low_pct, ci_high_pct, cohorts,
    customers, small); picked = matrix rows (cohort_label, period, retention_pct, complete, small).
    labels: average, band, x, y, hover (template: k, value, cohorts, customers; given as formatted text)."""
    fig = go.Figure()
    _band(fig, curve, "period", PRIMARY, labels["band"], "linear")
    for i, (name, rows) in enumerate(picked.groupby("cohort_label", sort=False)):
        hue = color(i + 1)
        fig.add_scatter(x=rows["period"], y=rows["retention_pct"], mode="lines+markers", name=name,
                        line={"color": hue, "width": 1.3},
                        marker={"size": 6, "color": [hue if c else MUTED for c in rows["complete"]],
                                "symbol": ["circle-open" if s else "circle" for s in rows["small"]]},
                        hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    hover = [labels["hover"].format(k=r.period, value=fmt.percent(r.retention_pct), cohorts=fmt.number(r.cohorts),
                                    customers=fmt.number(r.customers))
             for r in curve.itertuples()]
    fig.add_scatter(x=curve["period"], y=curve["retention_pct"], mode="lines+markers", name=labels["average"],
                    line={"color": PRIMARY, "width": 3}, customdata=hover,
                    marker={"size": 8, "color": PRIMARY, "symbol": ["circle-open" if s else "circle" for s in curve["small"]]},
                    hovertemplate="%{customdata}<extra></extra>")
    fig.update_yaxes(rangemode="tozero")
    integer_ticks(fig, curve["period"])
    return style(fig, title, labels["x"], labels["y"])


def over_time(series: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """Retention at one period k across cohorts, with each cohort's 95% interval.

    In: period_over_time rows of one segment (cohort, retention_pct, ci_low_pct, ci_high_pct, complete, small,
    cohort_size). Complete cohorts are joined by a line; incomplete ones are grey points apart from it; small ones
    hollow. labels: name, incomplete (legend names), x, y."""
    fig = go.Figure()
    for done, name, hue in ((True, labels["name"], PRIMARY), (False, labels["incomplete"], MUTED)):
        rows = series[series["complete"] == done]
        if rows.empty:
            continue
        fig.add_scatter(x=rows["cohort"], y=rows["retention_pct"], mode="lines+markers" if done else "markers",
                        name=name, line={"color": hue}, customdata=rows["cohort_size"],
                        error_y={"type": "data", "array": rows["ci_high_pct"] - rows["retention_pct"],
                                 "arrayminus": rows["retention_pct"] - rows["ci_low_pct"], "color": rgba(hue, 0.5),
                                 "visible": bool(rows["ci_low_pct"].notna().any())},
                        marker={"size": 8, "color": hue,
                                "symbol": ["circle-open" if s else "circle" for s in rows["small"]]},
                        hovertemplate="%{x|" + fmt.plotly_formats()["day_hover"]
                                      + "}: %{y:.1f}% (n = %{customdata:,})<extra></extra>")
    fig.update_yaxes(rangemode="tozero")
    return style(fig, title, labels["x"], labels["y"])


def segment_curves(curve: pd.DataFrame, labels: dict, title: str, steps: bool = False) -> go.Figure:
    """One curve per segment, each with its own 95% band (steps=True for Kaplan–Meier step curves).

    In: rows with segment, period, retention_pct, ci_low_pct, ci_high_pct, small. labels: x, y, none (name of
    the missing value). A band shows and hides with its line (one legend entry per segment)."""
    fig = go.Figure()
    shape = "hv" if steps else "linear"
    names = curve["segment"].astype(object).where(curve["segment"].notna(), labels["none"])
    for i, (name, rows) in enumerate(curve.groupby(names, sort=False)):
        hue = color(i)
        _band(fig, rows, "period", hue, str(name), shape, group=str(name))
        fig.add_scatter(x=rows["period"], y=rows["retention_pct"], mode="lines+markers", name=str(name),
                        legendgroup=str(name),
                        line={"color": hue, "width": 2.2, "shape": shape},
                        marker={"size": 5, "color": hue, "symbol": ["circle-open" if s else "circle" for s in rows["small"]]},
                        hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    fig.update_yaxes(rangemode="tozero")
    integer_ticks(fig, curve["period"])
    return style(fig, title, labels["x"], labels["y"])
