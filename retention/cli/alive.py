"""`python -m retention alive`: who is still a customer (BG/NBD + Gamma-Gamma, retention/metrics/btyd.py).

`--format json` prints the fit (model, time_unit, params r/alpha/a/b in that unit with standard errors,
log_likelihood, customers, calibration_end, gamma_gamma or null); `--format csv` (default) one row per customer.
A line on stderr says what the fit was based on, and whether the holdout check supports it.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

import pandas as pd

from retention import cli
from retention.metrics import btyd

CSV_COLUMNS = ["customer", "frequency", "recency_days", "age_days", "p_alive", "expected_purchases",
               "expected_value", "rfm_segment"]
DECIMALS = {"p_alive": 4, "expected_purchases": 4, "expected_value": 2}


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--calibration-end", type=cli.iso_date, metavar="YYYY-MM-DD",
                        help="fit on the purchases up to this day (default: the last purchase day)")
    parser.add_argument("--horizon-days", type=cli.positive_int, default=btyd.DEFAULT_HORIZON_DAYS, metavar="N",
                        help=f"expected purchases over the next N days (default {btyd.DEFAULT_HORIZON_DAYS})")
    parser.add_argument("--time-unit", choices=list(btyd.TIME_UNITS), default=btyd.DEFAULT_TIME_UNIT,
                        help=f"unit of the fit's alpha (default {btyd.DEFAULT_TIME_UNIT}, as in the paper)")


def rfm_segments(con) -> pd.Series | None:
    """customer_id → RFM segment from retention.metrics.rfm when that module exists (None otherwise)."""
    if importlib.util.find_spec("retention.metrics.rfm") is None:
        return None
    from retention.metrics import rfm

    table = rfm.segments(con)
    return table.set_index("customer_id")["segment"]


@cli.command("alive",
             "Who is still a customer: the BG/NBD model (Fader, Hardie & Lee 2005) fitted by maximum likelihood on "
             "one transaction per customer and day (positive amounts), with the Gamma-Gamma spend model. CSV: per "
             "customer the repeat purchase days (frequency), first to last purchase (recency_days), first purchase "
             "to the calibration end (age_days), P(alive), expected purchases over the horizon and expected value "
             "per purchase; JSON: the fitted parameters.",
             _arguments)
def _alive(args: argparse.Namespace, con) -> pd.DataFrame | dict:
    try:
        fit, frame = btyd.customers(con, args.calibration_end, horizon_days=args.horizon_days,
                                    time_unit=args.time_unit)
    except btyd.NoModelData as exc:
        raise cli.DataProblem(cli.no_dates_problem(con, f"the model cannot be fitted: {exc}")) from None
    note = (f"BG/NBD fitted on {fit.customers} customers up to {fit.calibration_end:%Y-%m-%d} "
            f"(time unit: {fit.time_unit})")
    if not fit.converged:
        note += "; warning: the fit did not converge"
    if fit.gamma_gamma is None:
        note += "; no spend model (no amounts, or too few repeat buyers)"
    elif fit.gamma_gamma.correlated:
        note += (f"; warning: frequency and value are correlated ({fit.gamma_gamma.correlation:.2f}), "
                 f"which the spend model assumes they are not")
    print(note, file=sys.stderr)
    if args.format == "json":
        return fit.to_dict()
    segments = rfm_segments(con)
    out = frame.rename(columns={"customer_id": "customer"})
    out["rfm_segment"] = out["customer"].map(segments) if segments is not None else None
    return out[CSV_COLUMNS].round(DECIMALS)
