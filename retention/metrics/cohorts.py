"""Cohort retention: the matrix, average curves, "period k over time", the numbers behind the page's
summary, and Kaplan–Meier survival by tenure.

The matrix is computed in SQL (queries/cohort_matrix.sql) over tables precomputed at load
(derive_cohort_customers.sql, derive_cohort_activity.sql); everything else here works on the matrix,
a small frame of one row per (segment, cohort, period) cell. Functions that read the database take
(con, *, params) with JSON-serialisable params and return a DataFrame, so the UI can cache them.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from retention import sql
from retention.metrics import stats

GRAINS = ("week", "month", "quarter")
MODES = ("classic", "rolling", "revenue", "survival")
COHORT_BASES = ("first_purchase", "signup")
AVERAGES = ("weighted", "simple")
MIN_CUSTOMERS = 30

MATRIX_COLUMNS = ["segment", "cohort", "period", "cohort_size", "active", "revenue", "revenue_per_customer",
                  "retention_pct", "complete", "small"]
CURVE_COLUMNS = ["segment", "period", "cohorts", "customers", "retained", "retention_pct", "ci_low_pct",
                 "ci_high_pct", "small"]


def availability(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row saying what the cohort views can show (see queries/cohort_availability.sql):
    first_date, last_date, has_amounts, customers_first_purchase, refund_only, customers_signup,
    customers_survival, churned_without_date, customers_tenure."""
    return sql.frame(con, "cohort_availability")


def available_modes(info: pd.Series) -> list[str]:
    """The retention modes the dataset allows, in MODES order. info: the row of availability()."""
    buyers = bool(info.customers_first_purchase)
    allowed = {"classic": buyers, "rolling": buyers, "revenue": buyers and bool(info.has_amounts),
               "survival": bool(info.customers_survival)}
    return [m for m in MODES if allowed[m]]


def available_bases(info: pd.Series) -> list[str]:
    """What cohorts can start with (COHORT_BASES order). info: the row of availability()."""
    allowed = {"first_purchase": bool(info.customers_first_purchase), "signup": bool(info.customers_signup)}
    return [b for b in COHORT_BASES if allowed[b]]


def attribute_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Segment attributes and their values: attribute, value, customers (most common first)."""
    return sql.frame(con, "cohort_attribute_values")


def default_as_of(con: duckdb.DuckDBPyConnection) -> str | None:
    """The default analysis date (ISO): the last date in the data, future-dated rows left out."""
    last = availability(con)["last_date"].iloc[0]
    return None if pd.isna(last) else pd.Timestamp(last).date().isoformat()


def _filter_pairs(filters: dict[str, list[str]] | None) -> tuple[list[str], list[str]]:
    pairs = [(attribute, str(value)) for attribute, values in (filters or {}).items() for value in values]
    return [a for a, _ in pairs], [v for _, v in pairs]


def _date(value: str | dt.date | None) -> dt.date | None:
    return None if value in (None, "") else pd.Timestamp(value).date()


def matrix(
    con: duckdb.DuckDBPyConnection,
    *,
    period: str = "month",
    mode: str = "classic",
    cohort_by: str = "first_purchase",
    as_of: str | None = None,
    segment: str | None = None,
    filters: dict[str, list[str]] | None = None,
    cohort_from: str | None = None,
    cohort_to: str | None = None,
    min_customers: int = MIN_CUSTOMERS,
) -> pd.DataFrame:
    """The retention matrix: one row per reached cell, including cells with nobody retained.

    Out: MATRIX_COLUMNS = segment, cohort (Timestamp, first day of the cohort period), period (k),
    cohort_size, active, revenue, revenue_per_customer (revenue of periods 0…k per cohort customer),
    retention_pct, complete (bool: period ended on or before as_of), small (bool: cohort_size < min_customers).
    `as_of` defaults to the last date in the data; `filters` maps an attribute to the values kept.
    """
    for name, value, allowed in (("period", period, GRAINS), ("mode", mode, MODES),
                                 ("cohort_by", cohort_by, COHORT_BASES)):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    as_of = as_of or default_as_of(con)
    if as_of is None:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    attributes, values = _filter_pairs(filters)
    cells = sql.frame(
        con, "cohort_matrix", grain=period, mode=mode, cohort_by=cohort_by, as_of=_date(as_of),
        segment=segment, filter_attributes=attributes, filter_values=values,
        cohort_from=_date(cohort_from), cohort_to=_date(cohort_to), min_customers=int(min_customers),
    )
    cells["cohort"] = pd.to_datetime(cells["cohort"])
    return cells


def _base_revenue(cells: pd.DataFrame) -> pd.Series:
    """Each cell's cohort revenue in period 0 (aligned with cells)."""
    keys = ["segment", "cohort"]
    base = cells.loc[cells["period"] == 0, keys + ["revenue"]].rename(columns={"revenue": "base"})
    return cells[keys].merge(base, on=keys, how="left", validate="many_to_one")["base"].set_axis(cells.index)


