"""Delimited text files (CSV, TSV, semicolon or pipe separated, any encoding) → RawTable.

The dialect (encoding, delimiter, header row) is decided on a sample at the start of the file; the
whole file is then split by DuckDB's CSV reader (a UTF-8 copy is streamed to a temporary file when
the file is in another encoding). Row numbers are the spreadsheet's: one per record, so a quoted cell
with line breaks stays in one row, and blank rows count (as Excel and Google Sheets show them).
DuckDB skips blank lines, so a file with blank lines between data rows, or one DuckDB cannot split,
is read with Python's csv module instead (same result, a few times slower).
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.compute as pc

from retention import sql
from retention.ingest.encoding import decode, detect_or_fail, display_name
from retention.ingest.errors import IngestError
from retention.ingest import headerless
from retention.ingest.table import (ROW, SPACES, check_width, find_header_row, frame_from_rows, header_width,
                                    repeated_headers, unique_names)

DELIMITERS = [",", ";", "\t", "|"]
SAMPLE_BYTES = 512_000
CHUNK_BYTES = 8 * 1024 * 1024
PIECE_BYTES = 32 * 1024 * 1024  # DuckDB's CSV reader takes a file this much at a time by default
LINE_MAX_BYTES = 16_000_000  # the longest record read (a longer one makes the read fail)
csv.field_size_limit(64 * 1024 * 1024)


class _UsePython(Exception):
    """The fast reader cannot keep the row numbers exact for this file."""


def _quote_fit(sample: str, delim: str) -> float:
    """Share of the sample's quote marks that sit where `delim` would put them: opening right after a
    delimiter or line start, closing right before a delimiter or line end (doubled quotes aside)."""
    text = sample.replace('""', "")
    total = text.count('"')
    if not total:
        return 1.0
    edges = {delim, "\n", "\r"}
    good = sum(1 for i, ch in enumerate(text) if ch == '"' and (
        i == 0 or text[i - 1] in edges or i + 1 == len(text) or text[i + 1] in edges))
    return good / total


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits most of the sample's records into the same number (≥2) of fields
    (title rows above a table have one field whatever the delimiter, so they are not held against it),
    with its quote marks where that delimiter would put them."""
    best, best_score = ",", 0.0
    for delim in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delim) if any(row)][:200]
        except csv.Error:
            continue
        split = [c for c in counts if c >= 2]
        if not split:
            continue
        modal = max(sorted(set(split), reverse=True), key=split.count)
        score = split.count(modal) / len(counts) * (1 + min(modal, 20) / 100) * _quote_fit(sample[:100_000], delim)
        if score > best_score:
            best, best_score = delim, score
    return best


def _aligned_by_spaces(sample: str) -> bool:
    """Most non-blank lines split on runs of spaces into the same number (≥2) of fields, with no quotes."""
    lines = [line for line in sample.splitlines()[:200] if line.strip()]
    if len(lines) < 2 or any('"' in line for line in lines):
        return False
    counts = [len(line.split()) for line in lines]
    modal = max(set(counts), key=counts.count)
    return modal >= 2 and counts.count(modal) >= 0.8 * len(counts)


