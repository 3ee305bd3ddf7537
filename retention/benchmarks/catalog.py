"""Benchmark files: the one shipped in data/benchmarks.csv, or a user's file in the same format.

A benchmark file is a CSV (UTF-8, comma- or semicolon-separated, header row) with one published figure per row:

    required  industry, metric, period, value_pct, year, publisher, source_url, definition
    optional  sector, statistic, population, confidence (high | medium | low), notes,
              metric_as_published, period_as_published

`metric` and `period` are codes (see definitions.METRIC_PERIODS and data/benchmarks_README.md).
Rows that break a rule are set aside with a reason code instead of failing the whole file.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from retention.benchmarks import definitions
from retention.config import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "data" / "benchmarks.csv"
REQUIRED = ["industry", "metric", "period", "value_pct", "year", "publisher", "source_url", "definition"]
OPTIONAL = ["sector", "statistic", "population", "confidence", "notes", "metric_as_published",
            "period_as_published"]
COLUMNS = REQUIRED + OPTIONAL
CONFIDENCE = ("high", "medium", "low")
MAX_BYTES = 5 * 1024 * 1024

_YEAR = re.compile(r"^(?:c\.\s?)?((?:19|20)\d{2})(?:\s?[-–/]\s?(\d{2}|\d{4}))?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)

# Reason codes for rows set aside (the UI turns them into words).
REASONS = ("missing_value", "unknown_metric", "bad_period", "bad_value", "value_out_of_range", "bad_year",
           "bad_url", "bad_confidence")


class BenchmarkFileError(Exception):
    """The file as a whole cannot be used (not a CSV, or required columns missing)."""


def year_sort(text: str) -> int | None:
    """The latest year a year label refers to: '2023' → 2023, 'c.2020-21' → 2021, '2017-2018' → 2018."""
    match = _YEAR.match((text or "").strip())
    if not match:
        return None
    first, second = int(match.group(1)), match.group(2)
    if second is None:
        return first
    return int(second) if len(second) == 4 else first // 100 * 100 + int(second)


def _row_problem(row: pd.Series) -> str | None:
    for column in REQUIRED:
        if not row[column] and not (column == "period" and row["metric"] == "other"):
            return "missing_value"
    if row["metric"] not in definitions.METRIC_PERIODS:
        return "unknown_metric"
    try:
        definitions.parse_period(row["metric"], row["period"])
    except ValueError:
        return "bad_period"
    try:
        value = float(row["value_pct"])
    except ValueError:
        return "bad_value"
    if not math.isfinite(value):
        return "bad_value"
    if row["metric"] != "other" and not 0 <= value <= definitions.MAX_VALUE.get(row["metric"], 100.0):
        return "value_out_of_range"
    if year_sort(row["year"]) is None:
        return "bad_year"
    if not _URL.match(row["source_url"]):
        return "bad_url"
    if row["confidence"] and row["confidence"] not in CONFIDENCE:
        return "bad_confidence"
    return None


def parse(data: bytes | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and check a benchmark file.

    Out: (benchmarks, rejected).
    benchmarks: COLUMNS (text, stripped; `metric`, `period` and `confidence` lower-cased) plus value_pct
      as float, year_sort (int: the latest year the `year` label names) and row (1-based line of the
      data row, header excluded); blank optional columns are "", a blank sector becomes "Other".
    rejected: row, reason (one of REASONS), industry, metric, period, value_pct (as written).
    Raises BenchmarkFileError when the file is not a readable CSV or lacks a required column.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise BenchmarkFileError("file_too_large")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BenchmarkFileError("not_utf8") from exc
    try:
        # sep=None sniffs the delimiter: spreadsheets in some locales save CSV with semicolons.
        raw = pd.read_csv(io.StringIO(data), dtype=str, keep_default_na=False, skipinitialspace=True, sep=None,
                          engine="python")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise BenchmarkFileError("not_csv") from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise BenchmarkFileError("missing_columns:" + ",".join(missing))
    frame = raw.reindex(columns=COLUMNS, fill_value="").map(lambda v: v.strip() if isinstance(v, str) else "")
    for column in ("metric", "period", "confidence"):
        frame[column] = frame[column].str.lower()
    frame["row"] = range(1, len(frame) + 1)
    reasons = frame.apply(_row_problem, axis=1) if len(frame) else pd.Series(dtype=object)
    bad = reasons.notna()
    rejected = frame.loc[bad, ["row", "industry", "metric", "period", "value_pct"]].copy()
    rejected.insert(1, "reason", reasons[bad])
    good = frame.loc[~bad].copy()
    good["value_pct"] = good["value_pct"].astype(float)
    good["year_sort"] = good["year"].map(year_sort).astype("int64")
    good["sector"] = good["sector"].where(good["sector"] != "", "Other")
    return good.reset_index(drop=True), rejected.reset_index(drop=True)


def shipped(path: Path | str = SHIPPED) -> pd.DataFrame:
    """The benchmarks that ship with the app (every row must pass; a bad row is a bug here)."""
    good, rejected = parse(Path(path).read_bytes())
    if len(rejected):
        raise BenchmarkFileError(f"{path}: rows {rejected['row'].tolist()} rejected ({rejected['reason'].tolist()})")
    return good


def industries(benchmarks: pd.DataFrame) -> pd.DataFrame:
    """The industries in a catalog for a picker: sector, industry, rows; by sector then industry."""
    out = benchmarks.groupby(["sector", "industry"], sort=True).size().rename("rows").reset_index()
    return out
