"""Seeded data with the nasty cases, and the parameter sets, shared by the engine tests (Spark local, Spark
Connect, DuckDB over Parquet): every in-scope query must return on the engine what it returns on the embedded
DuckDB dataset built from the same rows.

Nasty cases: month-end days and leap day, timestamps one second either side of a month/year boundary, ISO week
53 / year change, two purchases of one customer at the same instant, refunds and zero amounts, blank (NULL)
segments, signups without a date, customers who never bought, buyers missing from the customers file,
unicode (and emoji) segments, reasons and customer ids.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import pandas as pd

from retention import sql, store
from retention.ingest.canonical import prepare

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
# Spark settings for the tests' tiny tables: compiling generated Java for every stage (whole-stage codegen and
# expression codegen) and re-planning with adaptive execution cost more than the work itself; interpreted
# evaluation gives the same rows. Measured on churn_periods' 6 cases on a local session: 44 s → 18 s.
# The JVM's optimising compiler (C2) and parallel collector spend more CPU than they save in a run this short:
# the quick compiler only (TieredStopAtLevel=1) and the serial collector took the two Spark files from 98.7 to
# 68.6 CPU s (wall unchanged, 107 s alone; 7 Dec 2026), CPU the rest of the suite gets on 2 cores.
SMALL_DATA_SPARK_CONF = {"spark.sql.codegen.wholeStage": "false", "spark.sql.adaptive.enabled": "false",
                         "spark.sql.shuffle.partitions": "1", "spark.default.parallelism": "1",
                         "spark.sql.codegen.factoryMode": "NO_CODEGEN",
                         "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}

CASES: dict[str, list[dict]] = {
    "overview_totals": [{}], "overview_monthly": [{}], "overview_attributes": [{}],
    "cohort_attribute_values": [{}], "cohort_availability": [{}], "churn_bounds": [{}],
    "cohort_tenure_events": [{"segment": None, "filter_attributes": [], "filter_values": []},
                             {"segment": "plan", "filter_attributes": ["channel"], "filter_values": ["日本チャネル"]}],
    "churn_gap_hint": [{"as_of": AS_OF}],
    "headline_customers": [{}],
    "headline_window_retention": [{"basis": b, "inactive_days": 60, "start_day": dt.date(2023, 6, 30),
                                   "end_day": dt.date(2024, 6, 30), "as_of": AS_OF}
                                  for b in ("purchases", "customers")],
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
                       "risk_days": 30, "raw_values": RAW, "reasons": LABELS, "statuses": ["churned", "at_risk"],
                       "reason_filter": [], "segment": None, "segment_values": [], "limit": None},
                      {"basis": "purchases", "inactive_days": 60, "as_of": AS_OF, "recent_days": 90,
                       "risk_days": 30, "raw_values": RAW, "reasons": LABELS, "statuses": ["churned", "at_risk"],
                       "reason_filter": [], "segment": None, "segment_values": [], "limit": 20},
                      {"basis": "customers", "inactive_days": 60, "as_of": AS_OF, "recent_days": 365,
                       "risk_days": 30, "raw_values": RAW, "reasons": LABELS, "statuses": ["churned"],
                       "reason_filter": LABELS[:2], "segment": "plan", "segment_values": ["Pro", "Ünïcode"],
                       "limit": 50}],
}


def csvs(seed: int = 7, n_customers: int = 250) -> tuple[bytes, bytes]:
    """(purchases CSV, customers CSV) with the nasty cases above."""
    rng = random.Random(seed)
    channels = ["Email", "Österreich-Partner", "日本チャネル", "Paid social 🎉", ""]
    start = dt.datetime(2023, 1, 1)
    purchases, customers = [], []
    for i in range(n_customers):
        customer = f"C{i:04d}" if i % 50 else f"Ü-{i:04d}-顧客"
        signup = rng.choice(EDGES) if rng.random() < 0.1 else start + dt.timedelta(days=rng.randrange(0, 700))
        cancel = signup + dt.timedelta(days=rng.randrange(0, 300)) if rng.random() < 0.45 else None
        if i < n_customers - 10:  # the last ten buy without being in the customers file
            customers.append([customer, "" if i % 37 == 5 else signup.date().isoformat(),
                              cancel.date().isoformat() if cancel else "", rng.choice(RAW) if cancel else "",
                              rng.choice(["Free", "Pro", "Ünïcode"]), rng.choice(channels)])
        moment = signup
        for _ in range(rng.randrange(0, 12)):
            if not (purchases and purchases[-1][1] == customer and rng.random() < 0.05):  # else: same instant again
                moment += dt.timedelta(days=rng.randrange(1, 90), seconds=rng.randrange(0, 86400))
            if rng.random() < 0.15:
                moment = rng.choice(EDGES)
            if moment.year > 2024:
                break
            amount = round(rng.uniform(5, 200), 2) * (-1 if rng.random() < 0.07 else 1) * (rng.random() > 0.03)
            purchases.append([f"O{len(purchases):05d}", customer, moment.strftime("%Y-%m-%d %H:%M:%S"),
                              f"{amount:.2f}", rng.choice(channels), rng.choice(["Deutschland", "Polska", "日本", ""])])
    p = pd.DataFrame(purchases, columns=["order_id", "customer_id", "order_date", "amount", "channel", "country"])
    c = pd.DataFrame(customers, columns=["customer_id", "signup_date", "cancel_date", "churn_reason", "plan", "channel"])
    return p.to_csv(index=False).encode(), c.to_csv(index=False).encode()


def embedded(today: dt.date = TODAY) -> duckdb.DuckDBPyConnection:
    """The reference: an in-memory DuckDB dataset built from csvs() through the upload path (`today` decides
    which rows are dated in the future)."""
    purchases, customers = csvs()
    con = duckdb.connect()
    store.build(con, prepare(purchases, "p.csv", "purchases", segments=["channel", "country"]),
                prepare(customers, "c.csv", "customers", segments=["plan", "channel"]), "nasty", today)
    return con


def without_derived_attributes(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The dataset without the 'RFM group' attribute (retention.metrics.rfm computes it in Python at save time, so
    the Spark engine's views do not have it; README): Spark is compared with DuckDB on what both compute."""
    con.execute("delete from customer_attributes where source = 'derived'")
    con.execute("drop table cohort_attributes")
    sql.execute(con, "derive_cohort_attributes")
    return con