def _looks_binary(text: str) -> bool:
    head = text[:4096]
    odd = sum(1 for ch in head if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd")
    return bool(head) and odd > 0.02 * len(head)


def _head(data: bytes, codec: str) -> tuple[str, bool]:
    """(decoded start of the file cut at a line end, whether that is the whole file)."""
    whole = len(data) <= SAMPLE_BYTES
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    text = decoder.decode(data[:SAMPLE_BYTES], final=whole)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not whole:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[:cut + 1] if cut > 0 else text
    return text, whole


def _records(sample: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Records of the sample (cells stripped) and, for each, the character offset just after it."""
    lines = list(io.StringIO(sample, newline=""))
    ends = np.cumsum([len(line) for line in lines]).tolist()
    reader = csv.reader(iter(lines), delimiter=delimiter)
    rows, offsets = [], []
    try:
        for row in reader:
            rows.append([c.strip(SPACES) for c in row])
            offsets.append(ends[reader.line_num - 1] if reader.line_num else 0)
    except csv.Error:
        pass  # a record cut at the end of the sample
    return rows, offsets


def read_text(data: bytes, filename: str, fast: bool = True) -> tuple[pd.DataFrame, dict]:
    """(frame of text cells with __row, info) for the bytes of a delimited text file."""
    codec = detect_or_fail(data, filename)
    sample, whole = _head(data, codec)
    if _looks_binary(sample):
        raise IngestError(filename, "binary_image")
    if not sample.strip():
        raise IngestError(filename, "blank_lines")
    if not whole and "\n" not in sample and "\r" not in sample:
        check_width(max(sample.count(d) for d in DELIMITERS) + 1, filename, at_least=True)
        raise IngestError(filename, "long_first_line", kb=SAMPLE_BYTES // 1000)
    delimiter = sniff_delimiter(sample)
    rows, offsets = _records(sample, delimiter)
    header_index = find_header_row(rows)
    if header_index is None and _aligned_by_spaces(sample):
        # Columns lined up with runs of spaces (fixed-width style, e.g. the CDNOW purchase log): rewrite
        # each line with tabs between its fields and read that.
        text, codec = decode(data, filename)
        tabbed = "\n".join("\t".join(line.split()) for line in text.splitlines())
        frame, info = read_text(tabbed.encode("utf-8"), filename, fast)
        return frame, {**info, "encoding": display_name(codec), "delimiter": "spaces"}
    if header_index is None:
        raise IngestError(filename, "no_table_separator")
    check_width(header_width(rows[header_index]), filename)
    info = {"format": "text", "encoding": display_name(codec), "delimiter": delimiter}
    no_header = headerless.first_row_is_data(rows, header_index)
    if fast:
        try:
            if no_header:
                frame, extra = _read_duckdb_headerless(data, filename, codec, delimiter, rows, header_index,
                                                       sample[:offsets[header_index - 1]] if header_index else "")
            else:
                frame, extra = _read_duckdb(data, codec, delimiter, rows[header_index],
                                            header_index, sample[:offsets[header_index]])
            return frame, {**info, **extra, "reader": "duckdb"}
        except _UsePython:
            pass
    text, codec = decode(data, filename)
    try:
        all_rows = [[c.strip(SPACES) for c in row]
                    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise IngestError(filename, "split_failed", error=str(exc)) from exc
    if no_header:  # the table's first row is data: give the columns names, and keep the row numbers the file's
        frame, extra = headerless.frame_without_header(all_rows, filename, header_index)
    else:
        frame, extra = frame_from_rows(all_rows, filename, header_index)
    return frame, {**info, "encoding": display_name(codec), **extra, "reader": "python"}


def _read_duckdb_headerless(data: bytes, filename: str, codec: str, delimiter: str, rows: list[list[str]], first: int,
                            above: str) -> tuple[pd.DataFrame, dict]:
    """_read_duckdb for a table whose first row (rows[first]) is data: columns 'column 1' … 'column N'
    (N: the widest of the sampled rows), row numbers from first + 1."""
    width = max(header_width(row) for row in rows[first:first + headerless.SAMPLE_ROWS] if any(row))
    check_width(width, filename)
    frame, extra = _read_duckdb(data, codec, delimiter, headerless.column_names(width), first - 1, above)
    return frame, {**extra, **headerless.info(first, width)}


def _write_utf8(data: bytes, codec: str, path: Path) -> bytes:
    """Write the file as UTF-8 to `path` (streamed, chunk by chunk); return the UTF-8 bytes written
    when they are the input itself, else b'' (the caller reads the file back if it needs them)."""
    if codec == "utf-8":
        path.write_bytes(data)
        return data
    if codec == "utf-8-sig":
        path.write_bytes(data[3:])
        return data[3:]
    decoder = codecs.getincrementaldecoder(codec)()  # strict: a wrong guess raises, and Python decides
    with path.open("wb") as out:
        try:
            for start in range(0, len(data), CHUNK_BYTES):
                chunk = decoder.decode(data[start:start + CHUNK_BYTES], final=start + CHUNK_BYTES >= len(data))
                if start == 0 and chunk.startswith("\ufeff"):
                    chunk = chunk[1:]
                out.write(chunk.encode("utf-8"))
        except UnicodeDecodeError as exc:
            raise _UsePython() from exc
    return b""


def _has_blank_line(utf8: bytes, start: int) -> bool:
    """A blank line after byte `start` that is followed by more data (DuckDB would drop it from the count),
    or, in a file with LF line ends, a bare CR between lines (a line end to a spreadsheet, not to DuckDB)."""
    body = np.frombuffer(utf8, dtype=np.uint8)[max(start - 1, 0):]  # from the line end closing the header
    ends = np.flatnonzero(body == 10)
    if len(ends) and has_bare_cr(body):
        return True
    if len(ends) == 0:  # old Mac line ends (CR only)
        ends = np.flatnonzero(body == 13)
        gaps = np.diff(ends) == 1
    else:
        gaps = np.diff(ends)
        gaps = (gaps == 1) | ((gaps == 2) & (body[np.minimum(ends[:-1] + 1, len(body) - 1)] == 13))
    at = np.flatnonzero(gaps)
    return bool(len(at)) and bool(bytes(body[ends[at[0]]:]).strip())


def has_bare_cr(body: np.ndarray) -> bool:
    """A CR that is not followed by LF, before the last byte (bytes as uint8)."""
    cr = np.flatnonzero(body[:-1] == 13)
    return bool(len(cr)) and bool((body[cr + 1] != 10).any())


def read_pieces(size: int | None = None) -> dict[str, int]:
    """ingest_read_text's buffer_size and max_line_size for a file of `size` bytes read in memory (None: a staged
    file, read in DuckDB's default pieces of 32 MB). Each thread of the reader takes one piece, so a file smaller
    than one piece was read by one thread (0.22–0.30 s wall at 1M rows, 32 MB; 0.10–0.12 s in 8 MB pieces): about
    four pieces, a power of two from 2 to 32 MB, records up to half a piece. (DuckDB 2.0's parallel reader refused
    this 1M-row file with records allowed up to a piece less one byte, and with some pieces not a power of two.)
    A longer record makes the read fail: such a file is then read by the Python reader, as any file DuckDB cannot
    split."""
    piece = PIECE_BYTES
    if size is not None:
        piece = 2 * 1024 * 1024
        while piece * 2 <= min(PIECE_BYTES, size // 4):
            piece *= 2
    return {"buffer_size": piece, "max_line_size": min(LINE_MAX_BYTES, piece // 2)}


def _read_duckdb(data: bytes, codec: str, delimiter: str, header: list[str], header_index: int,
                 through_header: str) -> tuple[pd.DataFrame, dict]:
    width = header_width(header)
    names = unique_names([header[i] if i < len(header) else "" for i in range(width)])
    with tempfile.TemporaryDirectory(prefix="retention-ingest-") as tmp:
        path = Path(tmp) / "data.csv"
        utf8 = _write_utf8(data, codec, path) or path.read_bytes()
        if _has_blank_line(utf8, len(through_header.encode("utf-8"))):
            raise _UsePython()
        del utf8
        con = duckdb.connect()
        try:
            con.execute("set enable_progress_bar = false")
            sql.execute(con, "macro_trim_spaces")
            table = None
            for parallel in (True, False):
                try:
                    table = sql.arrow(con, "ingest_read_text", path=str(path), delimiter=delimiter,
                                  skip=header_index + 1, parallel=parallel, **read_pieces(path.stat().st_size),
                                  columns={f"c{i}": "VARCHAR" for i in range(width)})
                    break
                except duckdb.Error:
                    continue
            if table is None:
                raise _UsePython()
        finally:
            con.close()
    blank_cells = np.logical_and.reduce([pc.equal(column, "").to_numpy(zero_copy_only=False)
                                         for column in table.columns]) if table.num_columns else np.zeros(0, bool)
    frame = table.to_pandas()
    frame.columns = names
    frame.insert(0, ROW, np.arange(header_index + 2, header_index + 2 + len(frame), dtype=np.int64))
    blank = int(blank_cells.sum())
    if blank:
        frame = frame[~blank_cells].reset_index(drop=True)
    return frame, {"header_row": header_index + 1, "title_rows": header_index, "blank_rows": blank,
                   "repeated_headers": repeated_headers([header[i] if i < len(header) else "" for i in range(width)])}
