"""`python -m retention drivers`: churn per value of every attribute that could explain churn, ranked by attribute.

One row per attribute value: attribute, value, customers, churned, churn_pct, ci_low_pct, ci_high_pct (Wilson
95%), diff_pp (points above everyone else), rank (1 = the attribute that explains most churn). stderr says how
churned was defined and which columns were left out, and why.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from retention import cli
from retention.metrics import churn, drivers

DECIMALS = 2


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inactive-days", type=cli.positive_int, default=churn.DEFAULT_INACTIVE_DAYS, metavar="W",
                        help="purchases only: a customer has churned (lapsed) with no purchase in the W days up to "
                             f"the last day of the data (default {churn.DEFAULT_INACTIVE_DAYS})")
    parser.add_argument("--top", type=cli.positive_int, metavar="N", help="only the N attributes ranked first")


@cli.command("drivers",
             "Churn drivers: churn per value of each attribute (segment columns, first-purchase attributes, numbers "
             "in quantile bins) with a Wilson 95% interval and the difference from everyone else in points; "
             "attributes ranked by bias-corrected Cramér's V, those beyond chance (chi-square, Holm-corrected) first. "
             "Columns restating the outcome (churn label, score, reason, status, cancel date, CLTV) and identifiers "
             "are never drivers.",
             _arguments)
def _drivers(args: argparse.Namespace, con) -> pd.DataFrame:
    try:
        found = drivers.drivers(con, inactive_days=args.inactive_days)
    except drivers.NoDrivers as exc:
        raise cli.DataProblem(str(exc)) from None
    how = found["definition"]
    note = (f"churned: marked churned in the customers file" if how["basis"] == "customers" else
            f"churned: no purchase in the {how['inactive_days']} days up to {how['as_of']:%Y-%m-%d}")
    note += f"; {found['churned']:,} of {found['customers']:,} customers"
    if len(found["excluded"]):
        note += "; left out: " + ", ".join(f"{r.column} ({r.reason})" for r in found["excluded"].itertuples())
    print(note, file=sys.stderr)
    values = found["values"]
    if args.top is not None:
        values = values[values["rank"] <= args.top]
    out = values[["attribute", "value", "customers", "churned", "churn_pct", "ci_low_pct", "ci_high_pct", "diff_pp",
                  "rank"]].reset_index(drop=True)
    return out.round({c: DECIMALS for c in ("churn_pct", "ci_low_pct", "ci_high_pct", "diff_pp")})
