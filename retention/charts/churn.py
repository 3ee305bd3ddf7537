"""Charts of the Churn page: frame → plotly Figure, no data access.

Every builder takes `labels` (the words shown: legend names, axis titles) and a `title` from the page,
which owns all user-facing text. Incomplete and warm-up periods are drawn in MUTED, small samples as hollow markers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from retention.charts.theme import (DIVERGING, MUTED, PRIMARY, SEQUENTIAL, category_lines, color, inert, rgba,
                                    style, wrap_categories)


def _marker_colours(frame: pd.DataFrame, base: str) -> list[str]:
    """MUTED for incomplete periods and, when flagged, warm-up periods (too early to see lapses)."""
    warm = frame["warm_up"] if "warm_up" in frame else [False] * len(frame)
    return [base if complete and not w else MUTED for complete, w in zip(frame["complete"], warm)]


def rate_lines(frame: pd.DataFrame, measure: str, labels: dict, title: str) -> go.Figure:
    """retention_by_period output → the standard and alternative rate over time.

    measure: 'crr' (retention %) or 'churn' (churn %). labels: standard, alternative, band, x, y.
    The alternative gets its 95% Wilson band; incomplete periods are grey, CS < 30 hollow."""
    fig = go.Figure()
    alt = frame[f"alt_{measure}_pct"]
    low, high = (frame["alt_ci_low"], frame["alt_ci_high"]) if measure == "crr" else (
        100 - frame["alt_ci_high"], 100 - frame["alt_ci_low"])
    fig.add_scatter(x=frame["period_start"], y=high, mode="lines", line={"width": 0}, showlegend=False,
                    hoverinfo="skip")
    fig.add_scatter(x=frame["period_start"], y=low, mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor=rgba(color(1), 0.15), name=labels["band"], hoverinfo="skip")
    symbols = ["circle-open" if small else "circle" for small in frame["small"]]
    fig.add_scatter(x=frame["period_start"], y=frame[f"{measure}_pct"], mode="lines+markers", name=labels["standard"],
                    line={"color": PRIMARY, "width": 2.5},
                    marker={"color": _marker_colours(frame, PRIMARY), "symbol": symbols, "size": 8},
                    hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}%<extra></extra>")
    fig.add_scatter(x=frame["period_start"], y=alt, mode="lines+markers", name=labels["alternative"],
                    line={"color": color(1), "dash": "dash"},
                    marker={"color": _marker_colours(frame, color(1)), "symbol": symbols, "size": 6},
                    hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}%<extra></extra>")
    return style(fig, title, labels["x"], labels["y"])


def lifecycle_bars(frame: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """lifecycle output → stacked bars (new, resurrected, retained up; churned down) and the quick ratio
    on a second axis. labels: new, resurrected, retained, churned, quick_ratio, x, y, y2."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    opacity = [1.0 if c else 0.45 for c in frame["complete"]]
    for i, (column, sign) in enumerate((("retained", 1), ("new", 1), ("resurrected", 1), ("churned", -1))):
        fig.add_bar(x=frame["period_start"], y=sign * frame[column], name=labels[column],
                    marker={"color": color([0, 2, 4, 5][i]), "opacity": opacity},
                    customdata=frame[column],
                    hovertemplate="%{x|%Y-%m-%d}: %{customdata:,}<extra>" + labels[column] + "</extra>")
    fig.add_scatter(x=frame["period_start"], y=frame["quick_ratio"], mode="lines+markers", name=labels["quick_ratio"],
                    line={"color": "#000000", "width": 1.5}, secondary_y=True,
                    hovertemplate="%{x|%Y-%m-%d}: %{y:.2f}<extra></extra>")
    fig.update_layout(barmode="relative")
    style(fig, title, labels["x"], labels["y"])
    fig.update_yaxes(title_text=labels["y2"], secondary_y=True, rangemode="tozero", showgrid=False, tickmode="auto")
    return fig


