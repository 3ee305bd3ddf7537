"""Through a real Spark Connect server on 127.0.0.1 (the `sc://` client path production uses: OSS Spark,
Databricks, EMR, Dataproc): the queries and the metrics on top of them give DuckDB's results, the CLI runs
on the engine with no data file, and the app renders the Cohorts page from it with the engine caption.

One server per test run, started from the pyspark wheel (spark-submit … SparkConnectServer, local[2], 1 GB
driver), stopped when the run ends, failed or not. Skipped when pyspark or Java is missing. The tables are
Parquet files bound through a table map, as a user's lake would be.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("pyspark needs Java 17+ on PATH", allow_module_level=True)

from tests.helpers import engine_cases as cases  # noqa: E402
from retention import cli, sql  # noqa: E402
from retention.engines import EngineConfigError, config as engine_config, spark as engine_spark  # noqa: E402
from retention.metrics import churn, cohorts, reasons  # noqa: E402

pytestmark = [pytest.mark.spark_connect,
              pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:The copy keyword is deprecated")]

START_TIMEOUT_S = 180  # measured ~8-21 s on 2 cores; generous for a loaded CI machine
STOP_TIMEOUT_S = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def connect_url(tmp_path_factory):
    """sc://127.0.0.1:PORT of a Spark Connect server started for this run (its log in the tmp folder)."""
    home = Path(pyspark.__file__).parent
    port = _free_port()
    log = tmp_path_factory.mktemp("spark-connect") / "server.log"
    command = [str(home / "bin" / "spark-submit"), "--master", "local[2]", "--name", "retention-tests",
               "--conf", "spark.driver.memory=1g", "--conf", "spark.ui.enabled=false",
               "--conf", "spark.sql.shuffle.partitions=2", "--conf", "spark.sql.session.timeZone=UTC",
               "--conf", "spark.sql.ansi.enabled=true",
               "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
               "--conf", f"spark.connect.grpc.binding.port={port}",
               *(arg for key, value in cases.SMALL_DATA_SPARK_CONF.items() for arg in ("--conf", f"{key}={value}")),
               "--class", "org.apache.spark.sql.connect.service.SparkConnectServer", "spark-internal"]
    with open(log, "wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                  env={**os.environ, "SPARK_HOME": str(home)})
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _listening(port):
            if server.poll() is not None:
                pytest.fail(f"the Spark Connect server exited ({server.returncode}):\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Spark Connect server did not listen within {START_TIMEOUT_S} s:\n"
                            f"{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield f"sc://127.0.0.1:{port}"
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (spark-submit and its JVM), SIGKILL if it is still there."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(STOP_TIMEOUT_S)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def duck():
    return cases.without_derived_attributes(cases.embedded(dt.date.today()))  # the engine's views flag future rows by the server's current date


@pytest.fixture(scope="module")
def engine_toml(duck, tmp_path_factory) -> Path:
    """Parquet copies of the canonical tables, and a settings file mapping them (as secrets.toml would)."""
    folder = tmp_path_factory.mktemp("connect-lake")
    cases.write_lake(duck, folder)
    return cases.engine_toml(folder)


@pytest.fixture(scope="module")
def engine(connect_url, engine_toml):
    config = engine_config.from_file(engine_toml, connect_url)
    assert config.kind == "spark-connect"
    opened = engine_spark.open_engine(config)
    yield opened
    opened.session.stop()


# The rest of the in-scope queries run on a local session in test_spark_queries.py (the same SQL); these
# cover list, interval and empty-list parameters through the Connect protocol.
# cohort_matrix and churn_periods go over Connect inside the metrics below (curve: the matrix by segment;
# retention by quarter: the periods), with list and interval parameters; every case of every query runs on the
# local session (test_spark_queries.py, the same SQL).
QUERIES = ["reasons_counts", "overview_totals"]


# Each case is a few Spark jobs (seconds each): the Connect path takes the first and last case of a query
# (churn_periods: purchases by week, customers by quarter); every case runs on the local session.
def connect_cases(name: str) -> list[dict]:
    every = cases.CASES[name]
    return every if len(every) <= 2 else [every[0], every[-1]]


@pytest.mark.parametrize("name", QUERIES)
def test_query_matches_duckdb_over_spark_connect(name, duck, engine):
    assert "Spark Connect" in engine.label
    for params in connect_cases(name):
        cases.same(sql.frame(duck, name, **params), engine.frame(name, **params))


MATRIX = {"period": "month", "mode": "classic", "as_of": cases.AS_OF.isoformat(), "segment": "channel"}


@pytest.mark.parametrize("metric, params", [
    (cohorts.curve, MATRIX),
    (churn.retention_by_period, {"period": "quarter", "basis": "purchases", "as_of": cases.AS_OF.isoformat()}),
    (reasons.reasons_by_segment, {"segment": "plan"}),
], ids=["average curve", "churn by quarter", "reasons by plan"])
def test_metrics_match_duckdb_over_spark_connect(metric, params, duck, engine):
    cases.same(metric(duck, **params), metric(engine, **params))


def test_queries_from_several_threads(duck, engine):
    """The app shares one engine object between sessions: concurrent queries over one Connect client."""
    names = ["overview_totals", "cohort_availability", "churn_bounds", "overview_attributes"]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: engine.frame(n), names))
    for name, result in zip(names, results):
        cases.same(sql.frame(duck, name), result)


