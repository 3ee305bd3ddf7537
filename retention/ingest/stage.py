"""Read a large file from disk without holding its rows in Python.

`read_path(path, filename=None, sheet=None)` → `RawTable`, like read.read_table on the file's bytes, but
for a delimited text file of at least STAGE_MIN_BYTES the rows go straight from the file into a
private DuckDB staging file (one parallel pass of DuckDB's CSV reader); the RawTable then holds only the
first HEAD_ROWS rows in `frame` (what role and segment detection look at) and a `Staged` handle that the
date/number detection (values.Detector) and the load (canonical.load_into) read the whole table through.
A file in another encoding (a BOM, UTF-16, a legacy code page such as Windows-1250) is first transcoded to a
UTF-8 scratch copy chunk by chunk (`transcode`) and the copy staged; info["encoding"] still names the file's own.
Large .xlsx/.xlsm files are streamed into a staging file (`stage_workbook`), large Parquet files copied into one by
DuckDB (`stage_parquet`), and a large .gz or .zip is unpacked to a scratch copy chunk by chunk first
(unwrap.unpack_path) and the copy read as the file inside would be (info names the archive and that file).

Row numbers are those read_table gives: the CSV reader keeps file order when it fills a table (insertion
order is preserved), so a row's number is its position plus the rows above the first data row. Files the
fast path cannot number exactly (blank lines between rows, bare CR line ends, columns aligned
with spaces, cells DuckDB cannot split), small files and the kinds not staged (.xls, .xlsb, .ods) go through
read_table on the bytes instead — but a text file of PYTHON_READER_MAX_BYTES or more that cannot be staged is
refused, naming why and what to do (`refuse_unstaged`): read_table holds it whole in Python, about 29 bytes a
byte, and cannot be interrupted.
The staging file lives under the data directory's tmp/ and is deleted when the RawTable is garbage
collected (or at exit). The one-shot CLI stages a text file in an in-memory database of its own connection
instead (read_path's `into`), dropped once the rows are loaded: a third less CPU than the file, for memory.

Reading is the first part of the load's time limit (`limit_seconds`, default config.load_seconds(); 0 =
none; see budget.py): DuckDB's staging work, the unpacking and the transcoding are interrupted at the limit, a
read in Python that ends past it is refused, and the RawTable's `read_seconds` tells store.build how much of the
limit is left."""

from __future__ import annotations

import codecs
import itertools
import secrets
import weakref
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from xml.parsers import expat

from retention import config, scratch, sql
from retention.ingest import headerless
from retention.ingest.errors import IngestError
from retention.ingest.budget import Deadline
from retention.ingest.encoding import detect, display_name
from retention.ingest.read import PARQUET_MAGIC, ROW, RawTable, parquet_width, read_table
from retention.ingest.table import (FOOTER_SCAN_ROWS, HEADER_SCAN_ROWS, check_width, drop_total_rows, find_header_row,
                                    header_width, repeated_headers, unique_names)
from retention.ingest.delimited import (_aligned_by_spaces, _head, _looks_binary, _records, has_bare_cr, read_pieces,
                                        sniff_delimiter)
from retention.ingest.unwrap import (GZIP_MAGIC, OLE_MAGIC, ZIP_MAGIC, check_size, check_workbook_archive,
                                     sniff_not_data, unpack_path)
from retention.ingest.workbook import MAX_BLANK_RUN, oversized_sheets, refuse_oversized

