"""Metric and period codes of benchmark files, exact conversions, and which benchmark rows may be set
against which of the user's figures.

Rules (each is tested):
- Customer retention and churn over different periods convert by compounding: retention over n months
  = (monthly retention)^n, so annual retention = monthly retention^12 and annual churn
  = 1 − (1 − monthly churn)^12; never churn × 12. This assumes the same rate every month, which is
  what a "monthly rate" quoted for a year means.
- Revenue retention (GRR, NRR) is only compared at the period it was published for: a year's NRR is
  not a product of monthly NRRs when the customer base changes between months.
- Unlike metrics are never paired: a repeat-purchase rate (share of customers with 2+ orders) is not a
  retention rate; revenue retention is not customer retention; an app's Day-N user retention and rows
  with metric "other" (context figures) pair with nothing the user's data produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Benchmark metric codes (column `metric` of a benchmark file) and the kind of period each takes.
METRIC_PERIODS = {
    "customer_retention": "rate",       # share of customers at the start of a period still customers at its end
    "customer_churn": "rate",           # 100 − customer retention over the same period
    "revenue_retention_gross": "rate",  # GRR: revenue kept from starting customers, no expansion (≤ 100)
    "revenue_churn_gross": "rate",      # 100 − GRR over the same period
    "revenue_retention_net": "rate",    # NRR: revenue now from starting customers over their revenue then
    "repeat_purchase_rate": "lifetime",  # share of customers with 2+ orders (not a retention rate)
    "cohort_repurchase": "horizon",     # share of first-time buyers with a 2nd order within N months/days
    "cohort_survival": "horizon",       # share of new customers still customers N months after starting
    "app_user_retention": "day",        # share of an app's new users active on day N
    "other": "free",                    # context figures; never compared
}
METRICS = tuple(METRIC_PERIODS)

RATE_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
DAYS_PER_MONTH = 365.25 / 12
MAX_VALUE = {"revenue_retention_net": 300.0}  # every other metric is a share of 0–100 %


@dataclass(frozen=True)
class Figure:
    """A figure the user's data can produce, and the benchmark metrics that measure the same thing.

    `sources` maps a benchmark metric to how its value becomes this figure's scale: "same" or
    "complement" (100 − value). `convert_periods`: rate periods convert by compounding (customer counts
    only). `scale`: "retention" (higher is better) or "churn" (lower is better)."""
    code: str
    kind: str
    sources: dict
    convert_periods: bool = False
    scale: str = "retention"


FIGURES = {
    "customer_retention": Figure("customer_retention", "rate",
                                 {"customer_retention": "same", "customer_churn": "complement"}, True),
    "customer_churn": Figure("customer_churn", "rate",
                             {"customer_retention": "same", "customer_churn": "complement"}, True, "churn"),
    "revenue_retention_gross": Figure("revenue_retention_gross", "rate",
                                      {"revenue_retention_gross": "same", "revenue_churn_gross": "complement"}),
    "revenue_retention_net": Figure("revenue_retention_net", "rate", {"revenue_retention_net": "same"}),
    "repeat_purchase_rate": Figure("repeat_purchase_rate", "lifetime", {"repeat_purchase_rate": "same"}),
    "cohort_repurchase": Figure("cohort_repurchase", "horizon", {"cohort_repurchase": "same"}),
    "cohort_survival": Figure("cohort_survival", "horizon", {"cohort_survival": "same"}),
}

_HORIZON = re.compile(r"^(\d+(?:\.\d+)?)\s*(day|week|month|year)s?$")
_DAY = re.compile(r"^day\s*(\d+)$")


@dataclass(frozen=True)
class Period:
    """A parsed period: kind "rate" (months = 1, 3, 12), "lifetime", "horizon" (months as a float; days
    / (365.25/12)), "day" (app day N in `days`), or "free"."""
    kind: str
    months: float | None = None
    days: float | None = None


def parse_period(metric: str, text: str) -> Period:
    """The period of a benchmark row; ValueError when it does not fit the metric."""
    if metric not in METRIC_PERIODS:
        raise ValueError(f"unknown metric {metric!r}")
    kind = METRIC_PERIODS[metric]
    value = (text or "").strip().lower()
    if kind == "free":
        return Period("free")
    if kind == "rate":
        if value not in RATE_MONTHS:
            raise ValueError(f"period must be one of {', '.join(RATE_MONTHS)} for {metric}")
        return Period("rate", months=RATE_MONTHS[value])
    if kind == "lifetime":
        if value != "lifetime":
            raise ValueError(f"period must be 'lifetime' for {metric}")
        return Period("lifetime")
    if kind == "horizon":
        match = _HORIZON.match(value)
        if not match:
            raise ValueError(f"period must look like '3 months' or '720 days' for {metric}")
        n, unit = float(match.group(1)), match.group(2)
        days = {"day": n, "week": 7 * n}.get(unit)
        months = {"month": n, "year": 12 * n}.get(unit, days / DAYS_PER_MONTH if days is not None else None)
        return Period("horizon", months=months, days=days)
    match = _DAY.match(value)
    if not match:
        raise ValueError(f"period must look like 'day 7' for {metric}")
    return Period("day", days=float(match.group(1)))


def convert_retention(pct, from_months: float, to_months: float):
    """Retention over `from_months` → retention over `to_months`, by compounding: r^(to/from).

    Works on scalars and arrays of percentages in [0, 100]; e.g. 95 % monthly → 54.04 % annual."""
    return 100.0 * np.power(np.asarray(pct, dtype=float) / 100.0, to_months / from_months)


def convert_churn(pct, from_months: float, to_months: float):
    """Churn over `from_months` → churn over `to_months`: 1 − (1 − churn)^(to/from) (never churn × ratio)."""
    return 100.0 - convert_retention(100.0 - np.asarray(pct, dtype=float), from_months, to_months)


def annual_retention(monthly_pct):
    return convert_retention(monthly_pct, 1, 12)


def monthly_retention(annual_pct):
    return convert_retention(annual_pct, 12, 1)


def pairable(metric: str, figure: str) -> bool:
    """Whether a benchmark row of `metric` measures the same thing as the user's `figure`."""
    return metric in FIGURES[figure].sources


