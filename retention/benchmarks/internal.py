"""Internal benchmarks: segments against each other, and a period against the same period a year earlier,
with the difference and whether it is beyond noise (two-proportion test at ALPHA; with several segments
the p-values are Holm-adjusted so that "beyond noise" holds for the set read together)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from retention.benchmarks import figures
from retention.benchmarks.statistics import ALPHA, holm, two_proportions
from retention.metrics import churn, cohorts
from retention.metrics.stats import wilson

TEST_COLUMNS = ["p1", "p2", "diff_pts", "ci_low_pts", "ci_high_pts", "z", "p_value"]


def versus_rest(groups: pd.DataFrame, min_trials: int = figures.SMALL) -> pd.DataFrame:
    """Each segment against all other customers together.

    In: segment, successes, trials (one row per segment; a NULL segment is "no value" and is compared too).
    Out: segment, successes, trials, rest_successes, rest_trials, p1 (segment %), ci_low, ci_high (its 95%
    Wilson interval), p2 (the rest %), diff_pts,
    ci_low_pts, ci_high_pts (95% Newcombe), z, p_value, p_adjusted (Holm over the segments), beyond_noise,
    small (trials < min_trials: shown, but its verdict is weak); ordered by p1, highest first.
    """
    out = groups[["segment", "successes", "trials"]].copy().reset_index(drop=True)
    out["rest_successes"] = out["successes"].sum() - out["successes"]
    out["rest_trials"] = out["trials"].sum() - out["trials"]
    test = two_proportions(out["successes"], out["trials"], out["rest_successes"], out["rest_trials"])
    for column in TEST_COLUMNS:
        out[column] = test[column]
    low, high = wilson(out["successes"], out["trials"])
    out["ci_low"], out["ci_high"] = 100 * low, 100 * high
    out["p_adjusted"] = holm(out["p_value"]) if len(out) > 1 else out["p_value"]
    out["beyond_noise"] = out["p_adjusted"] < ALPHA
    out["small"] = out["trials"] < min_trials
    return out.sort_values("p1", ascending=False, kind="stable").reset_index(drop=True)


def two_periods(k_now: int, n_now: int, k_before: int, n_before: int) -> dict:
    """A share now against the same share a year earlier: the two_proportions() numbers plus beyond_noise."""
    test = {k: float(v) for k, v in two_proportions(k_now, n_now, k_before, n_before).items()}
    test["beyond_noise"] = bool(test["p_value"] < ALPHA) if not np.isnan(test["p_value"]) else False
    return {"successes": int(k_now), "trials": int(n_now), "before_successes": int(k_before),
            "before_trials": int(n_before), **test}


def year_earlier(day: str | None) -> str | None:
    """The same calendar day a year earlier (29 February → 28 February), as ISO text."""
    if not day:
        return None
    ts = pd.Timestamp(day)
    return (ts - pd.DateOffset(years=1)).date().isoformat()


def recent_year(as_of: str) -> tuple[str, str]:
    """The twelve calendar months ending with the month of as_of: (first day, as_of), ISO text. The last month
    counts only when complete (figures keep complete periods only)."""
    last = pd.Timestamp(as_of)
    return (last.replace(day=1) - pd.DateOffset(months=11)).date().isoformat(), last.date().isoformat()


def recent_year_before(as_of: str, months: int) -> tuple[str, str]:
    """recent_year() ending `months` months before as_of: the first orders that as_of has followed for that long."""
    return recent_year((pd.Timestamp(as_of) - pd.DateOffset(months=months)).date().isoformat())


def window_with_data(date_from: str, date_to: str, first_day: str | None) -> tuple[str, str, bool] | None:
    """A year-over-year window clipped to the data, so that its label names only months with data: (start, end,
    whether the data reaches back to the same window a year earlier); None when the data has none of it."""
    start = max(date_from, first_day) if first_day else date_from
    if start > date_to:
        return None
    return start, date_to, first_day is None or year_earlier(date_to) >= first_day


def retention_year_over_year(con: duckdb.DuckDBPyConnection, *, period: str = "month", date_from: str,
                             date_to: str, basis: str = "auto", inactive_days: int = churn.DEFAULT_INACTIVE_DAYS,
                             as_of: str | None = None) -> pd.DataFrame:
    """Customer retention (share of starting customers still customers at the end, pooled over the complete
    periods starting in [date_from, date_to]) against the same periods a year earlier.

    Out: one row: date_from, date_to, before_from, before_to, successes, trials, before_successes,
    before_trials, p1 (now %), p2 (a year earlier %), diff_pts, ci_low_pts, ci_high_pts, z, p_value, beyond_noise.
    """
    params = {"period": period, "basis": basis, "inactive_days": inactive_days, "as_of": as_of}
    now = figures.customer_retention(con, date_from=date_from, date_to=date_to, **params).iloc[0]
    before_from, before_to = year_earlier(date_from), year_earlier(date_to)
    before = figures.customer_retention(con, date_from=before_from, date_to=before_to, **params).iloc[0]
    row = two_periods(now["successes"], now["trials"], before["successes"], before["trials"])
    return pd.DataFrame([{"date_from": date_from, "date_to": date_to, "before_from": before_from,
                          "before_to": before_to, **row}])


def repurchase_year_over_year(con: duckdb.DuckDBPyConnection, *, months: int, first_from: str, first_to: str,
                              as_of: str | None = None) -> pd.DataFrame:
    """Repeat purchase within `months` of the first order for first-time buyers of [first_from, first_to]
    against the buyers of the same dates a year earlier (each counting only buyers who had the full time).

    Out: as retention_year_over_year (date_from/date_to are the first-order range).
    """
    def point(first_from, first_to):
        curve = figures.repurchase(con, first_from=first_from, first_to=first_to, as_of=as_of, months=[months])
        row = curve[curve["unit"] == "month"]
        return (int(row["repurchased"].sum()), int(row["eligible"].sum()))

    before_from, before_to = year_earlier(first_from), year_earlier(first_to)
    (k1, n1), (k2, n2) = point(first_from, first_to), point(before_from, before_to)
    return pd.DataFrame([{"date_from": first_from, "date_to": first_to, "before_from": before_from,
                          "before_to": before_to, **two_periods(k1, n1, k2, n2)}])


def repurchase_by_segment(con: duckdb.DuckDBPyConnection, *, segment: str, months: int | None = None,
                          first_from: str | None = None, first_to: str | None = None,
                          as_of: str | None = None) -> pd.DataFrame:
    """Repeat purchase by segment, each segment against the rest (versus_rest columns): within `months` of
    the first order, or the lifetime repeat purchase rate (2+ orders) when months is None."""
    curve = figures.repurchase(con, first_from=first_from, first_to=first_to, as_of=as_of, segment=segment,
                               months=[] if months is None else [months])
    rows = curve[curve["unit"] == ("lifetime" if months is None else "month")]
    groups = rows.rename(columns={"repurchased": "successes", "eligible": "trials"})
    return versus_rest(groups[["segment", "successes", "trials"]])


def _cohort_point(con, k: int, segment: str | None, cohort_from, cohort_to, as_of) -> pd.DataFrame:
    curve = cohorts.curve(con, period="month", mode="classic", segment=segment, cohort_from=cohort_from,
                          cohort_to=cohort_to, as_of=as_of)
    rows = curve[curve["period"] == k]
    return rows.rename(columns={"retained": "successes", "customers": "trials"})[["segment", "successes", "trials"]]


def cohort_retention_by_segment(con: duckdb.DuckDBPyConnection, *, segment: str, k: int = 1,
                                cohort_from: str | None = None, cohort_to: str | None = None,
                                as_of: str | None = None) -> pd.DataFrame:
    """Month-k cohort retention (first-purchase cohorts, a purchase in month k; pooled over the monthly
    cohorts of [cohort_from, cohort_to] that completed month k) by segment, each against the rest
    (versus_rest columns)."""
    return versus_rest(_cohort_point(con, k, segment, cohort_from, cohort_to, as_of))


def cohort_retention_year_over_year(con: duckdb.DuckDBPyConnection, *, k: int = 1, cohort_from: str,
                                    cohort_to: str, as_of: str | None = None) -> pd.DataFrame:
    """Month-k cohort retention of the cohorts in [cohort_from, cohort_to] against the cohorts of the same
    months a year earlier. Out: as retention_year_over_year."""
    before_from, before_to = year_earlier(cohort_from), year_earlier(cohort_to)
    now = _cohort_point(con, k, None, cohort_from, cohort_to, as_of)
    before = _cohort_point(con, k, None, before_from, before_to, as_of)
    row = two_periods(now["successes"].sum(), now["trials"].sum(), before["successes"].sum(), before["trials"].sum())
    return pd.DataFrame([{"date_from": cohort_from, "date_to": cohort_to, "before_from": before_from,
                          "before_to": before_to, **row}])