# The canonical columns each logical table's Parquet copy holds (mapped one to one in the Spark tests).
IDENTITY = {"purchases": ["row_no", "customer_id", "purchased_at", "amount", "order_id"],
            "customers": ["row_no", "customer_id", "signup_date", "churn_date", "churn_reason", "churned", "tenure"]}
SEGMENTS = {"purchases": ("channel", "country"), "customers": ("plan", "channel")}


def write_lake(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Parquet copies of a dataset's canonical tables: folder/purchases.parquet, folder/customers.parquet."""
    for table in ("purchases", "customers"):
        con.execute(f"copy {table} to '{folder / table}.parquet' (format parquet)")


def engine_toml(folder: Path, purchases_table: str | None = None, amount: str = "amount") -> Path:
    """folder/engine.toml: an [engine] section whose table map binds write_lake()'s files (as secrets.toml would);
    `purchases_table` and `amount` replace the purchases file and its amount column (for the error cases)."""
    lines = ["[engine]"]
    for table in ("purchases", "customers"):
        path = purchases_table if table == "purchases" and purchases_table else str(folder / f"{table}.parquet")
        lines += [f"[engine.tables.{table}]", f"table = {path!r}"]
        lines += [f'{c} = "{amount if c == "amount" else c}"' for c in IDENTITY[table]
                  if c != "row_no" or table == "purchases"]  # row_no is a role of purchases only
        lines += ["segments = [" + ", ".join(f'"{s}"' for s in SEGMENTS[table]) + "]"]
    out = folder / "engine.toml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def nasty_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many rows of each nasty case the embedded dataset holds (each must be > 0)."""
    purchases = con.execute("""
        select count(*) filter (where purchased_at = timestamp '2023-01-31 23:59:59') as month_end_second,
               count(*) filter (where purchased_at = timestamp '2024-01-01 00:00:01') as new_year_second,
               count(*) filter (where purchased_at::date = date '2024-02-29') as leap_day,
               count(*) filter (where amount < 0) as refunds, count(*) filter (where amount = 0) as zeros,
               count(*) filter (where channel is null) as blank_channel,
               count(*) filter (where channel = '日本チャネル') as unicode_segment,
               count(*) filter (where customer_id like 'Ü-%') as unicode_customer,
               count(*) filter (where customer_id not in (select customer_id from customers)) as not_in_customers
        from purchases""").df().iloc[0].to_dict()
    customers = con.execute("""
        select count(*) filter (where signup_date is null) as no_signup,
               count(*) filter (where churn_reason = '価格') as unicode_reason,
               count(*) filter (where customer_id not in (select customer_id from purchases)) as never_bought
        from customers""").df().iloc[0].to_dict()
    ties = con.execute("""select count(*) from (select customer_id, purchased_at from purchases
                          group by all having count(*) > 1)""").fetchone()[0]
    return {**purchases, **customers, "same_instant": ties}


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Same values, engine-neutral dtypes: numbers as float (NULL → NaN), dates/timestamps as datetime64[us]."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.astype("datetime64[us]")
        elif pd.api.types.is_bool_dtype(series):  # numpy bool, or pandas boolean with <NA> (NULL → None)
            out[column] = series.astype(object).where(series.notna(), None)
        elif pd.api.types.is_numeric_dtype(series):
            out[column] = series.astype("float64")
        else:
            out[column] = series.astype(object).where(series.notna(), None)
    return out


def same(duck_frame: pd.DataFrame, spark_frame: pd.DataFrame) -> None:
    assert list(spark_frame.columns) == list(duck_frame.columns)
    assert len(duck_frame) > 0 or len(spark_frame) == 0
    pd.testing.assert_frame_equal(normalised(spark_frame), normalised(duck_frame), check_dtype=False,
                                  rtol=1e-9, atol=1e-9)