def average_curve(cells: pd.DataFrame, *, mode: str = "classic", average: str = "weighted",
                  min_customers: int = MIN_CUSTOMERS) -> pd.DataFrame:
    """The average retention curve per segment over the cohorts that completed each period.

    In: a matrix() frame. Out: CURVE_COLUMNS = segment, period, cohorts, customers, retained, retention_pct,
    ci_low_pct, ci_high_pct, small (customers < min_customers); in revenue mode also revenue, base_revenue
    and revenue_per_customer.
    - weighted (default): pooled, sum of retained over sum of cohort sizes, 95% Wilson interval;
      revenue mode: sum of revenue over sum of period-0 revenue (no interval);
      survival mode: Kaplan–Meier over cohorts (each cohort censored after its last complete period),
      customers = at risk at the start of the period, 95% Greenwood (log−log) interval.
    - simple: the unweighted mean of the cohorts' percentages (no interval).
    Incomplete cells never enter an average.
    """
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, not {average!r}")
    done = cells[cells["complete"]].copy()
    done["segment"] = done["segment"].astype(object)
    if done.empty:
        return pd.DataFrame(columns=CURVE_COLUMNS)
    if mode == "survival" and average == "weighted":
        out = pd.concat([_kaplan_meier_over_cohorts(group).assign(segment=key[0])
                         for key, group in done.groupby(["segment"], dropna=False, sort=True)])
    else:
        out = _pooled(done, mode, average)
    out["small"] = out["customers"] < min_customers
    extra = [c for c in ("revenue", "base_revenue", "revenue_per_customer") if c in out.columns]
    return out[CURVE_COLUMNS + extra].sort_values(["segment", "period"], na_position="first").reset_index(drop=True)


def _pooled(done: pd.DataFrame, mode: str, average: str) -> pd.DataFrame:
    if mode == "revenue":
        done["base_revenue"] = _base_revenue(done)
        done["cumulative"] = done["revenue_per_customer"] * done["cohort_size"]
    grouped = done.groupby(["segment", "period"], dropna=False, sort=True)
    out = grouped.agg(cohorts=("cohort", "size"), customers=("cohort_size", "sum"), retained=("active", "sum"))
    if average == "simple":
        out["retention_pct"] = grouped["retention_pct"].mean()
        out["ci_low_pct"] = out["ci_high_pct"] = np.nan
    elif mode == "revenue":
        valid = done[done["base_revenue"] > 0].groupby(["segment", "period"], dropna=False)
        out["revenue"] = valid["revenue"].sum()
        out["base_revenue"] = valid["base_revenue"].sum()
        out["retention_pct"] = 100 * out["revenue"] / out["base_revenue"]
        out["ci_low_pct"] = out["ci_high_pct"] = np.nan
    else:
        low, high = stats.wilson(out["retained"], out["customers"])
        out["retention_pct"] = 100 * out["retained"] / out["customers"]
        out["ci_low_pct"], out["ci_high_pct"] = 100 * low, 100 * high
    if mode == "revenue":
        out["revenue_per_customer"] = grouped["cumulative"].sum() / out["customers"]
    return out.reset_index()


