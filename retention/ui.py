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

from retention import access, i18n, store, ui_text
from retention.i18n import _

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


# One engine object per process, shared by every session, like _connection: opening a Spark Connect session
# and binding the tables takes seconds. Safe to share: SparkEngine and LakeEngine keep no per-query state
# but last_run; the Spark Connect client keeps its per-call state thread-local (one gRPC channel, many
# threads), a classic SparkSession accepts jobs from several threads, and LakeEngine gives each query its own
# DuckDB cursor (tests/test_engines_lake.py, tests/test_spark_connect.py run queries from several threads).
@st.cache_resource(max_entries=1, show_spinner="Connecting to the engine (first use only)…")
def _engine(source_id: str) -> Any:
    from retention import engines

    config = engine_setting()[0]
    if config is None or config.source_id != source_id:
        raise store.DatasetNotFound(source_id)
    return engines.open_engine(config)


def _engine_or_stop(source_id: str) -> Any:
    """The engine object; when it cannot be opened, a page saying why (configuration or reachability), then stop."""
    from retention import engines, ui_text

    try:
        return _engine(source_id)
    except (engines.EngineConfigError, engines.EngineUnavailable) as error:
        st.title(ui_text.ENGINE_FAILED_TITLE)
        st.write(ui_text.ENGINE_FAILED.format(problem=md(engines.redact(str(error)))))
        st.stop()


def _engine_meta(config) -> dict:
    from retention import ui_text

    return {"name": ui_text.engine_dataset_name(config.kind, [t.table for t in config.tables.values()]),
            "has_purchases": "purchases" in config.tables, "has_customers": "customers" in config.tables}


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

    @property
    def currency(self) -> str | None:
        """The ISO 4217 code the dataset's money is in (meta "currency"); None when its files do not say."""
        return self.meta.get("currency")


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
    """The address of this exact view: page, dataset and the page's controls (see page_state)."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return base + ("?" + urlencode(params, doseq=True) if params else "")


FRAME_PARAMS = ("dataset", "lang")  # query parameters of the frame, kept by every page's own
_VIEW = "_view_in_url"  # ((page, dataset id), state) of the last run that wrote the URL
_LINK_SLOT = "_share_link_slot"
_FITTED = "_fitted_widgets"  # widget key → (value the state asked for, value fit() narrowed it to), this run


def page_state(page: type, limits: dict | None = None) -> Any:
    """The page's controls (a retention.state dataclass), kept in the URL. Call once at the top of a
    page, before its widgets, which take the keys state.widget_key(page, field) and no default values.

    The URL wins when the page is opened (a link, a reload, another page or dataset before) and on
    the browser's back/forward; otherwise the widgets win (the viewer just changed one). Either way
    the widgets are seeded with the state and the URL is rewritten when it differs; Streamlit adds a
    browser history entry for each change of st.query_params, so back/forward step through views."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from retention import state

    query = {k: st.query_params.get_all(k) for k in st.query_params}
    where = (page.__name__, st.session_state.get(CURRENT))
    ctx = get_script_run_ctx()
    previous = st.session_state.get(_VIEW)
    if previous is None or previous[0] != where or (ctx is not None and ctx.is_history_navigation):
        view = state.from_query(page, query, limits)
    else:
        keys = [state.widget_key(page, f) for f in page.__dataclass_fields__]
        # A control not drawn in the last run (it sits in a tab that was not open) keeps its value.
        values = state.to_widgets(previous[1]) | {k: st.session_state[k] for k in keys if k in st.session_state}
        for key, (asked, shown) in st.session_state.get(_FITTED, {}).items():
            if values.get(key) == shown:  # untouched since fit() narrowed it: keep what the state asked for
                values[key] = asked
        view = state.from_widgets(page, values, limits, before=previous[1])
    st.session_state[_FITTED] = {}
    st.session_state.update(state.to_widgets(view))
    wanted = {k: v for k, v in query.items() if k in FRAME_PARAMS} | state.to_query(view, limits)
    if wanted != query:
        st.query_params.from_dict(wanted)
    st.session_state[_VIEW] = (where, view)
    show_share_link()
    return view


