"""The one error type ingest raises for bad input: it names the file (and row/column when known)."""

from __future__ import annotations


class IngestError(Exception):
    """Bad input. `str(err)` is a complete sentence for a person: file, row, column, problem."""

    def __init__(self, filename: str, problem: str, row: int | None = None, column: str | None = None):
        self.filename, self.problem, self.row, self.column = filename, problem, row, column
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = [f"file {self.filename!r}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.problem}."
