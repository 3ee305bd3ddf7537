"""`python -m retention matrix` (the cohort retention matrix) and `python -m retention curve` (the average
retention curve). Both print one row per line (CSV by default); see retention.metrics.cohorts for the
definitions. Cells beyond the analysis date are not printed; reached cells where nobody returned are.
"""

from __future__ import annotations

import argparse

import pandas as pd

from retention import cli, store
from retention.metrics import cohorts

MATRIX_COLUMNS = ["cohort", "period", "cohort_size", "active", "retention_pct", "complete", "small_sample"]
CURVE_COLUMNS = ["period", "cohorts", "customers", "retained", "retention_pct", "ci_low_pct", "ci_high_pct",
                 "small_sample"]
REVENUE_COLUMNS = ["revenue", "revenue_per_customer"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", choices=cohorts.GRAINS, default="month",
                        help="cohort and period length: week (Monday–Sunday calendar weeks), month or quarter "
                             "(default month)")
    parser.add_argument("--mode", choices=cohorts.MODES, default="classic",
                        help="classic = bought in period k; rolling = bought in period k or later; revenue = revenue "
                             "in period k over revenue in period 0; survival = not cancelled by the end of period k "
                             "(customers file). Default classic")
    parser.add_argument("--cohort-by", choices=cohorts.COHORT_BASES, default="first_purchase",
                        help="cohort by the period of the first purchase with a positive amount (default), or of "
                             "the signup date in the customers file")
    parser.add_argument("--as-of", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="analysis date: nothing after it is counted; periods not ended by then are incomplete "
                             "(default: the last date in the data)")
    parser.add_argument("--segment", metavar="COLUMN",
                        help="split by this segment column (make a column a segment with --map segment=COLUMN or "
                             "--customers-map segment=COLUMN)")
    parser.add_argument("--filter", action="append", default=[], metavar="COLUMN=VALUE",
                        help="keep only customers with this segment value (repeatable: values of one column are "
                             "alternatives, different columns must all match)")
    parser.add_argument("--cohorts-from", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="keep cohorts whose period starts on or after this date")
    parser.add_argument("--cohorts-to", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="keep cohorts whose period starts on or before this date")
    parser.add_argument("--min-customers", type=cli.positive_int, default=cohorts.MIN_CUSTOMERS, metavar="N",
                        help=f"flag cells and points resting on fewer than N customers as small_sample "
                             f"(default {cohorts.MIN_CUSTOMERS})")


def _curve_arguments(parser: argparse.ArgumentParser) -> None:
    _arguments(parser)
    parser.add_argument("--average", choices=cohorts.AVERAGES, default="weighted",
                        help="weighted (default) = all retained customers over all customers of the cohorts that "
                             "completed the period, with a 95%% Wilson interval (Kaplan–Meier with Greenwood's "
                             "interval in survival mode); simple = unweighted mean of the cohorts' percentages, "
                             "no interval")


