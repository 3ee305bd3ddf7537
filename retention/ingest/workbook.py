"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) → RawTable, with python-calamine (Rust, reads all
five formats, no Excel needed, an order of magnitude faster than openpyxl).

The sheet read is the one the user names, else the largest table-like sheet (most rows with at
least two filled cells). Cells become text: dates as ISO, whole numbers without '.0'. Formatted but
empty cells (a million styled rows) are not data: calamine skips them, and a run of
MAX_BLANK_RUN empty rows ends the table.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
import zlib

import pandas as pd

from retention import config
from retention.ingest.errors import IngestError
from retention.ingest import headerless
from retention.ingest.table import find_header_row, frame_from_rows
from retention.ingest.unwrap import OLE_MAGIC, check_workbook_archive

MAX_BLANK_RUN = 100_000
MAX_CELLS = 50_000_000  # calamine holds a sheet's whole used range in memory (~30 bytes a cell)
XML_CHUNK_BYTES = 16 * 1024 * 1024
_ROW_REF = re.compile(rb'<row\b[^>]*?\sr="(\d{1,12})"')
_ODS_ROWS = re.compile(rb'number-rows-repeated="(\d{1,12})"')
_ODS_COLUMNS = re.compile(rb'number-columns-repeated="(\d{1,12})"')
_ODS_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
_ODS_CELL = re.compile(rb'<table:(?:covered-)?table-cell\b([^>]*?)(/?)>')
_CELL_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,12})\d')
ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def is_encrypted(data: bytes) -> bool:
    """An .xlsx saved with a password: an OLE container holding an EncryptedPackage stream.
    (A password-protected legacy .xls is reported by calamine itself.)"""
    return data.startswith(OLE_MAGIC) and any(marker in data for marker in ENCRYPTED_MARKERS)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _letters_value(letters: bytes) -> int:
    return _column_number(letters.decode("ascii"))


def sheet_extent(stream) -> tuple[int, int]:
    """(rows, columns) a worksheet's XML (a binary stream) makes calamine allocate, bounded from above and
    read chunk by chunk: the largest row number or count of rows, times the largest column reference or
    count of cells in one row (cells and rows without an `r` reference are placed by counting)."""
    rows = columns = rows_seen = 0
    carry = b""
    while True:
        chunk = stream.read(XML_CHUNK_BYTES)
        data = carry + chunk
        if chunk:  # keep an element cut at the end of the chunk for the next one
            cut = data.rfind(b"<row")
            if cut <= 0:
                cut = data.rfind(b"<")
            data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        pieces = data.split(b"<row")
        rows_seen += len(pieces) - 1
        columns = max([columns] + [p.count(b"<c ") + p.count(b"<c>") + p.count(b"<c/>") for p in pieces])
        numbers = _ROW_REF.findall(data)
        if numbers:
            rows = max(rows, max(int(n) for n in numbers))
        letters = set(_CELL_REF.findall(data))
        if letters:
            columns = max(columns, max(_letters_value(c) for c in letters))
        if not chunk:
            break
    return max(rows, rows_seen), columns


