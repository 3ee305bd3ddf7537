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
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