STAGE_MIN_BYTES = 32 * 1024 * 1024  # smaller files are read in memory (read_table): it is as fast
# .xlsx/.xlsm from this size are streamed into a staging file (stage_workbook); smaller ones are read whole by
# calamine, about 3 times faster (measured: 300,000 rows × 3 cells, 5.4 MB: 41 s and 300 MB peak RSS whole, 128 s and
# 250 MB streamed, at load average 27 on 2 cores); the README's 20 MB workbook took 759 MB whole
WORKBOOK_STAGE_MIN_BYTES = 8 * 1024 * 1024
# A text file of this size or more that cannot be staged is refused instead of read whole (read_table: the
# Python csv reader when there are blank lines between rows, bare CRs, ...): that reader took about
# 29 bytes of memory per byte of file (crlf_mix.csv of performance/hostile_files.py: 31 MB peaked at 1,164 MB through
# the upload path), so 32 MB is about the 1 GB a load may use (RETENTION_DUCKDB_INGEST_MEMORY), and it cannot be
# interrupted at the time limit
PYTHON_READER_MAX_BYTES = 32 * 1024 * 1024
# read_path(into=): a text file from this size is staged in the loading connection's memory rather than read whole
# in Python (read_table: a pandas frame of every cell), which cost more CPU and memory: 1M rows (32 MB), the CLI's
# matrix 1.78-1.89 against 1.59-1.68 CPU s after the imports, peak 383-389 against 316-325 MB
MEMORY_STAGE_MIN_BYTES = 1024 * 1024
HEAD_ROWS = 20_000  # rows kept in RawTable.frame: more than role (2,000) and segment (20,000) detection read
CHUNK_BYTES = 16 * 1024 * 1024
TAIL_ROWS = 2048  # rows from the end read first for the totals check (_last_rows): one vector, in the last row group
HEAD_BYTES = 512_000
ALIAS = "raw_src"
STAGING = "staging"  # the staging file's name while it is written


@dataclass
class Staged:
    """Where the rows of a staged file are: table `cells` (c0 … cN text, `blank`) in a DuckDB file at `path`,
    or, when `owner` is set, in the in-memory database `database` attached to that connection (a one-shot
    command's own connection, read_path's `into`: the rows are then read only through its cursors).
    `names` are the columns' names, `first_row` the row number of the first record, `totals` the row
    numbers of totals rows set aside (left out, as read_table leaves them out)."""

    path: Path | None
    names: list[str]
    first_row: int
    totals: list[int]
    rows: int = 0
    owner: duckdb.DuckDBPyConnection | None = None
    database: str | None = None

    @property
    def alias(self) -> str:
        """The name the staged rows' database has in a connection that reads them."""
        return self.database if self.owner is not None else ALIAS

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A new connection that reads the staged rows under `alias` (close it after use)."""
        if self.owner is not None:
            return self.owner.cursor()
        con = connect()
        con.execute(f"attach {sql.quote_literal(self.path)} as {ALIAS} (read_only)")
        return con

    def remove(self) -> None:
        """Delete the staged rows: the file and its WAL, or the in-memory database (the owner may be closed)."""
        if self.owner is None:
            _remove(self.path)
            return
        try:
            with self.owner.cursor() as con:
                con.execute(f"detach database if exists {sql.quote_ident(self.database)}")
        except duckdb.Error:
            pass  # the owner is closed: its memory went with it

    def select(self, from_stored: int = 0) -> str:
        """SQL text selecting the table read_table would give (__row, then the named columns) from the
        staged rows' database (`alias`): rows with every cell empty left out, as blank rows. Names only
        enter through quote_ident. from_stored: only the stored rows from that one on (0-based, blank ones
        counted), filtered on rowid so that the scan skips the row groups before it."""
        cells = ", ".join(f"c{i} as {sql.quote_ident(name)}" for i, name in enumerate(self.names))
        totals = f" and __row not in ({', '.join(str(int(r)) for r in self.totals)})" if self.totals else ""
        start = f" where rowid >= {int(from_stored)}" if from_stored > 0 else ""
        return (f"select * from (select rowid + {int(self.first_row)} as {sql.quote_ident(ROW)}, {cells}, "
                f"{blank_test(len(self.names))} as blank from {sql.quote_ident(self.alias)}.cells{start}) "
                f"where not blank{totals}")

    def attach(self, con: duckdb.DuckDBPyConnection, view: str, limit: int | None = None) -> None:
        """Attach the staging file read-only to `con` and create TEMP VIEW `view` over its rows (the
        first `limit` of them when given: a scan of the view stops there). Rows staged in memory are
        already there when `con` is a cursor of their owner (any other connection is refused)."""
        if self.owner is None:
            con.execute(f"attach {sql.quote_literal(self.path)} as {ALIAS} (read_only)")
        elif not con.execute("select 1 from duckdb_databases() where database_name = $name",
                             {"name": self.database}).fetchall():
            raise ValueError("rows staged in memory are read through a cursor of the connection they were staged in")
        first = f" limit {int(limit)}" if limit is not None else ""
        con.execute(f"create or replace temp view {sql.quote_ident(view)} as "
                    f"select * exclude (blank) from ({self.select()}){first}")

    def detach(self, con: duckdb.DuckDBPyConnection, view: str) -> None:
        """Drop `view` (and detach the staging file; rows staged in memory stay until remove())."""
        con.execute(f"drop view if exists {sql.quote_ident(view)}")
        if self.owner is None:
            con.execute(f"detach database if exists {ALIAS}")


def blank_test(width: int) -> str:
    """SQL: every cell c0 … c{width-1} of a staged row is empty."""
    return "(" + " and ".join(f"c{i} = ''" for i in range(width)) + ")"


def connect(path: Path | str = ":memory:", **settings) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the ingest settings (config.duckdb_settings(ingest=True))."""
    return duckdb.connect(str(path), config={**config.duckdb_settings(ingest=True), **settings})


