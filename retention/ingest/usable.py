"""Whether a loaded file gives the dataset anything to count, and if not, why (issue #15.2).

nothing_usable(con, report, today) → None when the file counts at least one customer, else the
problem as a sentence fragment for a person ("every amount in column 'Total' was rejected (…)"). Run
right after canonical.load_into, while `purchases` holds the file's kept rows and `rejected` its
rejected rows. store.build refuses to save such a file; the upload page shows the problem instead of
the Save button.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from retention import fmt, sql, ui_text

MAX_EXAMPLES = 3


def nothing_usable(con: duckdb.DuckDBPyConnection, report: dict, today: dt.date) -> str | None:
    """The reason the file just loaded counts no customer, or None when it counts one."""
    if report["kind"] == "customers":
        if report["summary"].get("customers"):
            return None
        return _all_rejected(con, report)
    counts = sql.frame(con, "usable_purchases").iloc[0]
    if counts["counts_any"]:
        return None
    if not counts["rows"]:
        return _all_rejected(con, report)
    column = report["roles"].get("date")
    if counts["future"] == counts["rows"]:
        return ui_text.nothing_usable("all_future",
            today=today.isoformat(), column=column, first=_day(counts["first_future"]),
            last=_day(counts["last_future"]), rows=int(counts["rows"]))
    amount = report["roles"].get("amount") or " × ".join(report["roles"].get(r, "") for r in ("quantity", "unit_price"))
    return ui_text.nothing_usable("no_positive",
        column=amount, rows=int(counts["rows"]), refunds=int(counts["refunds"]), zero=int(counts["zero"]),
        future=int(counts["future"]), today=today.isoformat())


def _day(value) -> str:
    return pd.Timestamp(value).date().isoformat()


def _all_rejected(con: duckdb.DuckDBPyConnection, report: dict) -> str:
    """Every row was rejected or set aside: say by what, per column, with example values."""
    rows = report["summary"].get("rows_read") or 0
    problems = report["problems"]
    if not problems:
        skipped = ", ".join(f"{fmt.number(s['rows'])} × {ui_text.SKIPPED_REASONS.get(s['reason'], s['reason'])}"
                            for s in report["skipped"])
        return ui_text.nothing_usable("all_skipped", rows=rows, skipped=skipped or "0")
    if problems[0]["reason"] == "missing_customer" and problems[0]["rows"] == rows:
        return ui_text.nothing_usable("empty_customer", column=problems[0]["column"], rows=rows)
    by_column: dict[str | None, list[dict]] = {}
    for problem in problems:
        by_column.setdefault(problem["column"], []).append(problem)
    parts = {column: _part(con, report["kind"], column, found) for column, found in by_column.items()}
    column, found = next(iter(by_column.items()))
    if len(by_column) == 1 and column and sum(p["rows"] for p in found) == rows:
        role = next((r for r, c in report["roles"].items() if c == column), None)
        return ui_text.nothing_usable("every_rejected",
            role=ui_text.role_label(report["kind"], role).lower() if role else ui_text.NOTHING_USABLE["value"], column=column,
            part=parts[column])
    where = {c: ui_text.nothing_usable("in_column", column=c) if c else ui_text.NOTHING_USABLE["whole_row"]
             for c in parts}
    return ui_text.nothing_usable("no_row",
        rows=rows, parts="; ".join(f"{where[c]}: {part}" for c, part in parts.items()))


def _part(con: duckdb.DuckDBPyConnection, kind: str, column: str | None, found: list[dict]) -> str:
    """One column's problems: "2,345 rows: amount is not a number or no amount, e.g. 'abc', 'n/a', ''"."""
    values = [v for p in found for v in _example_values(con, kind, column, p["reason"])]
    values = list(dict.fromkeys(values))[:MAX_EXAMPLES]
    rows = sorted(r for p in found for r in p["examples"])[:5]
    return ui_text.nothing_usable("rejected_part",
        rows=sum(p["rows"] for p in found), reasons=str(ui_text.NOTHING_USABLE["or"]).join(ui_text.reject_reason(p["reason"]) for p in found),
        examples=", ".join(map(repr, values)) if values else ui_text.NOTHING_USABLE["rows_word"] + ", ".join(map(str, rows)))


def _example_values(con: duckdb.DuckDBPyConnection, kind: str, column: str | None, reason: str) -> list[str]:
    """Up to MAX_EXAMPLES distinct cell values of `column` in the rows rejected for `reason`."""
    if not column:
        return []
    seen: list[str] = []
    for raw in sql.frame(con, "reject_examples", source=kind, reason=reason)["raw_json"]:
        value = json.loads(raw).get(column)
        value = "" if value is None else str(value)
        if value not in seen:
            seen.append(value)
        if len(seen) == MAX_EXAMPLES:
            break
    return seen
