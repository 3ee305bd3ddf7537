"""The small Streamlit layer shared by app.py and pages/: current dataset, per-session cursors,
cached metric calls, downloads. The only module of the package that imports Streamlit.

Privacy model: a dataset file is immutable once written and addressed by an unguessable id, so a
cache keyed by (dataset id, function, parameters) can only ever return that dataset's numbers.
A session only reaches ids it created, was given in a link, or the public demo.
"""

from __future__ import annotations

import importlib
import re
import io
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import duckdb
import pandas as pd
import streamlit as st

from streamlit.logger import get_logger

from retention import access, store

_LOG = get_logger(__name__)

SESSION_DATASETS = "datasets_of_this_session"  # list of {"id", "name"} uploaded in this session
CURRENT = "dataset_id"
OWNER_TOKENS = "owner_tokens"   # dataset id → token proving this session uploaded it
UNLOCKED = "unlocked_datasets"  # ids whose password this session gave
MAX_FAILURES, FAILURE_WINDOW_S = 20, 600  # wrong ids / passwords per client before we slow them down


@st.cache_resource(max_entries=64, show_spinner=False, on_release=lambda con: con.close())
def _connection(dataset_id: str) -> duckdb.DuckDBPyConnection:
    """One read-only DuckDB connection per dataset per process; sessions take cursors from it."""
    return store.open_dataset(dataset_id)


@st.cache_resource(show_spinner="Preparing the demo dataset (first start only)…")
def _demo_id() -> str:
    # Once per server process: drop leftovers of interrupted writes and datasets past their expiry
    # (those are also removed when someone opens them).
    store.recover()
    return store.ensure_demo()


@dataclass
class Dataset:
    id: str
    cursor: duckdb.DuckDBPyConnection
    meta: dict

    @property
    def name(self) -> str:
        return self.meta.get("name", self.id)

    @property
    def has_purchases(self) -> bool:
        return bool(self.meta.get("has_purchases"))

    @property
    def has_customers(self) -> bool:
        return bool(self.meta.get("has_customers"))


@st.cache_data(max_entries=256, show_spinner=False)
def _meta(dataset_id: str) -> dict:
    cur = _connection(dataset_id).cursor()
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
    con = _connection(dataset_id)
    return con, con.cursor()


def _cursor(dataset_id: str) -> duckdb.DuckDBPyConnection:
    """This session's own cursor on the dataset (registered views and temp tables stay private)."""
    con = _connection(dataset_id)
    held = _session_cursor(dataset_id)
    if held[0] is not con:  # the process-wide connection was reopened (evicted or deleted): a new cursor
        _session_cursor.clear(dataset_id)
        held = _session_cursor(dataset_id)
    return held[1]


def _drop_session_uploads(session_id: str) -> None:
    from streamlit import runtime

    if runtime.exists():
        runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)
    _LOG.debug("dropped an ended session's uploaded files")


@st.cache_resource(scope="session", show_spinner=False, on_release=_drop_session_uploads)
def _uploads_of_this_session(session_id: str) -> str:
    return session_id


def release_uploads_when_session_ends() -> None:
    """Drop this session's uploaded files from server memory when its tab disconnects.

    Streamlit keeps uploaded bytes per session until the session is shut down, and a disconnected session
    that expires from its reconnect store (server.disconnectedSessionTTL) is never shut down, so without
    this its uploads would stay in memory until the server restarts. A tab that reconnects after a network
    blip has to upload its file again."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None and ctx.uploaded_file_mgr is not None:
        _uploads_of_this_session(ctx.session_id)


def drop_uploads(files: list) -> None:
    """Free the bytes of these st.file_uploader files on the server now (e.g. once they are saved)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or ctx.uploaded_file_mgr is None:
        return
    for uploaded in files:
        if uploaded is not None and getattr(uploaded, "file_id", None):
            ctx.uploaded_file_mgr.remove_file(ctx.session_id, uploaded.file_id)


def select_dataset(dataset_id: str) -> None:
    st.session_state[CURRENT] = dataset_id
    st.query_params["dataset"] = dataset_id


