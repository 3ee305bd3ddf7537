"""Caches of what pages compute: query results per (dataset, function, parameters), shared by every session
(`cached`), and figures and summaries built from them, kept per process (`reuse`); and the line saying where
and how long the page's queries ran."""

from __future__ import annotations

import importlib
import json
import threading
import time
from typing import Any, Callable

import streamlit as st

from retention import i18n
from retention.ui import connections
from retention.ui.connections import CURRENT, Dataset


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
    if connections.is_engine(dataset_id):
        result = func(connections.engine(dataset_id), **json.loads(params_json))
    else:
        cur = connections.connection(dataset_id).cursor()
        try:
            result = func(cur, **json.loads(params_json))
        finally:
            cur.close()
    seconds = time.perf_counter() - started
    _COMPUTED.seconds = seconds
    return result, seconds


def _key(func: Callable[..., Any], ds: Dataset, params: dict[str, Any]) -> tuple[str, str, str]:
    return ds.id, _ref(func), json.dumps(params, sort_keys=True, default=str)


_SERVED: set[tuple[str, str, str]] = set()  # the _key()s this process has answered (known())


def known(func: Callable[..., Any], ds: Dataset, **params: Any) -> bool:
    """Whether this process has already answered cached(func, ds, **params), so that asking again is quick: a page
    can then draw that answer at once rather than something quicker first. Wrong only one way: an entry the cache
    has let go of since is computed again, without the quicker draw first."""
    return _key(func, ds, params) in _SERVED


def cached(func: Callable[..., Any], ds: Dataset, **params: Any) -> Any:
    """func(cursor or engine, **params), cached per (dataset id, function, params). Params must be JSON-able.
    Counts the call in this run's query timing (engine_caption)."""
    _COMPUTED.seconds = None
    key = _key(func, ds, params)
    result, seconds = _run(*key)
    if len(_SERVED) >= 4 * 1024:  # several times what the cache holds (_run's max_entries): forget the oldest guesses
        _SERVED.clear()
    _SERVED.add(key)
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


@st.cache_resource(max_entries=512, show_spinner=False)  # a figure: ~0.3 MB on a demo-sized dataset
def _reuse(dataset_id: str | None, func_ref: str, args: tuple, kwargs: dict, language: str = "en") -> Any:
    # language: a figure or text built in one language is never handed to a session reading another
    return _resolve(func_ref)(*args, **kwargs)


def reuse(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """func(*args, **kwargs) for a reuse function of frames (a chart builder, a summary of a query's result),
    kept per process: the same inputs on the same dataset give the very same object back, which callers
    must not modify (st.plotly_chart and the report copy figures; pandas operations return new frames).
    Building figures and summaries is most of what a page costs once its queries are cached, and moving
    between pages and tabs asks for the same ones again. The key is the dataset id and the inputs themselves
    (frames hashed by value), so a result can only come back for the data it was computed from."""
    from streamlit.runtime.caching.cache_errors import UnhashableParamError

    try:
        return _reuse(st.session_state.get(CURRENT), _ref(func), args, kwargs, i18n.language())
    except UnhashableParamError:
        return func(*args, **kwargs)
