"""`python -m retention benchmark`: the user's figures next to published industry figures.

Prints one row per (your figure, matching benchmark row) with the gap in percentage points, and one row
per figure with no matching benchmark. Benchmarks are matched by metric and period only when they measure
the same thing (see retention/benchmarks/definitions.py); customer retention and churn are converted
between monthly and annual by compounding. One line on stderr says which basis and date range were used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from retention import cli
from retention.benchmarks import catalog, compare, definitions
from retention.ui_text import benchmarks as wording
from retention.metrics import churn

COLUMNS = ["metric", "period", "your_pct", "your_ci_low_pct", "your_ci_high_pct", "your_customers", "industry",
           "publisher", "year", "benchmark_pct", "as_published", "gap_pts", "position", "confidence",
           "statistic", "population", "source_url"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    try:
        shipped = catalog.shipped()
    except (OSError, catalog.BenchmarkFileError):  # a broken shipped file: check-benchmarks says why
        shipped = None
    sectors = "; ".join(sorted(shipped["sector"].unique())) if shipped is not None else "see data/benchmarks.csv"
    parser.add_argument("--industry", action="append", metavar="NAME",
                        help="industry or sector to compare with (part of the name, any case; repeatable; "
                             "default: every industry), e.g. --industry telecom --industry 'e-commerce'. "
                             f"Sectors: {sectors}. The industries of each sector are listed below.")
    if shipped is not None:
        parser.epilog = "industries by sector: " + " | ".join(
            f"{sector}: {', '.join(sorted(group['industry'].unique()))}"
            for sector, group in shipped.groupby("sector", sort=True))
    parser.add_argument("--metric", action="append", choices=list(definitions.FIGURES), metavar="METRIC",
                        help="your figure to compare (repeatable; default: every one your data can produce, "
                             "customer_churn only when asked): "
                             + ", ".join(definitions.FIGURES))
    parser.add_argument("--benchmarks", metavar="FILE",
                        help="a benchmark CSV in the format of data/benchmarks.csv, used instead of the shipped one")
    parser.add_argument("--period", choices=list(compare.RATE_PERIODS), default="year",
                        help="period of customer and revenue retention (default year); benchmarks for other "
                             "periods are converted by compounding (customer retention and churn only)")
    parser.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="pool the complete periods starting on or after this day (default: all)")
    parser.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="… and starting on or before this day")
    parser.add_argument("--first-from", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="repeat purchase and survival: customers whose first order (signup) is on or after this day")
    parser.add_argument("--first-to", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="… and on or before this day")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="analysis date (default: the last date in the data)")
    parser.add_argument("--basis", choices=["auto", *churn.BASES], default="auto",
                        help="customer retention: who is active (as in the churn command)")
    parser.add_argument("--inactive-days", type=int, default=churn.DEFAULT_INACTIVE_DAYS, metavar="W",
                        help=f"purchases basis: a customer lapses W days after their last purchase "
                             f"(default {churn.DEFAULT_INACTIVE_DAYS})")


def read_benchmarks(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """catalog.parse() of a file named on the command line; problems with the whole file are BadInput."""
    if not path.is_file():
        raise cli.BadInput(f"file {str(path)!r}: no such file")
    try:
        return catalog.parse(path.read_bytes())
    except catalog.BenchmarkFileError as exc:
        raise cli.BadInput(f"file {str(path)!r}: {wording.file_error(str(exc))}") from exc


def load_benchmarks(path: str | None) -> pd.DataFrame:
    """The shipped catalog, or a user's file (rows set aside are reported on stderr)."""
    if path is None:
        return catalog.shipped()
    good, rejected = read_benchmarks(Path(path))
    for row in rejected.itertuples():
        print(f"note: {Path(path).name} row {row.row} left out: {wording.REJECT_REASONS[row.reason]}", file=sys.stderr)
    return good


def pick_industries(benchmarks: pd.DataFrame, names: list[str] | None) -> pd.DataFrame:
    """Rows whose industry or sector contains any of the names (case-insensitive); every row without names."""
    if not names:
        return benchmarks
    keep = pd.Series(False, index=benchmarks.index)
    for name in names:
        needle = name.strip().lower()
        keep |= benchmarks["industry"].str.lower().str.contains(needle, regex=False)
        keep |= benchmarks["sector"].str.lower().str.contains(needle, regex=False)
    if not keep.any():
        sectors = ", ".join(sorted(benchmarks["sector"].unique()))
        raise cli.BadInput(f"no benchmark matches --industry {' / '.join(names)!r}; sectors are: {sectors}")
    return benchmarks[keep]