def remember_upload(dataset_id: str, name: str, owner_token: str) -> None:
    st.session_state.setdefault(SESSION_DATASETS, []).insert(0, {"id": dataset_id, "name": name})
    st.session_state.setdefault(OWNER_TOKENS, {})[dataset_id] = owner_token
    select_dataset(dataset_id)


def share_link() -> str:
    """The address of this exact view (page, dataset and every bound control)."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return base + ("?" + urlencode(params, doseq=True) if params else "")


def forget_dataset(dataset_id: str) -> None:
    """Delete a dataset: close its cached connection first, then remove the files."""
    _connection.clear(dataset_id)
    store.delete_dataset(dataset_id)
    st.session_state[SESSION_DATASETS] = [d for d in st.session_state.get(SESSION_DATASETS, []) if d["id"] != dataset_id]
    st.session_state.pop(CURRENT, None)
    st.query_params.pop("dataset", None)


def session_datasets() -> list[dict]:
    """Datasets this session may pick from: its uploads, then the demo."""
    return st.session_state.get(SESSION_DATASETS, []) + [{"id": _demo_id(), "name": _meta(_demo_id())["name"]}]


_FAILURES: dict[str, list[float]] = {}  # recent failed look-ups (unknown id, wrong password) per client, this process
_FAILURES_LOCK = threading.Lock()


def _client() -> str:
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "unknown"


def _throttled() -> bool:
    with _FAILURES_LOCK:
        recent = [t for t in _FAILURES.get(_client(), []) if time.time() - t < FAILURE_WINDOW_S]
        _FAILURES[_client()] = recent
        return len(recent) >= MAX_FAILURES


def _record_failure() -> None:
    with _FAILURES_LOCK:
        _FAILURES.setdefault(_client(), []).append(time.time())


def _gone(dataset_id: str) -> None:
    """The page for a link whose dataset does not exist (never did, deleted, or expired). Stops the run."""
    st.session_state.pop(CURRENT, None)
    st.title("This dataset is gone")
    st.write("The link points to a dataset that does not exist: it may have been deleted by the person who "
             "uploaded it, or it expired. Ask them for a new link, or explore the demo.")
    clicked = st.button("Open the demo", type="primary", key="gone_demo")
    if clicked:
        st.session_state["ignored_link"] = dataset_id
        st.query_params.clear()
        st.rerun()
    st.stop()


def _too_many() -> None:
    st.title("Too many attempts")
    st.write("This browser asked for too many unknown datasets or wrong passwords. Wait ten minutes and try again.")
    st.stop()


def _password_gate(dataset_id: str) -> None:
    """Ask for the dataset's password; stops the run until it is given."""
    st.title("This dataset is protected")
    with st.form("password_gate"):
        attempt = st.text_input("Password", type="password", key="gate_password")
        submitted = st.form_submit_button("Open", type="primary")
    if submitted:
        if _throttled():
            _too_many()
        if access.check_password(dataset_id, attempt):
            st.session_state.setdefault(UNLOCKED, set()).add(dataset_id)
            st.rerun()
        _record_failure()
        st.error("That password is not right.")
    st.stop()


def is_owner(dataset_id: str) -> bool:
    return access.is_owner(dataset_id, st.session_state.get(OWNER_TOKENS, {}).get(dataset_id))


def ensure_frame() -> None:
    """Run pages through app.py. When a deep link (/data) is the first request a fresh server gets,
    Streamlit's legacy runner for a folder named pages/ executes the page without app.py (and lists
    app.py itself as a page); it stays in that mode until st.navigation is called. Leave that mode and
    run again, through app.py."""
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if not (PagesManager.uses_pages_directory and ctx) or st.session_state.get("_left_legacy_pages"):
        return  # once per session: AppTest re-enters the legacy mode on every run of a switched page
    main = Path(ctx.main_script_path).resolve()
    if any(Path(p["script_path"]).resolve() == main for p in ctx.pages_manager.get_pages().values()):
        st.session_state["_left_legacy_pages"] = True
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_id() -> str:
    """The dataset in view: from the link (?dataset=…), else this session's choice, else the demo.
    Shows the 'gone', 'too many attempts' or password page instead (and stops) when needed."""
    ensure_frame()
    linked = st.query_params.get("dataset")
    if linked and linked not in (st.session_state.get(CURRENT), st.session_state.get("ignored_link")):
        if _throttled():
            _too_many()
        if not store.exists(linked):
            _record_failure()
            _gone(linked)
        st.session_state[CURRENT] = linked
    chosen = st.session_state.get(CURRENT)
    if chosen is not None and not store.exists(chosen):
        _gone(chosen)
    if chosen is None:
        chosen = _demo_id()
        st.session_state[CURRENT] = chosen
    if (chosen != store.DEMO_ID and chosen not in st.session_state.get(UNLOCKED, set())
            and not is_owner(chosen) and access.needs_password(chosen)):
        _password_gate(chosen)
    if chosen != store.DEMO_ID and st.query_params.get("dataset") != chosen:
        st.query_params["dataset"] = chosen  # page switches clear the query string; keep links shareable
    return chosen