def _kaplan_meier_over_cohorts(done: pd.DataFrame) -> pd.DataFrame:
    """KM life table from complete survival cells of one segment: a cohort's drop from period j−1 to j
    is events at j; its survivors at its last complete period are censored there."""
    cells = done.sort_values(["cohort", "period"]).copy()
    previous = cells.groupby("cohort")["active"].shift(1).fillna(cells["cohort_size"])
    cells["events"] = previous - cells["active"]
    last = cells.groupby("cohort")["period"].transform("max")
    cells["censored"] = np.where(cells["period"] == last, cells["active"], 0)
    table = cells.groupby("period").agg(events=("events", "sum"), censored=("censored", "sum"),
                                        cohorts=("cohort", "size")).reset_index()
    km = stats.kaplan_meier(table.rename(columns={"period": "time"}))
    return pd.DataFrame({
        "period": table["period"],
        "cohorts": table["cohorts"],
        "customers": km["at_risk"].astype("int64"),
        "retained": (km["at_risk"] - km["events"]).astype("int64"),
        "retention_pct": 100 * km["survival"],
        "ci_low_pct": 100 * km["ci_low"],
        "ci_high_pct": 100 * km["ci_high"],
    })


def curve(con: duckdb.DuckDBPyConnection, *, average: str = "weighted", **params) -> pd.DataFrame:
    """average_curve() of matrix(con, **params); same columns as average_curve."""
    return average_curve(matrix(con, **params), mode=params.get("mode", "classic"), average=average,
                         min_customers=params.get("min_customers", MIN_CUSTOMERS))


def with_intervals(cells: pd.DataFrame, *, mode: str = "classic") -> pd.DataFrame:
    """A matrix() frame with ci_low_pct, ci_high_pct added: each cell's 95% Wilson interval of active out
    of cohort_size (NaN in revenue mode, where the figure is not a share of customers)."""
    out = cells.copy()
    if mode == "revenue":
        out["ci_low_pct"] = out["ci_high_pct"] = np.nan
    else:
        low, high = stats.wilson(out["active"], out["cohort_size"])
        out["ci_low_pct"], out["ci_high_pct"] = 100 * low, 100 * high
    return out


def period_over_time(cells: pd.DataFrame, *, k: int = 1, mode: str = "classic") -> pd.DataFrame:
    """Retention at period k for each cohort that reached it ("is month-1 retention improving?").

    In: a matrix() frame. Out: segment, cohort, cohort_size, active, retention_pct, ci_low_pct, ci_high_pct
    (as with_intervals), complete, small; ordered as the matrix (segment, cohort).
    """
    rows = with_intervals(cells[cells["period"] == k], mode=mode)
    columns = ["segment", "cohort", "cohort_size", "active", "retention_pct", "ci_low_pct", "ci_high_pct",
               "complete", "small"]
    return rows[columns].reset_index(drop=True)


def completed_at(cells: pd.DataFrame, k: int) -> tuple[pd.DataFrame, int]:
    """The matrix rows of the cohorts that completed period k with a rate, those under the minimum sample (`small`)
    left out while any cohort is large enough (what the page's sentences and titles read), and how many small
    ones were left out."""
    rows = cells[(cells["period"] == k) & cells["complete"] & cells["retention_pct"].notna()]
    if "small" in rows and not rows["small"].all():
        large = rows[~rows["small"].astype(bool)]
        return large, len(rows) - len(large)
    return rows, 0


def summary(cells: pd.DataFrame, *, k: int = 1, window: int = 6, mode: str = "classic") -> dict:
    """Numbers for the page's plain-language summary, from the cohorts that completed period k
    (pass an unsegmented matrix).

    Returns {} when no cohort completed period k, else: latest_cohort (Timestamp), latest_size,
    latest_pct (retention at k of the latest cohort that completed k), first_cohort and first_pct (the
    oldest cohort of the last `window` such cohorts), cohorts (how many are in that window),
    average_pct (the weighted average curve at k, as average_curve), average_cohorts.
    Cohorts below the minimum sample (`small`) are left out while any cohort is large enough, so that
    two late customers cannot make the headline.
    """
    rows = completed_at(cells, k)[0].sort_values("cohort")
    if rows.empty:
        return {}
    recent = rows.tail(window)
    latest, first = recent.iloc[-1], recent.iloc[0]
    average = average_curve(cells, mode=mode)
    at_k = average[average["period"] == k].iloc[0]
    return {
        "latest_cohort": latest["cohort"], "latest_size": int(latest["cohort_size"]),
        "latest_pct": float(latest["retention_pct"]),
        "first_cohort": first["cohort"], "first_pct": float(first["retention_pct"]), "cohorts": len(recent),
        "average_pct": float(at_k["retention_pct"]), "average_cohorts": int(at_k["cohorts"]),
    }


