"""DuckDB over Parquet files (retention/engines/lake.py): every in-scope query returns what the embedded dataset
built from the same rows returns. The lake holds the canonical rows under the user's own column names:
purchases as a hive-partitioned folder (year=…/), customers as one file; both bound through a table map."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import engine_cases as cases
from retention import engines, sql
from retention.engines import lake, portability
from retention.engines.config import EngineConfigError, from_settings

RENAMED = {"purchases": {"customer_id": "cust_no", "purchased_at": "ordered_at", "amount": "total",
                         "order_id": "order_ref", "row_no": "line"},
           "customers": {"customer_id": "cust_no", "signup_date": "joined", "churn_date": "cancelled_on",
                         "churn_reason": "why", "churned": "churned", "tenure": "tenure", "row_no": "row_no"}}


def _secrets(folder, purchases_table: str, extra: str = "") -> object:
    path = folder / "secrets.toml"
    lines = ['[engine]', 'url = "duckdb:"', extra, "[engine.tables.purchases]", f"table = {purchases_table!r}"]
    lines += [f'{role} = "{column}"' for role, column in RENAMED["purchases"].items()]
    lines += ['segments = ["channel", "country"]', "[engine.tables.customers]",
              f"table = {str(folder / 'customers.parquet')!r}"]
    lines += [f'{role} = "{column}"' for role, column in RENAMED["customers"].items() if role != "row_no"]
    lines += ['segments = ["plan", "channel"]']
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def duck():
    return cases.embedded()


@pytest.fixture(scope="module")
def folder(duck, tmp_path_factory):
    """The lake: Parquet files written from the embedded dataset's canonical tables, columns renamed."""
    out = tmp_path_factory.mktemp("lake")
    p = ", ".join(f"{src} as {dst}" for src, dst in RENAMED["purchases"].items())
    duck.execute(f"copy (select {p}, channel, country, year(purchased_at) as year from purchases) "
                 f"to '{out / 'purchases'}' (format parquet, partition_by (year))")
    c = ", ".join(f"{src} as {dst}" for src, dst in RENAMED["customers"].items())
    duck.execute(f"copy (select {c}, plan, channel from customers) to '{out / 'customers.parquet'}' (format parquet)")
    return out


@pytest.fixture(scope="module")
def engine(folder):
    config = from_settings({}, _secrets(folder, str(folder / "purchases")))
    assert config.is_source and not config.remote
    opened = lake.open_engine(config, today=cases.TODAY)
    yield opened
    opened.close()


def test_the_lake_is_hive_partitioned(folder):
    assert sorted(p.name for p in (folder / "purchases").iterdir()) == ["year=2023", "year=2024"]


@pytest.mark.parametrize("name", portability.SPARK_READ_QUERIES)
def test_query_matches_the_embedded_dataset(name, duck, engine):
    for params in cases.CASES[name]:
        cases.same(sql.frame(duck, name, **params), engines.frame(engine, name, **params))
    assert engine.last_run.query == name and engine.last_run.seconds >= 0


@pytest.mark.parametrize("table", ["customer_summary", "customer_attributes", "cohort_customers",
                                   "cohort_days", "cohort_activity", "cohort_attributes"])
def test_precomputed_tables_match(table, duck, engine):
    cur = engine._con.cursor()
    order = ", ".join(f"{c} nulls last" for c in duck.execute(f"select * from {table} limit 0").df().columns)
    cases.same(duck.execute(f"select * from {table} order by {order}").df(),
               cur.execute(f"select * from {table} order by {order}").df())


def test_a_glob_reads_the_same_rows(folder, duck):
    config = from_settings({}, _secrets(folder, str(folder / "purchases" / "*" / "*.parquet")))
    opened = lake.open_engine(config, today=cases.TODAY)
    try:
        cases.same(sql.frame(duck, "overview_totals"), opened.frame("overview_totals"))
    finally:
        opened.close()


def test_queries_from_several_threads_at_once(duck, engine):
    """The app's sessions share one engine object: concurrent queries each get their own cursor."""
    names = ["overview_totals", "overview_monthly", "cohort_availability", "churn_bounds"] * 3
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda n: engine.frame(n), names))
    for name, result in zip(names, results):
        cases.same(sql.frame(duck, name), result)


def test_a_missing_column_is_named(folder):
    config = from_settings({}, _secrets(folder, str(folder / "purchases")))
    wrong = dict(config.tables)
    purchases = wrong["purchases"]
    wrong["purchases"] = type(purchases)("purchases", purchases.table, {**purchases.columns, "amount": "price"},
                                         purchases.segments)
    with pytest.raises(EngineConfigError, match=r"has no column 'price' \(its columns: .*total"):
        lake.open_engine(engines.parse_url("duckdb:", wrong))


def test_missing_files_are_a_config_error(folder):
    config = from_settings({}, _secrets(folder, str(folder / "nowhere" / "*.parquet")))
    with pytest.raises(EngineConfigError, match="cannot be read"):
        lake.open_engine(config)


def test_init_sql_runs_first(folder):
    """init_sql (e.g. CREATE SECRET for s3://) runs on the private connection before the files are bound."""
    config = from_settings({}, _secrets(folder, str(folder / "purchases"), 'init_sql = ["set threads = 1"]'))
    opened = lake.open_engine(config, today=dt.date(2025, 1, 15))
    try:
        assert opened._con.execute("select current_setting('threads')").fetchone()[0] == 1
    finally:
        opened.close()
