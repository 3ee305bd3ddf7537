"""Read a large delimited text file from disk without holding its rows in Python.

`read_path(path, filename=None, sheet=None)` → `RawTable`, like read.read_table on the file's bytes, but
for a plain UTF-8 delimited file of at least STAGE_MIN_BYTES the rows go straight from the file into a
private DuckDB staging file (one parallel pass of DuckDB's CSV reader); the RawTable then holds only the
first HEAD_ROWS rows in `frame` (what role and segment detection look at) and a `Staged` handle that the
date/number detection (values.Detector) and the load (canonical.load_into) read the whole table through.

Row numbers are those read_table gives: the CSV reader keeps file order when it fills a table (insertion
order is preserved), so a row's number is its position plus the rows above the first data row. Files the
fast path cannot number exactly, or that are not plain UTF-8 text (other encodings, blank lines between
rows, workbooks, archives, columns aligned with spaces) go through read_table on the bytes instead.
The staging file lives under the data directory's tmp/ and is deleted when the RawTable is garbage
collected (or at exit).

Reading is the first part of the load's time limit (`limit_seconds`, default config.load_seconds(); 0 =
none; see budget.py): DuckDB's staging work is interrupted at the limit, a read in Python that ends past it
is refused, and the RawTable's `read_seconds` tells store.build how much of the limit is left.
"""

from __future__ import annotations

import secrets
import weakref
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from retention import config, scratch, sql
from retention.ingest import headerless
from retention.ingest.budget import Deadline
from retention.ingest.encoding import detect
from retention.ingest.read import ROW, TEXT_EXTENSIONS, RawTable, read_table
from retention.ingest.table import (FOOTER_SCAN_ROWS, check_width, drop_total_rows, find_header_row, header_width,
                                    repeated_headers, unique_names)
from retention.ingest.delimited import _head, _looks_binary, _records, has_bare_cr, sniff_delimiter
from retention.ingest.unwrap import check_size, sniff_not_data

STAGE_MIN_BYTES = 32 * 1024 * 1024  # smaller files are read in memory (read_table): it is as fast
HEAD_ROWS = 20_000  # rows kept in RawTable.frame: more than role (2,000) and segment (20,000) detection read
CHUNK_BYTES = 16 * 1024 * 1024
HEAD_BYTES = 512_000
ALIAS = "raw_src"


@dataclass
class Staged:
    """Where the rows of a staged file are: table `cells` (c0 … cN text, `blank`) in a DuckDB file.
    `names` are the columns' names, `first_row` the row number of the first record, `totals` the row
    numbers of totals rows set aside (left out, as read_table leaves them out)."""

    path: Path
    names: list[str]
    first_row: int
    totals: list[int]
    rows: int = 0

    def select(self, alias: str = ALIAS) -> str:
        """SQL text selecting the table read_table would give (__row, then the named columns) from the
        staging file attached as `alias`: rows with every cell empty left out, as blank rows. Names only
        enter through quote_ident."""
        cells = ", ".join(f"c{i} as {sql.quote_ident(name)}" for i, name in enumerate(self.names))
        totals = f" and __row not in ({', '.join(str(int(r)) for r in self.totals)})" if self.totals else ""
        return (f"select * from (select rowid + {int(self.first_row)} as {sql.quote_ident(ROW)}, {cells}, "
                f"{blank_test(len(self.names))} as blank from {sql.quote_ident(alias)}.cells) where not blank{totals}")

    def attach(self, con: duckdb.DuckDBPyConnection, view: str, alias: str = ALIAS, limit: int | None = None) -> None:
        """Attach the staging file read-only to `con` and create TEMP VIEW `view` over its rows (the
        first `limit` of them when given: a scan of the view stops there)."""
        con.execute(f"attach {sql.quote_literal(self.path)} as {sql.quote_ident(alias)} (read_only)")
        first = f" limit {int(limit)}" if limit is not None else ""
        con.execute(f"create or replace temp view {sql.quote_ident(view)} as "
                    f"select * exclude (blank) from ({self.select(alias)}){first}")

    @staticmethod
    def detach(con: duckdb.DuckDBPyConnection, view: str, alias: str = ALIAS) -> None:
        con.execute(f"drop view if exists {sql.quote_ident(view)}")
        con.execute(f"detach database if exists {sql.quote_ident(alias)}")


def blank_test(width: int) -> str:
    """SQL: every cell c0 … c{width-1} of a staged row is empty."""
    return "(" + " and ".join(f"c{i} = ''" for i in range(width)) + ")"