def trend(s: dict, level_pp: float = 0.5) -> str:
    """'risen', 'fallen' or 'level': the latest cohort's retention against the first of summary()'s window
    (a non-empty summary), level when within `level_pp` percentage points."""
    if s["latest_pct"] > s["first_pct"] + level_pp:
        return "risen"
    return "fallen" if s["latest_pct"] < s["first_pct"] - level_pp else "level"


def tenure_survival(con: duckdb.DuckDBPyConnection, *, segment: str | None = None,
                    filters: dict[str, list[str]] | None = None,
                    min_customers: int = MIN_CUSTOMERS) -> pd.DataFrame:
    """Kaplan–Meier survival by tenure (customers files with tenure and status but no dates), per segment.

    Out: segment, period (tenure, usually months), customers (at risk), events, censored, retained
    (at risk minus events), retention_pct (S(t) × 100: the share still a customer after tenure t),
    ci_low_pct, ci_high_pct (95% Greenwood, log−log), small (at risk < min_customers).
    """
    attributes, values = _filter_pairs(filters)
    table = sql.frame(con, "cohort_tenure_events", segment=segment, filter_attributes=attributes,
                      filter_values=values)
    columns = ["segment", "period", "customers", "events", "censored", "retained", "retention_pct",
               "ci_low_pct", "ci_high_pct", "small"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    parts = []
    for key, group in table.groupby(["segment"], dropna=False, sort=True):
        km = stats.kaplan_meier(group.rename(columns={"tenure": "time"}))
        parts.append(pd.DataFrame({
            "segment": key[0], "period": km["time"], "customers": km["at_risk"], "events": km["events"],
            "censored": km["censored"], "retained": km["at_risk"] - km["events"],
            "retention_pct": 100 * km["survival"], "ci_low_pct": 100 * km["ci_low"],
            "ci_high_pct": 100 * km["ci_high"], "small": km["at_risk"] < min_customers,
        }))
    return pd.concat(parts, ignore_index=True)[columns]


TENURE_BANDS = (0, 12, 24, 36, 48, 60, 72)  # months: one band per year of tenure, the last one open


def survival_at(km: pd.DataFrame, months: tuple[int, ...] = (12, 24)) -> dict[int, float]:
    """Share still a customer (%) after each tenure in `months`, from a tenure_survival() frame of one
    segment: S(t) at the last tenure ≤ t. Tenures the data does not reach (or none at all) are left out."""
    out = {}
    for n in months:
        upto = km[km["period"] <= n]
        if len(upto) and km["period"].max() >= n:
            out[n] = float(upto["retention_pct"].iloc[-1])
    return out


def tenure_bands(km: pd.DataFrame, edges=TENURE_BANDS) -> pd.DataFrame:
    """Churn per band of tenure from a tenure_survival() frame of one segment.

    Out: band_from, band_to (last month of the band; NaN for the open last band), reached (customers at risk at
    the band's first tenure seen), churned (events within the band), churned_pct (churned ÷ reached × 100).
    Bands with no customer are left out."""
    bounds = list(edges) + [np.inf]
    rows = []
    for lo, hi in zip(bounds, bounds[1:]):
        band = km[(km["period"] >= lo) & (km["period"] < hi)]
        if band.empty:
            continue
        reached, churned = int(band["customers"].iloc[0]), int(band["events"].sum())
        rows.append({"band_from": lo, "band_to": hi - 1 if np.isfinite(hi) else np.nan, "reached": reached,
                     "churned": churned, "churned_pct": 100 * churned / reached if reached else np.nan})
    return pd.DataFrame(rows, columns=["band_from", "band_to", "reached", "churned", "churned_pct"])
