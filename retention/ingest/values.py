"""Decide, from a sample of a column, how its numbers and dates are written.

The parsing itself happens in DuckDB (queries/macro_parse_number.sql, macro_parse_date.sql);
this module only chooses the parameters those macros get, by trying them on the sample with the
very same macros, so detection and parsing can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from retention import sql

SAMPLE = 5000
_TIMES = ["", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", " %I:%M %p", " %I:%M:%S %p"]
# Date layouts without a time part; each is tried with every time suffix above.
YMD = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]
DMY = ["%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y", "%d/%m/%y", "%d-%m-%y"]
MDY = ["%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m-%d-%y"]
NAMED = ["%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%d-%b-%Y", "%d-%b-%y", "%B %d %Y", "%b %d %Y"]


@dataclass
class DateChoice:
    """How a date column is written. `order` is 'dmy' or 'mdy' when day/month order mattered."""

    formats: list[str] = field(default_factory=list)
    order: str | None = None
    ambiguous: bool = False
    serial: bool = False
    rate: float = 0.0


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in ("macro_parse_number", "macro_parse_date"):
        sql.execute(con, name)
    return con


def _sample(series: pd.Series) -> list[str]:
    values = series[series.astype(str).str.strip() != ""].astype(str)
    return values.head(SAMPLE).tolist()


def _rate(con: duckdb.DuckDBPyConnection, values: list[str], formats: list[str], serial: bool) -> float:
    if not values:
        return 0.0
    rate = sql.execute(con, "sample_date_rate", values=values, formats=formats, serial=serial).fetchone()[0]
    return float(rate or 0.0)


def _with_times(layouts: list[str]) -> list[str]:
    return [layout + time for layout in layouts for time in _TIMES]


def detect_dates(series: pd.Series, order: str | None = None) -> DateChoice:
    """Choose the date formats of a column of text. `order` forces 'dmy' or 'mdy'."""
    values = _sample(series)
    if not values:
        return DateChoice()
    con = _con()
    if all(re.fullmatch(r"\d{5}(\.\d+)?", v) for v in values[:200]):
        return DateChoice(serial=True, rate=_rate(con, values, [], True))
    best = DateChoice()
    for layouts in (YMD, NAMED):
        rate = _rate(con, values, _with_times(layouts), False)
        if rate > best.rate:
            best = DateChoice(formats=_with_times(layouts), rate=rate)
    dmy = _rate(con, values, _with_times(DMY), False)
    mdy = _rate(con, values, _with_times(MDY), False)
    if max(dmy, mdy) > best.rate:
        ambiguous = abs(dmy - mdy) < 1e-9
        chosen = order or ("mdy" if mdy > dmy else "dmy")
        best = DateChoice(formats=_with_times(DMY if chosen == "dmy" else MDY), order=chosen,
                          ambiguous=ambiguous, rate=dmy if chosen == "dmy" else mdy)
    return best


def date_parse_rate(series: pd.Series) -> float:
    """Share of the non-empty sample that parses as a date under the best format."""
    return detect_dates(series).rate


def detect_decimal_comma(series: pd.Series) -> bool:
    """True when the column writes decimals with a comma (1.234,56 / 12,5)."""
    comma = point = 0
    for value in _sample(series)[:2000]:
        digits = re.sub(r"[^0-9.,]", "", value)
        last = max(digits.rfind(","), digits.rfind("."))
        if last < 0:
            continue
        tail = digits[last + 1:]
        if "," in digits and "." in digits:
            comma += digits[last] == ","
            point += digits[last] == "."
        elif len(tail) != 3:  # 12,5 or 12.50: the separator is a decimal mark
            comma += digits[last] == ","
            point += digits[last] == "."
        elif digits.count(digits[last]) > 1:  # 1.234.567: thousands, so the other mark is decimal
            comma += digits[last] == "."
            point += digits[last] == ","
    return comma > point


def number_parse_rate(series: pd.Series, decimal_comma: bool | None = None) -> float:
    values = _sample(series)
    if not values:
        return 0.0
    if decimal_comma is None:
        decimal_comma = detect_decimal_comma(series)
    rate = sql.execute(_con(), "sample_number_rate", values=values, decimal_comma=decimal_comma).fetchone()[0]
    return float(rate or 0.0)
