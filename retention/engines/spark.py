"""Run the queries on Apache Spark (Spark Connect `sc://…`, or an in-process session for tests).

The engine is a read-only source: the user's tables are bound to the logical names the queries use
(purchases, customers) as temporary views built with the DataFrame API (column names never become SQL text),
customer_attributes is unpivoted from the mapped segment columns, and the precompute queries of
store.DERIVED_TABLES become temporary views (optionally cached). Only a query's result — an aggregate — is
brought back, as a pandas DataFrame with DuckDB's column types (decimals → float64, dates → datetime64).
"""

from __future__ import annotations

import datetime as dt
import decimal
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from retention import sql
from retention.engines import transpile
from retention.engines.base import Run
from retention.engines.config import ROLES, EngineConfig, EngineConfigError, TableMap

LOCAL_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.sql.ansi.enabled": "true",
    "spark.driver.memory": "1g",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.structuredLogging.enabled": "false",
}


def local_session(master: str = "local[2]", conf: dict[str, str] | None = None):
    """An in-process SparkSession (development and tests): UTC session time zone, few shuffle partitions."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("retention")
    for key, value in {**LOCAL_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("OFF")  # failures come back as Python exceptions; the JVM log is noise
    return session


def connect_session(url: str):
    """A Spark Connect session for an sc://host:port URL (OSS Spark, Databricks, EMR, Dataproc). Built with the
    Connect builder itself: pyspark's generic builder also switches the whole process into Connect mode
    (SPARK_CONNECT_MODE_ENABLED), after which no classic session works in it."""
    from pyspark.sql.connect.session import SparkSession

    session = SparkSession.builder.remote(url).getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    return session


@dataclass
class SparkEngine:
    """A Spark session with the logical tables bound. Pass it wherever a DuckDB connection goes to sql.frame."""

    session: Any
    label: str = "Spark"
    last_run: Run | None = None
    bound: list[str] = field(default_factory=list)
    _schema: dict | None = None

    def frame(self, name: str, **params: Any) -> pd.DataFrame:
        """Run queries/NAME.sql (transpiled) with bound parameters; the result as a DataFrame."""
        _check(name, params)
        started = time.perf_counter()
        result = self.session.sql(self._spark_sql(name), args=_args(self.session, params) or None)
        out = _to_pandas(result)
        self.last_run = Run(name, self.label, time.perf_counter() - started)
        return out

    def execute(self, name: str, **params: Any) -> None:
        """Run a statement for its effect (only CREATE TABLE … AS, which becomes a temporary view)."""
        _check(name, params)
        self.session.sql(self._spark_sql(name), args=_args(self.session, params) or None).collect()

    def _spark_sql(self, name: str) -> str:
        return transpile.to_spark(sql.load(name), self.schema())

    def schema(self) -> dict[str, dict[str, str]]:
        """{view: {column: type}} of the bound views, for the type-aware rewrites."""
        if self._schema is None:
            self._schema = {
                view: {f.name: f.dataType.simpleString() for f in self.session.table(view).schema.fields}
                for view in self.bound
            }
        return self._schema

    def bind(self, tables: dict[str, TableMap], derived: tuple[str, ...] | None = None, cache: bool = False,
             today: dt.date | None = None) -> None:
        """Create the views the queries read: purchases, customers, customer_attributes, then `derived`
        (default store.DERIVED_TABLES) from their derive_*.sql text. `cache` keeps the derived views in
        executor memory (worth it on a cluster; each page query otherwise recomputes them). `today` (default:
        the engine's current date) decides which rows are dated in the future, as the upload does."""
        from retention import store

        for logical in ROLES:
            view = _canonical(self.session, logical, tables.get(logical), today)
            view.createOrReplaceTempView(logical)
        _attributes(self.session, tables).createOrReplaceTempView("customer_attributes")
        self.bound = list(ROLES) + ["customer_attributes"]
        for name in store.DERIVED_TABLES if derived is None else derived:
            self._schema = None
            self.execute(name)
            table = name.removeprefix("derive_")
            if cache:
                self.session.catalog.cacheTable(table)
            self.bound.append(table)


KIND_LABELS = {"spark-connect": "Spark Connect", "spark-local": "local"}
CONNECT_TIMEOUT_S = 5.0


def open_engine(config: EngineConfig, session=None, cache: bool = True, today: dt.date | None = None) -> SparkEngine:
    """A bound SparkEngine for an sc:// or spark+local:// configuration. Raises EngineUnavailable when pyspark
    is missing or the server cannot be reached (within CONNECT_TIMEOUT_S, not the client's minutes of retries),
    EngineConfigError when a mapped table or column does not exist."""
    from retention.engines.config import EngineUnavailable

    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        raise EngineUnavailable(f"{config.url}: pyspark is not installed (pip install -r requirements-scale.txt)") \
            from error
    if session is None and config.kind == "spark-connect":
        _reachable(config.url)
    if session is None:
        session = connect_session(config.url) if config.kind == "spark-connect" else local_session(config.target)
    engine = SparkEngine(session, label=f"Spark {session.version} ({KIND_LABELS.get(config.kind, config.kind)})")
    try:
        engine.bind(config.tables, cache=cache, today=today)
    except EngineConfigError:
        raise
    except Exception as error:  # AnalysisException (classic or Connect): a table that is not there, a bad type
        raise EngineConfigError(f"{config.url}: the table map does not fit the tables: "
                                f"{str(error).strip().splitlines()[0]}") from error
    return engine


def _reachable(url: str) -> None:
    import socket
    from urllib.parse import urlsplit

    from retention.engines.config import EngineUnavailable

    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 15002), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as error:
        raise EngineUnavailable(f"cannot reach the Spark Connect server at {parts.hostname}:{parts.port or 15002} "
                                f"({error.strerror or error})") from error


