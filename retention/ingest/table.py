"""From rows of cells to the table a person means: find the header row below titles and notes,
name the columns, number the rows as the spreadsheet shows them, and set aside trailing total rows.

Used by every reader (text, workbook, Parquet); frames here have one str per cell ('' when empty)
plus `__row`, the 1-based row number in the user's file (title rows, blank rows and the header counted).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from retention import config
from retention.ingest.errors import IngestError

ROW = "__row"
# What DuckDB's trim() removes (Unicode space separators, NBSP included; not tabs or line breaks):
# both text readers trim cells with exactly this set so that they agree.
SPACES = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
HEADER_SCAN_ROWS = 30
FOOTER_SCAN_ROWS = 6

# Words that start a totals row under a table, normalised (NFKC, lower case).
TOTAL_WORDS = {
    "total", "totals", "grand total", "sum", "subtotal", "sub total",
    "suma", "razem", "ogółem", "łącznie", "summe", "gesamt", "gesamtsumme", "insgesamt", "total général",
    "totale", "somme", "totaal", "итого", "итог", "всего", "сумма", "разом", "усього", "合計", "合计",
    "总计", "總計", "小計", "小计", "総計", "总和", "計", "计", "total geral", "totalt", "summa",
}


def find_header_row(rows: list[list[str]]) -> int | None:
    """Index of the header: the first row, within the first rows, whose filled width reaches the
    table's typical width (titles and notes above a table fill one or two cells)."""
    head = rows[:HEADER_SCAN_ROWS]
    widths = [sum(1 for v in row if v) for row in head]
    if not widths or max(widths) < 2:
        return None
    typical = sorted(widths)[len(widths) * 3 // 4] if len(widths) >= 4 else max(widths)
    for i, width in enumerate(widths):
        if width >= max(2, 0.8 * typical):
            return i
    return None


def header_width(header: list[str]) -> int:
    """Columns of the table: up to the last named header cell."""
    return max(i + 1 for i, v in enumerate(header) if v)


def check_width(width: int, filename: str, at_least: bool = False) -> None:
    """Refuse a table wider than config.max_columns() (before anything reads its rows)."""
    if width > config.max_columns():
        raise IngestError(filename, "too_wide_at_least" if at_least else "too_wide", width=width,
                          limit=config.max_columns())


def unique_names(names: list[str]) -> list[str]:
    """Header cells → distinct column names ('column 3' for a blank header, 'x (2)' for a repeat)."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names, start=1):
        name = " ".join(str(name).replace("\x00", " ").split()) or f"column {i}"  # NUL: no SQL name holds one
        if name == ROW:
            name = f"{name}_"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def frame_from_rows(rows: list[list[str]], filename: str, header_index: int | None = None) -> tuple[pd.DataFrame, dict]:
    """Rows of text cells (already stripped) → (frame with __row, info: header_row, title_rows, blank_rows)."""
    if header_index is None:
        header_index = find_header_row(rows)
    if header_index is None:
        raise IngestError(filename, "no_table")
    header = rows[header_index]
    width = header_width(header)
    check_width(width, filename)
    names = unique_names([header[i] if i < len(header) else "" for i in range(width)])
    body, numbers, blank = [], [], 0
    for number, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        cells = (row + [""] * width)[:width]
        if any(cells):
            body.append(cells)
            numbers.append(number)
        else:
            blank += 1
    frame = pd.DataFrame(body, columns=names, dtype=object) if body else pd.DataFrame(columns=names, dtype=object)
    frame.insert(0, ROW, numbers)
    return frame, {"header_row": header_index + 1, "title_rows": header_index, "blank_rows": blank,
                   "repeated_headers": repeated_headers([header[i] if i < len(header) else "" for i in range(width)])}


def _normal(cell: str) -> str:
    text = unicodedata.normalize("NFKC", cell).lower().strip()
    return re.sub(r"[\s:：.=*]+$", "", re.sub(r"\s*[(（\[].*$", "", text)).strip()


def is_total_cell(cell: str) -> bool:
    norm = _normal(cell)
    return norm in TOTAL_WORDS or bool(re.match(r"(grand |sub)?totals?\b|итого\b|suma\b|summe\b|razem\b", norm))


def drop_total_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """Remove the totals rows at the bottom of a table (and one-cell notes below them).
    Returns (frame without them, their row numbers ascending)."""
    if frame.empty:
        return frame, []
    tail = frame.tail(FOOTER_SCAN_ROWS)
    cells = tail.drop(columns=[ROW]).astype(str)
    drop, pending = [], []
    for index in reversed(tail.index):
        values = [v for v in cells.loc[index].tolist() if v and v != "nan"]
        if any(is_total_cell(v) for v in values[:3]):
            drop.extend(pending + [index])
            pending = []
        elif len(values) <= 1:
            pending.append(index)
        else:
            break
    if not drop:
        return frame, []
    rows = sorted(int(r) for r in frame.loc[drop, ROW])
    return frame.drop(index=drop), rows


def column_letter(position: int) -> str:
    """1 → 'A', 27 → 'AA' (a spreadsheet's column letters)."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def repeated_headers(header: list[str]) -> list[dict]:
    """Header names given to more than one column: [{name, columns (the distinct names unique_names
    gives them, 'date', 'date (2)'), positions (1-based, in the table)}]; [] when none repeats."""
    names = unique_names(header)
    groups: dict[str, list[int]] = {}
    for i, cell in enumerate(header):
        text = " ".join(str(cell).split())
        if text:
            groups.setdefault(text, []).append(i)
    return [{"name": name, "columns": [names[i] for i in at], "positions": [i + 1 for i in at]}
            for name, at in groups.items() if len(at) > 1]
