"""Where the queries run: embedded DuckDB (default), DuckDB on a lake / MotherDuck (same dialect), or Apache
Spark through Spark Connect (transpiled). See config.py for the URL and table map, transpile.py for the
DuckDB → Spark rewrites, portability.py for which queries must run on remote engines.

`frame(con, name, **params)` runs a query on either a DuckDB connection or a remote engine object
(anything with a .frame(name, **params) method, e.g. spark.SparkEngine).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from retention import sql
from retention.engines.config import EngineConfig, EngineConfigError, TableMap, from_settings, parse_url

__all__ = ["EngineConfig", "EngineConfigError", "TableMap", "from_settings", "parse_url", "frame", "describe"]


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
