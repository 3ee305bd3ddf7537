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