def oversized_sheets(data: bytes) -> dict[str, tuple[int, int]]:
    """Sheets of an .xlsx that calamine must not load: {sheet name: (cells, columns)} for those whose declared
    used range (<dimension ref="A1:XFD1048576"/>) or whose cells' positions (sheet_extent) span more than
    MAX_CELLS cells or config.max_columns() columns. Read from the sheet parts before calamine loads
    anything: calamine allocates the whole range at once, and aborts the process when it cannot."""
    if not data.startswith(b"PK"):
        return {}
    out = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "content.xml" in names and "xl/workbook.xml" not in names:
                return _oversized_ods(archive)
            if "xl/workbook.xml" not in names:
                return {}
            book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace") \
                if "xl/_rels/workbook.xml.rels" in names else ""
            targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
            targets.update({i: t for t, i in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
            for name, rid in re.findall(r'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
                part = targets.get(rid, "").lstrip("/")
                part = part if part.startswith("xl/") else "xl/" + part
                if part not in names:
                    continue
                with archive.open(part) as stream:
                    head = stream.read(4096).decode("utf-8", "replace")
                found = re.search(r'<dimension ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"', head)
                if found:
                    columns = _column_number(found.group(3)) - _column_number(found.group(1)) + 1
                    cells = (int(found.group(4)) - int(found.group(2)) + 1) * columns
                    if cells > MAX_CELLS or columns > config.max_columns():
                        out[html.unescape(name)] = (cells, columns)
                        continue
                with archive.open(part) as stream:
                    rows, columns = sheet_extent(stream)
                if rows * columns > MAX_CELLS or columns > config.max_columns():
                    out[html.unescape(name)] = (rows * columns, columns)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        return {}  # calamine reports a damaged workbook
    return out


def _oversized_ods(archive: zipfile.ZipFile) -> dict[str, tuple[int, int]]:
    """oversized_sheets for an .ods (every table is in content.xml)."""
    with archive.open("content.xml") as stream:
        extents = ods_extent(stream)
    return {name: (rows * columns, columns) for name, (rows, columns) in extents.items()
            if rows * columns > MAX_CELLS or columns > config.max_columns()}


def ods_extent(stream) -> dict[str, tuple[int, int]]:
    """{table name: (rows, columns)} of the filled cells of an .ods content.xml (a binary stream), repeats
    counted (table:number-rows-repeated, table:number-columns-repeated): what calamine expands into memory.
    Empty repeated rows and cells (LibreOffice writes a million of them under every sheet) do not count."""
    out: dict[str, tuple[int, int]] = {}
    name, rows, columns, row_start = "", 0, 0, 0
    carry = b""
    while True:
        chunk = stream.read(XML_CHUNK_BYTES)
        data = carry + chunk
        cut = data.rfind(b"<table:table-row") if chunk else -1
        data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        for piece in data.split(b"<table:table-row"):
            table = _ODS_TABLE.search(piece)
            if table:  # a new sheet starts after this row
                piece = piece[:table.start()]
            end = piece.find(b">")
            repeat = _ODS_ROWS.search(piece, 0, end + 1)
            width = position = 0
            for cell in _ODS_CELL.finditer(piece):
                span = _ODS_COLUMNS.search(cell.group(1))
                position += int(span.group(1)) if span else 1
                if b"value-type" in cell.group(1) or not cell.group(2):
                    width = position
            count = int(repeat.group(1)) if repeat and end >= 0 else 1
            if width:
                rows, columns = row_start + count, max(columns, width)
            row_start += count
            if table:
                if name or rows:
                    out[name] = (rows, columns)
                name, rows, columns, row_start = html.unescape(table.group(1).decode("utf-8", "replace")), 0, 0, 0
        if not chunk:
            break
    out[name] = (rows, columns)
    return out


def cell_text(value) -> str:
    """Workbook cell → text; dates as ISO so that later parsing sees one convention."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _rows(sheet) -> list[list[str]]:
    rows, blank_run = [], 0
    for raw in sheet.iter_rows():
        row = [cell_text(v) for v in raw]
        if any(row):
            rows.extend([[]] * blank_run)
            blank_run = 0
            rows.append(row)
        else:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
    return rows


def _table_size(rows: list[list[str]]) -> int:
    return sum(1 for row in rows if sum(1 for v in row if v) >= 2)


def _reraise_unless_calamine(exc: BaseException) -> None:
    """Let through what is not calamine failing on a damaged file: calamine also panics (a Rust panic is a
    pyo3 PanicException, a BaseException) on some truncated files, e.g. a cut OLE container."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


def table_of_rows(rows: list[list[str]], filename: str) -> tuple[pd.DataFrame, dict]:
    """A sheet's rows → (frame, info) as table.frame_from_rows, or, when the table's first row is data
    rather than column names (headerless.first_row_is_data: a sheet pasted from a database dump or log),
    columns named 'column 1' … 'column N' and info['headerless'], as for delimited files."""
    first = find_header_row(rows)
    if first is not None and headerless.first_row_is_data(rows, first):
        return headerless.frame_without_header(rows, filename, first)
    return frame_from_rows(rows, filename, first)


def refuse_oversized(filename: str, name: str, cells: int, columns: int) -> None:
    if cells <= MAX_CELLS:
        raise IngestError(filename, "sheet_too_wide", name=name, columns=columns, limit=config.max_columns())
    raise IngestError(filename, "sheet_too_many_cells", name=name, cells=cells)


def read_workbook(data: bytes, filename: str, sheet: str | None) -> tuple[pd.DataFrame, dict]:
    """(frame of text cells with __row, info: format, sheet, sheets, header_row, …)."""
    from python_calamine import CalamineWorkbook

    if is_encrypted(data):
        raise IngestError(filename, "workbook_password")
    check_workbook_archive(data, filename)
    oversized = oversized_sheets(data)
    if oversized and b"opendocument" in data[:200]:  # calamine reads every sheet of an .ods when it opens it
        refuse_oversized(filename, next(iter(oversized)), *oversized[next(iter(oversized))])
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # calamine raises its own error types for corrupt or unknown files
        _reraise_unless_calamine(exc)
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise IngestError(filename, "workbook_password") from exc
        raise IngestError(filename, "workbook_unreadable") from exc
    names = [m.name for m in book.sheets_metadata if getattr(m.typ, "name", "WorkSheet") == "WorkSheet"] or list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise IngestError(filename, "no_sheet", sheet=sheet, sheets=", ".join(map(repr, names)))
    if sheet in oversized or (not sheet and names and all(n in oversized for n in names)):
        name = sheet or names[0]
        refuse_oversized(filename, name, *oversized[name])
    best: tuple[int, str, list[list[str]]] | None = None
    for name in [sheet] if sheet else [n for n in names if n not in oversized]:
        try:
            rows = _rows(book.get_sheet_by_name(name))
        except BaseException as exc:
            _reraise_unless_calamine(exc)
            if sheet:
                raise IngestError(filename, "sheet_unreadable", name=name) from exc
            continue
        size = _table_size(rows)
        if best is None or size > best[0]:
            best = (size, name, rows)
    if best is None or not best[2]:
        raise IngestError(filename, "sheet_empty" if sheet else "workbook_empty", sheet=sheet)
    _, chosen, rows = best
    frame, info = table_of_rows(rows, filename if not sheet else f"{filename}, sheet {chosen}")
    kind = "ods" if data.startswith(b"PK") and b"opendocument" in data[:200] else \
        "xls" if data.startswith(OLE_MAGIC) else "xlsx"
    return frame, {"format": "workbook", "workbook": kind, "sheet": chosen, "sheets": names, **info}