def pair(benchmarks: pd.DataFrame, figure: str, months: float | None = None) -> pd.DataFrame:
    """The benchmark rows that measure `figure`, with their values on the figure's scale and period.

    In: a catalog frame (columns metric, period, value_pct, …). `months` is the figure's period for rate
    figures (1, 3 or 12); ignored otherwise.
    Out: the matching rows (all columns kept) plus `value` (on the figure's scale: retention or churn
    in %, converted to `months` where the figure allows it), `from_months` (the row's own period in
    months for rate rows, its horizon for horizon rows, NaN for lifetime), `converted` (bool: the
    value was compounded from another period or complemented from churn/retention).
    Rows whose period cannot be reached exactly (revenue retention at another period) are left out.
    """
    spec = FIGURES[figure]
    if spec.kind == "rate" and months not in RATE_MONTHS.values():
        raise ValueError(f"{figure} needs months in {sorted(RATE_MONTHS.values())}")
    rows = benchmarks[benchmarks["metric"].isin(list(spec.sources))].copy()
    periods = [parse_period(m, p) for m, p in zip(rows["metric"], rows["period"])]
    rows["from_months"] = [p.months if p.months is not None else np.nan for p in periods]
    raw = rows["value_pct"].astype(float)
    complement = rows["metric"].map(spec.sources).eq("complement").to_numpy()
    retention = np.where(complement, 100.0 - raw, raw)
    converted = complement.copy()
    if spec.kind == "rate":
        same = rows["from_months"].to_numpy() == months
        if spec.convert_periods:
            retention = np.where(same, retention, convert_retention(retention, rows["from_months"].to_numpy(), months))
            converted = converted | ~same
        else:
            rows, retention, converted = rows[same], retention[same], converted[same]
    rows["value"] = 100.0 - retention if spec.scale == "churn" else retention
    # A churn figure from a churn row is not a conversion: complement applied twice.
    rows["converted"] = converted if spec.scale == "retention" else (
        (rows["metric"] != "customer_churn").to_numpy() | (rows["from_months"].to_numpy() != months))
    return rows
