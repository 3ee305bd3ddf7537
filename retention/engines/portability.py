"""Which queries must run on remote engines, and a lint for constructs that do not port.

In scope: the analytic read queries the pages run, over the canonical tables (purchases, customers,
customer_attributes) and the precomputed tables, plus the derive_*.sql precompute queries of
store.DERIVED_TABLES (they become temporary views on a remote engine). Out of scope, DuckDB only by design:
upload and parsing (ingest_*, macro_*, sample_*, parse_summary_*, store_*, reject*), dataset bookkeeping
(create_*, put_meta, get_meta), and derive_attributes_from_*.sql (unpivot over user columns; the Spark
engine builds customer_attributes with the DataFrame API instead).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

# Read queries that return the same result on Spark as on DuckDB (tests/engines/test_spark_queries.py).
SPARK_READ_QUERIES = (
    "overview_totals", "overview_monthly", "overview_attributes", "headline_window_retention", "headline_customers",
    "cohort_attribute_values", "cohort_availability", "cohort_tenure_events",
    "churn_bounds", "churn_gap_hint", "churn_periods", "churn_revenue_retention",
    "whatif_revenue", "benchmark_repurchase",
    "reasons_raw", "reasons_counts", "reasons_over_time", "reasons_lost_revenue", "reasons_tenure",
    "cohort_matrix", "churn_at_risk",
)
# Precompute queries run on the remote engine as temporary views.
SPARK_DERIVE_QUERIES = (
    "derive_customer_summary", "derive_cohort_grains", "derive_cohort_customers", "derive_cohort_days",
    "derive_cohort_activity", "derive_cohort_attributes",
)
IN_SCOPE = SPARK_READ_QUERIES + SPARK_DERIVE_QUERIES

_BANNED_FUNCTIONS = {
    "epoch": "epoch(): no portable equivalent; use date_diff('second', …) or keep it in Python",
    "read_parquet": "read_parquet(): tables are bound by the engine layer, never inside a query",
    "read_csv": "read_csv(): tables are bound by the engine layer, never inside a query",
    "columns": "columns(…): DuckDB star expression",
    "arg_min": "arg_min(): use min_by / a window",
    "arg_max": "arg_max(): use max_by / a window",
    "struct_pack": "struct_pack(): struct literal",
}


def problems(text: str) -> list[str]:
    """Non-portable constructs in one DuckDB-dialect statement (empty list = none found)."""
    tree = sqlglot.parse_one(text, read="duckdb")
    found = []
    for node in tree.walk():
        if isinstance(node, (exp.Pivot,)):
            found.append("PIVOT / UNPIVOT")
        elif isinstance(node, exp.Star) and (node.args.get("except_") or node.args.get("replace")):
            found.append("SELECT * EXCLUDE / REPLACE")
        elif isinstance(node, exp.Struct) and node.find(exp.PropertyEQ):
            found.append("struct literal {'k': v}")
        elif isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order) and not isinstance(
            node.parent, exp.MapFromEntries
        ):
            found.append("list(x ORDER BY y) (Spark drops the order)")
        elif isinstance(node, exp.DateDiff):
            unit = node.args.get("unit")
            if unit is not None and unit.name.lower() in ("week", "hour", "minute", "second"):
                found.append(f"date_diff('{unit.name}') (engines disagree; use days)")
        elif isinstance(node, exp.Table) and isinstance(node.this, (exp.GenerateSeries, exp.Anonymous)):
            found.append("a function used as a table (range()/generate_series())")
        elif isinstance(node, exp.Anonymous) and node.name.lower() in _BANNED_FUNCTIONS:
            found.append(_BANNED_FUNCTIONS[node.name.lower()])
        elif isinstance(node, exp.ReadCSV):
            found.append(_BANNED_FUNCTIONS["read_csv"])
        elif isinstance(node, exp.ReadParquet):
            found.append(_BANNED_FUNCTIONS["read_parquet"])
        elif isinstance(node, exp.TimeToUnix):
            found.append(_BANNED_FUNCTIONS["epoch"])
        elif isinstance(node, exp.Columns):
            found.append(_BANNED_FUNCTIONS["columns"])
    return found
