"""Downloads: tables as CSV/XLSX (safe from spreadsheet formulas), and the page as a self-contained HTML report
of the charts and tables it drew (ReportSections)."""

from __future__ import annotations

import io
from typing import Callable

import pandas as pd
import streamlit as st

from retention import i18n, ui_text
from retention.i18n import _
from retention.ui import widgets
from retention.ui.datasets import dataset


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe (numbers untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    out.columns = [("'" + c if isinstance(c, str) and c.startswith(_FORMULA_START) else c) for c in out.columns]
    return out


def in_this_language(build: Callable[[], bytes]) -> Callable[[], bytes]:
    """`build` to be called later in the language of this run. A download button's file is built on the click, by
    Streamlit in a worker thread of its own, where the reader's language (a context variable set by the run) is not
    set: a Polish reader's report came out with `lang='en'` and an English date line."""
    code = i18n.language()

    def built() -> bytes:
        with i18n.using(code):
            return build()
    return built


def _download_button(where, label: str, build: Callable[[], bytes], **options) -> None:
    """A download button in `where` whose file `build()` makes on the click, in the reader's language
    (in_this_language). The click runs no script (on_click="ignore"): with the rerun it starts by default,
    Streamlit 1.67 drops the file's address when that run starts before the address is sent (the new run empties
    the session's outgoing queue, which keeps script events but not the download's answer), and the button spun for
    good (the shared-link browser test, 2 full runs of about 8)."""
    where.download_button(label, in_this_language(build), on_click="ignore", **options)


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        safe_for_spreadsheets(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def download_buttons(frame: pd.DataFrame | Callable[[], pd.DataFrame], basename: str, key: str | None = None) -> None:
    """CSV and XLSX download buttons for a table (formula-injection safe). The files are written when a
    button is clicked, not on every run: a 60,000-row win-back list took seconds to write as XLSX, and
    the bytes stayed in memory for each session. `frame` may be a function that returns the table, then
    called only on a click too (a list too long to compute and send with every run)."""
    key = key or basename
    basename = i18n.unmark(str(basename))  # a translated name: no acceptance-mode markers in a file name
    table = frame if callable(frame) else (lambda: frame)
    left, right = st.columns(2)
    _download_button(left, _("Download CSV"),
                     lambda: safe_for_spreadsheets(table()).to_csv(index=False).encode("utf-8-sig"),
                     file_name=f"{basename}.csv", mime="text/csv", key=f"{key}_csv", width="stretch")
    _download_button(right, _("Download Excel"), lambda: to_xlsx(table()), file_name=f"{basename}.xlsx",
                     key=f"{key}_xlsx", width="stretch",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class ReportSections(list):
    """The charts and tables a page draws, collected in order for report_button: [(heading, item)]."""

    def chart(self, figure, key: str, heading: str = "", where=None, min_width: int | None = None) -> None:
        """min_width (px): on a narrower screen the chart keeps that width and scrolls sideways in its box."""
        widgets.plotly_chart(figure, key, where, min_width)
        self.append((heading, figure))

    def table(self, frame: pd.DataFrame, heading: str) -> pd.DataFrame:
        self.append((heading, frame))
        return frame


def report_button(title: str, sections: list[tuple[str, object]], key: str) -> None:
    """'Download this view as a report': one self-contained HTML file with the given charts and tables.
    Built only when clicked (it embeds plotly.js, ~5 MB), not on every rerun."""
    from retention import report

    ds = dataset()
    subtitle = _("Dataset: {name}").format(name=ds.name) + ui_text.amounts_in(ds.currency)
    footer = _("Made with the retention dashboard; definitions are in the app and its documentation.")
    _download_button(st, _("Download this view as a report (HTML)"),
                     lambda: report.build(title, subtitle, sections, footer=footer).encode("utf-8"), key=key,
                     file_name=f"{i18n.unmark(str(title)).lower().replace(' ', '_')}.html", mime="text/html",
                     icon=":material/description:")
