"""The in-scope queries return the same result on a real local Spark session as on DuckDB, on seeded data
with nasty cases (month-end days, timestamps one second either side of a boundary, refunds and zero amounts,
blank values, unicode segments and reasons). Skipped when pyspark (requirements-scale.txt) or Java is missing.

One Spark session per test run (local[2], UTC, 2 shuffle partitions). The canonical tables go to Spark as
Parquet files, the way a lake would hold them, and are bound through the same table map a user writes.
"""

from __future__ import annotations

import logging
import shutil

import duckdb
import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("pyspark needs Java 17+ on PATH", allow_module_level=True)

from tests.helpers import engine_cases as cases  # noqa: E402
from retention import sql  # noqa: E402
from retention.engines import portability  # noqa: E402
from retention.engines import spark as engine_spark  # noqa: E402
from retention.engines.config import TableMap  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:The copy keyword is deprecated")


@pytest.fixture(scope="module")
def duck():
    return cases.without_derived_attributes(cases.embedded())


@pytest.fixture(scope="session")
def spark_session():
    logging.getLogger("py4j").setLevel(logging.ERROR)
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    session = engine_spark.local_session("local[2]", cases.SMALL_DATA_SPARK_CONF)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark(duck, spark_session, tmp_path_factory):
    """A SparkEngine over Parquet copies of the DuckDB dataset's canonical tables (the user's 'lake')."""
    folder = tmp_path_factory.mktemp("lake")
    for table in ("purchases", "customers"):
        duck.execute(f"copy {table} to '{folder / table}.parquet' (format parquet)")
        spark_session.read.parquet(str(folder / f"{table}.parquet")).createOrReplaceTempView(f"lake_{table}")
    tables = {t: TableMap(t, f"lake_{t}", {c: c for c in cases.IDENTITY[t]}, cases.SEGMENTS[t])
              for t in ("purchases", "customers")}
    engine = engine_spark.SparkEngine(spark_session)
    engine.bind(tables, cache=True, today=cases.TODAY)
    return engine


@pytest.mark.parametrize("name", portability.SPARK_READ_QUERIES)
def test_query_matches_duckdb(name, duck, spark):
    for params in cases.CASES[name]:
        cases.same(sql.frame(duck, name, **params), spark.frame(name, **params))


@pytest.mark.parametrize("table", ["customer_summary", "customer_attributes", "cohort_customers",
                                   "cohort_days", "cohort_activity", "cohort_attributes"])
def test_precomputed_tables_match_duckdb(table, duck, spark):
    order = ", ".join(f"{c} nulls last" for c in duck.execute(f"select * from {table} limit 0").df().columns)
    expected = duck.execute(f"select * from {table} order by {order}").df()
    actual = engine_spark._to_pandas(spark.session.sql(f"select * from {table} order by {order}"))
    cases.same(expected, actual)


def test_queries_see_the_nasty_cases(duck):
    """The data really holds what the comparison is meant to exercise."""
    counts = cases.nasty_counts(duck)
    assert all(n > 0 for n in counts.values()), counts


DATE_PAIRS = [("2024-01-31 23:59:59", "2024-02-01 00:00:00"), ("2023-12-31 12:00:00", "2024-01-01 11:00:00"),
              ("2024-02-29 00:00:00", "2024-03-31 23:59:59"), ("2024-03-31 00:00:00", "2024-02-29 00:00:00"),
              ("2024-01-07 00:00:00", "2024-01-08 00:00:00"), ("2024-01-09 00:00:00", "2024-01-01 00:00:00"),
              ("2022-10-01 00:00:00", "2024-09-30 23:59:59")]


@pytest.mark.parametrize("unit", ["day", "week", "month", "quarter", "year"])
def test_date_diff_boundaries_match_duckdb(unit, spark_session):
    """The date_diff rewrite gives DuckDB's boundary counts on Spark (raw sqlglot output does not)."""
    from retention.engines import transpile

    text = "select date_diff($unit, cast($a as timestamp), cast($b as timestamp)) as d"
    expected = [duckdb.execute(text, {"unit": unit, "a": a, "b": b}).fetchone()[0] for a, b in DATE_PAIRS]
    spark_text = transpile.to_spark(text)
    actual = [spark_session.sql(spark_text, args={"unit": unit, "a": a, "b": b}).collect()[0][0] for a, b in DATE_PAIRS]
    assert actual == expected
