"""Charts of the Benchmarks page: frame → plotly Figure, no data access.

Every builder takes `labels` (legend names, axis titles, badge words) and a `title` from the page, which owns
all user-facing text. The user's figure is drawn with its 95% interval; each benchmark is its own marker,
labelled with publisher and year; low-confidence benchmarks are hollow and carry the badge word.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from retention import fmt
from retention.charts.theme import MUTED, PRIMARY, color, rgba, style, wrap_categories

CONFIDENCE_SYMBOLS = {"high": "diamond", "medium": "diamond", "low": "diamond-open"}


def benchmark_label(row, labels: dict) -> str:
    """'Telecommunications · Exploding Topics (citing Statista) 2023 · low confidence' (badge only when low)."""
    from retention.ui_text.benchmarks import industry_name

    text = f"{industry_name(row['industry'])} · {row['publisher']} {row['year']}"
    if row.get("confidence") == "low":
        text += f" · {labels['low']}"
    return text


def _unique(names: list[str]) -> list[str]:
    """Category labels must differ: a repeated label gets ' (2)', ' (3)', …"""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def figure_against(compared: pd.DataFrame, user: dict, labels: dict, title: str) -> go.Figure:
    """The user's figure (line + 95% band) against each benchmark (one marker per row, sorted by value).

    compared: statistics.compare / compare.table rows (value, industry, publisher, year, confidence, converted,
    value_pct, period, metric). user: {value, ci_low, ci_high}. labels: you, band, benchmark, converted, low, x."""
    rows = compared.sort_values("value").reset_index(drop=True)
    names = _unique([benchmark_label(r, labels) for _, r in rows.iterrows()])
    fig = go.Figure()
    if not np.isnan(user.get("ci_low", np.nan)):
        fig.add_vrect(x0=user["ci_low"], x1=user["ci_high"], fillcolor=rgba(PRIMARY, 0.15), line_width=0)
    fig.add_vline(x=user["value"], line={"color": PRIMARY, "width": 3})
    # Legend entries for the band and the line (shapes have none).
    fig.add_scatter(x=[None], y=[None], mode="lines", line={"color": PRIMARY, "width": 3}, name=labels["you"])
    if not np.isnan(user.get("ci_low", np.nan)):
        fig.add_scatter(x=[None], y=[None], mode="lines", line={"color": rgba(PRIMARY, 0.3), "width": 10},
                        name=labels["band"])
    symbols = [CONFIDENCE_SYMBOLS.get(c, "diamond") for c in rows["confidence"]]
    colours = [MUTED if c == "low" else color(1) for c in rows["confidence"]]
    hover = [fmt.percent(v, 2) + (f" ({labels['converted']} {labels.get('periods', {}).get(p, p)} "
                                  f"{fmt.percent(vp, len(f'{vp:g}'.partition('.')[2]))})" if conv else "")
             for v, conv, p, vp in zip(rows["value"], rows["converted"], rows["period"], rows["value_pct"])]
    fig.add_scatter(x=rows["value"], y=names, mode="markers", name=labels["benchmark"],
                    marker={"symbol": symbols, "size": 13, "color": colours, "line": {"width": 2, "color": colours}},
                    customdata=hover, hovertemplate="%{y}<br>%{customdata}<extra></extra>")
    fig.update_yaxes(type="category", automargin=True, categoryorder="array", categoryarray=names)
    values = list(rows["value"]) + [user["value"], user.get("ci_low", np.nan), user.get("ci_high", np.nan)]
    low, high = np.nanmin(values), np.nanmax(values)
    pad = max(2.0, 0.05 * (high - low))
    fig.update_xaxes(range=[max(0.0, low - pad), high + pad])
    fig = style(fig, title, labels["x"], None, height=max(260, 90 + 34 * len(rows)))
    lines = wrap_categories(fig, names)  # long source names: in lines, so the plot keeps its width on a phone
    fig.layout.height += len(rows) * 15 * (lines - 1)
    return fig


def curve_with_points(curve: pd.DataFrame, points: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """The user's curve (value by horizon_months, with a 95% band) and benchmark points on it.

    curve: horizon_months, value, ci_low, ci_high, small. points: horizon_months, value, industry, publisher,
    year, confidence (one marker per benchmark row). labels: you, band, low, x, y."""
    curve = curve.sort_values("horizon_months")
    fig = go.Figure()
    fig.add_scatter(x=curve["horizon_months"], y=curve["ci_high"], mode="lines", line={"width": 0},
                    showlegend=False, hoverinfo="skip")
    fig.add_scatter(x=curve["horizon_months"], y=curve["ci_low"], mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor=rgba(PRIMARY, 0.15), name=labels["band"], hoverinfo="skip")
    symbols = ["circle-open" if s else "circle" for s in curve["small"]]
    fig.add_scatter(x=curve["horizon_months"], y=curve["value"], mode="lines+markers", name=labels["you"],
                    line={"color": PRIMARY, "width": 2.5}, marker={"symbol": symbols, "size": 7, "color": PRIMARY},
                    hovertemplate="%{x:.0f}: %{y:.1f}%<extra></extra>")
    for i, ((publisher, year, industry), group) in enumerate(points.groupby(["publisher", "year", "industry"],
                                                                           sort=False)):
        low = (group["confidence"] == "low").all()
        name = benchmark_label({"industry": industry, "publisher": publisher, "year": year,
                                "confidence": "low" if low else ""}, labels)
        fig.add_scatter(x=group["horizon_months"], y=group["value"], mode="markers+lines", name=name,
                        line={"color": color(i + 1), "dash": "dot", "width": 1},
                        marker={"symbol": "diamond-open" if low else "diamond", "size": 12, "color": color(i + 1),
                                "line": {"width": 2, "color": color(i + 1)}},
                        hovertemplate="%{x:.1f}: %{y:.1f}%<extra>%{fullData.name}</extra>")
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(rangemode="tozero")
    # One legend entry per source (long names): below the plot, where it cannot run into the title.
    return style(fig, title, labels["x"], labels["y"], height=440, legend="below")


def segments_against_rest(frame: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """internal.versus_rest output → each segment's share with its 95% interval, beyond-noise segments in
    colour, others grey; small segments hollow. labels: segment, overall, none (no value), x, y."""
    rows = frame.sort_values("p1").reset_index(drop=True)
    names = _unique([labels["none"] if pd.isna(s) else str(s) for s in rows["segment"]])
    colours = [color(5) if b else MUTED for b in rows["beyond_noise"]]
    fig = go.Figure()
    fig.add_scatter(x=rows["p1"], y=names, mode="markers", name=labels["segment"],
                    error_x={"type": "data", "symmetric": False, "array": rows["ci_high"] - rows["p1"],
                             "arrayminus": rows["p1"] - rows["ci_low"], "color": MUTED},
                    marker={"size": 11, "color": colours,
                            "symbol": ["circle-open" if s else "circle" for s in rows["small"]]},
                    customdata=np.stack([rows["trials"], rows["diff_pts"]], axis=1),
                    hovertemplate="%{y}: %{x:.1f}% · n = %{customdata[0]:,} (%{customdata[1]:+.1f})<extra></extra>")
    overall = 100 * rows["successes"].sum() / rows["trials"].sum() if rows["trials"].sum() else np.nan
    if not np.isnan(overall):
        fig.add_vline(x=overall, line={"color": PRIMARY, "dash": "dash"}, annotation_text=labels["overall"],
                      annotation_position="top")
    fig.update_yaxes(type="category", automargin=True)
    return style(fig, title, labels["x"], labels["y"], height=max(260, 90 + 40 * len(rows)))
