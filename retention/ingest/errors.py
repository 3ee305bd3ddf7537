"""The one error type ingest raises for bad input (and its MissingRoles case): it names the file (and
row/column when known).

The problem is a code with its values (ui_text.INGEST_PROBLEMS words it), so the sentence is written when it
is shown, in the reader's language: the upload page's, or English on the command line."""

from __future__ import annotations

from typing import Any

from retention import ui_text


class IngestError(Exception):
    """Bad input. `str(err)` is a complete sentence for a person: file, row, column, problem.

    IngestError(filename, "too_big", size="12 MB", limit=50): `problem` is a code of ui_text.INGEST_PROBLEMS
    filled with the keyword values; a text that is no code is shown as it is."""

    def __init__(self, filename: str, problem: str, row: int | None = None, column: str | None = None,
                 **values: Any):
        self.filename, self.code, self.row, self.column, self.values = filename, problem, row, column, values
        super().__init__(filename, problem)

    @property
    def problem(self) -> str:
        """The problem in words, in the current language."""
        return ui_text.ingest_problem(self.code, self.values)

    @property
    def message(self) -> str:
        return ui_text.ingest_message(self.filename, self.problem, self.row, self.column)

    def __str__(self) -> str:
        return self.message


class MissingRoles(IngestError):
    """Roles of the file that no column was recognised as. `str(err)` is the command line's wording; the
    upload page words the same outcome with ui_text.missing_roles(..., "page")."""

    def __init__(self, filename: str, kind: str, missing: list[str], columns: list[str]):
        self.kind, self.missing, self.columns = kind, list(missing), list(columns)
        super().__init__(filename, "no_column_for", roles=", ".join(self.missing))

    @property
    def message(self) -> str:
        return ui_text.missing_roles(self.filename, self.kind, self.missing, "cli", self.columns)
