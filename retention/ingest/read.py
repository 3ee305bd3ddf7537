"""Read a spreadsheet file into a table of text cells, and say how it was read.

`read_table(data, filename, sheet=None)` → `RawTable`:
  frame: DataFrame, one row per data row, every cell a str ('' when empty), columns = the
         file's header names (made unique); plus `__row`, the row number a person sees when
         opening the file in a spreadsheet (1-based, header row included, title and blank rows
         above it counted; a quoted cell with line breaks stays in one row).
  info:  how the file was read: format ('text' | 'workbook' | 'parquet'), encoding, delimiter,
         header_row, title_rows, blank_rows, sheet, sheets, compression, inner_file, total_rows
         (row numbers of the totals rows set aside under the table), reader.
Nothing here knows about customers or purchases; role detection and parsing come later.

The steps live in their own modules: unwrap (size limits, .gz/.zip, files that are not data),
encoding, text (delimited files), workbook (.xlsx/.xls/.ods via calamine), table (header row,
row numbers, totals rows).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from retention import sql
from retention.ingest.encoding import decode
from retention.ingest.errors import IngestError
from retention.ingest.table import ROW, check_width, drop_total_rows, repeated_headers, unique_names
from retention.ingest.delimited import read_text, sniff_delimiter
from retention.ingest.unwrap import OLE_MAGIC, WORKBOOK_EXTENSIONS, ZIP_MAGIC, check_size, unwrap
from retention.ingest.workbook import read_workbook

__all__ = ["ROW", "RawTable", "read_table", "decode", "sniff_delimiter", "check_size"]
PARQUET_MAGIC = b"PAR1"


@dataclass
class RawTable:
    """`staged` is set when the rows live in a DuckDB staging file (stage.read_path): `frame` then holds
    only the first rows, and whole-table readers go through `staged` (see stage.Staged)."""

    frame: pd.DataFrame
    info: dict = field(default_factory=dict)
    staged: Any = None
    read_seconds: float = 0.0  # what reading it took (stage.read_path): part of the load's time limit

    @property
    def row_count(self) -> int:
        return self.staged.rows if self.staged is not None else len(self.frame)

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != ROW]


def read_table(data: bytes, filename: str, sheet: str | None = None, fast: bool = True) -> RawTable:
    """Decode `data` (the bytes of a file called `filename`) into a RawTable. `fast=False` reads
    text files with Python's csv module only (the reference the fast path is tested against)."""
    if not data:
        raise IngestError(filename, "empty")
    name, data, wrapper = unwrap(data, filename)
    suffix = Path(name).suffix.lower()
    if data.startswith(OLE_MAGIC) or data.startswith(ZIP_MAGIC) or suffix in WORKBOOK_EXTENSIONS and not _is_text(data):
        frame, info = read_workbook(data, filename, sheet)
    elif data.startswith(PARQUET_MAGIC) or suffix == ".parquet":
        frame, info = _read_parquet(data, filename)
    else:
        frame, info = read_text(data, filename, fast=fast)
    if wrapper:
        info = {**info, "compression": wrapper, "inner_file": name}
    frame, totals = drop_total_rows(frame)
    info["total_rows"] = totals
    if frame.empty:
        raise IngestError(filename, "header_only")
    return RawTable(frame.reset_index(drop=True), info)


def _is_text(data: bytes) -> bool:
    """A file named .xls that is really text (some exporters write HTML or CSV under that name)."""
    return b"\x00" not in data[:2048]


def parquet_width(path: Path, filename: str) -> int:
    """The number of columns in a Parquet file's metadata (nothing else is read); IngestError when it has none."""
    try:
        return pq.read_metadata(path).num_columns
    except (OSError, ValueError) as exc:
        raise IngestError(filename, "parquet_damaged") from exc


def _read_parquet(data: bytes, filename: str) -> tuple[pd.DataFrame, dict]:
    """Rows whose every cell is empty are left out and counted, as in a spreadsheet (and as stage.stage_parquet
    leaves them out); row numbers count them (row 1 is the header)."""
    with tempfile.TemporaryDirectory(prefix="retention-ingest-") as tmp:
        path = Path(tmp) / "data.parquet"
        path.write_bytes(data)
        check_width(parquet_width(path, filename), filename)
        con = duckdb.connect()
        try:
            table = sql.arrow(con, "ingest_read_parquet", path=str(path))
        except duckdb.Error as exc:
            raise IngestError(filename, "parquet_damaged") from exc
        finally:
            con.close()
    frame = table.to_pandas()
    header = [str(c) for c in frame.columns]
    frame.columns = unique_names(header)
    blank = (frame == "").all(axis=1) if len(frame.columns) else pd.Series(False, index=frame.index)
    frame.insert(0, ROW, range(2, len(frame) + 2))
    return frame[~blank], {"format": "parquet", "header_row": 1, "title_rows": 0, "blank_rows": int(blank.sum()),
                           "repeated_headers": repeated_headers(header)}
