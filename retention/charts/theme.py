"""The one chart theme: Okabe–Ito colour-blind-safe palette, readable fonts, titles that state the finding."""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
import unicodedata

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


# A phone (390 px) leaves a chart about 350 px: at the title's 16 px that is about 42 characters a line, and at the
# legend's 13 px about 340 px of entries a row. Titles are wrapped and the top margin sized for that width, so a
# title is never cut and the legend (under the title, above the plot) never runs into it; a wider screen only
# gets some spare room.
TITLE_CHARS = 42
TITLE_LINE_PX = 21
LEGEND_ROW_PX = 24
LEGEND_ROW_WIDTH_PX = 330
LEGEND_CHAR_PX = 7.2  # 13 px sans-serif, average
LEGEND_SYMBOL_PX = 46  # the line/marker sample and the gap after an entry
AXIS_TITLE_CHARS = 44  # an x axis title's line at phone width (it has the figure's width less the y axis)
TOP_AXIS_PX = 44  # an x axis along the top of the plot: its tick labels and title
BASE_HEIGHT_MARGIN = 70  # the top margin the builders' heights were chosen with (one title line, one legend row)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


# Chinese and Japanese punctuation that must not start a line (kinsoku): kept with the character before it.
_NO_LINE_START = set("，。、：；！？）」』】〉》…・ー％")


def title_lines(title: str, width: int = TITLE_CHARS) -> list[str]:
    """`title` broken at spaces into lines of at most `width` characters (a longer word keeps its own line).
    Chinese and Japanese text, which has no spaces, is broken between its characters, each counting as two
    (they are about twice as wide); no line starts with closing punctuation. A no-break space (Polish and Russian '24 %', '1 234') holds its two
    sides together."""
    text = " ".join(re.split(r"[ \t\r\n]+", str(title).strip()))
    if not any(_wide(c) for c in text):
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    # pieces that may not be split: a Latin word (with its trailing space) or one wide character
    pieces = re.findall(r"[^ \u2e80-\u9fff\u3000-\u30ff\uff00-\uffef]+ ?|[\u2e80-\u9fff\u3000-\u30ff\uff00-\uffef]| ",
                        text)
    lines, line, used = [], "", 0
    for piece in pieces:
        size = sum(2 if _wide(c) else (0 if unicodedata.category(c) == "Cf" else 1) for c in piece.rstrip())
        if line and used + size > width and piece[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0
        line += piece
        used += size + (len(piece) - len(piece.rstrip()))
    lines.append(line.rstrip())
    return [x for x in lines if x] or [""]


def legend_rows(names: list[str], row_width: float = LEGEND_ROW_WIDTH_PX) -> int:
    """Rows a horizontal legend of `names` takes at phone width (0 for no entries); entries wrap whole."""
    rows, used = 0, row_width
    for name in names:
        width = LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * len(str(name))
        if used + width > row_width:
            rows, used = rows + 1, 0.0
        used += width
    return rows


def legend_entries(fig: go.Figure) -> list[str]:
    """The names the legend lists, once per legend group, in trace order."""
    seen: dict[str, str] = {}
    for trace in fig.data:
        if trace.showlegend is not False and trace.name:
            seen.setdefault(trace.legendgroup or trace.name, trace.name)
    return list(seen.values())


def top_margin(lines: int, rows: int) -> int:
    """The top margin (px) for a title of `lines` lines over a legend of `rows` rows."""
    return 24 + TITLE_LINE_PX * max(lines, 1) + LEGEND_ROW_PX * rows + (6 if rows else 0)


def style(fig: go.Figure, title: str, x_title: str | None = None, y_title: str | None = None,
          height: int = 420, legend: str = "top", top_axis: bool = False) -> go.Figure:
    """Apply the theme: title (state the finding) wrapped to phone width, axis titles with units, the legend in
    rows between the title and the plot with room for both (legend="below": at the foot of the figure, under
    the x axis title, for long lists of entries); and make every text in the figure inert
    (make_inert), so every builder must call this once, after adding its traces. The figure grows by the extra
    top margin, so the plot keeps the height the builder asked for. top_axis: the figure has an x axis along the
    top (ticks and title): room for it between the legend and the plot."""
    lines = title_lines(title)
    entries = legend_entries(fig)
    rows = legend_rows(entries) if fig.layout.showlegend is not False else 0
    below = legend == "below"
    axis_room = TOP_AXIS_PX if top_axis else 0
    top = top_margin(len(lines), 0 if below else rows) + axis_room
    bottom = 50 + (LEGEND_ROW_PX * rows + 30 if below and rows else 0)
    figure_height = height + max(0, top - BASE_HEIGHT_MARGIN) + (bottom - 50)
    # The legend's x and y both refer to the container: plotly.js reserves room for a legend whose x is the
    # container's and y the plot's on the side of x, i.e. pushes the plot right by the legend's width (seen on
    # every chart with a legend at 1440 px); with both in container units it reserves only the top (or bottom)
    # rows, which the margin already holds. Top legend: its top edge just under the title's lines.
    legend_top = (top - axis_room - LEGEND_ROW_PX * rows - (6 if rows else 0)) / figure_height
    fig.update_layout(
        title={"text": None, "x": 0, "xanchor": "left", "xref": "container", "y": 1, "yref": "container",
               "yanchor": "top", "pad": {"t": 12, "l": 4}, "font": {"size": 16}},
        colorway=PALETTE,
        font={"family": "sans-serif", "size": 13},
        height=figure_height,
        margin={"l": 60, "r": 20, "t": top, "b": bottom},
        # x from the figure's left edge, not the plot's: long category labels would push the legend off a phone
        legend={"orientation": "h", "yanchor": "bottom", "y": 0, "yref": "container", "xanchor": "left", "x": 0,
                "xref": "container"}
        if below else {"orientation": "h", "yanchor": "top", "y": 1 - legend_top, "yref": "container", "xanchor": "left",
                       "x": 0, "xref": "container"},
        hoverlabel={"bgcolor": "white"},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    localize(fig)
    make_inert(fig)
    # set after make_inert: each line escaped, the <br> between them kept as markup
    fig.layout.title.text = "<br>".join(inert(line) for line in lines)
    if x_title is not None and len(str(x_title)) > AXIS_TITLE_CHARS:  # plotly cuts an axis title at the figure's edge
        fig.update_xaxes(title_text="<br>".join(inert(line) for line in title_lines(x_title, AXIS_TITLE_CHARS)))
    return fig


CATEGORY_CHARS = 22  # a category label's line on a phone: the labels keep about half of a 350 px chart


def category_lines(categories: list[str], width: int = CATEGORY_CHARS) -> int:
    """The most lines a category label takes once wrap_categories breaks it (for a builder's height)."""
    return max((len(title_lines(str(c), width)) for c in categories), default=1)


def wrap_categories(fig: go.Figure, categories: list[str], width: int = CATEGORY_CHARS) -> int:
    """After style(): the y axis's category labels broken into lines of `width` characters (the categories
    themselves unchanged); returns the most lines a label takes, for the builder's row height."""
    array = fig.layout.yaxis.categoryarray
    shown = list(array) if array is not None and len(array) else [inert(c) for c in categories]  # escaped, as the data
    lines = [title_lines(html.unescape(c), width) for c in shown]
    fig.update_yaxes(tickmode="array", tickvals=shown, ticktext=["<br>".join(inert(x) for x in ls) for ls in lines])
    return max((len(ls) for ls in lines), default=1)


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
