"""The user's own figures, computed with the benchmarks' definitions, with 95% intervals.

Each function takes (con, *, params) with JSON-serialisable params and returns a DataFrame, so the UI
can cache it. Percentages are 0–100. Customer retention and revenue retention come from
retention.metrics.churn, survival curves from retention.metrics.cohorts; repeat purchase has its own
query (queries/benchmark_repurchase.sql) because no other page measures it.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from retention import sql
from retention.benchmarks import definitions
from retention.benchmarks.statistics import proportion
from retention.metrics import churn, cohorts, stats

SMALL = churn.SMALL_SAMPLE
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
CURVE_MONTHS = [1, 2, 3, 6, 9, 12, 18, 24, 36, 48, 60]
FIGURE_COLUMNS = ["figure", "months", "value", "ci_low", "ci_high", "successes", "trials", "periods",
                  "first_period", "last_period", "small"]


def _day(value) -> dt.date | None:
    return None if value in (None, "") else pd.Timestamp(value).date()


def available(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Which figures the data can produce. One row of booleans named after definitions.FIGURES
    (customer_retention, customer_churn, revenue_retention_gross, revenue_retention_net,
    repeat_purchase_rate, cohort_repurchase, cohort_survival) plus survival_source ('signup' | 'tenure' | None)."""
    info = churn.bounds(con)
    have = cohorts.availability(con).iloc[0]
    try:
        churn.choose_basis(info)
        customers = True
    except churn.NoChurnData:
        customers = False
    buyers = bool(have["customers_first_purchase"])
    amounts = bool(info["has_amounts"]) and buyers
    source = "signup" if have["customers_survival"] and have["customers_signup"] else (
        "tenure" if have["customers_tenure"] else None)
    return pd.DataFrame([{
        "customer_retention": customers, "customer_churn": customers,
        "revenue_retention_gross": amounts, "revenue_retention_net": amounts,
        "repeat_purchase_rate": buyers, "cohort_repurchase": buyers,
        "cohort_survival": source is not None, "survival_source": source,
    }])


def _in_range(frame: pd.DataFrame, date_from, date_to) -> pd.DataFrame:
    """Complete periods whose start lies in [date_from, date_to] (open ends when None)."""
    start = pd.to_datetime(frame["period_start"])
    keep = frame["complete"].astype(bool)
    if date_from:
        keep &= start >= pd.Timestamp(date_from)
    if date_to:
        keep &= start <= pd.Timestamp(date_to)
    return frame[keep]


def _figure_row(figure: str, months: int, pooled: dict, used: pd.DataFrame, **extra) -> pd.DataFrame:
    row = {"figure": figure, "months": months, **pooled, "periods": len(used),
           "first_period": used["period_start"].min() if len(used) else None,
           "last_period": used["period_start"].max() if len(used) else None,
           "small": pooled["trials"] < SMALL, **extra}
    return pd.DataFrame([row])


def customer_retention(con: duckdb.DuckDBPyConnection, *, period: str = "year", date_from: str | None = None,
                       date_to: str | None = None, basis: str = "auto",
                       inactive_days: int = churn.DEFAULT_INACTIVE_DAYS, as_of: str | None = None) -> pd.DataFrame:
    """Customer retention over a month, quarter or year as the benchmarks define it: of the customers at
    the start of a period, the share still customers at its end (active at both instants), pooled over the
    complete periods starting in [date_from, date_to]: Σ retained / Σ CS.

    Out: one row, FIGURE_COLUMNS + basis, standard_value (the standard formula Σ(CE − CN) / ΣCS, which also
    subtracts customers who joined and left within a period, so over a year with many short-lived new
    customers it falls far below the share retained, even below 0). ci_low/ci_high: 95% Wilson interval of
    Σ retained out of ΣCS; a customer is counted once per period, so over many periods the interval is
    somewhat too narrow. value is NaN when no complete period with customers falls in the range.
    """
    if period not in PERIOD_MONTHS:
        raise ValueError(f"period must be one of {', '.join(PERIOD_MONTHS)}")
    chosen = churn.choose_basis(churn.bounds(con), basis)
    frame = churn.retention_by_period(con, period=period, basis=chosen, inactive_days=inactive_days, as_of=as_of)
    used = _in_range(frame, date_from, date_to)
    used = used[used["customers_start"] > 0]
    if "warm_up" in used:  # nobody can have lapsed yet in these (purchases basis): left out, as the headline does
        used = used[~used["warm_up"].astype(bool)]
    starting = int(used["customers_start"].sum())
    retained = starting - int(used["alt_lost"].sum())
    standard = float(100 * (used["customers_end"] - used["new_customers"]).sum() / starting) if starting else np.nan
    return _figure_row("customer_retention", PERIOD_MONTHS[period], proportion(retained, starting), used,
                       basis=chosen, standard_value=standard)


