"""From a read file to canonical tables in a DuckDB connection, with a validation report.

prepare(data, filename, kind, …) → Prepared: the raw table, the role of each column, how its dates
    and numbers are written, and which columns are segments. Cheap enough to rerun on every change
    of the mapping in the UI.
load_into(con, prepared, today) → report dict (JSON-ready): creates `purchases` or `customers`
    in `con` and appends the file's rejected rows to `rejected` (which must exist).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from retention import sql
from retention.ingest.errors import IngestError
from retention.ingest.read import ROW, RawTable, read_table
from retention.ingest.roles import REQUIRED, detect_roles, known_export, roles_for
from retention.ingest.values import DateChoice, detect_dates, detect_decimal_comma

KINDS = ("purchases", "customers")
DATE_ROLES = {"purchases": ("date",), "customers": ("signup", "churn_date")}
NUMBER_ROLES = {"purchases": ("amount", "quantity", "unit_price"), "customers": ("tenure",)}
MAX_SEGMENT_VALUES = 60
# DuckDB refuses an empty format list; a column with no recognised format is all rejects anyway.
FALLBACK_FORMATS = ["%Y-%m-%d"]

# Status values meaning churned / still a customer, compared lower-case and trimmed.
CHURNED_VALUES = [
    "yes", "y", "1", "true", "t", "churned", "churn", "cancelled", "canceled", "cancel", "inactive", "lost",
    "left", "ended", "closed", "terminated", "former", "unpaid", "incomplete_expired", "expired",
    "tak", "ja", "sí", "si", "oui", "да", "はい", "是", "odszedł", "rezygnacja", "gekündigt", "cancelado",
    "baja", "résilié", "resilie", "ушел", "ушёл", "отток", "解約", "流失",
]
ACTIVE_VALUES = [
    "no", "n", "0", "false", "f", "active", "stayed", "joined", "retained", "current", "trialing", "past_due",
    "paused", "incomplete", "new", "nie", "nein", "non", "нет", "いいえ", "否", "aktywny", "aktiv",
    "activo", "actif", "активен", "активный", "有効", "活跃", "在网",
]


@dataclass
class Prepared:
    kind: str
    filename: str
    raw: RawTable
    roles: dict[str, str]
    segments: list[str]
    dates: dict[str, DateChoice] = field(default_factory=dict)
    decimal_comma: bool = False
    export: str | None = None

    @property
    def kept_columns(self) -> list[str]:
        """Columns stored as attributes: every column not used by a role (nothing is dropped)."""
        used = set(self.roles.values())
        return [c for c in self.raw.columns if c not in used]


def prepare(
    data: bytes,
    filename: str,
    kind: str,
    mapping: dict[str, str | None] | None = None,
    segments: list[str] | None = None,
    sheet: str | None = None,
    date_order: str | None = None,
    raw: RawTable | None = None,
) -> Prepared:
    """Read and understand one file. `mapping` overrides detected roles (None unsets a role);
    `segments` overrides the detected segment columns; `date_order` forces 'dmy' or 'mdy'."""
    if kind not in KINDS:
        raise ValueError(kind)
    raw = raw or read_table(data, filename, sheet)
    roles = detect_roles(raw.frame, kind)
    for role, column in (mapping or {}).items():
        if role not in roles_for(kind):
            raise IngestError(filename, f"unknown role {role!r}; roles are {', '.join(roles_for(kind))}")
        if column is None:
            roles.pop(role, None)
        elif column not in raw.columns:
            raise IngestError(filename, f"there is no column {column!r} (columns: {', '.join(raw.columns)})")
        else:
            roles = {r: c for r, c in roles.items() if c != column}
            roles[role] = column
    missing = [role for role in REQUIRED[kind] if role not in roles]
    if kind == "purchases" and "amount" not in roles and ("quantity" in roles) != ("unit_price" in roles):
        missing.append("unit_price" if "quantity" in roles else "quantity")
    if missing:
        raise IngestError(filename, f"no column was recognised as the {', '.join(missing).replace('_', ' ')}; "
                                    f"choose it in the mapping (CLI: --map {missing[0]}=COLUMN)")
    for column in segments or []:
        if column not in raw.columns:
            raise IngestError(filename, f"there is no column {column!r} to use as a segment")
    export = known_export(raw.columns, kind)
    prepared = Prepared(kind, filename, raw, roles, [], export=export[0] if export else None)
    prepared.segments = segments if segments is not None else _segment_candidates(raw.frame, prepared.kept_columns)
    prepared.dates = {role: detect_dates(raw.frame[roles[role]], date_order) for role in DATE_ROLES[kind] if role in roles}
    number_columns = [roles[r] for r in NUMBER_ROLES[kind] if r in roles]
    prepared.decimal_comma = any(detect_decimal_comma(raw.frame[c]) for c in number_columns)
    return prepared


def _segment_candidates(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """Columns worth offering as segments: few distinct values, repeated across rows."""
    sample = frame.head(20_000)
    out = []
    for column in columns:
        values = sample[column][sample[column] != ""]
        distinct = values.nunique()
        if 2 <= distinct <= MAX_SEGMENT_VALUES and len(values) > distinct:
            out.append(column)
    return out


def _aliases(prepared: Prepared) -> dict[str, str | None]:
    names = {"purchases": ["customer", "date", "amount", "quantity", "unit_price", "order"],
             "customers": ["customer", "signup", "churn_date", "churn_reason", "status", "tenure"]}[prepared.kind]
    return {f"{role}_raw": prepared.roles.get(role) for role in names}


def load_into(con: duckdb.DuckDBPyConnection, prepared: Prepared, today: dt.date | None = None) -> dict:
    """Parse `prepared` into canonical tables in `con`; return the validation report."""
    today = today or dt.date.today()
    for macro in ("macro_parse_number", "macro_parse_date"):
        sql.execute(con, macro)
    kind = prepared.kind
    frame = prepared.raw.frame
    con.register("raw_current", frame)
    kept = prepared.kept_columns
    sql.create_projection(con, f"staged_{kind}", "raw_current",
                          {"row_no": ROW, **_aliases(prepared)}, kept)
    dates = {role: prepared.dates.get(role, DateChoice()) for role in DATE_ROLES[kind]}
    if kind == "purchases":
        amount_mode = "amount" if "amount" in prepared.roles else "lines" if "quantity" in prepared.roles else "none"
        sql.execute(con, "ingest_purchases", date_formats=dates["date"].formats or FALLBACK_FORMATS, date_serial=dates["date"].serial,
                    decimal_comma=prepared.decimal_comma, amount_mode=amount_mode, today=today)
    else:
        sql.execute(con, "ingest_customers",
                    signup_formats=dates["signup"].formats or FALLBACK_FORMATS, signup_serial=dates["signup"].serial,
                    churn_formats=dates["churn_date"].formats or FALLBACK_FORMATS, churn_serial=dates["churn_date"].serial,
                    decimal_comma=prepared.decimal_comma, churned_values=CHURNED_VALUES,
                    active_values=ACTIVE_VALUES, today=today, churn_date_mapped="churn_date" in prepared.roles)
    sql.create_projection(con, "parsed_current", f"parsed_{kind}",
                          {"row_no": "row_no", "reject_reason": "reject_reason", "reject_role": "reject_role"}, [])
    summary = sql.frame(con, f"parse_summary_{kind}").iloc[0].to_dict()
    problems = sql.frame(con, "reject_summary")
    sql.execute(con, f"store_{kind}")
    sql.execute(con, "store_rejected", source=kind)
    con.unregister("raw_current")
    return _report(prepared, summary, problems, dates)


def _report(prepared: Prepared, summary: dict, problems: pd.DataFrame, dates: dict[str, DateChoice]) -> dict:
    return {
        "kind": prepared.kind,
        "file": prepared.filename,
        "export": prepared.export,
        "read": prepared.raw.info,
        "roles": prepared.roles,
        "segments": prepared.segments,
        "attributes": prepared.kept_columns,
        "decimal_comma": prepared.decimal_comma,
        "dates": {role: {"formats": c.formats[:1], "order": c.order, "ambiguous": c.ambiguous, "serial": c.serial}
                  for role, c in dates.items() if role in prepared.roles},
        "summary": {k: _json_value(v) for k, v in summary.items()},
        "problems": [
            {"reason": r.reason, "column": prepared.roles.get(r.role) if isinstance(r.role, str) else None,
             "rows": int(r.rows), "examples": [int(x) for x in r.examples]}
            for r in problems.itertuples()
        ],
    }


def _json_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        return value.item()
    return value
