"""Issue 20: on the Data page, Save takes what the validation preview parsed (store.Draft), not the file again."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from streamlit.testing.v1 import AppTest

from retention import store
from tests.conftest import APP
from tests.helpers.dated_datasets import purchases_csv


def test_save_after_the_preview_parses_nothing_again(demo_env, monkeypatch):
    # other tests' sessions on this shared demo directory may still hold their drafts (an AppTest session never ends)
    drafts_before = set((demo_env / "tmp").glob("draft.*"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_purchases_file").set_value(
        ("shop.csv", b"customer,date,amount\nA,2024-01-05,10\nB,2024-01-06,7\nA,2024-02-01,3\n,2024-02-02,1\n",
         "text/csv")).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Rows rejected"] == "1"
    parsed: list[str] = []
    load_into = store.load_into
    monkeypatch.setattr(store, "load_into", lambda con, prepared, *a, **k: parsed.append(prepared.kind)
                        or load_into(con, prepared, *a, **k))
    at.button(key="data_save").click().run()
    assert not at.exception, at.exception
    assert parsed == []
    con = store.open_dataset(at.session_state["dataset_id"])
    assert con.execute("select count(*), count(distinct customer_id) from purchases").fetchone() == (3, 2)
    assert con.execute("select count(*) from rejected").fetchone()[0] == 1
    assert con.execute("select count(*) from cohort_days").fetchone()[0] == 3
    con.close()
    assert set((demo_env / "tmp").glob("draft.*")) <= drafts_before  # this session's draft is gone


def _heatmap(at: AppTest, key: str) -> dict:
    """The plotly figure (data and layout) drawn under `key`."""
    charts = [c for c in at.get("plotly_chart") if c.key == key]
    assert len(charts) == 1, [c.key for c in at.get("plotly_chart")]
    return json.loads(charts[0].proto.spec)


def test_the_first_look_is_the_saved_datasets_cohorts_heatmap(demo_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_purchases_file").set_value(
        ("shop.csv", purchases_csv(dt.date(2023, 1, 1), 14, customers=240), "text/csv")).run()
    assert not at.exception, at.exception
    first_look = _heatmap(at, "data_first_look")
    # the empty chart drawn while the rows were checked (so the browser fetches plotly's code then) is gone
    assert [c.key for c in at.get("plotly_chart")] == ["data_first_look"]
    built = at.session_state["data_draft"].built  # the heatmap's tables only: Save builds the rest (the RFM groups)
    assert set(store.needed(store.FIRST_LOOK)) <= built and store.RFM not in built

    at.button(key="data_save").click().run()
    assert not at.exception, at.exception
    at.switch_page("pages/cohorts.py").run()
    assert not at.exception, at.exception
    saved = _heatmap(at, "cohorts_heatmap")
    cells = [t for t in first_look["data"] if t["type"] == "heatmap"]
    assert sum(len(row) for t in cells for row in t["z"]) >= 14 * 2  # a real triangle: cohorts × periods
    assert first_look["data"] == saved["data"]  # every cell, its text and hover, the cohort sizes
    assert first_look["layout"]["title"] == saved["layout"]["title"]


def test_a_rerun_with_the_same_choices_detects_nothing_again(demo_env, monkeypatch):
    from retention.ui.data import files

    calls: list[dict] = []
    prepare = files.prepare
    monkeypatch.setattr(files, "prepare", lambda *a, **k: calls.append(k) or prepare(*a, **k))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    data = b"customer,date,amount,channel\nA,2024-01-05,10,web\nB,2024-01-06,7,shop\nA,2024-02-01,3,web\n"
    at.file_uploader(key="data_purchases_file").set_value(("shop.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert len(calls) == 1  # the detection; the widgets' first values are what it found, so no second call
    assert {m.label: m.value for m in at.metric}["Rows used"] == "3"

    calls.clear()
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert len(calls) <= 1  # at most once for the widgets' values as stored (the currency and statuses boxes)
    settled = len(calls)
    at.run()
    assert len(calls) == settled

    # a changed choice is prepared again, and the page shows it: no customer column → nothing to validate
    at.selectbox(key=f"data_purchases_{hashlib.sha256(data).hexdigest()[:12]}_customer").set_value(files.NONE).run()
    assert not at.exception, at.exception
    assert len(calls) > settled
    assert "Rows used" not in {m.label for m in at.metric}
