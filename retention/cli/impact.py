"""`python -m retention impact`: did a retention programme work? Before/after a launch date (--launch-date) or
members against comparable non-members: members marked by a segment column (--member-column), by a column of
join dates (--member-join-column: retention after joining, matched on the history before it) or by a list of ids
beside the dataset (--members FILE: one id per line, optionally a join date after a comma); see
retention.metrics.impact for the methods.
JSON: one object (design, k, effect_pp, ci_low_pp, ci_high_pp, treated_customers, control_customers, method (a
code of metrics.impact.METHODS) and method_text,
warnings as the page words them, warning_codes, …); CSV: the same as one row (warnings joined by ' | ').
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

from retention import cli, ui_text
from retention.metrics import cohorts, impact


def _k(text: str) -> int:
    value = cli.positive_int(text)
    if value > impact.MAX_K:
        raise argparse.ArgumentTypeError(f"k must be at most {impact.MAX_K}, not {value}")
    return value


def _arguments(parser: argparse.ArgumentParser) -> None:
    design = parser.add_mutually_exclusive_group(required=True)
    design.add_argument("--launch-date", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="before/after design: month cohorts starting on or after this date against those before, "
                             "measured against the pre-launch trend")
    design.add_argument("--member-column", metavar="COLUMN",
                        help="members design: the segment column marking members (map it with --map segment=COLUMN "
                             "or --customers-map segment=COLUMN)")
    design.add_argument("--member-join-column", metavar="COLUMN",
                        help="members design with join dates: a segment column holding each member's join date "
                             "(empty for non-members; map it with --map segment=COLUMN or --customers-map "
                             "segment=COLUMN); retention is counted from the join month against non-members of the "
                             "same cohort at the same month, matched on what they did before it")
    design.add_argument("--members", metavar="FILE",
                        help="members design from a list beside the dataset: a CSV or text file with one customer id "
                             "per line and optionally the join date in a second column (id,join_date); with dates, "
                             "retention is counted from the join month")
    parser.add_argument("--member-value", action="append", default=[], metavar="VALUE",
                        help="a value of --member-column that means member (repeatable; default: values such as yes, "
                             "true, 1, member)")
    parser.add_argument("--match-segment", metavar="COLUMN", help="members design: also match on this segment column")
    parser.add_argument("--k", type=_k, default=3, metavar="N",
                        help=f"retention at month N after the first purchase (1–{impact.MAX_K}, default 3)")
    parser.add_argument("--as-of", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="analysis date: nothing after it is counted (default: the last date in the data)")


def _check_columns(con, *columns: str | None) -> pd.DataFrame:
    """The dataset's segment values (cohorts.attribute_values), after checking that each named column is one."""
    table = cohorts.attribute_values(con)
    attributes = sorted(set(table["attribute"]))
    for column in filter(None, columns):
        if column not in attributes:
            listed = ", ".join(repr(a) for a in attributes) or "none"
            raise cli.DataProblem(f"there is no segment column {column!r} (segment columns: {listed}); to use another "
                                  f"column add --map segment=COLUMN or --customers-map segment=COLUMN")
    return table


def _member_values(args: argparse.Namespace, con) -> list[str]:
    table = _check_columns(con, args.member_column, args.match_segment)
    values = impact.column_values(table, args.member_column)
    chosen = args.member_value or impact.member_values_guess(values)
    missing = [v for v in chosen if v not in values]
    if not chosen or missing:
        listed = ", ".join(repr(v) for v in values[:20])
        problem = (f"no value {missing[0]!r} in column {args.member_column!r}" if missing
                   else f"none of the values of {args.member_column!r} looks like 'member'")
        raise cli.DataProblem(f"{problem}; say which values mean member with --member-value (values: {listed})")
    return chosen