def fit(key: str, lo: int, hi: int) -> None:
    """Keep a widget's seeded value within bounds known only after the data is read (e.g. periods shown).
    The link keeps the value asked for (often the default) unless the viewer moves the widget."""
    if key in st.session_state:
        asked = st.session_state[key]
        st.session_state[key] = min(max(asked, lo), hi)
        st.session_state.setdefault(_FITTED, {})[key] = (asked, st.session_state[key])


PHONE_CSS = """<style>
@media (max-width: 640px) {
  /* a page's row of controls (it has a date) or of figures: two per line, not one under the other; only a
     row of its own (no row inside it): a row of cards holding figures stacks, one card a line, as Streamlit
     stacks columns, and the figures inside each card go two per line */
  [data-testid="stHorizontalBlock"]:has([data-testid="stDateInput"], [data-testid="stMetric"]):not(
      :has([data-testid="stHorizontalBlock"])) {
      flex-wrap: wrap; gap: 0.5rem 1rem; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stDateInput"], [data-testid="stMetric"]):not(
      :has([data-testid="stHorizontalBlock"])) > [data-testid="stColumn"] {
      min-width: calc(50% - 0.5rem) !important; flex: 1 1 calc(50% - 0.5rem) !important; }
  /* a page's controls after its finding and chart (the page puts them in a container keyed *_controls) */
  [data-testid="stVerticalBlock"] > :has(> [class*="_controls"]),
  [data-testid="stVerticalBlock"] > [class*="_controls"] { order: 1; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
}
/* labels are never cut: metric and widget labels wrap onto a second line instead of ending in "…" */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stWidgetLabel"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
</style>"""


def layout_css() -> None:
    """The page CSS every page shares (phone widths, select boxes); app.py calls it once per run."""
    st.html(PHONE_CSS)


def tabs(labels: dict[str, str], key: str) -> tuple[str, Any]:
    """st.tabs whose open tab is a state field (`key` holds its code, as page_state seeds it), so links,
    reload and back/forward open the same tab. labels: code → label, in order.

    Returns (the open tab's code, its panel). Only the open tab is computed: Streamlit reruns the page when
    the viewer picks another tab, and the other panels stay empty until then (without this, every run would
    compute every tab's queries and charts, the bulk of a page's cost)."""
    code = st.session_state.get(key)
    if code not in labels:
        code = next(iter(labels))
    st.session_state[f"{key}_label"] = labels[code]
    codes = {label: c for c, label in labels.items()}

    def remember() -> None:
        st.session_state[key] = codes.get(st.session_state[f"{key}_label"], code)

    panels = st.tabs(list(labels.values()), key=f"{key}_label", on_change=remember)
    opened = next((c for c, panel in zip(labels, panels) if panel.open), code)
    return opened, panels[list(labels).index(opened)]


def share_link_slot(slot) -> None:
    """Where the sidebar shows this view's link (an st.empty); filled now and again by page_state."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    # Held with this run's cursor table, which Streamlit replaces at every run: a page run without
    # app.py (AppTest's switch_page) finds no slot rather than last run's.
    st.session_state[_LINK_SLOT] = [get_script_run_ctx().cursors, slot, 0]
    show_share_link()


def show_share_link() -> None:
    """The link to this view in the sidebar: a Copy link button, and the link itself (st.code, copyable too)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from retention import ui_text

    held = st.session_state.get(_LINK_SLOT)
    if held is None or held[0] is not get_script_run_ctx().cursors:
        return
    held[2] += 1  # app.py fills the slot, then page_state again: the second copy replaces the first
    link = share_link()
    with held[1].container():
        _copy_button()(data={"url": link, "label": str(ui_text.SHARE["copy"]), "copied": str(ui_text.SHARE["copied"]),
                             "failed": str(ui_text.SHARE["failed"])}, key=f"share_copy_link_{held[2]}", width="stretch")
        st.code(link, language=None, wrap_lines=True)


