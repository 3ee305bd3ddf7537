"""The CLI's output layer: cli.emit passes every command's result through `tidy_frame()` / `tidy_value()`
before printing it, so that numbers carry the precision they have and dates one form, whatever the command
(new commands included).

Numbers are rounded by what their name says they hold (the column name, or the innermost dict key; for
the generic keys value/base/scenario/change/ci_95, the key above them, or the dict's "unit" when it
is "%"):

- percentages and percentage points (`…_pct`, `…_pp`, `…_pts`, `pp`, `x`): 2 decimals;
- rates, shares and probabilities as fractions (retention 0.85, `…_share`, `…_rate`, `p_…`) and expected
  purchase counts: 4 decimals;
- money (arpu, cac, revenue, amount, clv, profit, value, cost, margin …): cents, 2 decimals;
- counts that can be fractional and durations (customers, lifetime, periods, days): 2 decimals;
- p-values and test statistics, and anything else: 10 significant digits, which removes float noise
  (0.8500000000000001) and keeps precision (a p-value of 3e-9 stays 3e-9).

Dates: YYYY-MM-DD; a timestamp that is not midnight is printed as ISO 8601 with its time
(YYYY-MM-DDTHH:MM:SS). NaN, infinity and NaT become null in JSON and an empty cell in CSV.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

PCT_DECIMALS = 2
RATE_DECIMALS = 4
MONEY_DECIMALS = 2
COUNT_DECIMALS = 2
SIGNIFICANT = 10

GENERIC_KEYS = {"value", "base", "scenario", "change", "low", "high", "ci_low", "ci_high", "ci_95", "mean",
                "median"}
UNIT_MARKERS = {"%": "pct"}  # a dict saying {"unit": "%"} holds percentages under its generic keys
_SIGNIFICANT = re.compile(r"(^|_)[pq]_?values?$|(^|_)(z|t)_?(score|stat)$")  # statistics: never cut to cents
_PCT = re.compile(r"(^|_)(pct|pp|pts|percent)($|_)|^x$")
_RATE = re.compile(r"(^|_)(share|rate|probability|prob|fraction)($|_)|^p_(?!value)|(^|_)retention($|_)"
                   r"|^annual_(base|scenario)$|^discount_per_period$|^(alpha|beta)(_se)?$"
                   r"|^expected_(purchases|orders|transactions)")  # expected counts are often far below 1
_MONEY = re.compile(r"(^|_)(arpu|cac|revenue|amount|clv|profit|cost|margin|money|price|spend|value|ltv|charges)"
                    r"($|_)")
_COUNT = re.compile(r"(^|_)(customers|lifetime|periods|days|years|months|weeks|orders|purchases|likelihood)($|_)")


def decimals_for(path: tuple[str, ...]) -> int | None:
    """Decimal places for a number found under `path` (dict keys or the column name, outermost first);
    None: round to SIGNIFICANT digits instead."""
    names = [str(p).lower() for p in path if not isinstance(p, int)]
    while len(names) > 1 and names[-1] in GENERIC_KEYS:
        names.pop()
    name = names[-1] if names else ""
    if _SIGNIFICANT.search(name):
        return None
    for pattern, decimals in ((_PCT, PCT_DECIMALS), (_RATE, RATE_DECIMALS), (_MONEY, MONEY_DECIMALS),
                              (_COUNT, COUNT_DECIMALS)):
        if pattern.search(name):
            return decimals
    return None


def round_number(value: float, decimals: int | None) -> float | None:
    """`value` rounded to `decimals` (or SIGNIFICANT significant digits); None when not finite."""
    if not math.isfinite(value):
        return None
    if decimals is None:
        if value == 0:
            return 0.0
        decimals = SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, decimals)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def date_text(value: Any) -> str | None:
    """A date as YYYY-MM-DD; a moment with a time of day as YYYY-MM-DDTHH:MM:SS; None for NaT/None."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        if pd.isna(value):
            return None
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.strftime("%Y-%m-%d")
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _scalar(value: Any, path: tuple) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (dt.date, np.datetime64)):
        return date_text(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round_number(float(value), decimals_for(path))
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def tidy_value(obj: Any, path: tuple = ()) -> Any:
    """A JSON-able copy of a command's dict/list result: numbers rounded by name, dates as text, NaN as None."""
    if isinstance(obj, dict):
        marker = UNIT_MARKERS.get(obj.get("unit")) if isinstance(obj.get("unit"), str) else None
        inner = path + ((marker,) if marker else ())
        return {k: tidy_value(v, inner + (k,)) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [tidy_value(v, path + (i,)) for i, v in enumerate(obj)]
    if isinstance(obj, pd.DataFrame):
        return tidy_frame(obj).to_dict("records")
    if isinstance(obj, np.ndarray):
        return [tidy_value(v, path + (i,)) for i, v in enumerate(obj.tolist())]
    return _scalar(obj, path)


def _column_dates(column: pd.Series) -> pd.Series:
    values = pd.to_datetime(column)
    if getattr(values.dt, "tz", None) is None and (values.dropna() == values.dropna().dt.normalize()).all():
        return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None)
    return values.map(lambda v: None if pd.isna(v) else v.isoformat(timespec="seconds")).astype(object)


def tidy_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with float columns rounded by their name, dates as text (one form per column: YYYY-MM-DD
    when every value is a midnight, else ISO 8601 with the time) and date objects in object columns as text."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            out[name] = _column_dates(column)
        elif pd.api.types.is_float_dtype(column):
            decimals = decimals_for((str(name),))
            if decimals is None:
                out[name] = column.map(lambda v: round_number(v, None) if pd.notna(v) else v)
            else:
                out[name] = column.round(decimals).replace({-0.0: 0.0})
                out.loc[~np.isfinite(column.astype(float)) & column.notna(), name] = np.nan
        elif column.dtype == object:
            out[name] = column.map(lambda v, n=str(name): _scalar(v, (n,))
                                   if isinstance(v, (dt.date, np.datetime64, float, np.floating)) else v)
    return out


def records(frame: pd.DataFrame) -> list[dict]:
    """A tidied frame as JSON-able records (NaN and NA as None)."""
    return [{k: tidy_value(v, (k,)) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """A tidied frame for CSV: booleans as true/false (as JSON writes them), in every command alike."""
    out = frame.copy()
    for name in out.columns:
        values = out[name].dropna()
        if len(values) and (out[name].dtype == bool or values.map(lambda v: isinstance(v, (bool, np.bool_))).all()):
            out[name] = out[name].map(lambda v: None if v is None or v is pd.NA else ("true" if v else "false"))
    return out