def rows_for_output(user: pd.DataFrame, paired: pd.DataFrame) -> pd.DataFrame:
    """COLUMNS: each pair, then each figure (and curve point) with no benchmark on its own row."""
    out = pd.DataFrame({
        "metric": paired["figure"],
        "period": [wording.period_label(r) for _, r in paired.iterrows()],
        "your_pct": paired["user_value"], "your_ci_low_pct": paired["user_ci_low"],
        "your_ci_high_pct": paired["user_ci_high"], "your_customers": paired["user_trials"],
        "industry": paired["industry"], "publisher": paired["publisher"], "year": paired["year"],
        "benchmark_pct": paired["value"],
        "as_published": [f"{r.period} {wording.METRIC_WORDS[r.metric]} {wording.published(r.value_pct)}"
                         for r in paired.itertuples()],
        "gap_pts": paired["gap_pts"], "position": paired["position"], "confidence": paired["confidence"],
        "statistic": paired["statistic"], "population": paired["population"], "source_url": paired["source_url"],
    })
    alone = user[user["unit"].isin(["rate", "lifetime"]) & ~user["figure"].isin(set(paired["figure"]))]
    lonely = pd.DataFrame({"metric": alone["figure"], "period": [wording.period_label(r) for _, r in alone.iterrows()],
                           "your_pct": alone["value"], "your_ci_low_pct": alone["ci_low"],
                           "your_ci_high_pct": alone["ci_high"], "your_customers": alone["trials"]})
    out = pd.concat([out, lonely], ignore_index=True).reindex(columns=COLUMNS)
    numeric = ["your_pct", "your_ci_low_pct", "your_ci_high_pct", "benchmark_pct", "gap_pts"]
    out[numeric] = out[numeric].astype(float)
    out["your_customers"] = out["your_customers"].astype("Int64")
    return out


@cli.command("benchmark",
             "Your customer retention/churn, revenue retention, repeat purchase rate and cohort curves next to "
             "published industry figures of the same metric and period, with the gap in points and whether "
             "your 95% interval clears each figure. Each row names the source, year and confidence.",
             _arguments)
def _benchmark(args: argparse.Namespace, con) -> pd.DataFrame:
    benchmarks = pick_industries(load_benchmarks(args.benchmarks), args.industry)
    can = compare.figures.available(con).iloc[0]
    default = [f for f in definitions.FIGURES if f != "customer_churn"]  # churn is retention seen from the other side
    wanted = [f for f in (args.metric or default) if bool(can[f])]
    if args.metric and not wanted:
        raise cli.DataProblem(f"your data cannot produce {', '.join(args.metric)} "
                           "(see the definitions with --help)")
    months, days = compare.curve_horizons(benchmarks)
    iso = {k: (getattr(args, k).isoformat() if getattr(args, k) else None)
           for k in ("date_from", "date_to", "first_from", "first_to", "as_of")}
    try:
        user = compare.user_figures(con, wanted=wanted, period=args.period, basis=args.basis,
                                    inactive_days=args.inactive_days, months=months, days=days,
                                    **iso)
    except churn.NoChurnData as exc:
        raise cli.DataProblem(cli.no_dates_problem(con, str(exc))) from exc
    paired = compare.table(user, benchmarks)
    basis = churn.basis_info(con, basis=args.basis, as_of=iso["as_of"]).iloc[0] if "customer_retention" in wanted \
        or "customer_churn" in wanted else None
    note = f"analysis date {churn.resolve_as_of(con, iso['as_of'])}"
    if basis is not None:
        note += f"; customer retention basis {basis['basis']}"
        if basis["basis"] == "purchases":
            note += f", inactivity window {args.inactive_days} days"
    print(f"benchmark: {note}; {len(benchmarks)} benchmark rows for "
          f"{'the industries given' if args.industry else 'every industry'}", file=sys.stderr)
    return rows_for_output(user, paired)


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="benchmark CSV to check (default: the shipped data/benchmarks.csv)")


@cli.command("check-benchmarks",
             "Check a benchmark file (the shipped one by default) without any data: every row must have a known "
             "metric, a period that fits it, a value, a year, a publisher, a source URL and a definition. "
             "Prints the rows per metric and period; exit code 2 with the reasons when a row is rejected.",
             _check_arguments, needs_data=False)  # prints CSV by default, like every command
def _check(args: argparse.Namespace, _con) -> pd.DataFrame:
    path = Path(args.file) if args.file else catalog.SHIPPED
    good, rejected = read_benchmarks(path)
    if len(rejected):
        lines = [f"row {r.row} ({r.industry or '?'}, {r.metric or '?'}): {wording.REJECT_REASONS[r.reason]}"
                 for r in rejected.itertuples()]
        raise cli.BadInput(f"file {path.name!r}: {len(rejected)} of {len(good) + len(rejected)} rows rejected\n  "
                           + "\n  ".join(lines))
    return good.groupby(["metric", "period"]).size().rename("rows").reset_index()