_COPY_JS = """
export default function ({ data, parentElement }) {
  const button = parentElement.querySelector("button");
  const said = parentElement.querySelector("output");
  button.querySelector("span").textContent = data.label;
  button.onclick = async () => {
    try {
      await navigator.clipboard.writeText(data.url);
      said.textContent = data.copied;
    } catch (err) {
      said.textContent = data.failed;
    }
  };
}
"""
_COPY_HTML = '<button type="button" data-testid="copyLink"><span></span></button><output aria-live="polite"></output>'
_COPY_CSS = """
button { font: inherit; width: 100%; padding: .4rem .75rem; border-radius: .5rem; cursor: pointer;
         border: 1px solid var(--st-border-color, rgba(49,51,63,.2)); background: var(--st-background-color, #fff);
         color: var(--st-text-color, inherit); }
button:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
output { display: block; font-size: .8rem; min-height: 1.1rem; color: var(--st-text-color); opacity: .7; }
"""


@st.cache_resource(show_spinner=False)
def _copy_button():
    """A real button that copies the link (our own fixed HTML/JS; the link is passed as data and only
    ever handed to the clipboard, never put into HTML)."""
    return st.components.v2.component("retention_copy_link", html=_COPY_HTML, css=_COPY_CSS, js=_COPY_JS)


def forget_dataset(dataset_id: str) -> None:
    """Delete a dataset: close its cached connection first, then remove the files."""
    _connection.clear(dataset_id)
    store.delete_dataset(dataset_id)
    st.session_state[SESSION_DATASETS] = [d for d in st.session_state.get(SESSION_DATASETS, []) if d["id"] != dataset_id]
    st.session_state.pop(CURRENT, None)
    st.query_params.pop("dataset", None)


def distinct_labels(choices: list[tuple[str, str]]) -> dict[str, str]:
    """{id: label} for the dataset picker, with a repeated name numbered ("shop", "shop (2)") in list order.
    A selectbox finds the chosen option again by its label, so two equal labels would swap datasets on rerun."""
    labels: dict[str, str] = {}
    for dataset_id, name in choices:
        label, n = name, 1
        while label in labels.values():
            n += 1
            label = f"{name} ({n})"
        labels[dataset_id] = label
    return labels


def session_datasets() -> list[dict]:
    """Datasets this session may pick from: its uploads, the configured engine source (read-only), the demo."""
    config = engine_setting()[0]
    source = [{"id": config.source_id, "name": _engine_meta(config)["name"]}] if config else []
    return st.session_state.get(SESSION_DATASETS, []) + source + [{"id": _demo_id(), "name": _meta(_demo_id())["name"]}]


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
    if is_engine(dataset_id):
        return False  # a configured source: nobody manages it from the app
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
    if st.session_state.get(LANGUAGE):  # a run of the page alone (AppTest's legacy mode) keeps the session's language
        i18n.set_language(st.session_state[LANGUAGE])
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
        if not _exists(linked):
            _record_failure()
            _gone(linked)
        st.session_state[CURRENT] = linked
    chosen = st.session_state.get(CURRENT)
    if chosen is not None and not _exists(chosen):
        _gone(chosen)
    if chosen is None:
        chosen = _demo_id()
        st.session_state[CURRENT] = chosen
    if (chosen != store.DEMO_ID and not is_engine(chosen) and chosen not in st.session_state.get(UNLOCKED, set())
            and not is_owner(chosen) and access.needs_password(chosen)):
        _password_gate(chosen)
    if chosen != store.DEMO_ID and st.query_params.get("dataset") != chosen:
        st.query_params["dataset"] = chosen  # page switches clear the query string; keep links shareable
    return chosen


