"""DuckDB over data already in a lake: Parquet files (a path, a glob, or a hive-partitioned folder; `s3://…`
with DuckDB's httpfs extension), or tables of a MotherDuck database (`md:`, not tested here).

Same dialect as the embedded datasets, so nothing is transpiled. The engine owns a private in-memory DuckDB:
the user's files are bound as views (`source_purchases`, …), the canonical tables (purchases, customers) are
views over them with the table map's columns renamed and cast, and the precomputed tables of
store.DERIVED_TABLES are computed once, at bind time, into that private database by the same
derive_*.sql files as an upload (they are per customer, far smaller than the purchases). The raw rows stay
in the files; only query results leave the engine.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import duckdb
import pandas as pd

from retention import sql
from retention.engines.base import Run
from retention.engines.config import ROLES, EngineConfig, EngineConfigError, TableMap

_CANONICAL = {  # column -> DuckDB type, in the order of create_empty_*.sql
    "purchases": {"row_no": "bigint", "customer_id": "varchar", "purchased_at": "timestamp", "amount": "double",
                  "order_id": "varchar"},
    "customers": {"row_no": "bigint", "customer_id": "varchar", "signup_date": "date", "churn_date": "date",
                  "churn_reason": "varchar", "churned": "boolean", "tenure": "integer"},
}


def is_path(table: str) -> bool:
    """A table map entry that names files (read as Parquet) rather than a table of the connected database."""
    return "/" in table or "\\" in table or "*" in table or table.lower().endswith(".parquet")


class LakeEngine:
    """A private in-memory DuckDB with the logical tables bound. Pass it wherever a DuckDB connection goes to
    sql.frame. Thread-safe: each query runs on its own cursor (DuckDB connections are not shared across threads)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, label: str):
        self._con = con
        self._lock = threading.Lock()
        self.label = label
        self.last_run: Run | None = None

    def frame(self, name: str, **params: Any) -> pd.DataFrame:
        """Run queries/NAME.sql with bound parameters; the result as a DataFrame."""
        with self._lock:
            cur = self._con.cursor()
        try:
            started = time.perf_counter()
            out = sql.frame(cur, name, **params)
        finally:
            cur.close()
        self.last_run = Run(name, self.label, time.perf_counter() - started)
        return out

    def close(self) -> None:
        self._con.close()

    def bind(self, tables: dict[str, TableMap], today: dt.date | None = None) -> None:
        """Create purchases, customers (views over the mapped sources), customer_attributes and the
        precomputed tables. `today` (default: the current date) decides which rows are dated in the future,
        as the upload does. Raises EngineConfigError when a source cannot be read or lacks a mapped column."""
        from retention import store

        con = self._con
        for logical in ROLES:
            mapping = tables.get(logical)
            if mapping is None:
                sql.execute(con, f"create_empty_{logical}")
                continue
            columns = _source(con, logical, mapping)
            _check_columns(mapping, columns)
            con.execute(_canonical_view(logical, mapping, today or dt.date.today()))
        store.derive(con, list(tables["purchases"].segments) if "purchases" in tables else [],
                     list(tables["customers"].segments) if "customers" in tables else [])


def open_engine(config: EngineConfig, today: dt.date | None = None) -> LakeEngine:
    """A bound LakeEngine for a `duckdb:` (Parquet table map) or `md:` configuration."""
    from retention import config as settings

    con = duckdb.connect(":memory:", config={"threads": settings.duckdb_threads(),
                                             "memory_limit": settings.duckdb_memory_limit()})
    try:
        for statement in config.init_sql:  # e.g. CREATE SECRET for s3://, from the server's own settings
            con.execute(statement)
        label = f"DuckDB {duckdb.__version__}"
        if config.kind == "motherduck":
            con.execute(f"attach {sql.quote_literal(config.target)} (read_only)")
            label += " (MotherDuck, not tested)"
        else:
            label += " (Parquet)"
        engine = LakeEngine(con, label)
        engine.bind(config.tables, today)
    except duckdb.Error as error:
        con.close()
        raise EngineConfigError(f"{config.url}: {str(error).splitlines()[0]}") from error
    except BaseException:
        con.close()
        raise
    return engine


def _source(con: duckdb.DuckDBPyConnection, logical: str, mapping: TableMap) -> list[str]:
    """Bind the mapped files or table as the view source_<logical>; its column names."""
    view = f"source_{logical}"
    try:
        if is_path(mapping.table):
            pattern = mapping.table
            if not any(c in pattern for c in "*?[") and not pattern.lower().endswith(".parquet"):
                pattern = pattern.rstrip("/") + "/**/*.parquet"  # a (hive-partitioned) folder
            con.read_parquet(pattern, hive_partitioning=True).to_view(view)
        else:
            name = ".".join(sql.quote_ident(part) for part in mapping.table.split("."))
            con.execute(f"create or replace view {sql.quote_ident(view)} as select * from {name}")
        return [row[0] for row in con.execute(f"describe {sql.quote_ident(view)}").fetchall()]
    except duckdb.Error as error:
        raise EngineConfigError(f"[engine.tables.{logical}] {mapping.table!r} cannot be read: "
                                f"{str(error).splitlines()[0]}") from error


def _check_columns(mapping: TableMap, columns: list[str]) -> None:
    named = list(mapping.columns.values()) + list(mapping.segments)
    missing = [c for c in named if c not in columns]
    if missing:
        raise EngineConfigError(
            f"[engine.tables.{mapping.logical}] {mapping.table!r} has no column {', '.join(map(repr, missing))} "
            f"(its columns: {', '.join(columns)})")
    clash = [s for s in mapping.segments if s in _CANONICAL[mapping.logical] or s in ("is_refund", "is_future")]
    if clash:
        raise EngineConfigError(f"[engine.tables.{mapping.logical}] segments {clash} clash with the canonical columns")


def _canonical_view(logical: str, mapping: TableMap, today: dt.date) -> str:
    """CREATE VIEW <logical> over source_<logical>: mapped roles renamed and cast, unmapped ones NULL, the flags
    the ingest computes (is_refund, is_future, status_recognised), segments as trimmed text ('' → NULL).
    Rows without a customer id (or purchase time) are left out, as the upload rejects them."""
    q = sql.quote_ident
    picked = {
        role: f"cast({q(mapping.columns[role]) if role in mapping.columns else 'null'} as {kind})"
        for role, kind in _CANONICAL[logical].items()
    }
    picked["customer_id"] = f"nullif(trim({picked['customer_id']}), '')"
    day = f"date '{today.isoformat()}'"
    if logical == "purchases":
        flags = {"is_refund": "coalesce(amount < 0, false)", "is_future": f"cast(purchased_at as date) > {day}"}
        keep = "customer_id is not null and purchased_at is not null"
    else:
        if "churned" not in mapping.columns:
            picked["churned"] = f"case when {picked['churn_date']} is not null then true end"
        flags = {"status_recognised": "true",
                 "is_future": f"coalesce(greatest(signup_date, churn_date) > {day}, false)"}
        keep = "customer_id is not null"
    segments = [f"nullif(trim(cast({q(s)} as varchar)), '') as {q(s)}" for s in mapping.segments]
    inner = ", ".join([f"{expr} as {q(role)}" for role, expr in picked.items()] + segments)
    outer = ", ".join([q(c) for c in picked] + [f"{expr} as {q(flag)}" for flag, expr in flags.items()]
                      + [q(s) for s in mapping.segments])
    return (f"create view {q(logical)} as select {outer} from (select {inner} from {q('source_' + logical)}) "
            f"where {keep}")
