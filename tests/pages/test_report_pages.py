"""Every page's "Download this view as a report" holds the charts the page draws (same plotly data) and
its tables, and the HTML built from it embeds each of them (AppTest; the report is built as on a click)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly
import pytest

from retention import report
from retention.ui import downloads
from tests.conftest import open_page

PAGES = ["pages/overview.py", "pages/cohorts.py", "pages/churn.py", "pages/benchmarks.py", "pages/whatif.py"]


@pytest.fixture
def reports(monkeypatch):
    """The report each page offers: button key → (title, sections), recorded when the page asks for its button."""
    offered: dict[str, list] = {}
    real = downloads.report_button

    def record(title, sections, key):
        offered[key] = (title, list(sections))
        real(title, sections, key)

    monkeypatch.setattr(downloads, "report_button", record)
    return offered


def _data(spec: str) -> str:
    return json.dumps(json.loads(spec)["data"], sort_keys=True)


@pytest.mark.parametrize("page", PAGES)
def test_each_pages_report_holds_its_charts_and_tables(demo_env, reports, page):
    at = open_page(page, **({"segment": "plan"} if page == "pages/cohorts.py" else {}))
    assert at.get("download_button"), "no download buttons"
    title, sections = reports[page.split("/")[1].removesuffix(".py") + "_report"]
    figures = [item for _, item in sections if isinstance(item, go.Figure)]
    tables = [item for _, item in sections if isinstance(item, pd.DataFrame)]
    drawn = [_data(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert drawn and tables
    assert sorted(_data(f.to_json()) for f in figures) == sorted(drawn)  # every chart on the page, nothing else

    html = report.build(title, "Dataset: Demo shop (generated)", sections)
    assert html.count("Plotly.newPlot(") == len(figures)
    for figure in figures:  # each figure's data is in the file, as plotly writes it
        assert to_json_plotly(figure.to_plotly_json()["data"])[1:-1] in html
    for table in tables:
        for column in table.columns[:3]:
            assert f"<th>{column}</th>" in html


def test_a_download_is_built_in_the_language_of_the_run_that_drew_its_button():
    """Streamlit builds a download button's file on the click in a worker thread of its own, where the language the
    run set (a context variable) is not set: the report of a Polish reader came out with lang='en' before."""
    import threading

    from retention import i18n, report
    from retention.ui.downloads import in_this_language

    with i18n.using("pl"):
        language = in_this_language(lambda: i18n.language().encode())
        page = in_this_language(lambda: report.build("Odpływ", "Zbiór: demo", []).encode())
    built = []
    worker = threading.Thread(target=lambda: built.extend([language(), page()]))
    worker.start()
    worker.join()
    assert built[0] == b"pl" and i18n.language() == "en"
    assert built[1].decode().startswith("<!DOCTYPE html><html lang='pl'>")
    assert "Wygenerowano" in built[1].decode() and "Generated" not in built[1].decode()  # the date line in Polish