def _join_column(args: argparse.Namespace, con) -> dict:
    _check_columns(con, args.member_join_column, args.match_segment)
    dates = impact.join_dates_from_column(con, args.member_join_column)
    if not dates["ids"]:
        shown = "; ".join(f"customer {i!r}: {t!r}" for i, t in dates["bad"][:3]) or "the column is empty"
        raise cli.DataProblem(f"column {args.member_join_column!r} holds no join date that can be read ({shown}); "
                              "write dates as YYYY-MM-DD")
    return dates


def _member_file(path: str) -> dict:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise cli.BadInput(f"--members: file {file.name!r} not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise cli.BadInput(f"--members: file {file.name!r} cannot be read as UTF-8 text ({error})") from None
    members = impact.read_member_list(text)
    if not members["all_ids"]:
        raise cli.BadInput(f"--members: file {file.name!r} lists no customer ids (one per line, first column)")
    if members["dated"] and not members["ids"]:
        lines = {cell: n for n, cell in enumerate(_first_cells(text), start=1)}
        shown = "; ".join(f"line {lines.get(i, '?')}: {t!r}" for i, t in members["bad"][:3])
        raise cli.BadInput(f"--members: file {file.name!r}, column 2 (join date): no date can be read ({shown}); "
                           "write dates as YYYY-MM-DD")
    return members


def _first_cells(text: str) -> list[str]:
    import csv
    import io

    return [(row[0].strip().strip('"') if row else "") for row in csv.reader(io.StringIO(text))]


def _number(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value.item() if hasattr(value, "item") else value


@cli.command("impact", "Did it work? The effect of a retention programme on month-k retention: before/after a "
                       "launch date against the pre-launch trend, or members against matched non-members; "
                       "effect in points with a 95% interval, and the warnings.", _arguments)
def run(args: argparse.Namespace, con):
    if cohorts.default_as_of(con) is None:
        raise cli.DataProblem(cli.no_dates_problem(con, "the purchases have no dates to form cohorts with"))
    if args.launch_date:
        bundle = impact.launch_effect(con, launch=args.launch_date, k=args.k, as_of=args.as_of)
    elif args.member_join_column:
        dates = _join_column(args, con)
        bundle = impact.joined_effect(con, k=args.k, member_ids=dates["ids"], join_dates=dates["dates"],
                                      undated_ids=dates["undated"], segment=args.match_segment, as_of=args.as_of)
    elif args.members:
        members = _member_file(args.members)
        if args.match_segment:
            _check_columns(con, args.match_segment)
        if members["dated"]:
            bundle = impact.joined_effect(con, k=args.k, member_ids=members["ids"], join_dates=members["dates"],
                                          undated_ids=members["undated"], segment=args.match_segment,
                                          as_of=args.as_of)
        else:
            bundle = impact.member_effect(con, k=args.k, member_ids=members["all_ids"], segment=args.match_segment,
                                          as_of=args.as_of)
    else:
        bundle = impact.member_effect(con, k=args.k, member_column=args.member_column,
                                      member_values=_member_values(args, con), segment=args.match_segment,
                                      as_of=args.as_of)
    result = bundle["result"]
    out = {key: _number(value) for key, value in impact.summary_row(result).items()}
    out["method_text"] = ui_text.impact_method(result["method"])
    out["warning_codes"] = list(result["warnings"])
    out["warnings"] = [ui_text.impact_warning(code, result) for code in result["warnings"]]
    out["sentence"] = ui_text.impact_sentence(result).replace("**", "")
    if args.launch_date:
        out["launch_date"] = args.launch_date
        out["seasonal_terms"] = bool(result["seasonal"])
        out["pre_trend_pp_per_month"] = _number(result["slope_pp"])
        out["year_earlier"] = {k: _number(v) for k, v in result["year_earlier"].items()} if result["year_earlier"] \
            else None
    if args.format == "csv":
        row = {k: v for k, v in out.items() if not isinstance(v, dict)}
        row["warnings"], row["warning_codes"] = " | ".join(out["warnings"]), " ".join(out["warning_codes"])
        return pd.DataFrame([row])
    return out
