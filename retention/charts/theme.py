"""The one chart theme: Okabe–Ito colour-blind-safe palette, readable fonts, titles that state the finding."""

from __future__ import annotations

import datetime as dt

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from retention import fmt, i18n

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PRIMARY = PALETTE[0]
MUTED = "#9CA3AF"  # greyed-out: small samples, incomplete periods
# Sequential scale for heatmaps (white → blue), monotone in lightness so it reads in grey too.
SEQUENTIAL = [[0.0, "#F7FBFF"], [0.25, "#C6DBEF"], [0.5, "#6BAED6"], [0.75, "#2171B5"], [1.0, "#08306B"]]
# Diverging scale for over/under-representation (orange ← white → blue).
DIVERGING = [[0.0, "#D55E00"], [0.5, "#FFFFFF"], [1.0, "#0072B2"]]
# Every figure starts from this template. Set as plotly's default rather than per figure: a figure built on
# the default template reuses it (0.3 ms), while assigning a template to a figure re-validates it (16 ms).
pio.templates.default = "plotly_white"


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def rgba(hex_color: str, alpha: float) -> str:
    """'#RRGGBB' → 'rgba(r,g,b,alpha)' for bands and fills."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def inert(text: object) -> str:
    """An untrusted string (segment value, reason, column or file name) made inert for plotly: plotly renders
    a few HTML tags (<a href>, <b>, <br>, <span style>, …) in titles, labels, legends and hover text, and
    decodes &lt; &gt; &amp; back to the characters, so escaping those three shows the text exactly as written."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inert_values(values):
    """A trace's string data (categories, names, cell text, hover strings) escaped; numbers and dates untouched."""
    if isinstance(values, str):
        return inert(values) if ("<" in values or ">" in values or "&" in values) else values
    if isinstance(values, np.ndarray):
        if values.dtype.kind not in "OUS":  # numbers, dates: nothing to escape (and the common case)
            return values
    elif not isinstance(values, (list, tuple)) or not values:
        return values
    elif not any(isinstance(v, (str, list, tuple, np.ndarray)) for v in values):
        return values
    try:
        array = np.asarray(values, dtype=object)
    except ValueError:  # ragged nesting: leave the elements as they are, escape the strings among them
        return [_inert_values(v) for v in values]
    if not any(isinstance(v, str) and ("<" in v or ">" in v or "&" in v) for v in array.flat):
        return values  # nothing to escape: keep the very object, so make_inert does not reassign it
    flat = [inert(v) if isinstance(v, str) else v for v in array.flat]
    return np.array(flat, dtype=object).reshape(array.shape)


TRACE_TEXT = ("name", "legendgroup", "x", "y", "text", "customdata", "labels", "hovertext")


def make_inert(fig: go.Figure) -> go.Figure:
    """Escape every text plotly would render from data or labels (see inert). Hover templates are left alone:
    they are the page's own markup; builders put data in them only through %{…} fields, never by concatenation.
    Run once per figure (escaping twice would show '&amp;')."""
    for trace in fig.data:
        for attr in TRACE_TEXT:
            if attr in trace and (values := trace[attr]) is not None:
                escaped = _inert_values(values)
                if escaped is not values:  # assigning re-validates the whole array: only when changed
                    trace[attr] = escaped
    layout = fig.layout
    if layout.title.text:
        layout.title.text = inert(layout.title.text)
    fig.for_each_xaxis(_inert_axis)
    fig.for_each_yaxis(_inert_axis)
    for note in layout.annotations:
        if note.text:
            note.text = inert(note.text)
    return fig


def _inert_axis(axis) -> None:
    if axis.title.text:
        axis.title.text = inert(axis.title.text)
    if axis.ticktext is not None:
        axis.ticktext = [inert(t) for t in axis.ticktext]
    if axis.categoryarray is not None:  # must name the categories exactly as the (escaped) data does
        axis.categoryarray = _inert_values(axis.categoryarray)
    if axis.tickvals is not None:  # the same, for ticks placed at categories
        axis.tickvals = _inert_values(axis.tickvals)


def integer_ticks(fig: go.Figure, values, axis: str = "x") -> go.Figure:
    """Ticks only at whole numbers on an axis of period indices (k, periods from now): plotly puts ticks at 0.5
    steps on a short range (e.g. quarters 0–2). A short range gets a tick per period; a longer one keeps plotly's
    automatic steps, which are whole numbers from a span of about 12 up."""
    shown = [v for v in np.asarray(values, dtype=float).ravel() if np.isfinite(v)]
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    if shown and max(shown) - min(shown) <= 12:
        update(tick0=0, dtick=1)
    else:
        update(tickformat="d")
    return fig


LEGEND_ON_TOP = 5  # legend entries that still fit in one row above the plot


def style(fig: go.Figure, title: str, x_title: str | None = None, y_title: str | None = None,
          height: int = 420) -> go.Figure:
    """Apply the theme: title (state the finding), axis titles with units, legend on top; and make every
    text in the figure inert (make_inert), so every builder must call this once, after adding its traces."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        colorway=PALETTE,
        font={"family": "sans-serif", "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        hoverlabel={"bgcolor": "white"},
    )
    entries = {trace.legendgroup or trace.name for trace in fig.data if trace.showlegend is not False and trace.name}
    if len(entries) > LEGEND_ON_TOP:  # a legend of several rows would cover the title: beside the plot instead
        fig.update_layout(legend={"orientation": "v", "yanchor": "top", "y": 1.0, "xanchor": "left", "x": 1.02})
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    localize(fig)
    return make_inert(fig)


def _dates_on(fig: go.Figure, axis: str) -> bool:
    """Whether any trace puts dates on its x or y (numpy datetimes, pandas/datetime stamps)."""
    for trace in fig.data:
        values = trace[axis] if axis in trace else None
        if values is None or isinstance(values, str) or not len(values):
            continue
        array = np.asarray(values)
        if array.dtype.kind == "M" or isinstance(array.flat[0], (dt.date, np.datetime64)):
            return True
    return False


def localize(fig: go.Figure) -> go.Figure:
    """Numbers and dates in the current language (retention/fmt.py plotly_formats): the decimal and thousands
    marks of every tick and hover number, and month ticks on date axes for the languages plotly cannot name
    months in. English figures keep plotly's own date ticks."""
    formats = fmt.plotly_formats()
    fig.update_layout(separators=formats["separators"])
    if i18n.language() != i18n.DEFAULT:
        for axis, update in (("x", fig.update_xaxes), ("y", fig.update_yaxes)):
            if _dates_on(fig, axis):
                update(tickformat=formats["month_tick"], hoverformat=formats["day_hover"])
    return fig