def _filters(pairs: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in pairs:
        column, sep, value = pair.partition("=")
        if not sep or not column:
            raise cli.BadInput(f"--filter {pair!r}: expected COLUMN=VALUE, for example --filter channel=Email")
        out.setdefault(column, []).append(value)
    return out


def _segments(args: argparse.Namespace, con) -> dict[str, list[str]]:
    """The --filter options as {column: values}, after checking --segment and the filters name segment columns."""
    filters = _filters(args.filter)
    attributes = set(cohorts.attribute_values(con)["attribute"])
    for column in ([args.segment] if args.segment else []) + list(filters):
        if column not in attributes:
            listed = ", ".join(repr(a) for a in sorted(attributes)) or "none"
            raise cli.DataProblem(f"there is no segment column {column!r} (segment columns: {listed}); to use another "
                               f"column add --map segment=COLUMN or --customers-map segment=COLUMN")
    return filters


def _params(args: argparse.Namespace, con) -> dict:
    """Matrix parameters from the options, after checking the data can answer them."""
    available = cohorts.availability(con).iloc[0]
    filters = _segments(args, con)
    if args.cohort_by == "signup" and not available["customers_signup"]:
        raise cli.DataProblem("--cohort-by signup needs a customers file with signup dates (--customers FILE)")
    if args.mode == "revenue" and not available["has_amounts"]:
        raise cli.DataProblem("--mode revenue needs amounts in the purchases file")
    if args.mode != "survival" and not available["customers_first_purchase"]:
        raise cli.DataProblem(f"--mode {args.mode} needs a purchases file with positive amounts; with a customers file "
                           f"alone use --mode survival")
    if pd.isna(available["last_date"]):
        raise cli.DataProblem(cli.no_dates_problem(con, "the data has no dates"))
    return dict(period=args.period, mode=args.mode, cohort_by=args.cohort_by, as_of=args.as_of,
                segment=args.segment, filters=filters or None, cohort_from=args.cohorts_from,
                cohort_to=args.cohorts_to, min_customers=args.min_customers)


def _tenure_only(args: argparse.Namespace, con) -> bool:
    """Survival asked of a customers file with tenure and status but no cancel dates."""
    available = cohorts.availability(con).iloc[0]
    if args.mode != "survival" or available["customers_survival"]:
        return False
    if available["customers_tenure"]:
        return True
    raise cli.DataProblem("--mode survival needs a customers file with cancel dates (or with tenure and an "
                       "active/churned status)")


def _finish(frame: pd.DataFrame, columns: list[str], args: argparse.Namespace) -> pd.DataFrame:
    out = frame.rename(columns={"small": "small_sample"})
    out = out[(["segment"] if args.segment else []) + columns]
    return out.reset_index(drop=True)


def cohort_tables(args: argparse.Namespace) -> list[str]:
    """The derived tables matrix and curve read (cli.Command.tables): the RFM group attribute only when a
    segment is named (it may be the one chosen, and a wrong name's message lists the segment columns)."""
    segmented = bool(args.segment or args.filter)
    return ["derive_cohort_activity", "derive_cohort_attributes"] + ([store.RFM] if segmented else [])


@cli.command("matrix",
             "Cohort retention matrix: one row per reached cell (cohort × period k), including cells where nobody "
             "returned (active 0); cells beyond the analysis date are not printed. Columns: cohort (first day of "
             "the cohort period), period (k), cohort_size, active, retention_pct, complete (the period ended by the "
             "analysis date), small_sample (cohort smaller than --min-customers); revenue mode adds revenue and "
             "revenue_per_customer (cumulative to period k); --segment adds segment.",
             _arguments, tables=cohort_tables,
             grains=lambda args: [args.period])
def _matrix(args: argparse.Namespace, con) -> pd.DataFrame:
    if _tenure_only(args, con):
        raise cli.DataProblem("this customers file has tenure and status but no dates, so there are no calendar "
                           "cohorts; 'python -m retention curve --mode survival' prints the Kaplan–Meier curve "
                           "by tenure")
    frame = cohorts.matrix(con, **_params(args, con))
    frame["cohort"] = frame["cohort"].dt.strftime("%Y-%m-%d")
    return _finish(frame, MATRIX_COLUMNS[:4] + (REVENUE_COLUMNS if args.mode == "revenue" else [])
                   + MATRIX_COLUMNS[4:], args)


@cli.command("curve",
             "Average retention curve over the cohorts that completed each period (incomplete cells left out): "
             "period, cohorts, customers (sum of their sizes; at risk in survival mode), retained, retention_pct, "
             "ci_low_pct and ci_high_pct (95%), small_sample. In survival mode: Kaplan–Meier over the cohorts; for "
             "a customers file with tenure and status but no dates, Kaplan–Meier by tenure (period = tenure).",
             _curve_arguments, tables=cohort_tables,
             grains=lambda args: [args.period])
def _curve(args: argparse.Namespace, con) -> pd.DataFrame:
    if _tenure_only(args, con):
        filters = _segments(args, con)
        frame = cohorts.tenure_survival(con, segment=args.segment, filters=filters or None,
                                        min_customers=args.min_customers)
        frame["cohorts"] = pd.NA
        return _finish(frame, CURVE_COLUMNS, args)
    frame = cohorts.curve(con, average=args.average, **_params(args, con))
    extra = REVENUE_COLUMNS if args.mode == "revenue" else []
    return _finish(frame, CURVE_COLUMNS[:4] + extra + CURVE_COLUMNS[4:], args)
