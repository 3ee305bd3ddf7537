"""A page's view as one self-contained HTML file: its charts (interactive Plotly) and tables.

build(title, subtitle, sections) → HTML text. `sections` is a list of (heading, item) where an item
is a plotly Figure, a DataFrame, or a plain string (a paragraph). Everything, Plotly's JavaScript
included, is embedded, so the file opens offline and can be mailed to people who will not open a
dashboard. Every string from the data (headings, cells, column names) is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from retention import fmt, i18n
from retention.i18n import _

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK SC','Noto Sans CJK JP',
'PingFang SC','Hiragino Sans','Microsoft YaHei','Yu Gothic',sans-serif;margin:2rem auto;max-width:1100px;color:#1f2937;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #e5e7eb}
.sub{color:#6b7280} table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #e5e7eb;padding:.25rem .5rem;text-align:right} th{background:#f9fafb}
td:first-child,th:first-child{text-align:left} .note{color:#6b7280;font-size:.85rem}
"""
MAX_TABLE_ROWS = 500


def _table(frame: pd.DataFrame) -> str:
    shown = frame.head(MAX_TABLE_ROWS)
    body = shown.to_html(index=False, escape=True, na_rep="", border=0, float_format=lambda v: fmt.number(v, 2))
    if len(frame) > MAX_TABLE_ROWS:
        note = _("First {shown} of {total} rows.").format(shown=fmt.number(MAX_TABLE_ROWS), total=fmt.number(len(frame)))
        body += f'<p class="note">{html.escape(note)}</p>'
    return body


def build(title: str, subtitle: str, sections: list[tuple[str, object]], footer: str = "") -> str:
    """The report in the current language (retention/i18n.py): the page says its title, headings and footer
    translated; numbers and the date are formatted here; the page's language is the document's `lang`."""
    parts = [
        f"<!DOCTYPE html><html lang='{i18n.language()}'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>",
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>",
        f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(subtitle)}</p>",
    ]
    for heading, item in sections:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(item, go.Figure):
            parts.append(pio.to_html(item, include_plotlyjs=False, full_html=False, default_height="460px"))
        elif isinstance(item, pd.DataFrame):
            parts.append(_table(item))
        elif item is not None:
            parts.append(f"<p>{html.escape(str(item))}</p>")
    now = dt.datetime.now(dt.timezone.utc)
    stamp = _("Generated {day}, {time} UTC.").format(day=fmt.date(now.date()), time=now.strftime("%H:%M"))
    parts.append(f"<p class='note'>{html.escape(str(footer))} {html.escape(i18n.unmark(stamp))}</p></body></html>")
    return "".join(parts)
