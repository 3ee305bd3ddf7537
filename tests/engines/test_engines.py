"""Engine configuration (URL + table map) and dispatch. No Spark needed; the DuckDB → Spark rewrites are
checked for correctness on a real Spark session in tests/engines/test_spark_queries.py, not here."""

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


def test_a_source_is_a_remote_engine_or_duckdb_with_a_table_map():
    assert not parse_url("duckdb:").is_source
    assert parse_url("duckdb:", parse_tables({"purchases": "/lake/orders/"})).is_source
    assert parse_url("spark+local://2").is_source
    with pytest.raises(EngineConfigError, match="use duckdb:"):
        parse_url("duckdb:///data/shop.duckdb", parse_tables({"purchases": "/lake/orders/"}))


def test_the_source_id_follows_the_url_and_the_table_map():
    tables = parse_tables({"purchases": {"table": "lake.orders", "customer_id": "c"}})
    same = parse_url("sc://h:15002", parse_tables({"purchases": {"table": "lake.orders", "customer_id": "c"}}))
    first = parse_url("sc://h:15002", tables).source_id
    assert first == same.source_id and first.startswith("engine-") and len(first) == len("engine-") + 16
    assert parse_url("sc://h:15003", tables).source_id != first
    other = parse_tables({"purchases": {"table": "lake.orders", "customer_id": "cust"}})
    assert parse_url("sc://h:15002", other).source_id != first
    assert "h:15002" not in first  # an id, not the URL (which may hold a token)


def test_settings_file_from_the_environment_and_init_sql(tmp_path):
    path = tmp_path / "engine.toml"
    path.write_text('[engine]\ninit_sql = ["LOAD httpfs"]\n[engine.tables.purchases]\ntable = "/lake/o.parquet"\n',
                    encoding="utf-8")
    config = from_settings({"RETENTION_ENGINE_CONFIG": str(path)})
    assert (config.kind, config.init_sql, config.tables["purchases"].table) == ("duckdb", ("LOAD httpfs",),
                                                                               "/lake/o.parquet")
    with pytest.raises(EngineConfigError, match="no such file"):
        from_settings({"RETENTION_ENGINE_CONFIG": str(tmp_path / "none.toml")})
    path.write_text('[engine]\ninit_sql = "LOAD httpfs"\n', encoding="utf-8")
    with pytest.raises(EngineConfigError, match="list of statements"):
        from_settings({}, path)
    path.write_text('[engine]\nurl = "sc://h:1"\ninit_sql = ["LOAD httpfs"]\n[engine.tables.purchases]\ntable = "t"\n',
                    encoding="utf-8")
    with pytest.raises(EngineConfigError, match="DuckDB engines only"):
        from_settings({}, path)
    path.write_text('[engine\n', encoding="utf-8")
    with pytest.raises(EngineConfigError, match="engine.toml"):
        from_settings({}, path)


def test_tokens_are_blanked_in_messages():
    assert engines.redact("cannot use sc://h:15002/;token=abc123;user_id=me") == "cannot use sc://h:15002/;token=…;user_id=me"
    assert engines.redact("PASSWORD=x y") == "PASSWORD=… y"


def test_engine_caption_texts():
    from retention import ui_text

    assert ui_text.engine_timing("Spark 4.0.5 (Spark Connect)", 3, 0, 1.84, 0) == \
        "Computed on Spark 4.0.5 (Spark Connect) in 1.8 s."
    assert ui_text.engine_timing("DuckDB 2.0.1", 2, 3, 0.041, 0.5) == \
        "Computed on DuckDB 2.0.1 in 0.04 s (3 of 5 results from the cache)."
    assert ui_text.engine_timing("DuckDB 2.0.1", 0, 4, 0, 0.25) == \
        "From the cache (computed earlier on DuckDB 2.0.1 in 0.2 s)."
    assert ui_text.engine_dataset_name("spark-connect", ["lake.shop.orders", "/data/customers/"]) == \
        "Spark: lake.shop.orders, customers (read-only)"