@contextmanager
def _staging(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that writes the staging file at `path` (its default database while open), text cells
    stored uncompressed: the file is read once or twice and then deleted, and compressing ten million rows of
    text cost more than every other step of staging together (2.5M rows × 3 cells: 2.6 CPU s compressed, 1.1
    uncompressed; the file 105 MB instead of 45 MB, for an 80 MB CSV).

    The file is detached without a checkpoint. A large insert's rows are already in it (DuckDB writes their row
    groups as the insert goes), and the small WAL left beside it names them; a read-only attach replays it in
    milliseconds. The checkpoint rewrote every row: 10M rows × 3 cells, 0.5–0.95 CPU s (in a load; alone) and
    200 MB more file. A staging file filled by many small inserts checkpoints itself (`_insert_rows`)."""
    con = connect(checkpoint_on_detach="DISABLED")
    try:
        con.execute(f"attach {sql.quote_literal(path)} as {STAGING}")
        con.execute(f"use {STAGING}")
        con.execute("set force_compression = 'uncompressed'")
        yield con
        con.execute("use memory")
        con.execute(f"detach {STAGING}")
    finally:
        con.close()


def read_path(path: Path, filename: str | None = None, sheet: str | None = None,
              stage_min_bytes: int | None = None, limit_seconds: float | None = None,
              into: Callable[[], duckdb.DuckDBPyConnection] | None = None) -> RawTable:
    """The RawTable of a file on disk: staged in DuckDB when it is a large delimited text file (a copy
    transcoded to UTF-8 first when it is in another encoding), a large .xlsx/.xlsm or a large Parquet file, also
    when it arrives as a .gz or in a .zip (unpacked to a scratch copy first, unwrap.unpack_path), else read_table
    on its bytes; a large text file that cannot be staged is refused (see the module docstring).
    `into`: a function giving the connection that will load the rows (the one-shot CLI's; called only when a
    file is staged): a delimited text file is then staged in an in-memory database attached to it instead of a
    staging file, which costs a third less (10M rows × 3 cells: 2.2 instead of 3.2 CPU s) and is read back
    faster; its reads go through that connection's cursors (Staged.reader). Such a file is staged from
    MEMORY_STAGE_MIN_BYTES (an archive is still unpacked to a scratch copy only from the file thresholds).
    Workbooks and Parquet files are still staged in a file."""
    path = Path(path)
    filename = filename or path.name
    deadline = Deadline(config.load_seconds() if limit_seconds is None else limit_seconds, filename)
    check_size(path.stat().st_size, filename)
    text_min = STAGE_MIN_BYTES if stage_min_bytes is None else stage_min_bytes
    other_min = WORKBOOK_STAGE_MIN_BYTES if stage_min_bytes is None else stage_min_bytes
    unpacked = unpack_path(path, filename, min(text_min, other_min), _scratch_copy, deadline.check)
    if into is not None and stage_min_bytes is None:
        text_min = MEMORY_STAGE_MIN_BYTES
    try:
        raw = _stage(unpacked.path if unpacked else path, filename, unpacked.name if unpacked else filename, sheet,
                     text_min, other_min, deadline, into)
    finally:
        if unpacked:
            unpacked.path.unlink(missing_ok=True)
    if raw is None:  # read whole; a compressed file is unpacked again, in memory: it is small, or not staged text
        raw = read_table(path.read_bytes(), filename, sheet)
        deadline.check()
    elif unpacked:
        raw.info.update(compression=unpacked.wrapper, inner_file=unpacked.name)
    raw.read_seconds = deadline.spent
    return raw


def _stage(path: Path, filename: str, name: str, sheet: str | None, text_min: int, other_min: int,
           deadline: Deadline, into: Callable[[], duckdb.DuckDBPyConnection] | None = None) -> RawTable | None:
    """The staged RawTable of the file at `path` (called `name`; messages name `filename`, the upload) when it is
    large enough to be staged and of a kind that can be, else None; a large text file that cannot be staged is
    refused."""
    size = path.stat().st_size
    if size >= max(text_min, 1) and sheet is None:
        raw, why = _try_stage(path, filename, deadline, name=name, into=into)
        if raw is not None:
            return raw
        if why is not None and size >= PYTHON_READER_MAX_BYTES:
            refuse_unstaged(filename, why, size)
    if size >= max(other_min, 1):
        if streamable_workbook(path):
            return stage_workbook(path, filename, sheet, deadline)
        if _is_parquet(path, name):
            return stage_parquet(path, filename, deadline)
    return None


def _scratch_copy() -> Path:
    """A new scratch file for an unpacked copy, marked with this process's writer token."""
    return scratch.claim() / f"unpacked.{scratch.WRITER}.{secrets.token_hex(8)}.tmp"