def _check(name: str, params: dict[str, Any]) -> None:
    expected, given = sql.parameters(name), set(params)
    if expected != given:
        missing, extra = sorted(expected - given), sorted(given - expected)
        raise sql.QueryError(f"query {name!r}: missing {missing}, unexpected {extra}")


def _functions(session):
    """pyspark.sql.functions for this kind of session (Spark Connect columns are other objects than classic ones;
    the classic module picks Connect only when the whole process is in Connect mode)."""
    if type(session).__module__.startswith("pyspark.sql.connect"):
        from pyspark.sql.connect import functions
    else:
        from pyspark.sql import functions
    return functions


def _args(session, params: dict[str, Any]) -> dict[str, Any]:
    """Python values as Spark literals (lists → arrays; an empty list needs the query's cast to type it)."""
    F = _functions(session)

    out = {}
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            out[key] = F.array(*[F.lit(v) for v in value]) if value else F.array()
        else:
            out[key] = value
    return out


def _to_pandas(result) -> pd.DataFrame:
    from pyspark.sql import types as T

    frame = result.toPandas()
    for column in result.schema.fields:
        name = column.name
        if isinstance(column.dataType, T.DecimalType):
            frame[name] = frame[name].map(lambda v: float(v) if isinstance(v, decimal.Decimal) else v).astype("float64")
        elif isinstance(column.dataType, T.DateType):
            frame[name] = pd.to_datetime(frame[name])
    return frame


_CANONICAL_TYPES = {
    "purchases": {"row_no": "bigint", "customer_id": "string", "purchased_at": "timestamp", "amount": "double",
                  "order_id": "string"},
    "customers": {"row_no": "bigint", "customer_id": "string", "signup_date": "date", "churn_date": "date",
                  "churn_reason": "string", "churned": "boolean", "tenure": "int"},
}