def connect(path: Path | str = ":memory:", **settings) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the ingest settings (config.duckdb_settings(ingest=True))."""
    return duckdb.connect(str(path), config={**config.duckdb_settings(ingest=True), **settings})


def read_path(path: Path, filename: str | None = None, sheet: str | None = None,
              stage_min_bytes: int | None = None, limit_seconds: float | None = None) -> RawTable:
    """The RawTable of a file on disk: staged in DuckDB when it is a large plain UTF-8 text file, else
    read_table on its bytes (see the module docstring)."""
    path = Path(path)
    filename = filename or path.name
    deadline = Deadline(config.load_seconds() if limit_seconds is None else limit_seconds, filename)
    size = path.stat().st_size
    check_size(size, filename)
    threshold = STAGE_MIN_BYTES if stage_min_bytes is None else stage_min_bytes
    raw = None
    if size >= max(threshold, 1) and sheet is None:
        raw = _try_stage(path, filename, deadline)
    if raw is None:
        raw = read_table(path.read_bytes(), filename, sheet)
        deadline.check()
    raw.read_seconds = deadline.spent
    return raw


def _try_stage(path: Path, filename: str, deadline: Deadline) -> RawTable | None:
    with path.open("rb") as stream:
        start = stream.read(HEAD_BYTES)
    suffix = Path(filename).suffix.lower()  # the upload's name: a scratch copy's own name ends in .tmp
    if suffix not in TEXT_EXTENSIONS or sniff_not_data(start) or start[:2] == b"\x1f\x8b" or start[:4] == b"PK\x03\x04":
        return None
    try:
        codec = detect(start)
    except ValueError:
        return None
    if codec != "utf-8":  # BOMs, UTF-16, legacy code pages: read_table transcodes them
        return None
    sample, _ = _head(start, codec)
    if _looks_binary(sample) or not sample.strip() or "\n" not in sample:
        return None
    delimiter = sniff_delimiter(sample)
    rows, offsets = _records(sample, delimiter)
    header_index = find_header_row(rows)
    if header_index is None:  # no header row found: maybe columns aligned with spaces (read_table decides)
        return None
    if headerless.first_row_is_data(rows, header_index):  # no header row: read_table names the columns
        return None
    header = rows[header_index]
    header = [header[i] if i < len(header) else "" for i in range(header_width(header))]
    check_width(len(header), filename)
    names = unique_names(header)
    if _blank_line_after(path, len(sample[:offsets[header_index]].encode("utf-8"))):
        return None
    staged = Staged(_staging_path(), names, header_index + 2, [])
    try:
        return _finish(staged, path, delimiter, header_index, header, deadline)
    except BaseException:
        _remove(staged.path)
        raise


def _finish(staged: Staged, path: Path, delimiter: str, header_index: int, header: list[str],
            deadline: Deadline) -> RawTable | None:
    """Fill the staging file and read its head, counts and totals rows: the RawTable (None: not stageable)."""
    if not _fill(staged, path, delimiter, header_index + 1, deadline):
        _remove(staged.path)
        return None
    con = connect()
    try:
        with deadline.watch(con):
            con.execute(f"attach {sql.quote_literal(staged.path)} as {ALIAS} (read_only)")
            blank_row = blank_test(len(staged.names))
            counts = con.execute(f"select count(*) filter (where not {blank_row}), count(*) filter (where {blank_row}) "
                                 f"from {ALIAS}.cells").fetchone()
            staged.rows, blank = int(counts[0]), int(counts[1])
            tail = con.execute(f"select * exclude (blank) from ({staged.select()}) order by {sql.quote_ident(ROW)} desc "
                               f"limit {FOOTER_SCAN_ROWS}").df().iloc[::-1].reset_index(drop=True)
            _, totals = drop_total_rows(tail)
            staged.totals = totals
            staged.rows -= len(totals)
            head = con.execute(f"select * exclude (blank) from ({staged.select()}) limit {HEAD_ROWS}").df()
    finally:
        con.close()
    if head.empty:
        _remove(staged.path)
        return None
    info = {"format": "text", "encoding": "UTF-8", "delimiter": delimiter, "header_row": header_index + 1,
            "title_rows": header_index, "blank_rows": blank, "reader": "duckdb", "total_rows": totals,
            "repeated_headers": repeated_headers(header)}
    raw = RawTable(head, info, staged)
    weakref.finalize(raw, _remove, staged.path)
    return raw


def _fill(staged: Staged, path: Path, delimiter: str, skip: int, deadline: Deadline) -> bool:
    """Create table `cells` in the staging file from the CSV file; False when DuckDB cannot split it
    (in parallel, nor in one thread when quoted cells hold line breaks) or it is not valid UTF-8."""
    con = connect(staged.path)
    try:
        con.execute("set enable_progress_bar = false")
        for parallel in (True, False):
            try:
                with deadline.watch(con):
                    relation = sql.relation(con, "ingest_read_text", path=str(path), delimiter=delimiter, skip=skip,
                                            parallel=parallel,
                                            columns={f"c{i}": "VARCHAR" for i in range(len(staged.names))})
                    relation.create("cells")
                    con.execute("checkpoint")
                return True
            except duckdb.InterruptException:
                raise
            except duckdb.Error:
                con.execute("drop table if exists cells")
                continue
        return False
    finally:
        con.close()


def _blank_line_after(path: Path, start: int) -> bool:
    """A blank line after byte `start` followed by more data (DuckDB would drop it from the count and
    shift the row numbers), or a bare CR (text.has_bare_cr), found chunk by chunk."""
    carry = b""
    found = False
    with path.open("rb") as stream:
        stream.seek(max(start - 1, 0))
        while chunk := stream.read(CHUNK_BYTES):
            data = carry + chunk
            if has_bare_cr(np.frombuffer(data, dtype=np.uint8)):
                return True
            if found:
                if data.strip():
                    return True
            else:
                at = min((i for i in (data.find(b"\n\n"), data.find(b"\n\r\n")) if i >= 0), default=-1)
                if at >= 0:
                    found = True
                    if data[at:].strip():
                        return True
            carry = data[-2:]
    return False


def _staging_path() -> Path:
    """A new staging file's path, marked with this process's writer token (scratch.py cleans up after
    processes that die with one open)."""
    return scratch.claim() / f"stage.{scratch.WRITER}.{secrets.token_hex(8)}.duckdb.tmp"


def _remove(path: Path) -> None:
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)