def _exists(dataset_id: str) -> bool:
    return is_engine(dataset_id) or store.exists(dataset_id)


def dataset() -> Dataset:
    """The current dataset with this session's cursor on it; for the engine source, the shared engine object
    (metric functions take either: they run their queries through sql.frame)."""
    dataset_id = current_id()
    if is_engine(dataset_id):
        return Dataset(dataset_id, _engine_or_stop(dataset_id), _engine_meta(engine_setting()[0]))
    return Dataset(dataset_id, _cursor(dataset_id), _meta(dataset_id))


def _ref(func: Callable[..., Any]) -> str:
    """A module-level function as "module:name", the form the caches key on (and _resolve turns back)."""
    return f"{func.__module__}:{func.__qualname__}"


def _resolve(func_ref: str) -> Callable[..., Any]:
    module, name = func_ref.split(":")
    return getattr(importlib.import_module(module), name)


_COMPUTED = threading.local()  # set by _run's body, which runs only on a cache miss (in the calling thread)


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(dataset_id: str, func_ref: str, params_json: str) -> tuple[Any, float]:
    """(func(connection, **params), seconds it took). The engine source's id is derived from its URL and table
    map, which are server-side settings: every session that asks for this id reads the same data, so sharing
    these results across sessions leaks nothing (as for the immutable dataset files)."""
    func = _resolve(func_ref)
    started = time.perf_counter()
    if is_engine(dataset_id):
        result = func(_engine(dataset_id), **json.loads(params_json))
    else:
        cur = _connection(dataset_id).cursor()
        try:
            result = func(cur, **json.loads(params_json))
        finally:
            cur.close()
    seconds = time.perf_counter() - started
    _COMPUTED.seconds = seconds
    return result, seconds


def cached(func: Callable[..., Any], ds: Dataset, **params: Any) -> Any:
    """func(cursor or engine, **params), cached per (dataset id, function, params). Params must be JSON-able.
    Counts the call in this run's query timing (engine_caption)."""
    _COMPUTED.seconds = None
    result, seconds = _run(ds.id, _ref(func), json.dumps(params, sort_keys=True, default=str))
    timing = st.session_state.get(TIMING) or start_timing()
    if _COMPUTED.seconds is None:
        timing["cached"] += 1
        timing["cached_seconds"] += seconds
    else:
        timing["computed"] += 1
        timing["seconds"] += seconds
    return result


TIMING = "_query_timing"  # this run's cached() calls: how many computed / from the cache, and their seconds


def start_timing() -> dict:
    """Count the queries from here on (app.py, before the page runs); returns the fresh counter."""
    timing = st.session_state[TIMING] = {"computed": 0, "cached": 0, "seconds": 0.0, "cached_seconds": 0.0}
    return timing


def engine_caption(ds: Dataset) -> None:
    """One line under the page: which engine computed it and how long its queries took (or that they came
    from the cache)."""
    from retention import engines, ui_text

    timing = st.session_state.get(TIMING)
    if not timing or not (timing["computed"] or timing["cached"]):
        return
    name = engines.describe(ds.cursor)["engine"]
    st.caption(ui_text.engine_timing(name, timing["computed"], timing["cached"], timing["seconds"],
                                     timing["cached_seconds"]))


def segment_attributes(ds: Dataset) -> list[str]:
    """The dataset's segment attributes, without outcome columns (a dataset saved before they were left out
    may hold one, e.g. 'Churn Label': comparing churn by it says nothing)."""
    from retention.ingest.roles import is_outcome_column
    from retention.metrics import overview, rfm

    names = [a for a in cached(overview.attributes, ds)["attribute"].tolist() if not is_outcome_column(a)]
    return sorted(names, key=lambda a: a == rfm.ATTRIBUTE)  # the file's own columns first: the default stays one