def _canonical(session, logical: str, mapping: TableMap | None, today: dt.date | None = None):
    """The canonical table `logical` over the user's table: mapped roles renamed and cast, unmapped ones
    NULL, the flags the ingest would compute (is_refund, is_future, status_recognised), segment columns as text.
    Rows without a customer id (or purchase time) are left out, as the upload rejects them."""
    F = _functions(session)
    types = _CANONICAL_TYPES[logical]
    now = F.lit(today) if today else F.current_date()
    if mapping is None:
        source = session.range(0)
        columns = {}
    else:
        from retention.engines.lake import is_path

        # A path, glob or (hive-partitioned) folder of Parquet files; else a table of the catalog
        source = session.read.parquet(mapping.table) if is_path(mapping.table) else session.table(mapping.table)
        columns = mapping.columns
        present = {c.lower() for c in source.columns}  # Spark resolves names case-insensitively
        missing = [c for c in [*columns.values(), *mapping.segments] if c.lower() not in present]
        if missing:
            raise EngineConfigError(
                f"[engine.tables.{logical}] {mapping.table!r} has no column {', '.join(map(repr, missing))} "
                f"(its columns: {', '.join(source.columns)})")
    picked = {
        role: (F.col(columns[role]) if role in columns else F.lit(None)).cast(kind).alias(role)
        for role, kind in types.items()
    }
    trimmed = F.trim(picked["customer_id"])
    picked["customer_id"] = F.when(trimmed != "", trimmed).alias("customer_id")
    segments = [F.col(s).cast("string").alias(s) for s in (mapping.segments if mapping else ())]
    frame = source.select(*picked.values(), *segments)
    if logical == "purchases":
        frame = frame.where(F.col("customer_id").isNotNull() & F.col("purchased_at").isNotNull())
        frame = frame.withColumn("is_refund", F.coalesce(F.col("amount") < 0, F.lit(False)))
        frame = frame.withColumn("is_future", F.col("purchased_at").cast("date") > now)
    else:
        frame = frame.where(F.col("customer_id").isNotNull())
        if "churned" not in columns:
            frame = frame.withColumn("churned", F.when(F.col("churn_date").isNotNull(), F.lit(True)))
        frame = frame.withColumn("status_recognised", F.lit(True))
        latest = F.greatest(F.col("signup_date"), F.col("churn_date"))
        frame = frame.withColumn("is_future", F.coalesce(latest > now, F.lit(False)))
    ordered = ["row_no", "customer_id", *[c for c in types if c not in ("row_no", "customer_id")]]
    flags = ["is_refund", "is_future"] if logical == "purchases" else ["status_recognised", "is_future"]
    return frame.select(*ordered, *flags, *(mapping.segments if mapping else ()))


def _attributes(session, tables: dict[str, TableMap]):
    """customer_attributes(customer_id, attribute, value, source) as derive_attributes_from_*.sql build it:
    the customers file's values; for attributes only in purchases, the value at the first purchase."""
    F = _functions(session)

    parts = []
    stated = set()
    customers = tables.get("customers")
    if customers and customers.segments:
        rows = session.table("customers")
        for segment in customers.segments:
            stated.add(segment)
            parts.append(rows.select(
                "customer_id", F.lit(segment).alias("attribute"), F.col(segment).alias("value"),
                F.lit("customers").alias("source"),
            ).where(F.col("value").isNotNull()))
    purchases = tables.get("purchases")
    if purchases:
        rows = session.table("purchases")
        order = F.struct("purchased_at", "row_no")
        for segment in purchases.segments:
            if segment in stated:
                continue
            first = rows.groupBy("customer_id").agg(
                F.min_by(F.col(segment), F.when(F.col(segment).isNotNull(), order)).alias("value")
            )
            parts.append(first.select(
                "customer_id", F.lit(segment).alias("attribute"), "value", F.lit("purchases").alias("source"),
            ).where(F.col("value").isNotNull()))
    if not parts:
        return session.createDataFrame(
            [], "customer_id string, attribute string, value string, source string"
        )
    out = parts[0]
    for part in parts[1:]:
        out = out.unionByName(part)
    return out
