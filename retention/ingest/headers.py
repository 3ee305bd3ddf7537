"""Header names given to more than one column ('date' twice): which column took which role.

The readers name the repeats apart (table.unique_names: 'date', 'date (2)') and list them in
RawTable.info['repeated_headers'] (table.repeated_headers); `repeated(info, roles)` adds the role each
of those columns plays, for the validation report's `repeated_headers` and the warnings built from it.
"""

from __future__ import annotations

from retention.ingest.table import column_letter


def repeated(info: dict, roles: dict[str, str]) -> list[dict]:
    """[{name, columns, positions, letters, roles: {column: role or None}}], one per repeated name.
    `letters` are spreadsheet letters when the file is delimited text (a workbook's table may not
    start in column A), else None."""
    by_column = {column: role for role, column in roles.items()}
    text = info.get("format") == "text"
    return [{**entry, "letters": [column_letter(p) for p in entry["positions"]] if text else None,
             "roles": {c: by_column.get(c) for c in entry["columns"]}}
            for entry in info.get("repeated_headers") or []]
