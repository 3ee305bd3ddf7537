"""Acceptance, the corpus files not uploaded in the browser (tests/e2e/test_real_files.py takes IN_THE_BROWSER):
each file of tests/fixtures/real/ is saved as the upload page saves it (prepare with no settings, then
store.create_dataset), and every page is run (AppTest): no error box or exception anywhere, and each page shows
a headline figure (st.metric) or a chart whose title states a finding; the same rule as the browser test
(tests/helpers/real_files.problems_of)."""

from __future__ import annotations

import json

import pytest

from retention import store
from retention.ingest.canonical import prepare
from tests.conftest import app_data_dir, open_page
from tests.helpers.real_files import IN_THE_BROWSER, PAGES, corpus_files, problems_of, slot

FILES = [p for p in corpus_files() if p.name not in IN_THE_BROWSER]


def chart_title(chart) -> str:
    layout = json.loads(chart.proto.spec).get("layout", {})
    title = layout.get("title")
    return (title.get("text") if isinstance(title, dict) else title) or ""


def seen_in(at) -> dict:
    """What a page shows, in the shape problems_of takes."""
    return {"errors": [e.value for e in at.error], "exceptions": [str(e.value) for e in at.exception],
            "infos": [i.value for i in at.info], "metrics": [[m.label, m.value] for m in at.metric],
            "charts": [chart_title(c) for c in at.get("plotly_chart")]}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """(data directory, {file name: dataset id}): every file saved once."""
    path = tmp_path_factory.mktemp("real-files")
    ids = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETENTION_DATA_DIR", str(path))
        for file in FILES:
            prepared = prepare(file.read_bytes(), file.name, slot(file))
            purchases, customers = (prepared, None) if slot(file) == "purchases" else (None, prepared)
            ids[file.name], _ = store.create_dataset(purchases, customers, name=f"Real {file.stem.replace('_', ' ')}")
    return path, ids


def test_the_browser_takes_three_files_and_this_test_the_rest():
    assert len(FILES) == 7 and not {p.name for p in FILES} & IN_THE_BROWSER


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.name)
def test_every_page_is_meaningful_on_a_real_layout(saved, file, monkeypatch):
    path, ids = saved
    problems = []
    with app_data_dir(path, monkeypatch):
        for name, url in PAGES.items():
            at = open_page(f"pages/{url or 'overview'}.py", dataset=ids[file.name])
            seen = seen_in(at)
            if name == "Overview":  # the saved dataset is the one in view, not the demo
                assert any(f"Real {file.stem.replace('_', ' ')}" in t.value for t in at.title), [t.value for t in at.title]
            problems += problems_of(name, seen, traceback=False)
    assert not problems, f"{file.name}:\n  " + "\n  ".join(problems)