def revenue_lines(frame: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """revenue_retention output → GRR and NRR per period with a 100% line. labels: grr, nrr, x, y."""
    fig = go.Figure()
    for i, column in enumerate(("grr_pct", "nrr_pct")):
        base = color(i * 2)
        fig.add_scatter(x=frame["period_start"], y=frame[column], mode="lines+markers", name=labels[column[:3]],
                        line={"color": base}, marker={"color": _marker_colours(frame, base)},
                        hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}%<extra></extra>")
    fig.add_hline(y=100, line={"color": MUTED, "dash": "dot"})
    return style(fig, title, labels["x"], labels["y"])


def pareto(frame: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """reason_counts output → a bar of churned customers per reason, most common at the top, and the cumulative
    share as a line on a second axis along the top. Reasons run down the side (in lines, as wrap_categories
    breaks them), so long reasons and many of them stay readable on a phone: standing under vertical bars they
    took most of a 390 px chart's height. labels: churned, cumulative, x (the reasons' axis), y (the count's
    axis), y2 (the cumulative share's axis)."""
    reasons = list(frame["reason"])
    fig = go.Figure()
    fig.add_bar(y=reasons, x=frame["churned"], orientation="h", name=labels["churned"], marker_color=PRIMARY,
                customdata=frame["share_pct"], hovertemplate="%{y}: %{x:,} (%{customdata:.1f}%)<extra></extra>")
    fig.add_scatter(y=reasons, x=frame["cumulative_pct"], xaxis="x2", mode="lines+markers", name=labels["cumulative"],
                    line={"color": color(5)}, hovertemplate="%{x:.1f}%<extra></extra>")
    fig.update_layout(xaxis2={"overlaying": "x", "side": "top", "range": [0, 105], "showgrid": False,
                              "tickmode": "array", "tickvals": [0, 25, 50, 75, 100]})
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=reasons)
    row = 16 + 14 * category_lines(reasons)  # px per reason: its label's lines
    fig = style(fig, title, labels["y"], labels["x"], height=max(320, 70 + row * len(reasons)), top_axis=True)
    fig.update_layout(xaxis2_title_text=inert(labels["y2"]))  # style() gave every x axis the count's title
    wrap_categories(fig, reasons)
    return fig


def reasons_area(frame: pd.DataFrame, value: str, labels: dict, title: str) -> go.Figure:
    """reasons_over_time output → stacked areas per reason; value 'churned' (count) or 'share_pct'.
    labels: x, y."""
    fig = go.Figure()
    for i, (reason, part) in enumerate(frame.groupby("reason", sort=False)):
        fig.add_scatter(x=part["period_start"], y=part[value], name=reason, mode="lines", stackgroup="one",
                        line={"width": 0.5, "color": color(i)},
                        hovertemplate="%{x|%Y-%m-%d}: %{y:,.1f}<extra>%{fullData.name}</extra>")
    incomplete = frame.loc[~frame["complete"], "period_start"]
    if len(incomplete):
        fig.add_vrect(x0=incomplete.min(), x1=incomplete.max(), fillcolor=MUTED, opacity=0.2, line_width=0)
    return style(fig, title, labels["x"], labels["y"], legend="below")  # one entry per reason: a long legend


def segment_heatmap(frame: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """reasons_by_segment output → reasons (down the side) × segments (along the bottom) coloured by
    over/under-representation (log2 of index/100, so 2× and ½× are equally strong), with the share in each cell.
    Reasons are many and long, segments few (the picker offers columns with few values): across a phone the
    cells keep their width this way round. labels: x (the reasons' axis title), y (the segments'), colorbar,
    none (name for customers without a segment value), small (suffix for small segments); optional hover
    words: share ("of the segment's churned"), index."""
    data = frame.assign(segment=frame["segment"].astype(object).where(frame["segment"].notna(), labels["none"]))
    data["segment"] = np.where(data["small"], data["segment"].astype(str) + labels["small"], data["segment"].astype(str))
    reasons = list(dict.fromkeys(data["reason"]))
    segments = list(dict.fromkeys(data["segment"]))
    z = data.pivot(index="reason", columns="segment", values="index").reindex(index=reasons, columns=segments)
    share = data.pivot(index="reason", columns="segment", values="share_pct").reindex(index=reasons, columns=segments)
    count = data.pivot(index="reason", columns="segment", values="churned").reindex(index=reasons, columns=segments)
    with np.errstate(divide="ignore"):
        strength = np.clip(np.log2(z.to_numpy(float) / 100), -2, 2)
    fig = go.Figure(go.Heatmap(
        z=strength, x=segments, y=reasons, zmin=-2, zmax=2, colorscale=DIVERGING,
        text=share.round(0).astype("Int64").astype(str).to_numpy() + "%", texttemplate="%{text}",
        customdata=np.dstack([count.to_numpy(), z.to_numpy(float)]),
        hovertemplate="%{x} · %{y}: %{text} " + labels.get("share", "of the segment's churned")
                      + " (%{customdata[0]:,}), " + labels.get("index", "index") + " %{customdata[1]:.0f}<extra></extra>",
        colorbar={"title": {"text": labels["colorbar"], "side": "right"}, "thickness": 12,
                  "tickvals": [-2, -1, 0, 1, 2], "ticktext": ["¼×", "½×", "1×", "2×", "4×"]},
    ))
    fig.update_yaxes(autorange="reversed")
    row = 16 + 14 * category_lines(reasons)  # px per reason: its label's lines
    fig = style(fig, title, labels["y"], labels["x"], height=max(320, 60 + row * len(reasons)))
    wrap_categories(fig, reasons)  # reasons in lines: the cells keep the width on a phone
    return fig


def lost_revenue_bars(frame: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """lost_revenue_by_reason output → horizontal bars of revenue per period lost per reason. labels: x, y;
    optional hover words: customers, each."""
    data = frame.sort_values("lost_per_period")
    fig = go.Figure(go.Bar(x=data["lost_per_period"], y=data["reason"], orientation="h", marker_color=color(5),
                           customdata=data[["with_purchases", "avg_per_customer"]].to_numpy(),
                           hovertemplate="%{y}: %{x:,.0f} (%{customdata[0]:,} " + labels.get("customers", "customers")
                                         + ", %{customdata[1]:,.0f} " + labels.get("each", "each") + ")<extra></extra>"))
    return style(fig, title, labels["x"], labels["y"], height=max(320, 60 + 32 * len(data)))


def tenure_heatmap(frame: pd.DataFrame, labels: dict, title: str) -> go.Figure:
    """reasons_by_tenure output (bands with a known tenure) → reasons × tenure bands coloured by the share
    of the reason's churned customers. labels: x, y, colorbar, unit (e.g. ' months'), open (e.g. '+')."""
    data = frame[frame["band_no"].notna()].copy()

    def band(row) -> str:
        start = f"{row.band_from_months:g}"
        return start + labels["open"] + labels["unit"] if pd.isna(row.band_to_months) else \
            f"{start}–{row.band_to_months:g}{labels['unit']}"

    data["band"] = [band(r) for r in data.itertuples()]
    bands = list(dict.fromkeys(data.sort_values("band_no")["band"]))
    reasons = list(dict.fromkeys(frame["reason"]))
    share = data.pivot_table(index="reason", columns="band", values="share_pct", aggfunc="sum").reindex(
        index=reasons, columns=bands).fillna(0)
    fig = go.Figure(go.Heatmap(z=share.to_numpy(), x=bands, y=reasons, colorscale=SEQUENTIAL, zmin=0,
                               text=share.round(0).astype(int).astype(str).to_numpy() + "%", texttemplate="%{text}",
                               hovertemplate="%{y}, %{x}: %{z:.1f}%<extra></extra>",
                               colorbar={"title": {"text": labels["colorbar"], "side": "right"}, "thickness": 12}))
    fig.update_yaxes(autorange="reversed")
    fig = style(fig, title, labels["x"], labels["y"], height=max(320, 60 + 36 * len(reasons)))
    wrap_categories(fig, reasons)  # reasons in lines: the cells keep the width on a phone
    return fig
