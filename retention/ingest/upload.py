"""Read a browser upload the way the CLI reads a file on disk.

`read_upload(data, filename, sheet=None, stage_min_bytes=None)` → `RawTable` (read.py): the uploaded
bytes are written to a scratch file under the data directory's tmp/ (scratch.py: marked with this
process's writer token, so a crash leaves nothing behind for long) and read with stage.read_path, so a
large delimited text file (in any encoding: a UTF-8 copy is staged) goes straight into DuckDB's staging
table instead of becoming millions of Python strings in pandas (a 200 MB file of tiny rows took 2–3 GB that
way), or is refused when it cannot be staged (stage.refuse_unstaged). Everything else (workbooks, archives,
small files) is read by read_table as before: same cells, row numbers, info and messages. The scratch copy is deleted before this returns; the staging file lives as long as the
RawTable (stage.py).
"""

from __future__ import annotations

import secrets
from retention import scratch
from retention.ingest.errors import IngestError
from retention.ingest.read import RawTable
from retention.ingest.stage import read_path


def read_upload(data: bytes, filename: str, sheet: str | None = None,
                stage_min_bytes: int | None = None, limit_seconds: float | None = None) -> RawTable:
    """The RawTable of uploaded bytes `data` named `filename` (see the module docstring); `limit_seconds`:
    stage.read_path's (the load's time limit by default)."""
    if not data:
        raise IngestError(filename, "empty")
    path = scratch.claim() / f"upload.{scratch.WRITER}.{secrets.token_hex(8)}.tmp"
    try:
        with path.open("wb") as out:
            out.write(memoryview(data))
        return read_path(path, filename, sheet, stage_min_bytes=stage_min_bytes, limit_seconds=limit_seconds)
    finally:
        path.unlink(missing_ok=True)