def refuse_unstaged(filename: str, why: str, size: int) -> None:
    """Refuse a text file of PYTHON_READER_MAX_BYTES or more that staging could not take (`why`, a code of
    _try_stage), saying what needs the whole-file reader and what to do about it."""
    if why == "no_rows":
        raise IngestError(filename, "header_only")
    code = "slow_reader_blank_lines" if why == "blank_lines" else "slow_reader_layout"
    raise IngestError(filename, code, size=f"{size / 1024 / 1024:,.0f} MB",
                      limit=PYTHON_READER_MAX_BYTES // (1024 * 1024))


def _try_stage(path: Path, filename: str, deadline: Deadline, encoding: str | None = None,
               name: str | None = None, into: Callable[[], duckdb.DuckDBPyConnection] | None = None
               ) -> tuple[RawTable | None, str | None]:
    """(the staged RawTable, None), or (None, why not): None when read_table is the reader for the file anyway
    (not delimited text, or refused by it at once: binary, no line, no table), else a code: "blank_lines" (blank
    lines between rows, bare CR line ends), "layout" (columns aligned with spaces, cells DuckDB
    cannot split, an encoding that changes partway), "no_rows" (no data row). `encoding`: the display name of
    the codec the file was transcoded from (_stage_transcoded), for info; `name`: the file's own name when it
    differs from the upload's (the file inside a .gz or .zip); `into`: see read_path.
    Any name but a Parquet file's is tried: read_table reads every file that is not a workbook, Parquet or an
    archive as text, whatever it is called (.csv, .txt, .dat, none), and so does this."""
    with path.open("rb") as stream:
        start = stream.read(HEAD_BYTES)
    if _is_parquet(path, name or filename, start) or sniff_not_data(start) \
            or start.startswith((GZIP_MAGIC, ZIP_MAGIC, OLE_MAGIC)):
        return None, None
    try:
        codec = detect(start)
    except ValueError:
        return None, None
    sample, _ = _head(start, codec)
    if _looks_binary(sample) or not sample.strip():
        return None, None
    if codec != "utf-8":  # BOMs, UTF-16, legacy code pages: a UTF-8 copy is staged
        return (None, "layout") if encoding else _stage_transcoded(path, filename, codec, deadline, name, into)
    if "\n" not in sample:  # no line at all (refused at once), or old Mac line ends (CR only)
        return None, ("blank_lines" if "\r" in sample else None)
    delimiter = sniff_delimiter(sample)
    rows, offsets = _records(sample, delimiter)
    header_index = find_header_row(rows)
    if header_index is None:  # no header row found: maybe columns aligned with spaces (read_table decides)
        return None, ("layout" if _aligned_by_spaces(sample) else None)
    if headerless.first_row_is_data(rows, header_index):  # no header row: columns named as read_table names them
        width = max(header_width(row) for row in rows[header_index:header_index + headerless.SAMPLE_ROWS] if any(row))
        names, skip = headerless.column_names(width), header_index
        extra = headerless.info(header_index, width)
    else:
        header = rows[header_index]
        width = header_width(header)
        header = [header[i] if i < len(header) else "" for i in range(width)]
        names, skip = unique_names(header), header_index + 1
        extra = {"header_row": header_index + 1, "title_rows": header_index, "repeated_headers": repeated_headers(header)}
    check_width(width, filename)
    above = offsets[skip - 1] if skip else 0  # characters before the first data row
    # The blank-line scan (a pass over the file in Python: 0.8 s at 10M rows) runs beside the staging (DuckDB's
    # threads) rather than before it; a file it finds blank lines in is not staged, whatever the staging gave.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="blank-lines") as pool:
        blank_lines = pool.submit(_blank_line_after, path, len(sample[:above].encode("utf-8")))
        if into is None:
            staged = Staged(_staging_path(), names, skip + 1, [])
        else:
            staged = Staged(None, names, skip + 1, [], owner=into(), database=f"stage_{secrets.token_hex(8)}")
        try:
            done = _finish(staged, path, delimiter, skip, extra, deadline, encoding or "UTF-8")
        except BaseException:
            staged.remove()
            if blank_lines.result():
                return None, "blank_lines"
            raise
        if blank_lines.result():
            staged.remove()
            return None, "blank_lines"
        return done


def _stage_transcoded(path: Path, filename: str, codec: str, deadline: Deadline, name: str | None = None,
                      into: Callable[[], duckdb.DuckDBPyConnection] | None = None) -> tuple[RawTable | None, str | None]:
    """_try_stage on a UTF-8 copy of a file in another encoding (transcode()), its info naming the file's own
    encoding; the copy is deleted once staged. (None, "layout") when the file does not decode strictly as
    `codec` all through (read_table then tries the other code pages)."""
    copy = scratch.claim() / f"utf8.{scratch.WRITER}.{secrets.token_hex(8)}.tmp"
    try:
        if not transcode(path, codec, copy, deadline):
            return None, "layout"
        return _try_stage(copy, filename, deadline, encoding=display_name(codec), name=name, into=into)
    finally:
        copy.unlink(missing_ok=True)


def transcode(path: Path, codec: str, target: Path, deadline: Deadline) -> bool:
    """Write the text of `path` (in `codec`) to `target` as UTF-8 without a BOM, CHUNK_BYTES at a time through an
    incremental decoder (memory: a few chunks), checking the deadline per chunk. False when a byte does not
    decode (strictly) in `codec`. Line ends and every character are kept, so row numbers do not change."""
    decoder = codecs.getincrementaldecoder(codec)()
    first = True
    with path.open("rb") as stream, target.open("wb") as out:
        try:
            while True:
                chunk = stream.read(CHUNK_BYTES)
                text = decoder.decode(chunk, final=not chunk)
                if first and text:  # a BOM the codec keeps (read_table drops it too); utf-8-sig drops its own
                    text = text[1:] if text.startswith("\ufeff") and codec != "utf-8-sig" else text
                    first = False
                out.write(text.encode("utf-8"))
                deadline.check()
                if not chunk:
                    return True
        except UnicodeDecodeError:
            return False


def _finish(staged: Staged, path: Path, delimiter: str, skip: int, extra: dict, deadline: Deadline,
            encoding: str = "UTF-8") -> tuple[RawTable | None, str | None]:
    """Fill the staging file from the file's line `skip` on (the lines above: titles, the header row) and read its
    head, counts and totals rows; `extra`: the header's read info. (the RawTable, None), or (None, why not:
    "layout" when DuckDB cannot split it, "no_rows" when it has no data row)."""
    if not _fill(staged, path, delimiter, skip, deadline):
        staged.remove()
        return None, "layout"
    info = {"format": "text", "encoding": encoding, "delimiter": delimiter, **extra, "reader": "duckdb"}
    raw = finish_staged(staged, info, deadline)
    return (raw, None) if raw is not None else (None, "no_rows")


def finish_staged(staged: Staged, info: dict, deadline: Deadline) -> RawTable | None:
    """The RawTable of a filled staging file: its first HEAD_ROWS rows, row and blank-row counts, totals rows
    set aside; `info` completed with blank_rows and total_rows (None, file removed: no data row)."""
    con = staged.reader()
    try:
        with deadline.watch(con):
            blank_row = blank_test(len(staged.names))
            cells = f"{sql.quote_ident(staged.alias)}.cells"
            # two counts, not two filtered aggregates of one scan: the row count is the table's own, and the
            # blank test as a WHERE is pushed into the scan (zone maps skip row groups without an empty c0)
            stored = int(con.execute(f"select count(*) from {cells}").fetchone()[0])
            blank = int(con.execute(f"select count(*) from {cells} where {blank_row}").fetchone()[0])
            staged.rows = stored - blank
            tail = _last_rows(con, staged, stored)
            _, totals = drop_total_rows(tail)
            staged.totals = totals
            staged.rows -= len(totals)
            head = con.execute(f"select * exclude (blank) from ({staged.select()}) limit {HEAD_ROWS}").df()
    finally:
        con.close()
    if head.empty:
        staged.remove()
        return None
    raw = RawTable(head, {**info, "blank_rows": blank, "total_rows": totals}, staged)
    weakref.finalize(raw, staged.remove)
    return raw


def _fill(staged: Staged, path: Path, delimiter: str, skip: int, deadline: Deadline) -> bool:
    """Create table `cells` in the staging file from the CSV file; False when DuckDB cannot split it
    (in parallel, nor in one thread when quoted cells hold line breaks) or it is not valid UTF-8."""
    with _filling(staged) as con:
        con.execute("set enable_progress_bar = false")
        sql.execute(con, "macro_trim_spaces")
        for parallel in (True, False):
            try:
                with deadline.watch(con):
                    relation = sql.relation(con, "ingest_read_text", path=str(path), delimiter=delimiter, skip=skip,
                                            parallel=parallel, **read_pieces(),
                                            columns={f"c{i}": "VARCHAR" for i in range(len(staged.names))})
                    relation.create("cells")
                return True
            except duckdb.InterruptException:
                raise
            except duckdb.Error:
                con.execute("drop table if exists cells")
                continue
        return False


@contextmanager
def _filling(staged: Staged) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose default database is where `staged`'s table `cells` is to be created: the staging file
    (_staging), or a new in-memory database attached to its owner."""
    if staged.owner is None:
        with _staging(staged.path) as con:
            yield con
        return
    with staged.owner.cursor() as con:
        con.execute(f"attach ':memory:' as {sql.quote_ident(staged.database)}")
        con.execute(f"use {sql.quote_ident(staged.database)}")
        yield con


def _last_rows(con: duckdb.DuckDBPyConnection, staged: Staged, stored: int) -> pd.DataFrame:
    """The last FOOTER_SCAN_ROWS rows that are not blank of the staging file attached as ALIAS (it holds
    `stored` rows, blank ones included), in file order. Read from the end of the file (its last row
    group) while that holds enough of them; the top-N of every row is the fallback (many blank rows)."""
    def last(from_stored: int) -> pd.DataFrame:
        return con.execute(f"select * exclude (blank) from ({staged.select(from_stored=from_stored)}) "
                           f"order by {sql.quote_ident(ROW)} desc limit {FOOTER_SCAN_ROWS}").df()

    tail = last(max(stored - TAIL_ROWS, 0))
    if len(tail) < FOOTER_SCAN_ROWS and stored > TAIL_ROWS:
        tail = last(0)
    return tail.iloc[::-1].reset_index(drop=True)


def _blank_line_after(path: Path, start: int) -> bool:
    """A blank line after byte `start` followed by more data (DuckDB would drop it from the count and
    shift the row numbers), or a bare CR (text.has_bare_cr), found chunk by chunk."""
    carry = b""
    found = False
    with path.open("rb") as stream:
        stream.seek(max(start - 1, 0))
        while chunk := stream.read(CHUNK_BYTES):
            data = carry + chunk
            body = np.frombuffer(data, dtype=np.uint8)
            if has_bare_cr(body):
                return True
            if found:
                if data.strip():
                    return True
            else:
                at = _first_blank_line(body)
                if at >= 0:
                    found = True
                    if data[at:].strip():
                        return True
            carry = data[-2:]
    return False


def _first_blank_line(body: np.ndarray) -> int:
    """Where the first blank line starts in `body` (bytes as uint8): the first LF followed by LF or by CR LF, else
    -1 — what the smaller of data.find(b"\\n\\n") and data.find(b"\\n\\r\\n") gives, at half their CPU."""
    ends = np.flatnonzero(body == 10)
    gaps = np.diff(ends)
    hit = np.flatnonzero((gaps == 1) | ((gaps == 2) & (body[ends[:-1] + 1] == 13)))
    return int(ends[hit[0]]) if len(hit) else -1


def _staging_path() -> Path:
    """A new staging file's path, marked with this process's writer token (scratch.py cleans up after
    processes that die with one open)."""
    return scratch.claim() / f"stage.{scratch.WRITER}.{secrets.token_hex(8)}.duckdb.tmp"


def _remove(path: Path) -> None:
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)


# ---------------------------------------------------------------- Parquet


def _is_parquet(path: Path, name: str, start: bytes | None = None) -> bool:
    """A Parquet file, as read_table tells one: named .parquet, or its first bytes are Parquet's magic."""
    if Path(name).suffix.lower() == ".parquet":
        return True
    if start is None:
        with path.open("rb") as stream:
            start = stream.read(4)
    return start.startswith(PARQUET_MAGIC)


def stage_parquet(path: Path, filename: str, deadline: Deadline) -> RawTable:
    """The RawTable of a large Parquet file: its cells as text (queries/ingest_read_parquet.sql, as read_table
    reads a small one) written by DuckDB straight into a staging file, never into pandas (a Parquet file
    inflates many times as Python strings). The width is checked from the metadata first; the same names,
    cells, row numbers (row 1 is the header) and info as read_table gives."""
    width = parquet_width(path, filename)
    check_width(width, filename)
    staged = Staged(_staging_path(), [], 2, [])

    def fill() -> dict:
        try:
            with _staging(staged.path) as con, deadline.watch(con):
                relation = sql.relation(con, "ingest_read_parquet", path=str(path))
                header = [str(c) for c in relation.columns]
                con.execute("create table cells (" + ", ".join(f"c{i} varchar" for i in range(width)) + ")")
                relation.insert_into("cells")
        except duckdb.InterruptException:
            raise
        except duckdb.Error as exc:
            raise IngestError(filename, "parquet_damaged") from exc
        staged.names = unique_names(header)
        return {"format": "parquet", "header_row": 1, "title_rows": 0, "repeated_headers": repeated_headers(header)}

    return _stage_into(staged, fill, deadline, filename)


def _stage_into(staged: Staged, fill: Callable[[], dict], deadline: Deadline, where: str) -> RawTable:
    """fill() the staging file (it returns the read info), then finish_staged: the RawTable. The file is removed on
    any failure; IngestError 'header_only' naming `where` when no data row is left."""
    try:
        raw = finish_staged(staged, fill(), deadline)
    except BaseException:
        _remove(staged.path)
        raise
    if raw is None:
        raise IngestError(where, "header_only")
    return raw


# ---------------------------------------------------------------- workbooks (.xlsx/.xlsm), streamed


WORKBOOK_HEAD_ROWS = HEADER_SCAN_ROWS + headerless.SAMPLE_ROWS + 1  # what header detection looks at
INSERT_ROWS = 50_000


def streamable_workbook(path: Path) -> bool:
    """An .xlsx/.xlsm (a zip holding xl/workbook.xml): xlsx_stream reads it row by row."""
    with path.open("rb") as stream:
        if stream.read(4) != b"PK\x03\x04":
            return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def stage_workbook(path: Path, filename: str, sheet: str | None, deadline: Deadline) -> RawTable:
    """The RawTable of a large .xlsx/.xlsm: its rows streamed (xlsx_stream) into a staging file in chunks of
    INSERT_ROWS, never all in memory. Same checks as workbook.read_workbook first (zip bomb, a sheet claiming a
    huge range); the sheet read is the one named, else the worksheet whose XML is largest. Cells, header or
    headerless detection, row numbers (the sheet's own, from row 1) and info as read_table gives them."""
    from retention.ingest import xlsx_stream  # openpyxl's date formats: imported only when a workbook is read

    data = path.read_bytes()
    check_workbook_archive(data, filename)
    oversized = oversized_sheets(data)
    del data
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IngestError(filename, "this is not a readable spreadsheet (the workbook is damaged)") from exc
    with archive:
        book = xlsx_stream.open_book(archive, filename)
        names = [name for name, _ in book.sheets]
        if sheet is not None and sheet not in names:
            raise IngestError(filename, "no_sheet", sheet=sheet, sheets=", ".join(map(repr, names)))
        candidates = [(name, part) for name, part in book.sheets if (name == sheet if sheet else name not in oversized)]
        if not candidates:
            if not names:
                raise IngestError(filename, "the workbook is empty")
            name = sheet or names[0]
            refuse_oversized(filename, name, *oversized[name])
        chosen, part = max(candidates, key=lambda c: archive.getinfo(c[1]).file_size)
        if chosen in oversized:
            refuse_oversized(filename, chosen, *oversized[chosen])
        where = filename if not sheet else f"{filename}, sheet {chosen}"
        try:
            return _stage_rows(xlsx_stream.sheet_rows(archive, part, book), where, filename, deadline,
                               {"format": "workbook", "workbook": "xlsx", "sheet": chosen, "sheets": names,
                                "reader": "stream"})
        except (zipfile.BadZipFile, expat.ExpatError, zlib.error, EOFError) as exc:
            raise IngestError(filename, "sheet_unreadable", name=chosen) from exc


def _stage_rows(rows, where: str, filename: str, deadline: Deadline, info: dict) -> RawTable:
    """Header detection on the first rows of `rows` (lists of cell texts, from the sheet's row 1), then every
    row into a staging file; leading blank rows and columns are skipped as calamine skips them."""
    skipped, head = 0, []
    for row in rows:
        if not head and not any(row):
            skipped += 1
            continue
        head.append(row)
        if len(head) >= WORKBOOK_HEAD_ROWS:
            break
    filled = [next(i for i, v in enumerate(r) if v) for r in head if any(r)]
    if not filled:
        raise IngestError(where, "the workbook is empty")
    left = min(filled)
    head = [r[left:] for r in head]
    header_index = find_header_row(head)
    if header_index is None:
        raise IngestError(where, "no table was found: the file needs a header row and at least two columns")
    if headerless.first_row_is_data(head, header_index):
        width = max(header_width(r) for r in head[header_index:header_index + headerless.SAMPLE_ROWS] if any(r))
        names, first_data, extra = headerless.column_names(width), header_index, headerless.info(header_index, width)
        extra = {**extra, "title_rows": skipped + header_index}
    else:
        header = head[header_index]
        width = header_width(header)
        header = [header[i] if i < len(header) else "" for i in range(width)]
        names, first_data = unique_names(header), header_index + 1
        extra = {"header_row": skipped + header_index + 1, "title_rows": skipped + header_index,
                 "repeated_headers": repeated_headers(header)}
    check_width(width, where)
    staged = Staged(_staging_path(), names, skipped + first_data + 1, [])

    def fill() -> dict:
        _insert_rows(staged, itertools.chain(head[first_data:], (r[left:] for r in rows)), width, deadline)
        return {**info, **extra}

    return _stage_into(staged, fill, deadline, where)


def _insert_rows(staged: Staged, rows, width: int, deadline: Deadline) -> None:
    """Rows (lists of texts) into table `cells` (c0 … c{width-1}), INSERT_ROWS at a time; a run of
    workbook.MAX_BLANK_RUN empty rows ends the table, and blank rows at its end are not stored."""
    columns = [f"c{i}" for i in range(width)]
    with _staging(staged.path) as con:
        con.execute("create table cells (" + ", ".join(f"{c} varchar" for c in columns) + ")")
        chunk: list[list[str]] = []
        blank_run = 0
        for row in rows:
            if not any(row):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    break
                continue
            chunk.extend([[""] * width] * blank_run)
            blank_run = 0
            chunk.append((row + [""] * width)[:width] if len(row) != width else row)
            if len(chunk) >= INSERT_ROWS:
                _append(con, chunk, columns)
                chunk = []
                deadline.check()
        if chunk:
            _append(con, chunk, columns)
        # small inserts: their rows are in the WAL, which a read-only attach would replay into memory
        con.execute("checkpoint")
        deadline.check()


def _append(con: duckdb.DuckDBPyConnection, chunk: list[list[str]], columns: list[str]) -> None:
    table = pa.table({name: pa.array(list(values), pa.string()) for name, values in zip(columns, zip(*chunk))})
    con.register("chunk_rows", table)
    con.execute("insert into cells select * from chunk_rows")
    con.unregister("chunk_rows")

