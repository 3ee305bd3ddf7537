"""Every page renders on the demo without an exception; the upload page validates and saves (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from retention import store
from tests.conftest import APP

PAGES = ["pages/overview.py", "pages/cohorts.py", "pages/churn.py", "pages/benchmarks.py", "pages/whatif.py", "pages/data.py"]


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120)


def _uploaded(name: str, csv: bytes) -> AppTest:
    """The upload page after uploading `csv` as the purchases file (checked to run without an exception)."""
    at = _app().run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_purchases_file").set_value((name, csv, "text/csv")).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_demo(demo_warm, page):
    at = _app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_overview_shows_demo_totals(demo_warm):
    at = _app().run()
    assert at.title[0].value == "Demo shop (generated)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers"] == "20,000"


def test_upload_validate_and_save(demo_env):
    at = _uploaded("orders.csv", b"client;date;total\nA;2024-01-05;10,5\nB;2024-01-06;7\nA;2024-02-01;oops\n")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows read"] == "3" and metrics["Rows used"] == "2" and metrics["Rows rejected"] == "1"
    before = set((demo_env / "datasets").glob("*.duckdb"))
    at.button(key="data_save").click().run()
    assert not at.exception, at.exception
    created = set((demo_env / "datasets").glob("*.duckdb")) - before
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
    assert any("pic.csv" in e.value and "not a" in e.value for e in at.error)


def test_unknown_dataset_link_shows_gone_page(demo_warm):
    at = _app()
    at.query_params["dataset"] = "A" * 32
    at.run()
    assert not at.exception
    assert at.title[0].value == "This dataset is gone"
    assert at.button(key="gone_demo").label == "Open the demo"  # clicking it is covered by the browser tests


def test_owner_manages_viewers_need_the_password(demo_env):
    from retention import access
    from retention.ingest.canonical import prepare

    token = access.new_token()
    dataset_id, _ = store.create_dataset(
        prepare(b"customer,date,amount\na,2024-01-01,5\nb,2024-01-02,6\n", "mine.csv", "purchases"), None, "mine",
        owner_token=token)
    # AppTest keeps the entrypoint's sidebar only on a session's first run, so each check is a first run;
    # clicking through the panel is covered by the browser tests.
    owner = _app()
    owner.session_state["owner_tokens"] = {dataset_id: token}
    owner.query_params["dataset"] = dataset_id
    owner.run()
    assert {"manage_set_expiry", "manage_set_password", "manage_delete"} <= {b.key for b in owner.button}

    access.set_password(dataset_id, "s3cret")
    viewer = _app()
    viewer.query_params["dataset"] = dataset_id
    viewer.run()
    assert viewer.title[0].value == "This dataset is protected"
    assert viewer.text_input(key="gate_password").label == "Password"

    unlocked = _app()
    unlocked.session_state["unlocked_datasets"] = {dataset_id}
    unlocked.query_params["dataset"] = dataset_id
    unlocked.run()
    assert unlocked.title[0].value == "mine"
    assert "manage_delete" not in {b.key for b in unlocked.button}  # viewers cannot delete

    store.delete_dataset(dataset_id)
    again = _app()
    again.query_params["dataset"] = dataset_id
    again.run()
    assert again.title[0].value == "This dataset is gone"


ODD_LINK = {"period": "fortnight", "mode": "x", "as_of": "2099-01-01", "started": "2024-13-01", "filter": "Zürich",
            "value": "a&b=c#d", "min": "nan", "shown": "1e9", "cells": "%", "k": "-1", "segment": "北京",
            "window": "0", "fold": "inf", "shares": "maybe", "risk": "", "status": "everyone", "industry": "none",
            "range": "2025-01-01", "share": "?", "active": "-5", "retention": "100", "margin": "abc",
            "scenario": "reason", "x": "1e308", "reason": "gone, really"}


@pytest.mark.parametrize("page", PAGES[:5])
def test_an_odd_link_opens_the_page_on_defaults(demo_warm, page):
    at = _app()
    for key, value in ODD_LINK.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error
    if page == "pages/whatif.py":  # the one valid value in the link is taken, the rest fall back
        assert at.segmented_control(key="whatif_kind").value == "reason"
        assert at.selectbox(key="whatif_reason").value == "Too expensive"
        assert at.number_input(key="whatif_margin").value == 30.0


def test_upload_reports_possible_duplicates_with_a_download(demo_env):
    at = _uploaded("log.csv", b"customer,date,amount\na,2024-01-05,10.5\na,2024-01-05,10.5\nb,2024-01-06,7\n")
    assert {m.label: m.value for m in at.metric}["Rows used"] == "3"  # the identical row is kept
    assert any(c.value.startswith("1 possible duplicate: identical") and "(10.50 of revenue)" in c.value and "rows 3." in c.value
               for c in at.caption)
    assert any("1 possible duplicate (kept)" in e.label for e in at.expander)
    assert not at.button(key="data_save").disabled


def test_upload_with_nothing_usable_cannot_be_saved(demo_env):
    at = _uploaded("shop.csv", b"customer,date,Total\na,2024-01-05,abc\nb,2024-01-06,n/a\nc,2024-01-07,\n")
    message = next(e.value for e in at.error if "shop.csv" in e.value)
    assert "every amount in column 'Total' was rejected" in message and "'abc', 'n/a', ''" in message
    assert "Nothing can be saved" in message
    assert at.button(key="data_save").disabled
    assert any("3 rejected rows" in e.label for e in at.expander)  # the rows stay downloadable


def test_upload_says_when_the_rejected_rows_download_holds_only_the_first_ones(demo_env, monkeypatch):
    """The preview lists at most store.PREVIEW_ROWS rows (bounded work, issue 16.6): the page says so."""
    from retention import store

    monkeypatch.setattr(store, "PREVIEW_ROWS", 2)
    at = _uploaded("shop.csv",
                   b"customer,date,Total\na,2024-01-05,abc\nb,2024-01-06,n/a\nc,2024-01-07,\nd,2024-01-07,5\n")
    labels = [e.label for e in at.expander]
    assert "Download the first 2 of the 3 rejected rows" in labels, labels
