"""Every page renders on the demo without an exception; the upload page validates and saves (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from retention import store
from tests.conftest import APP

PAGES = ["pages/overview.py", "pages/cohorts.py", "pages/churn.py", "pages/data.py"]


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_demo(demo_env, page):
    at = _app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_overview_shows_demo_totals(demo_env):
    at = _app().run()
    assert at.title[0].value == "Demo shop (generated)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers"] == "20,000"


def test_upload_validate_and_save(demo_env):
    csv = b"client;date;total\nA;2024-01-05;10,5\nB;2024-01-06;7\nA;2024-02-01;oops\n"
    at = _app().run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_purchases_file").set_value(("orders.csv", csv, "text/csv")).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows read"] == "3" and metrics["Rows used"] == "2" and metrics["Rows rejected"] == "1"
    before = set((demo_env / "datasets").iterdir())
    at.button(key="data_save").click().run()
    assert not at.exception, at.exception
    created = set((demo_env / "datasets").iterdir()) - before
    assert len(created) == 1
    dataset_id = created.pop().stem
    assert at.session_state["dataset_id"] == dataset_id
    con = store.open_dataset(dataset_id)
    assert con.execute("select count(*) from purchases").fetchone()[0] == 2
    store.delete_dataset(dataset_id)


def test_bad_upload_shows_a_message(demo_env):
    at = _app().run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_purchases_file").set_value(("pic.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
                                                          "text/csv")).run()
    assert not at.exception
    assert any("not a text or spreadsheet file" in e.value for e in at.error)


def test_unknown_dataset_link_falls_back_to_demo(demo_env):
    at = _app()
    at.query_params["dataset"] = "A" * 32
    at.run()
    assert not at.exception
    assert at.title[0].value == "Demo shop (generated)"
    assert any("does not exist" in w.value for w in at.warning)
