"""What churn and reasons both need, below them both: the calendar periods, the data's bounds and the
analysis date (retention.metrics.churn re-exports every name here)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from retention import sql

PERIODS = ("week", "month", "quarter", "year")
STEPS = {"week": "7 days", "month": "1 month", "quarter": "3 months", "year": "1 year"}  # $step of the queries
PERIODS_PER_YEAR = {"week": 365.25 / 7, "month": 12.0, "quarter": 4.0, "year": 1.0}


class NoChurnData(ValueError):
    """The dataset has nothing to measure churn on for the basis asked (no dates, no purchases, …)."""


def check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def bounds(con) -> dict:
    """What the data holds for churn (see queries/churn_bounds.sql): last days, customer counts."""
    row = sql.frame(con, "churn_bounds").iloc[0].to_dict()
    return {k: (None if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)) else v)
            for k, v in row.items()}


def _day(value) -> dt.date | None:
    if value is None:
        return None
    return pd.Timestamp(value).date()


def resolve_as_of(con, as_of: str | dt.date | None = None) -> dt.date:
    """The analysis date: as given (ISO text or date), else the last day seen in the data (rows dated
    in the future left out). Raises NoChurnData when the data has no dates at all."""
    if as_of is not None:
        return as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    info = bounds(con)
    days = [d for d in (_day(info["last_purchase_day"]), _day(info["last_customer_day"])) if d is not None]
    if not days:
        raise NoChurnData("the data has no dates, so there is no period to measure churn in")
    return max(days)
