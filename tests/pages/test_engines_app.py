"""The app with an engine configured (DuckDB over Parquet here; Spark Connect in test_spark_connect.py): the
picker offers the engine's tables as a read-only dataset, every analytic page renders from it, the caption under
the page names the engine and the query time; a bad setting or an unreachable engine is a sentence, not a crash."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import engine_cases as cases
from retention.engines import config as engine_config
from tests.conftest import APP

PAGES = ["pages/cohorts.py", "pages/churn.py", "pages/benchmarks.py", "pages/whatif.py"]


@pytest.fixture(scope="module")
def lake_toml(tmp_path_factory):
    folder = tmp_path_factory.mktemp("app-lake")
    cases.write_lake(cases.embedded(), folder)
    return cases.engine_toml(folder)


@pytest.fixture
def lake_env(demo_env, lake_toml, monkeypatch):
    monkeypatch.delenv("RETENTION_ENGINE", raising=False)
    monkeypatch.setenv("RETENTION_ENGINE_CONFIG", str(lake_toml))
    return engine_config.from_settings().source_id


def _app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _engine_captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith(("Computed on", "From the cache"))]


def test_the_picker_offers_the_engine_next_to_the_demo(lake_env):
    at = _app()
    picker = at.sidebar.selectbox[0]  # the dataset picker
    names = list(picker.options)  # AppTest lists the shown names
    assert names == ["Parquet: purchases.parquet, customers.parquet (read-only)", "Demo shop (generated)"]
    assert _engine_captions(at)[0].startswith("Computed on DuckDB ") and "(Parquet)" not in _engine_captions(at)[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_analytic_page_renders_from_the_engine(lake_env, page):
    at = _app(dataset=lake_env)
    assert _engine_captions(at)[0].startswith("Computed on DuckDB") and "(Parquet)" in _engine_captions(at)[0]
    assert "248 customers" in at.sidebar.caption[0].value  # the engine's data, not the demo's
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("(Parquet) in " in c for c in _engine_captions(at)), _engine_captions(at)


def test_an_unknown_engine_id_is_gone(lake_env):
    at = _app(dataset="engine-0000000000000000")
    assert at.title[0].value == "This dataset is gone"


def test_a_bad_setting_leaves_the_demo_working(demo_env, tmp_path, monkeypatch):
    bad = tmp_path / "engine.toml"
    bad.write_text('[engine]\nurl = "trino://x"\n', encoding="utf-8")
    monkeypatch.setenv("RETENTION_ENGINE_CONFIG", str(bad))
    at = _app()
    assert any("The engine setting is not valid" in c.value and "trino" in c.value for c in at.sidebar.caption)
    picker = at.sidebar.selectbox[0]  # the dataset picker
    assert list(picker.options) == ["Demo shop (generated)"]


def test_an_unreachable_engine_is_a_sentence(demo_env, lake_toml, monkeypatch):
    monkeypatch.setenv("RETENTION_ENGINE", "sc://127.0.0.1:1/;token=s3cr3t")
    monkeypatch.setenv("RETENTION_ENGINE_CONFIG", str(lake_toml))
    source = engine_config.from_settings().source_id
    at = _app(dataset=source)
    assert at.title[0].value == "The engine cannot be used"
    text = " ".join(m.value for m in at.markdown)
    assert "cannot reach the Spark Connect server at 127.0.0.1:1" in text and "s3cr3t" not in text