def dataset() -> Dataset:
    """The current dataset with this session's cursor on it."""
    dataset_id = current_id()
    return Dataset(dataset_id, _cursor(dataset_id), _meta(dataset_id))


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(dataset_id: str, func_ref: str, params_json: str) -> Any:
    module, name = func_ref.split(":")
    func = getattr(importlib.import_module(module), name)
    cur = _connection(dataset_id).cursor()
    try:
        return func(cur, **json.loads(params_json))
    finally:
        cur.close()


def cached(func: Callable[..., Any], ds: Dataset, **params: Any) -> Any:
    """func(cursor, **params), cached per (dataset id, function, params). Params must be JSON-able."""
    ref = f"{func.__module__}:{func.__qualname__}"
    return _run(ds.id, ref, json.dumps(params, sort_keys=True, default=str))


def segment_attributes(ds: Dataset) -> list[str]:
    from retention.metrics import overview

    return cached(overview.attributes, ds)["attribute"].tolist()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe (numbers untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    out.columns = [("'" + c if isinstance(c, str) and c.startswith(_FORMULA_START) else c) for c in out.columns]
    return out


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        safe_for_spreadsheets(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def download_buttons(frame: pd.DataFrame, basename: str, key: str | None = None) -> None:
    """CSV and XLSX download buttons for a table (formula-injection safe). The files are made only when a
    button is clicked (Streamlit's deferred data): building an XLSX on every rerun cost most of a page run."""
    key = key or basename
    left, right = st.columns(2)
    left.download_button("Download CSV", lambda: safe_for_spreadsheets(frame).to_csv(index=False).encode("utf-8-sig"),
                         file_name=f"{basename}.csv", mime="text/csv", key=f"{key}_csv", width="stretch")
    right.download_button("Download Excel", lambda: to_xlsx(frame), file_name=f"{basename}.xlsx", key=f"{key}_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")


def sidebar_summary(ds: Dataset) -> None:
    """A line under the dataset picker: size and date range of the dataset in view."""
    from retention.metrics import overview

    t = cached(overview.totals, ds).iloc[0]
    span = f"{t.first_date:%d %b %Y} – {t.last_date:%d %b %Y}" if pd.notna(t.first_date) else "no dates"
    st.caption(f"{int(t.customers):,} customers · {int(t.purchases):,} purchases  \n{span}")


def report_button(title: str, sections: list[tuple[str, object]], key: str) -> None:
    """'Download this view as a report': one self-contained HTML file with the given charts and tables."""
    from retention import report

    ds = dataset()
    body = report.build(title, f"Dataset: {ds.name}", sections,
                        footer="Made with the retention dashboard; definitions are in the app and its README.")
    st.download_button("Download this view as a report (HTML)", body.encode("utf-8"), key=key,
                       file_name=f"{title.lower().replace(' ', '_')}.html", mime="text/html",
                       icon=":material/description:")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def md(text: object) -> str:
    """An untrusted string (file name, dataset name, reason, segment value) made inert for Markdown:
    the characters that make links, images, HTML, emphasis, code, headings, tables, strike-through,
    LaTeX or Streamlit's :colour[...] directives are backslash-escaped (and a leading list marker), so
    it shows exactly as written."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return "\\" + escaped if escaped[:1] in ("-", "+") else escaped
