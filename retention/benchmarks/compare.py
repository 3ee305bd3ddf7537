"""The user's figures next to each benchmark row that measures the same thing (used by the page and the
`benchmark` command): first the figures (a cacheable query of the data), then the pairing (pure)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from retention.benchmarks import definitions, figures, statistics
from retention.metrics import churn

RATE_PERIODS = {"month": 1, "quarter": 3, "year": 12}
USER_COLUMNS = ["figure", "unit", "horizon", "months", "value", "ci_low", "ci_high", "trials", "small", "periods",
                "first_period", "last_period"]
BENCHMARK_COLUMNS = ["industry", "sector", "metric", "period", "value_pct", "statistic", "year", "year_sort",
                     "publisher", "source_url", "definition", "population", "confidence", "notes"]


def horizon_key(metric: str, period: str) -> tuple[str, float]:
    """('month', n) or ('day', n) for a horizon benchmark row ('1 year' → ('month', 12), '2 weeks' → ('day', 14))."""
    parsed = definitions.parse_period(metric, period)
    return ("day", parsed.days) if parsed.days is not None else ("month", parsed.months)


def horizons(benchmarks: pd.DataFrame, figure: str) -> tuple[list[int], list[int]]:
    """Whole months and days at which the catalog's rows for a horizon figure are measured."""
    rows = benchmarks[benchmarks["metric"].isin(list(definitions.FIGURES[figure].sources))]
    keys = {horizon_key(m, p) for m, p in zip(rows["metric"], rows["period"])}
    months = sorted({int(n) for unit, n in keys if unit == "month" and float(n).is_integer()})
    days = sorted({int(n) for unit, n in keys if unit == "day" and float(n).is_integer()})
    return months, days


def curve_horizons(benchmarks: pd.DataFrame) -> tuple[list[int], list[int]]:
    """horizons() of both curve figures together: (months, days)."""
    (m1, d1), (m2, d2) = horizons(benchmarks, "cohort_repurchase"), horizons(benchmarks, "cohort_survival")
    return sorted(set(m1) | set(m2)), sorted(set(d1) | set(d2))


def comparable(can: pd.Series, benchmarks: pd.DataFrame, include_churn: bool = False) -> list[str]:
    """The figures the data can produce (a figures.available() row) that some benchmark row measures;
    customer_churn only when asked (it is customer retention seen from the other side)."""
    return [f for f, spec in definitions.FIGURES.items()
            if bool(can[f]) and (include_churn or f != "customer_churn")
            and benchmarks["metric"].isin(list(spec.sources)).any()]


def iso_range(picked) -> tuple[str | None, str | None]:
    """A date range as picked (two dates; fewer while the person is still choosing) as ISO dates: (from, to), or
    (None, None) until both ends are set."""
    return tuple(d.isoformat() for d in picked) if len(picked) == 2 else (None, None)


def unpaired(user: pd.DataFrame, paired: pd.DataFrame, wanted: list[str]) -> tuple[list[str], list[str]]:
    """Of the figures `wanted` (in that order): those the data measured but no published figure pairs with
    (paired: table() output), and those without a value in the data (user: user_figures() output; no complete
    period, no customers)."""
    empty = set(user.loc[user["value"].isna(), "figure"]) | (set(wanted) - set(user["figure"]))
    return ([f for f in wanted if f not in set(paired["figure"]) | empty], [f for f in wanted if f in empty])


def _row(figure, unit, horizon, months, found: dict) -> dict:
    return {"figure": figure, "unit": unit, "horizon": horizon, "months": months, "value": found["value"],
            "ci_low": found["ci_low"], "ci_high": found["ci_high"], "trials": found["trials"],
            "small": found["trials"] < figures.SMALL, "periods": found.get("periods", np.nan),
            "first_period": found.get("first_period"), "last_period": found.get("last_period")}


