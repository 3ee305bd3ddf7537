"""Shared fixtures: a data directory with the demo dataset built once per test run."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    """A RETENTION_DATA_DIR holding the demo dataset (built once per run)."""
    import os

    from retention import store

    path = tmp_path_factory.mktemp("demo-data")
    old = os.environ.get("RETENTION_DATA_DIR")
    os.environ["RETENTION_DATA_DIR"] = str(path)
    try:
        store.ensure_demo()
    finally:
        if old is None:
            os.environ.pop("RETENTION_DATA_DIR")
        else:
            os.environ["RETENTION_DATA_DIR"] = old
    return path


@contextmanager
def app_data_dir(path: Path, monkeypatch):
    """Point the app at the data directory `path`, with Streamlit's caches empty (before and after)."""
    import streamlit as st

    monkeypatch.setenv("RETENTION_DATA_DIR", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield path
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


@pytest.fixture
def demo_env(demo_data_dir, monkeypatch):
    """Point the app at the demo data directory, with Streamlit's caches empty."""
    with app_data_dir(demo_data_dir, monkeypatch):
        yield demo_data_dir


_WARM = "demo_warm"
_warm = {"streak": False}  # inside a run of consecutive tests that use demo_warm


@pytest.fixture
def demo_warm(demo_data_dir, monkeypatch):
    """Like demo_env, but Streamlit's caches are kept between consecutive tests that use this fixture too.

    A page on the demo costs ~3 s of CPU with empty caches and ~0.6 s with warm ones. The demo never
    changes and the caches are keyed by dataset id and inputs (cache._run, cache.reuse), so a test reading the
    demo gets the very results it would compute itself; the first test of each run of them computes them.
    The caches are emptied when such a run starts and when it ends (pytest_runtest_teardown below), so
    other tests never see them. Not for tests that patch the functions the pages call or change the
    environment the cached code reads: those use demo_env.
    """
    import streamlit as st

    monkeypatch.setenv("RETENTION_DATA_DIR", str(demo_data_dir))
    if not _warm["streak"]:
        st.cache_data.clear()
        st.cache_resource.clear()
        _warm["streak"] = True
    yield demo_data_dir


def pytest_runtest_teardown(item, nextitem):
    if _warm["streak"] and (nextitem is None or _WARM not in getattr(nextitem, "fixturenames", ())):
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
        _warm["streak"] = False


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty RETENTION_DATA_DIR for tests that write datasets."""
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    return tmp_path


def open_page(page: str, **query):
    """AppTest of the app with the given query parameters, switched to `page`; fails on an exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    # Straight to the page, as a link to it opens (no Overview run first: it would double the test's cost).
    # AppTest finds a page by file name before the first run; app.py's url_paths are the file names.
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


# ---------------------------------------------------------------- parallel runs (pytest-xdist, see xdist_units.py)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`-n N` without --dist: our work units (a file, the Spark files together, a browser test alone)."""
    if config.getvalue("dist") != "load":
        return None  # an explicit --dist wins
    import xdist_units

    return xdist_units.make_scheduler(config, log)


E2E_ARTIFACTS = ROOT / "test-artifacts" / "e2e"  # = e2e_helpers.ARTIFACTS


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """Controller: empty test-artifacts/e2e/ once per run, before any worker starts (they only add to it)."""
    done = getattr(pytest_xdist_node_collection_finished, "done", False)
    if not done and any(i.startswith("tests/e2e/") for i in ids):
        import shutil

        shutil.rmtree(E2E_ARTIFACTS, ignore_errors=True)
        (E2E_ARTIFACTS / "logs").mkdir(parents=True)
    pytest_xdist_node_collection_finished.done = True


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On an xdist worker: slowest units first (the controller hands units out in collection order)."""
    if hasattr(config, "workerinput"):
        import xdist_units

        items.sort(key=lambda item: xdist_units.rank(item.nodeid))  # stable: file order kept within a rank