def test_a_missing_column_is_a_config_error(connect_url, engine_toml):
    config = engine_config.from_file(engine_toml, connect_url)
    purchases = config.tables["purchases"]
    wrong = {**config.tables, "purchases": type(purchases)("purchases", purchases.table,
                                                          {**purchases.columns, "amount": "price"})}
    with pytest.raises(EngineConfigError, match="has no column 'price'"):
        engine_spark.open_engine(engine_config.parse_url(connect_url, wrong))


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def test_cli_on_spark_connect_gives_what_the_files_give(connect_url, engine_toml, tmp_path):
    argv = ["matrix", "--period", "quarter"]
    purchases, customers = cases.csvs()
    (tmp_path / "p.csv").write_bytes(purchases)
    (tmp_path / "c.csv").write_bytes(customers)
    files = _cli([*argv, str(tmp_path / "p.csv"), "--customers", str(tmp_path / "c.csv"),
                  "--map", "segment=channel", "--map", "segment=country",
                  "--customers-map", "segment=plan", "--customers-map", "segment=channel"])
    on_engine = _cli([*argv, "--engine", connect_url, "--engine-config", str(engine_toml)])
    assert files[0] == 0 and len(files[1].splitlines()) > 2
    assert on_engine == files


def test_app_renders_the_cohorts_page_from_spark_connect(connect_url, engine_toml, monkeypatch, demo_env):
    """RETENTION_ENGINE=sc://… : the picker offers the engine's tables, the Cohorts page is computed on it,
    and the caption under the page says so; a second session's Cohorts page comes from the shared cache.
    The sessions open the Cohorts page directly (a link to it): the Overview would add ~2 minutes of Spark jobs."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    monkeypatch.setenv("RETENTION_ENGINE", connect_url)
    monkeypatch.setenv("RETENTION_ENGINE_CONFIG", str(engine_toml))
    source = engine_config.from_settings().source_id
    st.cache_resource.clear()

    def cohorts_page() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=300)
        at.query_params["dataset"] = source
        at.switch_page("pages/cohorts.py").run()
        assert not at.exception, at.exception
        return at

    at = cohorts_page()
    picker = at.sidebar.selectbox[0]  # the dataset picker
    assert picker.value == source and "Spark: purchases.parquet, customers.parquet" in picker.format_func(source)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Computed on Spark 4.0.5 (Spark Connect) in ") for c in captions), captions
    assert [c.key for c in at.get("plotly_chart")] == ["cohorts_heatmap"]  # the open tab's chart
    again = cohorts_page()  # another session: the results are shared
    assert any(c.value.startswith("From the cache (computed earlier on Spark 4.0.5 (Spark Connect) in ")
               for c in again.caption), [c.value for c in again.caption]