def revenue_retention(con: duckdb.DuckDBPyConnection, *, kind: str = "net", period: str = "year",
                      date_from: str | None = None, date_to: str | None = None,
                      as_of: str | None = None) -> pd.DataFrame:
    """Gross (kind 'gross') or net ('net') revenue retention over a month, quarter or year, pooled over the
    complete periods starting in [date_from, date_to]: Σ kept revenue / Σ base revenue.

    Out: one row, FIGURE_COLUMNS; successes/trials are the base customers (no interval: a revenue ratio
    is not a share of customers, so ci_low/ci_high are NaN). Empty base → value NaN.
    """
    if kind not in ("gross", "net"):
        raise ValueError("kind must be 'gross' or 'net'")
    frame = churn.revenue_retention(con, period=period, as_of=as_of)
    used = _in_range(frame, date_from, date_to)
    used = used[used["base_revenue"] > 0]
    base = float(used["base_revenue"].sum())
    kept = float(used["kept_gross" if kind == "gross" else "kept_net"].sum())
    customers = int(used["base_customers"].sum())
    pooled = {"value": 100 * kept / base if base > 0 else np.nan, "ci_low": np.nan, "ci_high": np.nan,
              "successes": customers, "trials": customers}
    return _figure_row(f"revenue_retention_{kind}", PERIOD_MONTHS[period], pooled, used)


def repurchase(con: duckdb.DuckDBPyConnection, *, first_from: str | None = None, first_to: str | None = None,
               as_of: str | None = None, segment: str | None = None, months: list[int] | None = None,
               days: list[int] | None = None) -> pd.DataFrame:
    """Repeat purchase of first-time buyers whose first order day is in [first_from, first_to].

    Out: segment, unit ('lifetime' | 'month' | 'day'), horizon (NaN for lifetime), horizon_months (horizon
    in months; days / (365.25/12)), eligible, repurchased, value (%), ci_low, ci_high (95% Wilson), small.
    'lifetime' is the repeat purchase rate (2+ orders by as_of); the others are the cumulative curve,
    each point counting only buyers who had the full time.
    """
    months = CURVE_MONTHS if months is None else [int(m) for m in months]
    days = [] if days is None else [int(d) for d in days]
    frame = sql.frame(con, "benchmark_repurchase", as_of=churn.resolve_as_of(con, as_of), first_from=_day(first_from),
                      first_to=_day(first_to), segment=segment, months=months, days=days)
    frame["horizon_months"] = np.where(frame["unit"] == "day", frame["horizon"] / definitions.DAYS_PER_MONTH,
                                       frame["horizon"].astype(float))
    low, high = stats.wilson(frame["repurchased"], frame["eligible"])
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["value"] = 100 * frame["repurchased"] / frame["eligible"]
    frame["ci_low"], frame["ci_high"] = 100 * low, 100 * high
    frame["small"] = frame["eligible"] < SMALL
    return frame


def survival(con: duckdb.DuckDBPyConnection, *, cohort_from: str | None = None, cohort_to: str | None = None,
             as_of: str | None = None, segment: str | None = None) -> pd.DataFrame:
    """Share of new customers still customers N months after starting (Kaplan–Meier, 95% interval).

    With signup and cancel dates: monthly signup cohorts in [cohort_from, cohort_to] (cohorts.curve in
    survival mode; month N = the end of the N-th calendar month after the signup month). Without dates
    but with tenure and status: Kaplan–Meier by tenure, tenure read as months (cohort range ignored).
    Out: segment, horizon_months, customers (at risk), value, ci_low, ci_high, small, source ('signup' | 'tenure').
    """
    source = available(con)["survival_source"].iloc[0]
    columns = ["segment", "horizon_months", "customers", "value", "ci_low", "ci_high", "small", "source"]
    if source is None:
        return pd.DataFrame(columns=columns)
    if source == "signup":
        curve = cohorts.curve(con, period="month", mode="survival", cohort_by="signup", as_of=as_of,
                              segment=segment, cohort_from=cohort_from, cohort_to=cohort_to)
    else:
        curve = cohorts.tenure_survival(con, segment=segment)
    out = curve.rename(columns={"period": "horizon_months", "retention_pct": "value", "ci_low_pct": "ci_low",
                                "ci_high_pct": "ci_high"})
    out["horizon_months"] = out["horizon_months"].astype(float)
    out["source"] = source
    return out[columns].reset_index(drop=True)


def at_horizon(curve: pd.DataFrame, months: float) -> dict | None:
    """The point of a curve (repurchase or survival frame, one segment) at a horizon, as {value, ci_low,
    ci_high, trials}: the exact horizon when measured, else None (a curve is never interpolated)."""
    rows = curve[np.isclose(curve["horizon_months"].astype(float), months)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    trials = row["eligible"] if "eligible" in row else row["customers"]
    return {"value": float(row["value"]), "ci_low": float(row["ci_low"]), "ci_high": float(row["ci_high"]),
            "trials": int(trials)}


def on_scale(figure: dict, scale: str) -> dict:
    """A retention-scale figure {value, ci_low, ci_high, …} on a churn scale (100 − x, interval swapped)."""
    if scale != "churn":
        return dict(figure)
    return {**figure, "value": 100 - figure["value"], "ci_low": 100 - figure["ci_high"],
            "ci_high": 100 - figure["ci_low"]}
