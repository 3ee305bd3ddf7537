"""From a read file to canonical tables in a DuckDB connection, with a validation report.

prepare(data, filename, kind, …) → Prepared: the raw table, the role of each column, how its dates
    and numbers are written, and which columns are segments. Cheap enough to rerun on every change
    of the mapping in the UI (pass `raw=` to skip reading the file again).
load_into(con, prepared, today) → report dict (JSON-ready): creates `purchases` or `customers`
    in `con` and appends the file's rejected rows to `rejected` (which must exist), and a purchases
    file's possible duplicates to `possible_duplicates` (created if missing).

Report keys: kind, file, export, read (how the file was read: read.py), roles, segments, segments_left_out
(column → outcome | money: never offered as segments), attributes,
decimal_comma, dates ({role: formats, order, ambiguous, mixed, serial, evidence, forms, forms_sampled,
conflict, decided_by, source, examples}: see values.DateChoice), summary (counts),
problems (rejected rows by reason: reason, column, rows, examples), skipped (rows set aside that are
not data: total_row, order_continuation, not_paid, refunded, duplicate_line, merged_customer, not_customer —
reason, rows, examples; for the status reasons `statuses`: [{status (as written), rows}], most first;
duplicate_line also revenue), flags (kept rows worth a look: future_date, refund, possible_duplicate — flag,
rows, examples; possible_duplicate also revenue), repeated_headers (header names given to more than one
column, with the role each took: headers.repeated), money (purchases only: the currency and what was removed
from the amounts, ingest/money.py Money.report). Row numbers are the user's.

Identical rows (every cell equal): in a purchases file, a copy with an order id is a repeated line of one
order and is merged (skipped as duplicate_line); a copy without one is kept (two identical purchases are
usually two purchases), flagged possible_duplicate and listed in `possible_duplicates`. In a customers
file a copy is rejected (duplicate_row).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from retention import sql
from retention.ingest import headers
from retention.ingest import statuses as statuses_
from retention.ingest import money as money_
from retention.ingest.errors import IngestError, MissingRoles
from retention.ingest.read import ROW, RawTable, read_table
from retention.ingest.roles import REQUIRED, detect_roles, export_of, is_outcome_column, roles_for
from retention.ingest.segments import choose_segments
from retention.ingest.statuses import customer_lists, purchase_lists
from retention.ingest.values import MACROS, YMD, DateChoice, Detector, _with_times

KINDS = ("purchases", "customers")
DATE_ROLES = {"purchases": ("date",), "customers": ("signup", "churn_date")}
NUMBER_ROLES = {"purchases": ("amount", "quantity", "unit_price"), "customers": ("tenure",)}
DEFAULT_FORMATS = _with_times(YMD)

# Status values meaning churned / still a customer, compared lower-case and trimmed.
CHURNED_VALUES = [
    "yes", "y", "1", "true", "t", "churned", "churn", "cancelled", "canceled", "cancel", "inactive", "lost",
    "left", "ended", "closed", "terminated", "former", "unpaid", "incomplete_expired", "expired",
    "tak", "ja", "sí", "si", "oui", "да", "はい", "是", "odszedł", "rezygnacja", "gekündigt", "cancelado",
    "baja", "résilié", "resilie", "ушел", "ушёл", "отток", "解約", "流失", "nieaktywny", "anulowany",
    "inaktiv", "inactivo", "inactif", "неактивен", "退会",
]
ACTIVE_VALUES = [
    "no", "n", "0", "false", "f", "active", "stayed", "joined", "retained", "current", "trialing", "past_due",
    "paused", "incomplete", "new", "nie", "nein", "non", "нет", "いいえ", "否", "aktywny", "aktiv",
    "activo", "actif", "активен", "активный", "有効", "活跃", "在网", "customer", "subscriber", "lead",
]
# Purchase statuses meaning no money changed hands: the row is skipped, not rejected.
UNPAID_VALUES = [
    "failed", "voided", "void", "declined", "canceled", "cancelled", "requires_payment_method", "requires_action",
    "requires_confirmation", "incomplete_expired", "expired", "abandoned", "trash", "draft", "checkout-draft",
    "anulowane", "anulowany", "nieudane", "storniert", "fehlgeschlagen", "abgebrochen", "annulé", "annulée",
    "échoué", "échouée", "cancelado", "fallido", "отменен", "отменён", "отменено", "ошибка", "キャンセル",
    "失敗", "已取消", "失败", "取消",
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
    order_level_amount: bool = False
    money: money_.Money = field(default_factory=money_.Money)  # currency and how amounts are written (purchases)
    segment_options: list[str] = field(default_factory=list)  # offered as segments (segments.py)
    segments_left_out: dict[str, str] = field(default_factory=dict)  # column → 'outcome' | 'money': never segments
    status_table: dict[str, str] | None = None  # the known export's status classes (statuses.py), when its status column is used
    status_only_listed: bool = False
    counted_statuses: list[str] = field(default_factory=list)  # set-aside status values the person chose to count
    spent_seconds: float = 0.0  # reading the file and detecting its layout took this: part of the load's limit

    @property
    def kept_columns(self) -> list[str]:
        """Columns stored as attributes: every column not used by a role (nothing is dropped)."""
        used = set(self.roles.values())
        return [c for c in self.raw.columns if c not in used]

    def choices_key(self) -> list:
        """What a validation preview of this file depends on, as JSON-able values (the Upload page keeps its
        preview while they stay the same): file name, roles, segments, each date column's first format, rows read,
        statuses counted, currency."""
        return [self.filename, self.roles, self.segments, [d.formats[:1] for d in self.dates.values()],
                self.raw.row_count, self.counted_statuses, self.money.currency]


def prepare(
    data: bytes,
    filename: str,
    kind: str,
    mapping: dict[str, str | None] | None = None,
    segments: list[str] | None = None,
    sheet: str | None = None,
    date_order: str | None = None,
    raw: RawTable | None = None,
    date_hint: dict | None = None,
    count_statuses: list[str] | None = None,
    currency: str | None = None,
) -> Prepared:
    """Read and understand one file. `mapping` overrides detected roles (None unsets a role);
    `segments` overrides the detected segment columns; `date_order` forces 'dmy' or 'mdy';
    `date_hint` ({order, file, column}, from ingest.date_order.hints) decides the day/month order of
    a date column that has no evidence of its own. The person's answers to two judgement calls:
    `count_statuses` (status values, as written, that are set aside by default — unpaid orders such as
    Shopify `pending`/`authorized`, trials such as Stripe `trialing` — to count anyway: as purchases in a
    purchases file, as active customers in a customers file); `currency` (the currency the dataset is in,
    when a currency column holds several; default: the one with the most revenue)."""
    if kind not in KINDS:
        raise ValueError(kind)
    if date_order not in (None, "dmy", "mdy"):
        raise IngestError(filename, "bad_date_order", order=date_order)
    started = time.monotonic()
    raw = raw or read_table(data, filename, sheet)
    roles = money_.currency_checked(detect_roles(raw.frame, kind), raw.frame, raw.info.get("encoding"))
    for role, column in (mapping or {}).items():
        if role not in roles_for(kind):
            raise IngestError(filename, "unknown_role", role=role, roles=", ".join(roles_for(kind)))
        if column is None:
            roles.pop(role, None)
        elif column not in raw.columns:
            raise IngestError(filename, "no_such_column", name=column, columns=", ".join(raw.columns))
        else:
            roles = {r: c for r, c in roles.items() if c != column}
            roles[role] = column
    missing = [role for role in REQUIRED[kind] if role not in roles]
    if kind == "purchases" and "amount" not in roles and ("quantity" in roles) != ("unit_price" in roles):
        missing.append("unit_price" if "quantity" in roles else "quantity")
    if missing:
        raise MissingRoles(filename, kind, missing, raw.columns)
    for column in segments or []:
        if column not in raw.columns:
            raise IngestError(filename, "no_segment_column", name=column)
        if is_outcome_column(column):
            raise IngestError(filename, "outcome_segment", name=column)
    export = export_of(raw.columns, kind)
    prepared = Prepared(kind, filename, raw, {role: roles[role] for role in roles_for(kind) if role in roles}, [],
                        export=export.name if export else None,
                        order_level_amount=bool(export and export.order_level_amount
                                                and roles.get("amount") == _export_column(export, raw.columns, "amount")))
    if export and export.statuses and "status" in roles and roles["status"] == _export_column(export, raw.columns, "status"):
        prepared.status_table, prepared.status_only_listed = export.statuses, export.only_listed
    if count_statuses and "status" in roles:
        counted = statuses_.PURCHASE if kind == "purchases" else statuses_.ACTIVE
        prepared.counted_statuses = sorted({str(v).strip().lower() for v in count_statuses})
        prepared.status_table = {**(prepared.status_table or {}), **{v: counted for v in prepared.counted_statuses}}
    choice = choose_segments(raw.frame, prepared.kept_columns)
    prepared.segment_options, prepared.segments_left_out = choice.options, choice.left_out
    prepared.segments = segments if segments is not None else choice.defaults
    detector = Detector(raw.frame, raw.staged)
    try:
        number_columns = [roles[r] for r in NUMBER_ROLES[kind] if r in roles]
        prepared.decimal_comma = any(detector.decimal_comma(c) for c in number_columns)
        prefer_dmy = prepared.decimal_comma or raw.info.get("delimiter") == ";" or _european_headers(raw.columns)
        prepared.dates = {role: detector.dates(roles[role], date_order, prefer_dmy, date_hint)
                          for role in DATE_ROLES[kind] if role in roles}
        if kind == "purchases":
            prepared.money = money_.detect(detector, prepared.roles, prepared.decimal_comma, raw.info.get("encoding"),
                                           currency=currency)
    finally:
        detector.close()
    prepared.spent_seconds = raw.read_seconds + time.monotonic() - started
    return prepared


def _export_column(export, columns: list[str], role: str) -> str | None:
    from retention.ingest.roles import normalise

    by_norm = {normalise(c): c for c in columns}
    return next((by_norm[n] for n in export.roles.get(role, ()) if n in by_norm), None)


def _european_headers(columns: list[str]) -> bool:
    """Headers in a language whose countries write dates day-first (a tie-breaker only)."""
    return any(not c.isascii() and not any("\u3040" <= ch <= "\u9fff" for ch in c) for c in columns) or any(
        c.strip().lower() in {"data", "datum", "fecha", "kwota", "betrag", "importe", "montant", "kunde", "klient", "cliente"}
        for c in columns)


def _aliases(prepared: Prepared) -> dict[str, str | None]:
    return {f"{role}_raw": prepared.roles.get(role) for role in roles_for(prepared.kind)}


def _formats(choice: DateChoice) -> list[str]:
    return choice.formats or DEFAULT_FORMATS


# Names the ingest SQL gives its own columns (DuckDB compares names case-insensitively). A kept column
# of the user's with one of these names would shadow ours, so it is stored as "<name> (original)".
RESERVED = {
    "row_no", "customer_id", "purchased_at", "amount", "order_id", "is_refund", "is_future", "reject_reason",
    "reject_role", "skip_reason", "skip_status", "signup_date", "churn_date", "churn_reason", "churned", "tenure",
    "status_recognised", "status_norm", "tenure_value", "copy_no", "is_copy", "row_hash", "line_no", "problem",
    "amount_blank", "amount_text", "first_row", "first_text", "is_continuation", "date", "judgement",
    "customer_raw", "date_raw", "amount_raw", "quantity_raw", "unit_price_raw", "order_raw", "status_raw",
    "signup_raw", "churn_date_raw", "churn_reason_raw", "tenure_raw", "currency_raw", "in_other_currency",
    "m_signup_date", "m_churn_date", "m_churn_reason", "m_churned", "m_status_recognised", "m_tenure",
}


JUDGEMENT_COLUMNS = ("judgement",)  # in judged_purchases, not in the dataset
# Purchase columns stored without compression. DuckDB compresses text with DICT_FSST when it writes a table to
# disk; for the customer ids of ten million purchases (a million customers) that cost 2.3 of the 7.4 CPU s of
# writing the purchases table and saved 64 MB of the 276 MB dataset (performance/load_stages.py --command save: the
# save 30.6-31.2 → 28.2-28.9 CPU s, 17.0-17.3 → 15.9-16.2 s wall, the file 340 MB). Scans of the column are faster
# uncompressed (a group by customer id: 0.84 → 0.67 CPU s). In-memory tables (the one-shot CLI's) are not
# compressed either way.
UNCOMPRESSED_PURCHASE_COLUMNS = ("customer_id",)
# Report entries (skipped reasons, flags) that also carry the revenue of their rows.
WITH_REVENUE = ("duplicate_line", "possible_duplicate")


def stored_name(column: str) -> str:
    """The name a kept (attribute) column is stored under."""
    lowered = column.lower()
    return f"{column} (original)" if lowered in RESERVED or lowered.endswith("_merged") else column


def load_into(con: duckdb.DuckDBPyConnection, prepared: Prepared, today: dt.date | None = None,
              flag_copies: bool = True, count_customers: bool = True) -> dict:
    """Parse `prepared` into canonical tables in `con`; return the validation report. flag_copies=False
    (a one-shot CLI command that prints no validation report) skips looking for identical rows in a
    purchases file without an order id: they are kept either way, so only the possible_duplicate flag
    and the possible_duplicates table (left empty) depend on it. count_customers=False leaves a purchases
    file's summary["customers"] None, for the caller to count from the customer_summary it builds
    (store._finish, summary_purchase_customers.sql). Rows staged in memory (the one-shot CLI's, stage.read_path's
    `into`) are dropped once loaded: the derived tables then have that memory."""
    today = today or dt.date.today()
    for macro in MACROS:
        sql.execute(con, macro)
    kind = prepared.kind
    kept = [stored_name(c) for c in prepared.kept_columns]
    _raw_view(con, prepared)
    sql.create_projection(con, f"staged_{kind}", "raw_current", {"row_no": ROW, **_aliases(prepared)}, kept)
    staged_columns = ["row_no", *_aliases(prepared), *kept]
    sql.create_projection(con, "staged_current", f"staged_{kind}", {c: c for c in staged_columns}, [])
    if flag_copies or kind != "purchases" or "order" in prepared.roles:
        sql.execute(con, "ingest_duplicate_rows")
    else:
        sql.execute(con, "ingest_no_duplicate_rows")
    dates = {role: prepared.dates.get(role, DateChoice()) for role in DATE_ROLES[kind]}
    if kind == "purchases":
        amount_mode = "amount" if "amount" in prepared.roles else "lines" if "quantity" in prepared.roles else "none"
        sql.execute(con, "ingest_order_continuations", enabled=amount_mode == "amount" and "order" in prepared.roles,
                    order_level_amount=prepared.order_level_amount)
        # a view, not a table: the kept rows go straight into the dataset (sorted), the few others
        # into a small table, and the summaries read those two (see ingest_purchases.sql)
        sql.relation(con, "ingest_purchases", date_formats=_formats(dates["date"]), date_serial=dates["date"].serial,
                     decimal_comma=prepared.decimal_comma, amount_mode=amount_mode, today=today,
                     money_prefix=prepared.money.prefix, money_suffix=prepared.money.suffix,
                     currency_values=prepared.money.currency_values, other_signs=prepared.money.other_signs,
                     **purchase_lists(prepared.status_table, prepared.status_only_listed, UNPAID_VALUES)
                     ).create_view("judged_purchases", replace=True)
        sql.create_table_like(con, "purchases", "judged_purchases", uncompressed=UNCOMPRESSED_PURCHASE_COLUMNS)
        sql.execute(con, "store_purchases")
        sql.execute(con, "ingest_unkept_purchases")
        sql.execute(con, "store_purchases_kept")
        for column in JUDGEMENT_COLUMNS:
            con.execute(f"alter table purchases drop column {sql.quote_ident(column)}")
        sql.execute(con, "ingest_parsed_purchases")
    else:
        sql.execute(con, "ingest_customers",
                    signup_formats=_formats(dates["signup"]), signup_serial=dates["signup"].serial,
                    churn_formats=_formats(dates["churn_date"]), churn_serial=dates["churn_date"].serial,
                    decimal_comma=prepared.decimal_comma, today=today, churn_date_mapped="churn_date" in prepared.roles,
                    **customer_lists(prepared.status_table, CHURNED_VALUES, ACTIVE_VALUES))
    sql.create_projection(con, "parsed_current", f"parsed_{kind}",
                          {"row_no": "row_no", "reject_reason": "reject_reason", "reject_role": "reject_role",
                           "skip_reason": "skip_reason", "skip_status": "skip_status", "is_future": "is_future",
                           "is_refund": "is_refund" if kind == "purchases" else None,
                           "amount": "amount" if kind == "purchases" else None}, [])
    summary = sql.frame(con, f"parse_summary_{kind}").iloc[0].to_dict()
    if kind == "purchases" and count_customers:
        summary["customers"] = int(sql.execute(con, "parse_summary_purchase_customers").fetchone()[0])
    problems = sql.frame(con, "reject_summary")
    skipped = sql.frame(con, "ingest_skip_summary")
    skipped_statuses = sql.frame(con, "ingest_skip_statuses")
    flags = sql.frame(con, "ingest_flag_summary")
    if kind == "customers":
        sql.execute(con, "store_customers")
    else:
        sql.execute(con, "create_possible_duplicates")
        sql.execute(con, "store_possible_duplicates")
    if not problems.empty:  # its join scans every staged row even when no row was rejected (0.4 CPU s at 10M)
        sql.execute(con, "store_rejected", source=kind)
    for view in ("parsed_current", "parsed_purchases", "judged_purchases", "staged_current", f"staged_{kind}",
                 "raw_current"):
        con.execute("drop view if exists " + sql.quote_ident(view))
    if prepared.raw.staged is not None:
        prepared.raw.staged.detach(con, "raw_frame")
        if prepared.raw.staged.owner is not None:  # staged in memory for this load alone: give the memory back
            prepared.raw.staged.remove()
    else:
        con.unregister("raw_frame")
    for table in ("parsed_customers", "unkept_purchases", "duplicate_rows", "continuation_rows"):
        con.execute("drop table if exists " + sql.quote_ident(table))
    return _report(prepared, summary, problems, skipped, flags, dates, skipped_statuses)


def _raw_view(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> None:
    """TEMP VIEW raw_current: the file's rows (__row, its columns, kept ones under their stored names),
    read from the staging file when the file was staged, else from the registered frame."""
    if prepared.raw.staged is not None:
        prepared.raw.staged.attach(con, "raw_frame")
    else:
        con.register("raw_frame", prepared.raw.frame)
    kept = set(prepared.kept_columns)
    items = [sql.quote_ident(c) + (" as " + sql.quote_ident(stored_name(c)) if c in kept else "")
             for c in prepared.raw.frame.columns]
    con.execute("create or replace temp view raw_current as select " + ", ".join(items) + " from raw_frame")


def _counted(frame: pd.DataFrame, key: str) -> list[dict]:
    out = []
    for r in frame.to_dict("records"):
        item = {key: r[key], "rows": int(r["rows"]), "examples": [int(x) for x in r["examples"]]}
        if r[key] in WITH_REVENUE:
            item["revenue"] = _json_value(r["revenue"])
        out.append(item)
    return out


def _report(prepared: Prepared, summary: dict, problems: pd.DataFrame, skipped: pd.DataFrame,
            flags: pd.DataFrame, dates: dict[str, DateChoice], statuses: pd.DataFrame | None = None) -> dict:
    totals = prepared.raw.info.get("total_rows") or []
    skipped_rows = ([{"reason": "total_row", "rows": len(totals), "examples": totals[:5]}] if totals else []) \
        + _counted(skipped, "reason")
    for entry in skipped_rows:  # rows set aside for their status: how many of each status value
        if statuses is not None and len(statuses):
            mine = statuses[statuses["reason"] == entry["reason"]]
            if len(mine):
                entry["statuses"] = [{"status": r["status"], "rows": int(r["rows"])} for r in mine.to_dict("records")]
    summary = {k: _json_value(v) for k, v in summary.items()}
    # every data row of the file is used, rejected or skipped (totals rows were set aside while reading)
    summary["rows_read"] = (summary.get("rows_read") or 0) + len(totals)
    summary["rows_skipped"] = (summary.get("rows_skipped") or 0) + len(totals)
    return {
        "kind": prepared.kind,
        "file": prepared.filename,
        "export": prepared.export,
        "read": prepared.raw.info,
        "roles": prepared.roles,
        "segments": prepared.segments,
        "segments_left_out": prepared.segments_left_out,
        "attributes": prepared.kept_columns,
        "decimal_comma": prepared.decimal_comma,
        "dates": {role: {"formats": c.formats[:1], "order": c.order, "ambiguous": c.ambiguous, "mixed": c.mixed,
                         "serial": c.serial, "evidence": c.evidence, "forms": c.forms, "forms_sampled": c.forms_sampled,
                         "conflict": c.conflict, "decided_by": c.decided_by, "source": c.source,
                         "examples": c.examples}
                  for role, c in dates.items() if role in prepared.roles},
        "summary": summary,
        "problems": [
            {"reason": r["reason"], "column": prepared.roles.get(r["role"]) if isinstance(r["role"], str) else None,
             "rows": int(r["rows"]), "examples": [int(x) for x in r["examples"]]}
            for r in problems.to_dict("records")
        ],
        "skipped": skipped_rows,
        "flags": _counted(flags, "flag"),
        "repeated_headers": headers.repeated(prepared.raw.info, prepared.roles),
        "counted_statuses": prepared.counted_statuses,
        **({"money": _money_report(prepared, problems)} if prepared.kind == "purchases" else {}),
    }


def _money_report(prepared: Prepared, problems: pd.DataFrame) -> dict:
    """The "money" entry (money.Money.report), with the exact count of rows whose amount is not a number."""
    report = prepared.money.report()
    if report["unexplained"]:
        bad = problems[problems["reason"].isin(["bad_amount", "bad_unit_price"])]["rows"].sum()
        report["unexplained"] = {**report["unexplained"], "rows": int(bad)}
    return report


def _json_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        return value.item()
    return value
