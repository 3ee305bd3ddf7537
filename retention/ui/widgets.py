"""Small Streamlit pieces every page uses: Markdown-safe text, tabs whose open tab is in the link, tables with
human labels, a headline figure, and the page CSS for phones."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from retention import ui_text


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def md(text: object) -> str:
    """An untrusted string (file name, dataset name, reason, segment value) made inert for Markdown:
    the characters that make links, images, HTML, emphasis, code, headings, tables, strike-through,
    LaTeX or Streamlit's :colour[...] directives are backslash-escaped (and a leading list marker), so
    it shows exactly as written."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return "\\" + escaped if escaped[:1] in ("-", "+") else escaped


PHONE_CSS = """<style>
@media (max-width: 640px) {
  /* a page's row of controls (it has a date) or of figures: two per line, not one under the other; only a
     row of its own (no row inside it): a row of cards holding figures stacks, one card a line, as Streamlit
     stacks columns, and the figures inside each card go two per line */
  [data-testid="stHorizontalBlock"]:has([data-testid="stDateInput"], [data-testid="stMetric"]):not(
      :has([data-testid="stHorizontalBlock"])) {
      flex-wrap: wrap; gap: 0.5rem 1rem; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stDateInput"], [data-testid="stMetric"]):not(
      :has([data-testid="stHorizontalBlock"])) > [data-testid="stColumn"] {
      min-width: calc(50% - 0.5rem) !important; flex: 1 1 calc(50% - 0.5rem) !important; }
  /* a page's controls after its finding and chart (the page puts them in a container keyed *_controls) */
  [data-testid="stVerticalBlock"] > :has(> [class*="_controls"]),
  [data-testid="stVerticalBlock"] > [class*="_controls"] { order: 1; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
}
/* labels are never cut: metric and widget labels wrap onto a second line instead of ending in "…" */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stWidgetLabel"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>"""


def arrow(change: float | None, decimals: int = 2) -> str:
    """st.metric's delta_arrow for a change given as worded text: Streamlit reads the direction from the text's
    first character, which a translation (or the marking mode's invisible marker) may not make a minus sign."""
    if change is None or change != change or round(change, decimals) == 0:
        return "off"
    return "up" if change > 0 else "down"


def layout_css() -> None:
    """The page CSS every page shares (phone widths, select boxes); app.py calls it once per run."""
    st.html(PHONE_CSS)


def tabs(labels: dict[str, str], key: str) -> tuple[str, Any]:
    """st.tabs whose open tab is a state field (`key` holds its code, as page_state seeds it), so links,
    reload and back/forward open the same tab. labels: code → label, in order.

    Returns (the open tab's code, its panel). Only the open tab is computed: Streamlit reruns the page when
    the viewer picks another tab, and the other panels stay empty until then (without this, every run would
    compute every tab's queries and charts, the bulk of a page's cost)."""
    code = st.session_state.get(key)
    if code not in labels:
        code = next(iter(labels))
    st.session_state[f"{key}_label"] = labels[code]
    codes = {label: c for c, label in labels.items()}

    def remember() -> None:
        st.session_state[key] = codes.get(st.session_state[f"{key}_label"], code)

    panels = st.tabs(list(labels.values()), key=f"{key}_label", on_change=remember)
    opened = next((c for c, panel in zip(labels, panels) if panel.open), code)
    return opened, panels[list(labels).index(opened)]


def readable(frame: pd.DataFrame, labels: dict[str, str], formats: dict[str, str] | None = None,
             date_columns: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A frame as a page shows it: (the frame with the columns in `formats` and `date_columns` written out as
    text, blanks as '—' there and in text columns (Streamlit draws a missing number as 'None'); the
    st.dataframe column_config giving each column in `labels` its human label). Columns not in `labels` are
    hidden."""
    out = frame.copy()
    for column, pattern in (formats or {}).items():
        if column in out:
            out[column] = [("—" if pd.isna(v) else pattern.format(v)) for v in out[column]]
    for column in date_columns:
        if column in out:
            out[column] = ["—" if pd.isna(d) else f"{pd.Timestamp(d):%Y-%m-%d}" for d in out[column]]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), "—")
    config = {c: (labels[c] if c in labels else None) for c in out.columns}
    return out, config


def headline_metric(column, row: dict, label: str | None = None) -> None:
    """A headline figure (a metrics.headline.as_dict row) as a metric, the same on every page: the shared
    label and window, the value, and the definition with the customers behind it on hover."""
    from retention import fmt

    figure, window = row["figure"], ui_text.headline_window(row)
    note = f" ({ui_text.HEADLINE_ESTIMATED})" if row["method"] == "monthly^12" else f" ({window})" if window else ""
    column.metric(f"{label or ui_text.headline_label(row)}{note}", ui_text.headline_value(figure, row["value"]),
                  help=ui_text.headline_definition(figure, row["method"]) + " "
                  + ui_text.CUSTOMERS_BEHIND.format(n=fmt.number(row["customers"])))


def prefetch_chart_code(where) -> None:
    """An empty, invisible chart in `where` (an st.empty, emptied by the caller when its work is done): a tab
    fetches plotly's code with the first chart it draws, so a page whose first chart comes after long work (the
    Upload page, opened by its address) has the browser fetch it during that work instead of after it."""
    box = where.container(key="chart_code_prefetch")
    box.html("<style>.st-key-chart_code_prefetch {height: 0; overflow: hidden}</style>")
    box.plotly_chart({"data": [{"type": "heatmap", "z": [[0]], "showscale": False}], "layout": {"height": 10}},
                     key="chart_code_prefetch_chart",
                     config={"staticPlot": True})


def plotly_chart(figure, key: str, where=None, min_width: int | None = None) -> None:
    """st.plotly_chart at the full width; min_width (px): on a narrower screen the chart keeps that width and
    scrolls sideways in its box."""
    if min_width:
        where = (where or st).container(key=f"{key}_scroll")
        where.html(f"<style>.st-key-{key}_scroll {{overflow-x: auto}} "
                   f".st-key-{key}_scroll .st-key-{key} {{min-width: {int(min_width)}px}}</style>")
    (where or st).plotly_chart(figure, width="stretch", key=key)
