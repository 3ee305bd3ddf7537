"""The one error type ingest raises for bad input (and its MissingRoles case): it names the file (and
row/column when known)."""

from __future__ import annotations

from retention import ui_text


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


class MissingRoles(IngestError):
    """Roles of the file that no column was recognised as. `str(err)` is the command line's wording; the
    upload page words the same outcome with ui_text.missing_roles(..., "page")."""

    def __init__(self, filename: str, kind: str, missing: list[str], columns: list[str]):
        self.kind, self.missing, self.columns = kind, list(missing), list(columns)
        super().__init__(filename, "no column for " + ", ".join(self.missing))

    @property
    def message(self) -> str:
        return ui_text.missing_roles(self.filename, self.kind, self.missing, "cli", self.columns)
