"""`python -m retention churn` (CRR per period) and `python -m retention reasons` (why customers leave).

Both print a table (CSV by default). `churn` also writes one line on stderr saying which basis, analysis
date and inactivity window were used, so that the numbers can be reproduced.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from retention import cli
from retention.metrics import churn, overview, reasons

CHURN_COLUMNS = ["period_start", "customers_start", "new_customers", "lost", "customers_end", "crr_pct",
                 "churn_pct", "complete"]
ALTERNATIVE_COLUMNS = ["alt_new_customers", "alt_lost", "alt_crr_pct", "alt_churn_pct", "difference_pp",
                       "annualised_crr_pct"]


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage, not {text!r}") from None
    if not 0 <= value < 100:
        raise argparse.ArgumentTypeError("the share must be at least 0 and below 100")
    return value


def _churn_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", choices=churn.PERIODS, default="month",
                        help="calendar period: week (Monday–Sunday), month, quarter or year (default month)")
    parser.add_argument("--basis", choices=["auto", *churn.BASES], default="auto",
                        help="who is active: 'customers' = signed up and not yet cancelled (customers file dates); "
                             "'purchases' = from the first purchase until W days after the last; "
                             "auto = customers when the customers file has signup dates and says who churned")
    parser.add_argument("--inactive-days", type=cli.positive_int, default=churn.DEFAULT_INACTIVE_DAYS, metavar="W",
                        help=f"purchases basis: a customer lapses W days after their last purchase "
                             f"(default {churn.DEFAULT_INACTIVE_DAYS}; stderr shows a hint from the data)")
    parser.add_argument("--as-of", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="analysis date: the last period ends here (default: the last date in the data)")
    parser.add_argument("--alternative", action="store_true",
                        help="add the alternative convention (joiners who left in the same period left out) "
                             "and the annualised CRR")


@cli.command("churn",
             "Customer retention rate per period: CS = active at the start (first instant of the period), "
             "CN = new during it, CE = active at the end (end of its last day); CRR = (CE − CN)/CS × 100, "
             "churn = 100 − CRR, lost = CS + CN − CE. Events happen during their day: a signup on the first "
             "day is new in that period, a cancel or lapse on the last day is lost in it.",
             _churn_arguments, tables=lambda args: ["derive_cohort_days"],
             grains=lambda args: ["month"])
def _churn(args: argparse.Namespace, con) -> pd.DataFrame:
    try:
        info = churn.basis_info(con, basis=args.basis, as_of=args.as_of).iloc[0]
        frame = churn.retention_by_period(con, period=args.period, basis=info["basis"],
                                          inactive_days=args.inactive_days, as_of=args.as_of)
        hint = churn.inactivity_hint(con, as_of=args.as_of).iloc[0] if info["basis"] == "purchases" else None
    except churn.NoChurnData as exc:
        raise cli.DataProblem(cli.no_dates_problem(con, str(exc))) from None
    note = f"basis: {info['basis']}; as of {info['as_of']:%Y-%m-%d}"
    if hint is not None:
        note += f"; inactivity window {args.inactive_days} days"
        if pd.notna(hint["p90_days"]):
            note += f" (90% of gaps between a customer's purchases are {hint['p90_days']:.0f} days or less)"
    if frame["warm_up"].any():
        note += (f"; warm-up: up to {frame.loc[frame['warm_up'], 'period_end'].max():%Y-%m-%d} nobody can have "
                 f"lapsed yet (less than {args.inactive_days} days of data)")
    if info["basis"] == "customers" and (info["churned_without_date"] or info["without_signup"]):
        note += (f"; left out: {info['without_signup']} without a signup date, "
                 f"{info['churned_without_date']} churned without a cancel date")
    print(note, file=sys.stderr)
    columns = CHURN_COLUMNS + (ALTERNATIVE_COLUMNS if args.alternative else [])
    return frame[columns]


def _reasons_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--segment", metavar="COLUMN",
                        help="split by this segment column (one of the file's segment columns; make a column a "
                             "segment with --customers-map segment=COLUMN)")
    parser.add_argument("--min-share", type=_share, default=0.0, metavar="PCT",
                        help="fold reasons given by fewer than PCT %% of churned customers into 'Other' (default 0: "
                             "keep all)")
    parser.add_argument("--synonyms", metavar="FILE",
                        help="CSV with columns variant,reason mapping spellings to one reason (default: the "
                             "project's data/reason_synonyms.csv)")


@cli.command("reasons",
             "Why customers leave: churned customers per reason (trimmed, case- and spacing-insensitive, Unicode "
             "NFKC, synonyms merged; blanks as '(no reason given)'), with their share of all churned customers "
             "(or of the segment's churned customers with --segment).",
             _reasons_arguments)
def _reasons(args: argparse.Namespace, con) -> pd.DataFrame:
    synonyms = None
    if args.synonyms:
        try:
            synonyms = reasons.read_synonyms(args.synonyms)
        except (OSError, UnicodeDecodeError) as exc:
            raise cli.BadInput(f"synonyms file {args.synonyms!r} cannot be read ({exc})") from None
    if args.segment is None:
        table = reasons.reason_counts(con, synonyms=synonyms, min_share_pct=args.min_share)
        return table[["reason", "churned", "share_pct"]]
    available = overview.attributes(con)["attribute"].tolist()
    if args.segment not in available:
        listed = ", ".join(repr(a) for a in available) or "none"
        raise cli.DataProblem(f"there is no segment column {args.segment!r} (segment columns: {listed}); "
                           f"to use another column add --customers-map segment=COLUMN")
    table = reasons.reasons_by_segment(con, segment=args.segment, synonyms=synonyms, min_share_pct=args.min_share)
    table = table[table["churned"] > 0].sort_values(["segment", "churned"], ascending=[True, False], kind="stable")
    return table[["segment", "reason", "churned", "share_pct"]].reset_index(drop=True)
