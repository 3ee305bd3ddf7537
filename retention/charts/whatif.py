"""What-if charts: frame → plotly Figure, no data access. Every word shown comes in as an argument
(titles, axis and legend labels live in the page / retention.ui_text.whatif); the hover texts are marked
here, as in retention/charts/customers.py (the figure cache, ui.cache.reuse, is keyed by language)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from retention.charts.theme import MUTED, PALETTE, integer_ticks, rgba, style
from retention.i18n import _

BASE, SCENARIO = PALETTE[0], PALETTE[1]


def profit(paths: pd.DataFrame, title: str, x_title: str, y_title: str, names: tuple[str, str]) -> go.Figure:
    """Profit per period, base vs scenario, the gap shaded. In: analysis.profit_paths output."""
    fig = go.Figure()
    hover = _("%{y:,.0f} (cumulative present value %{customdata[0]:,.0f}; %{customdata[1]:,.0f} customers)")
    fig.add_scatter(x=paths["period"], y=paths["base"], name=names[0], mode="lines", line={"color": BASE},
                    customdata=paths[["base_cumulative", "base_active"]],
                    hovertemplate=hover + "<extra>" + names[0] + "</extra>")
    fig.add_scatter(x=paths["period"], y=paths["scenario"], name=names[1], mode="lines",
                    line={"color": SCENARIO}, fill="tonexty", fillcolor=rgba(SCENARIO, 0.15),
                    customdata=paths[["scenario_cumulative", "scenario_active"]],
                    hovertemplate=hover + "<extra>" + names[1] + "</extra>")
    fig.update_layout(hovermode="x unified")
    fig.update_yaxes(rangemode="tozero")  # a value axis starts at zero: the gap is not exaggerated
    integer_ticks(fig, paths["period"])
    return style(fig, title, x_title, y_title)


def sensitivity(frame: pd.DataFrame, current_pp: float, current_pct: float, title: str, x_title: str,
                y_title: str, current_name: str) -> go.Figure:
    """Profit change (%) against the uplift in points, the user's scenario marked. In: analysis.sensitivity."""
    fig = go.Figure()
    point = _("+%{x:.2f} pp → %{y:+.1f}%")  # percentage points of retention → % change in profit
    ok = frame[~frame["capped"]]
    fig.add_scatter(x=ok["uplift_pp"], y=ok["profit_change_pct"], mode="lines", line={"color": BASE},
                    showlegend=False, hovertemplate=point + "<extra></extra>")
    capped = pd.concat([ok.tail(1), frame[frame["capped"]]])  # joined to the last point below the cap
    if frame["capped"].any():
        fig.add_scatter(x=capped["uplift_pp"], y=capped["profit_change_pct"], mode="lines",
                        line={"color": MUTED, "dash": "dot"}, showlegend=False,
                        hovertemplate=_("+%{x:.2f} pp (capped) → %{y:+.1f}%") + "<extra></extra>")
    fig.add_scatter(x=[current_pp], y=[current_pct], mode="markers", name=current_name,
                    marker={"color": SCENARIO, "size": 12, "line": {"color": "white", "width": 2}},
                    hovertemplate=point + "<extra>" + current_name + "</extra>")
    fig.update_yaxes(rangemode="tozero")
    return style(fig, title, x_title, y_title)


def tornado(frame: pd.DataFrame, labels: dict[str, str], title: str, x_title: str,
            names: tuple[str, str]) -> go.Figure:
    """Horizontal bars from the base gain to the gain with each input lowered / raised. In: analysis.tornado
    (widest first: drawn on top)."""
    rows = frame.iloc[::-1]
    y = [labels.get(name, name) for name in rows["input"]]
    base = float(frame["base_gain"].iloc[0]) if len(frame) else 0.0
    fig = go.Figure()
    for column, value, name, colour in (("low_gain", "low_value", names[0], PALETTE[4]),
                                        ("high_gain", "high_value", names[1], PALETTE[5])):
        fig.add_bar(y=y, x=rows[column] - base, base=base, orientation="h", name=name, marker_color=colour,
                    customdata=rows[[value, column]],
                    hovertemplate="%{y} = %{customdata[0]:,.4g} → %{customdata[1]:,.0f}<extra>" + name + "</extra>")
    fig.add_vline(x=base, line={"color": "black", "width": 1})
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(rangemode="tozero")
    return style(fig, title, x_title, None, height=max(320, 60 + 34 * len(frame)))


def sbg_projection(projections: pd.DataFrame, pooled: pd.DataFrame, fitted: pd.DataFrame, title: str,
                   x_title: str, y_title: str, names: tuple[str, str]) -> go.Figure:
    """Observed survival (solid) and sBG projections (dotted) of young cohorts, the pooled observed curve and the
    fitted model curve. In: analysis.cohort_projections, analysis.pooled_survival, sbg.projection."""
    fig = go.Figure()
    fig.add_scatter(x=fitted["period"], y=fitted["survival"], mode="lines", name=names[0],
                    line={"color": MUTED, "dash": "dash"},
                    hovertemplate="%{x}: %{y:.1%}<extra>" + names[0] + "</extra>")
    fig.add_scatter(x=pooled["t"], y=pooled["survival"], mode="lines+markers", name=names[1],
                    line={"color": "black", "width": 2}, customdata=pooled[["customers"]],
                    hovertemplate=_("%{x}: %{y:.1%} (%{customdata[0]:,.0f} customers)") + "<extra>" + names[1]
                    + "</extra>")
    for i, (cohort, rows) in enumerate(projections.groupby("cohort", sort=True)):
        colour = PALETTE[(i + 1) % len(PALETTE)]
        label = f"{pd.Timestamp(cohort):%Y-%m-%d}"
        for kind, dash in (("observed", "solid"), ("projected", "dot")):
            part = rows[rows["kind"] == kind]
            fig.add_scatter(x=part["t"], y=part["survival"], mode="lines", name=label, legendgroup=label,
                            showlegend=kind == "observed", line={"color": colour, "dash": dash},
                            hovertemplate="%{x}: %{y:.1%}<extra>" + label + "</extra>")
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    integer_ticks(fig, pd.concat([fitted["period"], pooled["t"]]))
    return style(fig, title, x_title, y_title)
