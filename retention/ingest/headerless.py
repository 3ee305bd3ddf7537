"""Files without a header row (the CDNOW purchase log, many database dumps): is the first row of the table
data rather than column names?

A header is words where the rows below hold numbers or dates ('customer_id, date, amount' over '4, 19970101,
29.33'). The first row is taken as data when it is of the same kinds as the rows below: at least one of its
cells is a number or a date over a column of numbers or dates with the same form (as many digits before the
decimal mark as some value below, the same decimals), and none of its cells is a word over such a column.
Text over text says nothing either way, so a table of words only keeps its header.

DuckDB's CSV sniffer (read_csv header detection) uses the same idea (a first row whose types differ from the
rows below is a header) but by default calls a first row of numbers over numbers a header whenever all its
columns are text-compatible, and takes 19970101 for a date in one column and a number in another; the rule
here is checked on the sample the reader has already split.
"""

from __future__ import annotations

import re

import pandas as pd

from retention.ingest.table import ROW, frame_from_rows, header_width

NUMBER = re.compile(r"^[-+(]?[$€£¥]?\s?(\d+(?:[,' ]\d{3})*)(?:[.,](\d+))?\)?-?$")
DATE = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4}"
                  r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([AaPp][Mm])?.*)?$")
SAMPLE_ROWS = 50
SAME_KIND = 0.8  # share of the filled cells below that must be of one kind for the column to have that kind


def kind(cell: str) -> str:
    """'blank', 'date', 'number' or 'text'."""
    cell = cell.strip()
    if not cell:
        return "blank"
    if DATE.match(cell):
        return "date"
    return "number" if NUMBER.match(cell) else "text"


def _form(cell: str) -> tuple[int, int]:
    """A number's (digits before the decimal mark, digits after)."""
    found = NUMBER.match(cell.strip())
    whole, decimals = found.group(1), found.group(2) or ""
    return len(re.sub(r"\D", "", whole)), len(decimals)


def _column_kind(values: list[str]) -> str:
    kinds = [kind(v) for v in values if v.strip()]
    if not kinds:
        return "blank"
    top = max(set(kinds), key=kinds.count)
    return top if kinds.count(top) >= SAME_KIND * len(kinds) else "mixed"


def first_row_is_data(rows: list[list[str]], first: int) -> bool:
    """Whether rows[first] (the row a header would be on) is a data row like rows[first + 1:] (see the module)."""
    head = rows[first]
    below = rows[first + 1:first + 1 + SAMPLE_ROWS]
    if len(below) < 2:
        return False  # nothing to compare with: keep the header
    evidence = False
    for j, cell in enumerate(head):
        values = [row[j] if j < len(row) else "" for row in below]
        column, mine = _column_kind(values), kind(cell)
        if mine == "blank" or column in ("blank", "mixed"):
            continue
        if column in ("number", "date"):
            if mine == "text":
                return False  # a word over numbers or dates: a header
            if mine != column:
                return False
            if mine == "number":
                forms = [_form(v) for v in values if kind(v) == "number"]
                digits, decimals = _form(cell)
                if not (min(f[0] for f in forms) <= digits <= max(f[0] for f in forms)
                        and decimals in {f[1] for f in forms}):
                    return False  # a year or a code over amounts ('2024' over '5', '12.50'): a header
            evidence = True
        elif mine in ("number", "date"):
            return False  # a number over words: not the same kinds, keep the header
    return evidence


def column_names(width: int) -> list[str]:
    """The names given to the columns of a file without a header: 'column 1' … 'column N'."""
    return [f"column {i}" for i in range(1, width + 1)]


def info(first: int, width: int) -> dict:
    """The reading info of a table without a header row whose first data row is row first + 1."""
    return {"header_row": None, "headerless": True, "title_rows": first, "repeated_headers": [],
            "columns_named": column_names(width)}


def frame_without_header(rows: list[list[str]], filename: str, first: int) -> tuple[pd.DataFrame, dict]:
    """table.frame_from_rows for rows whose table starts with data at rows[first] (first_row_is_data):
    columns 'column 1' … 'column N' (N: the widest of the sampled rows), row numbers the file's own."""
    width = max(header_width(row) for row in rows[first:first + SAMPLE_ROWS] if any(row))
    frame, extra = frame_from_rows(rows[:first] + [column_names(width)] + rows[first:], filename, first)
    frame[ROW] -= 1
    return frame, {**extra, **info(first, width)}
