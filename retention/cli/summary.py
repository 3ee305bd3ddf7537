"""`python -m retention summary`: the headline figures (retention/metrics/headline.py), JSON by default, each
with its value, period, window, definition and the customers behind it: the numbers the Overview shows."""

from __future__ import annotations

import argparse
import math

from retention import cli, ui_text
from retention.cli import formatting
from retention.metrics import churn, headline


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--basis", choices=["auto", *churn.BASES], default="auto",
                        help="who is active: 'customers' (customers file dates) or 'purchases' (first purchase until "
                             "W days after the last); auto as on the pages")
    parser.add_argument("--inactive-days", type=cli.positive_int, default=churn.DEFAULT_INACTIVE_DAYS, metavar="W",
                        help=f"purchases basis: inactivity window in days (default {churn.DEFAULT_INACTIVE_DAYS})")
    parser.add_argument("--as-of", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="analysis date (default: the last date in the data)")
    parser.add_argument("--no-model", action="store_true",
                        help="purchases basis: leave out the purchase model's figures (expected active customers, "
                             "model churn) and its check, which fit the BG/NBD model (seconds on a large shop)")
    parser.set_defaults(format="json")


def _number(value):
    """A float, or None for a missing value; cli.formatting rounds it ("unit": "%" → 2 decimals)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _day(value):
    return None if value is None or value != value else value.isoformat()


def figures(frame) -> dict:
    """summary() rows as the command prints them: {figure: {value, unit, period, window, definition, …}}."""
    out = {}
    for row in frame.to_dict("records"):
        item = {"value": _number(row["value"]), "unit": "%", "ci_95": [_number(row["ci_low"]), _number(row["ci_high"])],
                "period": row["period"], "window": {"start": _day(row["window_start"]), "end": _day(row["window_end"])},
                "definition": ui_text.headline_definition(row["figure"], row["method"]), "method": row["method"],
                "customers": int(row["customers"]), "successes": int(row["successes"])}
        if row.get("basis") in churn.BASES:
            item["basis"] = row["basis"]
        if row["figure"] == "tenure_churn_month":
            item["customer_months"] = _number(row["exposure"])
        if row["figure"] == "revenue_at_risk_month":
            item["amount_per_month"], item["charges_column"] = _number(row["amount"]), row["column"]
        if row["method"] == "bgnbd":
            item["source"] = "purchase model (BG/NBD)"
            item["expected_customers"] = _number(row["expected"])  # Σ P(alive) behind `customers` (rounded)
        if isinstance(row.get("check"), dict):
            item["headline"] = bool(row["headline"])
            item["model_check"] = _check(row["check"])
        out[row["figure"]] = item
    return out


def _check(check: dict) -> dict:
    """headline.model_check() as JSON: check (code), used, the holdout numbers, and why in words."""
    out = {"check": check["check"], "used": bool(check["used"])}
    for key in ("total_predicted", "total_actual", "total_error", "frequency_error", "dropout"):
        out[key] = None if check[key] is None or check[key] != check[key] or math.isinf(check[key]) \
            else float(check[key])
    for key in ("calibration_end", "holdout_end"):
        out[key] = None if check[key] is None else check[key].isoformat()
    out["note"] = ui_text.model_headline_note(check)
    return out


@cli.command("summary", "The headline figures (customer retention and churn per month and per year, month-1 cohort "
                        "retention, repeat-purchase rate, share churned): value, period, window, definition and "
                        "customers behind each, as the Overview shows them.", _arguments,
             tables=lambda args: ["derive_cohort_activity", "derive_cohort_attributes"],
             grains=lambda args: ["month"])
def _summary(args: argparse.Namespace, con):
    frame = headline.summary(con, basis=args.basis, inactive_days=args.inactive_days, as_of=args.as_of,
                             model=not args.no_model)
    result = figures(frame)
    if args.format == "csv":  # flattened after rounding: the CSV's value/ci_low/ci_high keep what the JSON says
        result = formatting.tidy_value(result)
        import pandas as pd

        return pd.DataFrame([{"figure": k, **{c: v for c, v in item.items() if c not in ("window", "ci_95",
                                                                                            "model_check")},
                              "window_start": item["window"]["start"], "window_end": item["window"]["end"],
                              "ci_low": item["ci_95"][0], "ci_high": item["ci_95"][1]} for k, item in result.items()])
    return result
