"""#19: every page of an uploaded file in every language, in AppTest with the marking mode on
(RETENTION_I18N_MARK=1): the texts, metrics, widget labels, table headers and the charts' titles, axes, legends
and hover texts are made of marked (translated) parts, numbers and the file's own data only. The browser test
(tests/e2e/test_translated_pages.py) checks the same file's rendered pages; here the hover texts, widget options and
the upload page's validation are reachable too, cheaply:
one saved fixture for the module (saved as an upload is: the same preparation and store), its query results
computed once and shared by the languages (they are keyed by dataset, not language), each page once per
language, and the upload page's validation of the same file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from retention import i18n
from tests.conftest import APP
from tests.pages.test_i18n_pages import _texts, words_left

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "h_woocommerce_orders_14_months.csv"
PAGES = {"overview": None, "cohorts": "pages/cohorts.py", "churn": "pages/churn.py",
         "customers": "pages/customers.py", "benchmarks": "pages/benchmarks.py", "whatif": "pages/whatif.py",
         "impact": "pages/impact.py"}
# The file's own column names and values, the dataset's name, and the benchmark catalog's publishers and
# sources (their names stay as published), written as they are in any language.
DATA = {"Woo", "shop", "Attribution", "Customer", "type", "Product", "Organic", "Google", "Direct", "Unknown",
        "Referral", "Facebook", "com", "new", "returning", "Recurly", "via", "Strategy", "MarketingCharts", "Annual",
        "Subscription", "Billing", "Metrics", "Report", "Exploding", "Topics", "citing", "Statista", "Metrilo",
        "own", "customer", "survey", "c", "e", "DuckDB", "pp", "pt", *re.findall(r"[^\W\d_]+", FIXTURE.name)}


def chart_texts(at: AppTest) -> list[str]:
    """What a reader sees of each chart, but the category ticks (the data's own values): the title, axis and
    legend titles, annotations, trace names and hover texts (plotly's %{…} fields and tags removed)."""
    out = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec.get("layout", {})
        titled = [layout] + [v for k, v in layout.items() if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict)]
        titled.append(layout.get("legend") or {})
        for part in titled:
            title = part.get("title")
            out.append(title.get("text") if isinstance(title, dict) else title)
        out += [a.get("text") for a in layout.get("annotations", []) or []]
        for trace in spec.get("data", []):
            out += [trace.get("name"), trace.get("hovertemplate")]
    return [re.sub(r"%\{[^}]*\}|<[^>]*>", " ", str(t)) for t in out if t]


def table_headers(at: AppTest) -> list[str]:
    """The column headers the tables show (their column_config labels; columns without one are hidden)."""
    out = []
    for table in at.dataframe:
        config = json.loads(table.proto.columns or "{}")
        out += [c["label"] for c in config.values() if isinstance(c, dict) and c.get("label") and not c.get("hidden")]
    return out


def left_over(at: AppTest) -> set[str]:
    texts = _texts(at) + chart_texts(at) + table_headers(at)
    return {w for t in texts for w in words_left(t) if w not in DATA}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The fixture saved as an upload, in a data directory of its own; Streamlit's caches empty before the
    module and after it, and shared by its tests (the results do not depend on the language)."""
    from retention import store
    from retention.ingest.canonical import prepare

    path = tmp_path_factory.mktemp("translated-upload")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETENTION_DATA_DIR", str(path))
        mp.setenv("RETENTION_I18N_MARK", "1")
        dataset_id, _ = store.create_dataset(prepare(FIXTURE.read_bytes(), FIXTURE.name, "purchases"), None,
                                             "Woo shop")
        st.cache_data.clear()
        st.cache_resource.clear()
        yield dataset_id
        st.cache_data.clear()
        st.cache_resource.clear()


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_page_of_an_uploaded_file_is_translated(saved, lang):
    problems = {}
    with i18n.using(lang):  # AppTest formats widget options in the test's thread: in the page's language
        for name, path in PAGES.items():
            at = AppTest.from_file(APP, default_timeout=300)
            at.query_params["dataset"], at.query_params["lang"] = saved, lang
            if path:
                at.switch_page(path)
            at.run()
            assert not at.exception, (name, lang, at.exception)
            left = left_over(at)
            if left:
                problems[name] = sorted(left)
        at = AppTest.from_file(APP, default_timeout=300)
        at.query_params["lang"] = lang
        at.switch_page("pages/data.py").run()
        at.file_uploader(key="data_purchases_file").set_value((FIXTURE.name, FIXTURE.read_bytes(), "text/csv")).run()
        assert not at.exception, ("data", lang, at.exception)
        assert at.button(key="data_save").label == {"en": "Save dataset", "ru": "Сохранить набор данных",
                                                    "zh": "保存数据集", "pl": "Zapisz zbiór danych", "ja": "データセットを保存"}[lang].join(i18n.INVISIBLE_MARKS)
        left = left_over(at)
        if left:
            problems["data"] = sorted(left)
    assert not problems, problems


def test_names_the_app_makes_are_shown_in_the_language(monkeypatch):
    """The demo's name and the RFM segment the app adds are stored in English and shown translated; a file's own
    column names and values are shown as written."""
    from retention import ui_text
    from retention.metrics import rfm

    monkeypatch.delenv("RETENTION_I18N_MARK", raising=False)  # the module's page tests turn the marking mode on

    with i18n.using("ru"):
        assert str(ui_text.DEMO_NAME) == "Демо-магазин (сгенерированные данные)"
        assert ui_text.segment_name(rfm.ATTRIBUTE) != rfm.ATTRIBUTE
        assert ui_text.segment_value(rfm.ATTRIBUTE, ui_text.RFM_GROUPS["champions"]) == \
            str(ui_text.RFM_GROUP_NAMES["champions"]) != "Champions"
        assert ui_text.segment_name("Attribution") == "Attribution"
        assert ui_text.segment_value("Attribution", "Lost") == "Lost"  # a file's value that is also a group's name
        assert ui_text.segment_value(rfm.ATTRIBUTE, None) is None
    assert ui_text.segment_name(rfm.ATTRIBUTE) == "RFM group" and str(ui_text.DEMO_NAME) == "Demo shop (generated)"


def test_rfm_segment_in_the_language_on_cohorts(saved):
    """The RFM group the app adds, compared by on the Cohorts page (linked: ?tab=segments&segment=RFM group):
    its name and its groups in the legend and title are Russian, like the rest of the page."""
    from retention import ui_text
    from retention.metrics import rfm

    with i18n.using("ru"):
        at = AppTest.from_file(APP, default_timeout=300)
        at.query_params.update({"dataset": saved, "lang": "ru", "tab": "segments", "segment": rfm.ATTRIBUTE})
        at.switch_page("pages/cohorts.py").run()
        assert not at.exception, at.exception
        chart = json.loads(at.get("plotly_chart")[-1].proto.spec)
        names = {i18n.unmark(t["name"]) for t in chart["data"] if t.get("name")}
        russian = {i18n.unmark(str(v)) for v in ui_text.RFM_GROUP_NAMES.values()}
    assert names and names <= russian | {"Все"}, names
    assert not names & set(ui_text.RFM_GROUPS.values())
    assert left_over(at) == set()
