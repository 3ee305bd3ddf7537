"""#17.4: the Customers page reads in every language: no English left in its metrics, tabs and chart titles,
numbers and placeholders filled (a broken {placeholder} in a catalog would raise or show braces)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import cdnow_data
from tests.conftest import APP, app_data_dir

ENGLISH = ["Expected purchases", "Customers", "Still a customer?", "Frequent buyers who stopped"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("customers-i18n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETENTION_DATA_DIR", str(path))
        return path, cdnow_data.create()


@pytest.mark.parametrize("lang", ["pl", "ru", "zh", "ja"])
def test_customers_page_in_every_language(saved, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    path, shop = saved
    with app_data_dir(path, monkeypatch):
        at = AppTest.from_file(APP, default_timeout=300)
        at.query_params["dataset"], at.query_params["lang"] = shop, lang
        at.run()
        at.switch_page("pages/customers.py").run()
        assert not at.exception
        texts = [m.label for m in at.metric] + [at.title[0].value]
        titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
        for tab in ("check", "rfm", "top"):
            at.session_state["customers_tab"] = tab
            at.run()
            assert not at.exception
            texts += [m.value for m in at.markdown] + [c.value for c in at.caption]
            titles += [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    shown = " ".join(texts + titles)
    assert titles and texts
    for english in ENGLISH:
        assert english not in " ".join(texts[:5] + titles), english
    assert "{" not in shown.replace("{:", ""), shown