def data_days(ds: Dataset) -> tuple:
    """The first and last dates of the data (rows dated in the future left out; (None, None) without dates):
    the bounds of every date picker, so that data from any decade can be picked."""
    from retention.metrics import cohorts

    row = cached(cohorts.availability, ds).iloc[0]
    return tuple(None if pd.isna(d) else pd.Timestamp(d).date() for d in (row.first_date, row.last_date))


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


def download_buttons(frame: pd.DataFrame | Callable[[], pd.DataFrame], basename: str, key: str | None = None) -> None:
    """CSV and XLSX download buttons for a table (formula-injection safe). The files are written when a
    button is clicked, not on every run: a 60,000-row win-back list took seconds to write as XLSX, and
    the bytes stayed in memory for each session. `frame` may be a function that returns the table, then
    called only on a click too (a list too long to compute and send with every run)."""
    key = key or basename
    table = frame if callable(frame) else (lambda: frame)
    left, right = st.columns(2)
    left.download_button(_("Download CSV"), lambda: safe_for_spreadsheets(table()).to_csv(index=False).encode("utf-8-sig"),
                         file_name=f"{basename}.csv", mime="text/csv", key=f"{key}_csv", width="stretch")
    right.download_button(_("Download Excel"), lambda: to_xlsx(table()), file_name=f"{basename}.xlsx", key=f"{key}_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")


def sidebar_summary(ds: Dataset) -> None:
    """A line under the dataset picker: size and date range of the dataset in view."""
    from retention import fmt
    from retention.metrics import overview

    t = cached(overview.totals, ds).iloc[0]
    span = (f"{fmt.date(t.first_date, 'medium')} – {fmt.date(t.last_date, 'medium')}" if pd.notna(t.first_date)
            else ui_text.SIDEBAR_NO_DATES)
    counted = f" · {ui_text.count_of('orders' if t.with_order_ids else 'purchases', int(t.orders))}" if t.orders else ""
    st.caption(f"{ui_text.count_of('customers', int(t.customers))}{counted}  \n{span}")


@st.cache_resource(max_entries=512, show_spinner=False)  # a figure: ~0.3 MB on a demo-sized dataset
def _pure(dataset_id: str | None, func_ref: str, args: tuple, kwargs: dict, language: str = "en") -> Any:
    # language: a figure or text built in one language is never handed to a session reading another
    return _resolve(func_ref)(*args, **kwargs)


