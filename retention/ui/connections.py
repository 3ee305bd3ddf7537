"""Connections to the data a page reads: one read-only DuckDB connection per dataset per process, a cursor per
browser session, the configured engine source (Spark, Parquet), the demo, and the Dataset a page receives.

Privacy model: a dataset file is immutable once written and addressed by an unguessable id, so a cache keyed by
(dataset id, function, parameters) can only ever return that dataset's numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import streamlit as st
from streamlit.logger import get_logger

from retention import store
from retention.ui.widgets import md

_LOG = get_logger(__name__)


CURRENT = "dataset_id"  # session key: the id of the dataset in view


@st.cache_resource(max_entries=64, show_spinner=False, on_release=lambda con: con.close())
def connection(dataset_id: str) -> duckdb.DuckDBPyConnection:
    """One read-only DuckDB connection per dataset per process; sessions take cursors from it."""
    return store.open_dataset(dataset_id)


def engine_setting() -> tuple[Any, str | None]:
    """(the configured read-only source, or None; the reason it cannot be used, or None). From RETENTION_ENGINE
    and [engine] in .streamlit/secrets.toml (or $RETENTION_ENGINE_CONFIG); read on every call (a small file), so
    a fixed setting takes effect without a restart."""
    from retention import engines

    try:
        config = engines.from_settings()
    except engines.EngineConfigError as error:
        return None, str(error)
    return (config, None) if config.is_source else (None, None)


def is_engine(dataset_id: str | None) -> bool:
    """True for the id of the configured engine source (engine-<hash of its URL and table map>)."""
    config = engine_setting()[0]
    return config is not None and dataset_id == config.source_id


# One engine object per process, shared by every session, like connection: opening a Spark Connect session
# and binding the tables takes seconds. Safe to share: SparkEngine and LakeEngine keep no per-query state
# but last_run; the Spark Connect client keeps its per-call state thread-local (one gRPC channel, many
# threads), a classic SparkSession accepts jobs from several threads, and LakeEngine gives each query its own
# DuckDB cursor (tests/engines/test_engines_lake.py, tests/engines/test_spark_connect.py run queries from several threads).
# The caches' own spinners are off: show_spinner= takes a text fixed when the module is imported, in English.
# The first call in this process waits under a spinner worded in the reader's language instead (_first_time).
_OPENED: set = set()  # (function, argument) pairs this process has opened: later calls are cache hits


def _first_time(func: Any, arg: Any, words: Any) -> Any:
    """func(arg), under a spinner saying `words` (read now, in this run's language) unless this process has
    opened it before (Streamlit shows the spinner only when the call takes over half a second)."""
    key = (func.__name__, arg)
    if key in _OPENED:
        return func(arg) if arg is not None else func()
    with st.spinner(str(words)):
        result = func(arg) if arg is not None else func()
    _OPENED.add(key)
    return result


@st.cache_resource(max_entries=1, show_spinner=False)
def _engine(source_id: str) -> Any:
    from retention import engines

    config = engine_setting()[0]
    if config is None or config.source_id != source_id:
        raise store.DatasetNotFound(source_id)
    return engines.open_engine(config)


def engine(source_id: str) -> Any:
    """The configured engine source, opened once per process (shared by every session)."""
    from retention import ui_text

    return _first_time(_engine, source_id, ui_text.CONNECTING_ENGINE)


def engine_or_stop(source_id: str) -> Any:
    """The engine object; when it cannot be opened, a page saying why (configuration or reachability), then stop."""
    from retention import engines, ui_text

    try:
        return engine(source_id)
    except (engines.EngineConfigError, engines.EngineUnavailable) as error:
        st.title(str(ui_text.ENGINE_FAILED_TITLE))
        st.write(ui_text.ENGINE_FAILED.format(problem=md(engines.redact(str(error)))))
        st.stop()


def engine_meta(config) -> dict:
    from retention import ui_text

    return {"name": ui_text.engine_dataset_name(config.kind, [t.table for t in config.tables.values()]),
            "has_purchases": "purchases" in config.tables, "has_customers": "customers" in config.tables}


@st.cache_resource(show_spinner=False)
def _demo_id() -> str:
    # Once per server process: drop leftovers of interrupted writes and datasets past their expiry
    # (those are also removed when someone opens them).
    store.recover()
    return store.ensure_demo()


def demo_id() -> str:
    """The demo dataset's id; built on the first start (about 10 CPU seconds), under a spinner saying so."""
    from retention import ui_text

    return _first_time(_demo_id, None, ui_text.PREPARING_DEMO)


def shown_name(dataset_id: str, name: str) -> str:
    """A dataset's name as shown: the demo's in the reader's language (stored in English), others as saved."""
    from retention import ui_text

    return str(ui_text.DEMO_NAME) if dataset_id == store.DEMO_ID else name


@dataclass
class Dataset:
    id: str
    cursor: duckdb.DuckDBPyConnection
    meta: dict

    @property
    def name(self) -> str:
        return shown_name(self.id, self.meta.get("name", self.id))

    @property
    def has_purchases(self) -> bool:
        return bool(self.meta.get("has_purchases"))

    @property
    def has_customers(self) -> bool:
        return bool(self.meta.get("has_customers"))

    @property
    def currency(self) -> str | None:
        """The ISO 4217 code the dataset's money is in (meta "currency"); None when its files do not say."""
        return self.meta.get("currency")


@st.cache_data(max_entries=256, show_spinner=False)
def meta(dataset_id: str) -> dict:
    cur = connection(dataset_id).cursor()
    try:
        return store.read_meta(cur)
    finally:
        cur.close()


def _release_cursor(held: tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]) -> None:
    held[1].close()
    _LOG.debug("closed a session's cursor")


# Session-scoped: Streamlit releases these when the session's browser tab disconnects (reload, close, idle
# network), and when a session holds more than max_entries datasets; on_release closes the cursor then.
@st.cache_resource(scope="session", max_entries=8, show_spinner=False, on_release=_release_cursor)
def _session_cursor(dataset_id: str) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]:
    con = connection(dataset_id)
    return con, con.cursor()


def cursor(dataset_id: str) -> duckdb.DuckDBPyConnection:
    """This session's own cursor on the dataset (registered views and temp tables stay private)."""
    con = connection(dataset_id)
    held = _session_cursor(dataset_id)
    if held[0] is not con:  # the process-wide connection was reopened (evicted or deleted): a new cursor
        _session_cursor.clear(dataset_id)
        held = _session_cursor(dataset_id)
    return held[1]
