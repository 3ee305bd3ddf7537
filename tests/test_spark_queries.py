"""The in-scope queries return the same result on a real local Spark session as on DuckDB, on seeded data
with nasty cases (month-end days, timestamps one second either side of a boundary, refunds and zero amounts,
blank values, unicode segments and reasons). Skipped when pyspark (requirements-scale.txt) or Java is missing.

One Spark session per test run (local[2], UTC, 2 shuffle partitions). The canonical tables go to Spark as
Parquet files, the way a lake would hold them, and are bound through the same table map a user writes.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import shutil

import duckdb
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("pyspark needs Java 17+ on PATH", allow_module_level=True)

from retention import sql, store  # noqa: E402
from retention.engines import portability  # noqa: E402
from retention.engines import spark as engine_spark  # noqa: E402
from retention.engines.config import TableMap  # noqa: E402
from retention.ingest.canonical import prepare  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore:The copy keyword is deprecated")

TODAY = dt.date(2025, 1, 15)
AS_OF = dt.date(2024, 12, 31)
RAW = ["Too expensive", "too expensive ", "Zu teuer", "価格", "", "Found a better alternative"]
LABELS = ["Price", "Price", "Price", "Price", "(blank)", "Competitor"]
EDGES = [dt.datetime(2023, 1, 31, 23, 59, 59), dt.datetime(2023, 2, 1, 0, 0, 0), dt.datetime(2023, 2, 28, 23, 59, 59),
         dt.datetime(2023, 3, 31, 12, 0), dt.datetime(2023, 12, 31, 23, 59, 59), dt.datetime(2024, 1, 1, 0, 0, 1),
         dt.datetime(2024, 2, 29, 8, 0), dt.datetime(2024, 3, 31, 23, 0), dt.datetime(2024, 6, 30, 23, 59, 59),
         dt.datetime(2024, 7, 1, 0, 0)]
MATRIX = {"grain": "month", "mode": "classic", "cohort_by": "first_purchase", "as_of": AS_OF, "segment": "channel",
          "filter_attributes": [], "filter_values": [], "cohort_from": None, "cohort_to": None, "min_customers": 5}

# query → parameter sets (several where a parameter picks a different path through the query)
CASES: dict[str, list[dict]] = {
    "overview_totals": [{}], "overview_monthly": [{}], "overview_attributes": [{}],
    "cohort_attribute_values": [{}], "cohort_availability": [{}], "churn_bounds": [{}],
    "cohort_tenure_events": [{"segment": None, "filter_attributes": [], "filter_values": []},
                             {"segment": "plan", "filter_attributes": ["channel"], "filter_values": ["日本チャネル"]}],
    "churn_gap_hint": [{"as_of": AS_OF}],
    "whatif_revenue": [{"period": p, "as_of": AS_OF} for p in ("week", "month", "quarter", "year")],
    "churn_periods": [{"basis": b, "period": p, "step": s, "inactive_days": 60, "as_of": AS_OF}
                      for b in ("purchases", "customers")
                      for p, s in (("week", "7 days"), ("month", "1 month"), ("quarter", "3 months"))],
    "churn_revenue_retention": [{"period": p, "step": s, "as_of": AS_OF}
                                for p, s in (("month", "1 month"), ("quarter", "3 months"))],
    "benchmark_repurchase": [{"as_of": AS_OF, "first_from": None, "first_to": None, "segment": None,
                              "months": [1, 3, 12], "days": [30, 90]},
                             {"as_of": AS_OF, "first_from": dt.date(2023, 2, 1), "first_to": dt.date(2024, 1, 31),
                              "segment": "country", "months": [1], "days": []}],
    "reasons_raw": [{}],
    "reasons_counts": [{"raw_values": RAW, "reasons": LABELS, "segment": s} for s in (None, "plan")],
    "reasons_over_time": [{"raw_values": RAW, "reasons": LABELS, "period": p, "step": s, "as_of": AS_OF}
                          for p, s in (("month", "1 month"), ("quarter", "3 months"))],
    "reasons_lost_revenue": [{"raw_values": RAW, "reasons": LABELS, "period": p} for p in ("week", "month")],
    "reasons_tenure": [{"raw_values": RAW, "reasons": LABELS, "band_edges": [0.0, 3.0, 12.0]}],
    "cohort_matrix": [MATRIX],
    "churn_at_risk": [{"basis": "customers", "inactive_days": 60, "as_of": AS_OF, "recent_days": 90,
                       "risk_days": 30, "raw_values": RAW, "reasons": LABELS}],
}


def _csvs(seed: int = 7, n_customers: int = 250) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    channels = ["Email", "Österreich-Partner", "日本チャネル", "Paid social 🎉", ""]
    start = dt.datetime(2023, 1, 1)
    purchases, customers = [], []
    for i in range(n_customers):
        signup = rng.choice(EDGES) if rng.random() < 0.1 else start + dt.timedelta(days=rng.randrange(0, 700))
        cancel = signup + dt.timedelta(days=rng.randrange(0, 300)) if rng.random() < 0.45 else None
        customers.append([f"C{i:04d}", signup.date().isoformat(), cancel.date().isoformat() if cancel else "",
                          rng.choice(RAW) if cancel else "", rng.choice(["Free", "Pro", "Ünïcode"]),
                          rng.choice(channels)])
        moment = signup
        for _ in range(rng.randrange(0, 12)):
            moment += dt.timedelta(days=rng.randrange(1, 90), seconds=rng.randrange(0, 86400))
            if rng.random() < 0.15:
                moment = rng.choice(EDGES)
            if moment.year > 2024:
                break
            amount = round(rng.uniform(5, 200), 2) * (-1 if rng.random() < 0.07 else 1) * (rng.random() > 0.03)
            purchases.append([f"O{len(purchases):05d}", f"C{i:04d}", moment.strftime("%Y-%m-%d %H:%M:%S"),
                              f"{amount:.2f}", rng.choice(channels), rng.choice(["Deutschland", "Polska", "日本", ""])])
    p = pd.DataFrame(purchases, columns=["order_id", "customer_id", "order_date", "amount", "channel", "country"])
    c = pd.DataFrame(customers, columns=["customer_id", "signup_date", "cancel_date", "churn_reason", "plan", "channel"])
    return p.to_csv(index=False).encode(), c.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def duck():
    purchases, customers = _csvs()
    con = duckdb.connect()
    store.build(con, prepare(purchases, "p.csv", "purchases", segments=["channel", "country"]),
                prepare(customers, "c.csv", "customers", segments=["plan", "channel"]), "nasty", TODAY)
    return con


@pytest.fixture(scope="session")
def spark_session():
    logging.getLogger("py4j").setLevel(logging.ERROR)
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    session = engine_spark.local_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark(duck, spark_session, tmp_path_factory):
    """A SparkEngine over Parquet copies of the DuckDB dataset's canonical tables (the user's 'lake')."""
    folder = tmp_path_factory.mktemp("lake")
    for table in ("purchases", "customers"):
        duck.execute(f"copy {table} to '{folder / table}.parquet' (format parquet)")
        spark_session.read.parquet(str(folder / f"{table}.parquet")).createOrReplaceTempView(f"lake_{table}")
    identity = {"purchases": ["row_no", "customer_id", "purchased_at", "amount", "order_id"],
                "customers": ["row_no", "customer_id", "signup_date", "churn_date", "churn_reason", "churned", "tenure"]}
    tables = {
        "purchases": TableMap("purchases", "lake_purchases", {c: c for c in identity["purchases"]}, ("channel", "country")),
        "customers": TableMap("customers", "lake_customers", {c: c for c in identity["customers"]}, ("plan", "channel")),
    }
    engine = engine_spark.SparkEngine(spark_session)
    engine.bind(tables, cache=True, today=TODAY)
    return engine


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Same values, engine-neutral dtypes: numbers as float (NULL → NaN), dates/timestamps as datetime64[us]."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.astype("datetime64[us]")
        elif pd.api.types.is_bool_dtype(series):
            out[column] = series.astype(object)
        elif pd.api.types.is_numeric_dtype(series):
            out[column] = series.astype("float64")
        else:
            out[column] = series.astype(object).where(series.notna(), None)
    return out


def _same(duck_frame: pd.DataFrame, spark_frame: pd.DataFrame) -> None:
    assert list(spark_frame.columns) == list(duck_frame.columns)
    assert len(duck_frame) > 0 or len(spark_frame) == 0
    pd.testing.assert_frame_equal(_normalised(spark_frame), _normalised(duck_frame), check_dtype=False,
                                  rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("name", portability.SPARK_READ_QUERIES)
def test_query_matches_duckdb(name, duck, spark):
    for params in CASES[name]:
        _same(sql.frame(duck, name, **params), spark.frame(name, **params))


@pytest.mark.parametrize("table", ["customer_summary", "customer_attributes", "cohort_customers",
                                   "cohort_days", "cohort_activity", "cohort_attributes"])
def test_precomputed_tables_match_duckdb(table, duck, spark):
    order = ", ".join(f"{c} nulls last" for c in duck.execute(f"select * from {table} limit 0").df().columns)
    expected = duck.execute(f"select * from {table} order by {order}").df()
    actual = engine_spark._to_pandas(spark.session.sql(f"select * from {table} order by {order}"))
    _same(expected, actual)


def test_queries_see_the_nasty_cases(duck):
    """The data really holds what the comparison is meant to exercise."""
    row = duck.execute("""
        select count(*) filter (where purchased_at = timestamp '2023-01-31 23:59:59') as month_end_second,
               count(*) filter (where amount < 0) as refunds, count(*) filter (where amount = 0) as zeros,
               count(*) filter (where channel is null) as blank_channel,
               count(*) filter (where channel = '日本チャネル') as unicode
        from purchases""").fetchone()
    assert all(count > 0 for count in row), row


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