def pure(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """func(*args, **kwargs) for a pure function of frames (a chart builder, a summary of a query's result),
    kept per process: the same inputs on the same dataset give the very same object back, which callers
    must not modify (st.plotly_chart and the report copy figures; pandas operations return new frames).
    Building figures and summaries is most of what a page costs once its queries are cached, and moving
    between pages and tabs asks for the same ones again. The key is the dataset id and the inputs themselves
    (frames hashed by value), so a result can only come back for the data it was computed from."""
    from streamlit.runtime.caching.cache_errors import UnhashableParamError

    try:
        return _pure(st.session_state.get(CURRENT), _ref(func), args, kwargs, i18n.language())
    except UnhashableParamError:
        return func(*args, **kwargs)


class Shown(list):
    """The charts and tables a page draws, collected in order for report_button: [(heading, item)]."""

    def chart(self, figure, key: str, heading: str = "", where=None, min_width: int | None = None) -> None:
        """min_width (px): on a narrower screen the chart keeps that width and scrolls sideways in its box."""
        if min_width:
            where = (where or st).container(key=f"{key}_scroll")
            where.html(f"<style>.st-key-{key}_scroll {{overflow-x: auto}} "
                       f".st-key-{key}_scroll .st-key-{key} {{min-width: {int(min_width)}px}}</style>")
        (where or st).plotly_chart(figure, width="stretch", key=key)
        self.append((heading, figure))

    def table(self, frame: pd.DataFrame, heading: str) -> pd.DataFrame:
        self.append((heading, frame))
        return frame


def report_button(title: str, sections: list[tuple[str, object]], key: str) -> None:
    """'Download this view as a report': one self-contained HTML file with the given charts and tables.
    Built only when clicked (it embeds plotly.js, ~5 MB), not on every rerun."""
    from retention import report

    ds = dataset()
    subtitle = _("Dataset: {name}").format(name=ds.name) + ui_text.amounts_in(ds.currency)
    footer = _("Made with the retention dashboard; definitions are in the app and its README.")
    st.download_button(
        _("Download this view as a report (HTML)"), key=key,
        file_name=f"{i18n.unmark(str(title)).lower().replace(' ', '_')}.html", mime="text/html",
        icon=":material/description:", data=lambda: report.build(title, subtitle, sections, footer=footer).encode("utf-8"))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def md(text: object) -> str:
    """An untrusted string (file name, dataset name, reason, segment value) made inert for Markdown:
    the characters that make links, images, HTML, emphasis, code, headings, tables, strike-through,
    LaTeX or Streamlit's :colour[...] directives are backslash-escaped (and a leading list marker), so
    it shows exactly as written."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return "\\" + escaped if escaped[:1] in ("-", "+") else escaped


def readable(frame: pd.DataFrame, labels: dict[str, str], formats: dict[str, str] | None = None,
             date_columns: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A frame as a page shows it: (the frame with the columns in `formats` and `date_columns` written out as
    text, blanks as '—' there and in text columns (Streamlit draws a missing number as 'None'); the
    st.dataframe column_config giving each column in `labels` its human label). Columns not in `labels` are
    hidden."""
    out = frame.copy()
    for column, pattern in (formats or {}).items():
        if column in out:
            out[column] = [("—" if pd.isna(v) else pattern.format(v)) for v in out[column]]
    for column in date_columns:
        if column in out:
            out[column] = ["—" if pd.isna(d) else f"{pd.Timestamp(d):%Y-%m-%d}" for d in out[column]]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), "—")
    config = {c: (labels[c] if c in labels else None) for c in out.columns}
    return out, config


def headline_metric(column, row: dict, label: str | None = None) -> None:
    """A headline figure (a metrics.headline.as_dict row) as a metric, the same on every page: the shared
    label and window, the value, and the definition with the customers behind it on hover."""
    from retention import fmt

    figure, window = row["figure"], ui_text.headline_window(row)
    note = f" ({ui_text.HEADLINE_ESTIMATED})" if row["method"] == "monthly^12" else f" ({window})" if window else ""
    column.metric(f"{label or ui_text.headline_label(row)}{note}", ui_text.headline_value(figure, row["value"]),
                  help=ui_text.headline_definition(figure, row["method"]) + " "
                  + ui_text.CUSTOMERS_BEHIND.format(n=fmt.number(row["customers"])))


# ---------------------------------------------------------------- the language of the session (retention/i18n.py)

LANGUAGE = "language"  # session key: the language this session reads in
LANGUAGE_PICKER = "frame_language"


def apply_language() -> str:
    """Decide this run's language (?lang=, then this session's choice, then the browser's) and make it current;
    keep it in the link (see i18n.in_link). app.py calls this first, before any text is written."""
    linked = st.query_params.get("lang")
    browser = getattr(st.context, "locale", None)
    code = i18n.set_language(i18n.choose(linked, st.session_state.get(LANGUAGE), browser))
    st.session_state[LANGUAGE] = code
    if i18n.in_link(code, linked, browser) and linked != code:
        st.query_params["lang"] = code
    return code


def _language_picked() -> None:
    code = st.session_state[LANGUAGE_PICKER]
    st.session_state[LANGUAGE] = code
    st.query_params["lang"] = code  # the page, the dataset and the controls' parameters stay as they are


def language_picker() -> None:
    """The sidebar's language choice, each language named in itself."""
    st.session_state[LANGUAGE_PICKER] = i18n.language()
    st.selectbox(ui_text.LANGUAGE_LABEL, list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get,
                 key=LANGUAGE_PICKER, on_change=_language_picked)