def user_figures(con: duckdb.DuckDBPyConnection, *, wanted: list[str], period: str = "year",
                 date_from: str | None = None, date_to: str | None = None, first_from: str | None = None,
                 first_to: str | None = None, as_of: str | None = None, basis: str = "auto",
                 inactive_days: int = churn.DEFAULT_INACTIVE_DAYS, months: list[int] | None = None,
                 days: list[int] | None = None) -> pd.DataFrame:
    """The user's figures for the codes in `wanted` (definitions.FIGURES) that the data can produce.

    Rate figures over `period` pooled over complete periods starting in [date_from, date_to]; repeat purchase
    and the repurchase curve for first orders in [first_from, first_to]; survival for signup cohorts in
    [first_from, first_to]. `months`/`days`: extra curve horizons (the benchmark rows' own).
    Out: USER_COLUMNS = figure, unit ('rate' | 'lifetime' | 'month' | 'day'), horizon (NaN for rate and
    lifetime), months (rate period or horizon in months), value, ci_low, ci_high (% on the figure's scale:
    churn for customer_churn), trials, small, periods, first_period, last_period (rate figures: the complete
    periods pooled; NaN/None otherwise).
    """
    can = figures.available(con).iloc[0]
    rows = []
    rate = {"period": period, "date_from": date_from, "date_to": date_to, "as_of": as_of}
    m = RATE_PERIODS[period]
    for figure in wanted:
        if not bool(can.get(figure, False)):
            continue
        if figure in ("customer_retention", "customer_churn"):
            got = _headline_retention(con, period, basis, inactive_days, as_of) if not (date_from or date_to) else None
            if got is None:
                got = figures.customer_retention(con, basis=basis, inactive_days=inactive_days, **rate).iloc[0].to_dict()
            rows.append(_row(figure, "rate", np.nan, m, figures.on_scale(got, definitions.FIGURES[figure].scale)))
        elif figure.startswith("revenue_retention_"):
            got = figures.revenue_retention(con, kind=figure.rsplit("_", 1)[1], **rate).iloc[0].to_dict()
            rows.append(_row(figure, "rate", np.nan, m, got))
        elif figure in ("repeat_purchase_rate", "cohort_repurchase"):
            curve_months = sorted(set(figures.CURVE_MONTHS) | set(months or []))
            curve = figures.repurchase(con, first_from=first_from, first_to=first_to, as_of=as_of,
                                       months=curve_months if figure == "cohort_repurchase" else [],
                                       days=(days or []) if figure == "cohort_repurchase" else [])
            for r in curve.itertuples():
                if (r.unit == "lifetime") == (figure == "repeat_purchase_rate"):
                    found = {"value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "trials": r.eligible}
                    horizon = np.nan if r.unit == "lifetime" else float(r.horizon)
                    rows.append(_row(figure, r.unit, horizon, r.horizon_months, found))
        elif figure == "cohort_survival":
            curve = figures.survival(con, cohort_from=first_from, cohort_to=first_to, as_of=as_of)
            for r in curve.itertuples():
                found = {"value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "trials": r.customers}
                rows.append(_row(figure, "month", float(r.horizon_months), r.horizon_months, found))
    return pd.DataFrame(rows, columns=USER_COLUMNS)


def _headline_retention(con, period: str, basis: str, inactive_days: int, as_of: str | None) -> dict | None:
    """The headline customer retention (retention.metrics.headline) for `period` as a figures.customer_retention
    row: the same number the Overview shows. None when the headline has no such figure measured directly (a
    year estimated as monthly^12, or a quarter): the caller then pools the calendar periods."""
    from retention.metrics import headline

    key = {"month": "customer_retention_month", "year": "customer_retention_year"}.get(period)
    if key is None:
        return None
    row = headline.as_dict(headline.retention_figures(con, basis=basis, inactive_days=inactive_days,
                                                      as_of=as_of)).get(key)
    if row is None or row["method"] == "monthly^12":
        return None
    return {"value": row["value"], "ci_low": row["ci_low"], "ci_high": row["ci_high"], "trials": row["customers"],
            "successes": row["successes"], "periods": 12 if period == "month" else 1,
            "first_period": pd.Timestamp(row["window_start"]), "last_period": _last_start(row, period)}


def _last_start(row: dict, period: str) -> pd.Timestamp:
    """The start of the last period pooled in a headline window: its last month, or the window's start for a year."""
    return pd.Timestamp(row["window_end"]).replace(day=1) if period == "month" else pd.Timestamp(row["window_start"])


def default_period(con: duckdb.DuckDBPyConnection, benchmarks: pd.DataFrame | None = None, *, basis: str = "auto",
                   inactive_days: int = churn.DEFAULT_INACTIVE_DAYS, as_of: str | None = None) -> tuple[str, str | None]:
    """(period, reason code) for the comparison: the longest of year, quarter, month for which the data has
    complete periods (a year measured directly, two complete quarters, two complete months) and `benchmarks`
    (default: the shipped catalog) has published customer-retention figures. Reason codes: 'year' (a year is measured), 'no_year' (yearly
    figures exist, the data has no year to measure), 'no_figures' (no published yearly figures), 'nothing'
    (not even two complete months: month is returned); None when the data has no dates to measure churn over."""
    from retention.benchmarks import catalog, definitions
    from retention.metrics import headline

    benchmarks = catalog.shipped() if benchmarks is None else benchmarks
    try:
        churn.choose_basis(churn.bounds(con), basis)
    except churn.NoChurnData:
        return "year", None
    have = {p: not definitions.pair(benchmarks, "customer_retention", m).empty for p, m in RATE_PERIODS.items()}
    head = headline.as_dict(headline.retention_figures(con, basis=basis, inactive_days=inactive_days, as_of=as_of))
    year = head.get("customer_retention_year")
    enough = {"year": year is not None and year["method"] == "measured"}
    for period in ("quarter", "month"):
        try:
            frame = churn.retention_by_period(con, period=period, basis=basis, inactive_days=inactive_days,
                                              as_of=as_of)
        except churn.NoChurnData:
            enough[period] = False
            continue
        usable = frame["complete"] & (frame["customers_start"] > 0) & ~frame["warm_up"].astype(bool)
        enough[period] = int(usable.sum()) >= 2
    for period in ("year", "quarter", "month"):
        if enough[period] and have[period]:
            return period, "year" if period == "year" else "no_year" if have["year"] else "no_figures"
    return "month", "nothing"


def _with_user(compared: pd.DataFrame, fig: pd.Series) -> pd.DataFrame:
    return compared.assign(figure=fig["figure"], unit=fig["unit"], horizon=fig["horizon"], months=fig["months"],
                           user_value=fig["value"],
                           user_ci_low=fig["ci_low"], user_ci_high=fig["ci_high"], user_trials=fig["trials"],
                           user_small=fig["small"])


def table(user: pd.DataFrame, benchmarks: pd.DataFrame) -> pd.DataFrame:
    """Every (user figure, benchmark row) pair that measures the same thing at the same period or horizon.

    In: user_figures() output; a catalog frame. Out: figure, unit, horizon, months, user_value, user_ci_low,
    user_ci_high, user_trials, user_small, then BENCHMARK_COLUMNS, value (the benchmark on the figure's scale
    and period), converted, gap_pts, position, better. Rate and lifetime figures with no value (no complete
    period) are left out; a horizon row pairs only with the user's point at exactly that horizon.
    """
    parts = []
    for figure, mine in user.groupby("figure", sort=False):
        spec = definitions.FIGURES[figure]
        if spec.kind in ("rate", "lifetime"):
            fig = mine.iloc[0]
            if np.isnan(fig["value"]):
                continue
            paired = definitions.pair(benchmarks, figure, int(fig["months"]) if spec.kind == "rate" else None)
            parts.append(_with_user(statistics.compare(fig.to_dict(), paired, spec.scale), fig))
            continue
        paired = definitions.pair(benchmarks, figure)
        for i in range(len(paired)):
            bench = paired.iloc[[i]]
            unit, n = horizon_key(bench["metric"].iloc[0], bench["period"].iloc[0])
            point = mine[(mine["unit"] == unit) & np.isclose(mine["horizon"].astype(float), n)]
            if point.empty or np.isnan(point["value"].iloc[0]):
                continue
            fig = point.iloc[0]
            parts.append(_with_user(statistics.compare(fig.to_dict(), bench, spec.scale), fig))
    columns = ["figure", "unit", "horizon", "months", "user_value", "user_ci_low", "user_ci_high", "user_trials", "user_small",
               *BENCHMARK_COLUMNS, "value", "converted", "gap_pts", "position", "better"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).reindex(columns=columns)


DEFAULT_INDUSTRIES = ["All industries (avg of 15)", "E-commerce - all (avg)", "Subscription - all"]


def context(con: duckdb.DuckDBPyConnection, *, industries: list[str] | None = None, period: str | None = None,
            as_of: str | None = None, basis: str = "auto",
            inactive_days: int = churn.DEFAULT_INACTIVE_DAYS) -> pd.DataFrame:
    """Benchmark context for an overview tile: the user's headline customer retention over `period` (default:
    default_period(), the longest the data has complete periods for), against the shipped benchmarks of
    `industries` (default DEFAULT_INDUSTRIES).

    Out: one row: months, value, ci_low, ci_high, trials, sources (benchmark rows compared), above, below,
    within_noise (counts), low_pct, high_pct, median_pct (the benchmarks on the same scale), nearest_industry,
    nearest_publisher, nearest_year, nearest_value (the highest-confidence, newest source: the first row of
    statistics.compare). sources is 0 (and the rest NaN/None) when nothing matches or no period is complete.
    """
    from retention.benchmarks import catalog

    chosen = catalog.shipped()
    chosen = chosen[chosen["industry"].isin(industries or DEFAULT_INDUSTRIES)]
    end = churn.resolve_as_of(con, as_of)
    if period is None:
        period = default_period(con, chosen, basis=basis, inactive_days=inactive_days, as_of=end.isoformat())[0]
    user = user_figures(con, wanted=["customer_retention"], period=period, as_of=end.isoformat(), basis=basis,
                        inactive_days=inactive_days)
    row = {"months": RATE_PERIODS[period], "value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "trials": 0,
           "sources": 0, "above": 0, "below": 0, "within_noise": 0, "low_pct": np.nan, "high_pct": np.nan,
           "median_pct": np.nan, "nearest_industry": None, "nearest_publisher": None, "nearest_year": None,
           "nearest_value": np.nan}
    if len(user):
        row.update({k: user.iloc[0][k] for k in ("value", "ci_low", "ci_high", "trials")})
    paired = table(user, chosen) if len(user) else pd.DataFrame()
    if len(paired):
        counts = paired["position"].value_counts()
        first = paired.iloc[0]
        row.update({"sources": len(paired), "above": int(counts.get("above", 0)), "below": int(counts.get("below", 0)),
                    "within_noise": int(counts.get("within_noise", 0)), "low_pct": paired["value"].min(),
                    "high_pct": paired["value"].max(), "median_pct": paired["value"].median(),
                    "nearest_industry": first["industry"], "nearest_publisher": first["publisher"],
                    "nearest_year": first["year"], "nearest_value": first["value"]})
    return pd.DataFrame([row])
