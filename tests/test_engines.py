"""Engine configuration (URL + table map) and dispatch. No Spark needed; the DuckDB → Spark rewrites are
checked for correctness on a real Spark session in tests/test_spark_queries.py, not here."""

import datetime as dt

import duckdb
import pytest

from retention import engines
from retention.engines.config import EngineConfigError, from_settings, parse_tables, parse_url


def test_default_is_embedded_duckdb():
    config = parse_url("")
    assert (config.kind, config.dialect, config.remote) == ("duckdb", "duckdb", False)


@pytest.mark.parametrize("url, kind, dialect, target", [
    ("duckdb:", "duckdb", "duckdb", ""),
    ("duckdb:///data/shop.duckdb", "duckdb", "duckdb", "/data/shop.duckdb"),
    ("md:analytics", "motherduck", "duckdb", "md:analytics"),
    ("spark+local://4", "spark-local", "spark", "local[4]"),
])
def test_urls(url, kind, dialect, target):
    config = parse_url(url)
    assert (config.kind, config.dialect, config.target) == (kind, dialect, target)


def test_spark_connect_needs_a_host_and_a_table_map():
    with pytest.raises(EngineConfigError, match="host"):
        parse_url("sc://:15002", parse_tables({"purchases": "lake.shop.orders"}))
    with pytest.raises(EngineConfigError, match="map at least one"):
        parse_url("sc://spark.internal:15002")
    config = parse_url("sc://spark.internal:15002/;token=abc", parse_tables({"purchases": "lake.shop.orders"}))
    assert (config.kind, config.dialect, config.remote) == ("spark-connect", "spark", True)


@pytest.mark.parametrize("url", ["trino://x", "bigquery://p", "snowflake://a", "postgresql://h/db"])
def test_untested_engines_are_refused(url):
    with pytest.raises(EngineConfigError, match="unknown engine"):
        parse_url(url)


def test_table_map_uses_the_upload_roles():
    tables = parse_tables({"purchases": {"table": "lake.shop.orders", "customer_id": "cust_no",
                                         "purchased_at": "ordered_at", "amount": "total", "segments": ["channel"]}})
    purchases = tables["purchases"]
    assert purchases.table == "lake.shop.orders"
    assert purchases.columns == {"customer_id": "cust_no", "purchased_at": "ordered_at", "amount": "total"}
    assert purchases.segments == ("channel",)
    assert parse_tables({"customers": "c"})["customers"].columns == {"customer_id": "customer_id"}
    with pytest.raises(EngineConfigError, match="unknown roles"):
        parse_tables({"purchases": {"table": "t", "price": "p"}})
    with pytest.raises(EngineConfigError, match="only purchases, customers"):
        parse_tables({"orders": "t"})


def test_environment_wins_over_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[engine]\nurl = "spark+local://2"\n[engine.tables.purchases]\ntable = "src"\n'
                       'customer_id = "c"\n', encoding="utf-8")
    assert from_settings({}, secrets).kind == "spark-local"
    config = from_settings({"RETENTION_ENGINE": "sc://h:15002"}, secrets)
    assert config.kind == "spark-connect" and config.tables["purchases"].columns["customer_id"] == "c"
    assert from_settings({}, tmp_path / "missing.toml").kind == "duckdb"


def test_frame_dispatches_on_the_connection():
    con = duckdb.connect()
    con.execute("create table customer_attributes as select 'c1' as customer_id, 'plan' as attribute, "
                "'Pro' as value, 'customers' as source")
    assert engines.frame(con, "cohort_attribute_values")["customers"].tolist() == [1]
    assert engines.describe(con)["engine"].startswith("DuckDB")

    class Remote:
        label = "fake"

        def frame(self, name, **params):
            return (name, params)

    assert engines.frame(Remote(), "whatif_revenue", period="month", as_of=dt.date(2024, 1, 1)) == (
        "whatif_revenue", {"period": "month", "as_of": dt.date(2024, 1, 1)})
