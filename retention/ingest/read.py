"""Read a spreadsheet file into a table of text cells, and say how it was read.

`read_table(data, filename)` → `RawTable`:
  frame: DataFrame, one row per data row, every cell a str ('' when empty), columns = the
         file's header names (made unique); plus `__row`, the row number a person sees when
         opening the file (1-based, header row included, title rows above it counted).
  info:  how the file was read (format, encoding, delimiter, header row, sheet, sheets).
Nothing here knows about customers or purchases; role detection and parsing come later.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from retention.ingest.errors import IngestError

ROW = "__row"
TEXT_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab"}
WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
HEADER_SCAN_ROWS = 30
DELIMITERS = [",", ";", "\t", "|"]


@dataclass
class RawTable:
    frame: pd.DataFrame
    info: dict = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != ROW]


def read_table(data: bytes, filename: str, sheet: str | None = None) -> RawTable:
    """Decode `data` (the bytes of a file called `filename`) into a RawTable."""
    if not data:
        raise IngestError(filename, "the file is empty")
    name, data = _unwrap(data, filename)
    suffix = Path(name).suffix.lower()
    if suffix in WORKBOOK_EXTENSIONS or _looks_like_workbook(data):
        table = _read_workbook(data, filename, sheet)
    elif suffix == ".parquet" or data[:4] == b"PAR1":
        table = _read_parquet(data, filename)
    else:
        table = _read_text(data, filename)
    if table.frame.empty:
        raise IngestError(filename, "the file has a header row but no data rows")
    return table


def _unwrap(data: bytes, filename: str) -> tuple[str, bytes]:
    """Undo .gz and single-file .zip wrapping; return the inner file's name and bytes."""
    name = filename
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise IngestError(filename, f"the gzip file is damaged ({exc})") from exc
        name = name[:-3] if name.lower().endswith(".gz") else name
    if data[:4] == b"PK\x03\x04" and Path(name).suffix.lower() not in WORKBOOK_EXTENSIONS:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX")]
            if _is_ooxml(archive):
                return name if Path(name).suffix else name + ".xlsx", data
            if len(members) != 1:
                raise IngestError(filename, f"the zip archive holds {len(members)} files; put exactly one data file in it")
            name, data = members[0].filename, archive.read(members[0])
    return name, data


def _is_ooxml(archive: zipfile.ZipFile) -> bool:
    return "[Content_Types].xml" in archive.namelist()


def _looks_like_workbook(data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or data[:4] == b"PK\x03\x04"


def _read_workbook(data: bytes, filename: str, sheet: str | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for encrypted/corrupt files
        text = str(exc).lower()
        if "password" in text or "encrypt" in text or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data[:4096 * 4]:
            raise IngestError(filename, "the workbook is password-protected; save an unprotected copy and upload that") from exc
        raise IngestError(filename, "this is not a readable spreadsheet (the workbook could not be opened)") from exc
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise IngestError(filename, f"there is no sheet named {sheet!r}; sheets: {', '.join(names)}")
    candidates = [sheet] if sheet else names
    best: tuple[int, str, list[list[str]]] | None = None
    for sheet_name in candidates:
        rows = [[_cell_text(v) for v in row] for row in book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)]
        size = sum(1 for row in rows if sum(1 for v in row if v) >= 2)
        if best is None or size > best[0]:
            best = (size, sheet_name, rows)
    assert best is not None
    _, chosen, rows = best
    frame, header_index = _frame_from_rows(rows, filename)
    return RawTable(frame, {"format": "workbook", "sheet": chosen, "sheets": names, "header_row": header_index + 1})


def _cell_text(value) -> str:
    """Workbook cell → text; dates as ISO so that later parsing sees one convention."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _read_parquet(data: bytes, filename: str) -> RawTable:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:
        raise IngestError(filename, "the Parquet file could not be read") from exc
    frame = frame.astype("string").fillna("").astype(object)
    frame.columns = _unique_names([str(c) for c in frame.columns])
    frame.insert(0, ROW, range(2, len(frame) + 2))
    return RawTable(frame.reset_index(drop=True), {"format": "parquet", "header_row": 1})


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """Bytes of a text file → (text, encoding name). BOMs first, then UTF-8, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM has a NUL in every other byte of ASCII text.
        even, odd = data[:4096:2].count(0), data[1:4096:2].count(0)
        if max(even, odd) > 0.3 * len(data[:4096]) / 2:
            return data.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace"), "utf-16"
        raise IngestError(filename, "this is not a text or spreadsheet file (it contains binary data)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    match = from_bytes(data[: 2_000_000]).best()
    if match is None:
        raise IngestError(filename, "this is not a text or spreadsheet file (its text encoding could not be recognised)")
    encoding = match.encoding
    return data.decode(encoding, errors="replace"), encoding


def sniff_delimiter(sample_lines: list[str]) -> str:
    """The delimiter that splits the sample's lines into the most consistent number (≥2) of fields."""
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in sample_lines if line.strip()]
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        if modal < 2:
            continue
        score = counts.count(modal) / len(counts) * (1 + min(modal, 20) / 100)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_text(data: bytes, filename: str) -> RawTable:
    text, encoding = decode(data, filename)
    if _looks_binary(text):
        raise IngestError(filename, "this is not a text or spreadsheet file (it looks like an image or other binary file)")
    sample = text[:200_000].splitlines()[:200]
    delimiter = sniff_delimiter(sample)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise IngestError(filename, f"the file could not be split into columns ({exc})") from exc
    frame, header_index = _frame_from_rows(rows, filename)
    return RawTable(frame, {"format": "text", "encoding": encoding, "delimiter": delimiter, "header_row": header_index + 1})


def _looks_binary(text: str) -> bool:
    head = text[:4096]
    if not head:
        return False
    odd = sum(1 for ch in head if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return odd > 0.05 * len(head)


def _frame_from_rows(rows: list[list[str]], filename: str) -> tuple[pd.DataFrame, int]:
    """Find the header row (skipping titles and notes above it) and build the text frame."""
    rows = [[c.strip() if isinstance(c, str) else _cell_text(c) for c in row] for row in rows]
    header_index = find_header_row(rows)
    if header_index is None:
        raise IngestError(filename, "no table was found: the file needs a header row and at least two columns")
    header = rows[header_index]
    width = max(i + 1 for i, v in enumerate(header) if v)
    names = _unique_names([header[i] if i < len(header) else "" for i in range(width)])
    body, numbers = [], []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        cells = (row + [""] * width)[:width]
        if any(cells):
            body.append(cells)
            numbers.append(offset)
    frame = pd.DataFrame(body, columns=names, dtype=object) if body else pd.DataFrame(columns=names, dtype=object)
    frame.insert(0, ROW, numbers)
    return frame, header_index


def find_header_row(rows: list[list[str]]) -> int | None:
    """Index of the header: the first row, within the first rows, whose filled width reaches the
    table's typical width and which is followed by a row of similar width."""
    head = rows[:HEADER_SCAN_ROWS]
    widths = [sum(1 for v in row if v) for row in head]
    if not widths or max(widths) < 2:
        return None
    typical = sorted(widths)[len(widths) * 3 // 4] if len(widths) >= 4 else max(widths)
    for i, width in enumerate(widths):
        if width >= max(2, 0.8 * typical):
            return i
    return None


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names, start=1):
        name = name or f"column {i}"
        if name == ROW:
            name = f"{name}_"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out
