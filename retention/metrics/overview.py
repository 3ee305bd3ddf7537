"""Headline numbers of a dataset (Overview page and sidebar)."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from retention import sql


def totals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: customers, buyers, purchases, refunds, revenue, first_date, last_date, churned."""
    return sql.frame(con, "overview_totals")


def monthly(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per month: month, buyers, new_buyers, revenue."""
    return sql.frame(con, "overview_monthly")


def returning_buyers(months: pd.DataFrame, last_date) -> tuple[pd.Series, dict | None]:
    """Which months of `monthly` (month, buyers, new_buyers) are over by `last_date` (a month is over when the
    data runs to its last day), and the last such month with its share of returning buyers:
    (complete: one bool per row, {"month", "returning_pct"} or None when no month is over; returning_pct is NaN
    for a month without buyers)."""
    complete = months["month"] + pd.offsets.MonthEnd(0) <= pd.Timestamp(last_date)
    done = months[complete]
    if not len(done):
        return complete, None
    last = done.iloc[-1]
    share = 100 * (last.buyers - last.new_buyers) / last.buyers if last.buyers else float("nan")
    return complete, {"month": last.month, "returning_pct": share}


def attributes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Segment attributes: attribute, customers, distinct_values."""
    return sql.frame(con, "overview_attributes")


def rejected_rows(con: duckdb.DuckDBPyConnection, max_rows: int | None = None) -> pd.DataFrame:
    """Rejected input rows (the first `max_rows`; None: all), one column per original cell: source, row,
    reason, <original columns>."""
    return _with_cells(sql.frame(con, "rejected_rows", max_rows=max_rows), ["source", "row_no", "reason"])


def possible_duplicate_rows(con: duckdb.DuckDBPyConnection, max_rows: int | None = None) -> pd.DataFrame:
    """Kept purchase rows identical to an earlier row (no order id to tell them apart), the first `max_rows`
    (None: all), one column per original cell: row, same_as_row, <original columns>."""
    return _with_cells(sql.frame(con, "possible_duplicate_rows", max_rows=max_rows), ["row_no", "same_as_row"])


def _with_cells(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`columns` of rows (row_no renamed row), then one column per cell of each row's raw_json."""
    cells = pd.DataFrame([json.loads(raw) for raw in rows["raw_json"]]) if len(rows) else pd.DataFrame()
    cells = cells.drop(columns=["__row"], errors="ignore")
    return pd.concat([rows[columns].rename(columns={"row_no": "row"}), cells], axis=1)
