"""Where the queries run: embedded DuckDB (default), DuckDB over Parquet files / MotherDuck (same dialect,
lake.py), or Apache Spark through Spark Connect (transpiled, spark.py). See config.py for the URL and table
map, transpile.py for the DuckDB → Spark rewrites, portability.py for which queries must run on remote engines.

`frame(con, name, **params)` runs a query on either a DuckDB connection or an engine object (anything with a
.frame(name, **params) method: lake.LakeEngine, spark.SparkEngine). `open_engine(config)` opens and binds one.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from retention import sql
from retention.engines.config import (EngineConfig, EngineConfigError, EngineUnavailable, TableMap,  # noqa: F401
                                      from_settings, parse_url)

__all__ = ["EngineConfig", "EngineConfigError", "EngineUnavailable", "TableMap", "from_settings", "parse_url",
           "frame", "describe", "open_engine", "redact"]


def frame(con: Any, name: str, **params: Any) -> pd.DataFrame:
    """Run queries/NAME.sql on a DuckDB connection or on a remote engine; the result as a DataFrame."""
    if isinstance(con, duckdb.DuckDBPyConnection):
        return sql.frame(con, name, **params)
    return con.frame(name, **params)


def describe(con: Any) -> dict[str, Any]:
    """Which engine a connection is and how long its last query took (seconds; None when not recorded)."""
    if isinstance(con, duckdb.DuckDBPyConnection):
        return {"engine": f"DuckDB {duckdb.__version__}", "query": None, "seconds": None}
    run = getattr(con, "last_run", None)
    return {"engine": getattr(con, "label", type(con).__name__), "query": run and run.query,
            "seconds": run and run.seconds}


def open_engine(config: EngineConfig) -> Any:
    """The bound engine object of a source configuration (config.is_source). Raises EngineConfigError when the
    table map does not fit the data, EngineUnavailable when the engine cannot be reached or is not installed."""
    if config.dialect == "duckdb":
        from retention.engines import lake

        return lake.open_engine(config)
    from retention.engines import spark

    return spark.open_engine(config)


def redact(text: str) -> str:
    """A message or URL with the values of token=/password= parameters (sc://host/;token=…) blanked."""
    import re

    return re.sub(r"(?i)\b(token|password|pwd)=[^;&\s'\"]*", r"\1=…", text)
