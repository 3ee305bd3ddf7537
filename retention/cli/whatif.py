"""`python -m retention whatif`: "+X retention → how much more profit?" as JSON.

Inputs the data can give (active customers, retention, ARPU, new customers, churn-reason shares) are
measured from the files when they are not given on the command line; with all of them given, no file
is needed. Prints the inputs used (with their source), the scenario, and base / scenario / change for
every output of retention.scenarios.clv.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from retention import cli
from retention.metrics import churn, reasons
from retention.scenarios import clv, inputs, sbg, tenure
from retention.ui_text import whatif as wording
from retention.scenarios.scenario import Scenario, apply, equivalents

DEFAULT_YEARS = 5
MEASURABLE = ("active_customers", "retention", "arpu", "new_customers")
# model options applied when not given: their source is "default" (argparse keeps None, so given is told apart)
DEFAULTS = {"cac": 0.0, "discount_pct": 10.0, "margin_growth_pct": 0.0, "programme_cost": 0.0}
SOURCES = ("measured", "given", "default")


def _horizon(text: str) -> float:
    if text.strip().lower() in ("inf", "infinite", "infinity", "none"):
        return math.inf
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of periods or 'inf', not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("the horizon must be at least 1 period")
    return float(value)


def _arguments(parser: argparse.ArgumentParser) -> None:
    cli.add_common_options(parser)
    parser.set_defaults(format="json")
    parser.add_argument("--period", choices=list(clv.PERIODS_PER_YEAR), default="month",
                        help="period of retention, ARPU, new customers, programme cost and horizon (default month)")
    model = parser.add_argument_group("model")
    model.add_argument("--margin-pct", type=float, required=True, metavar="PCT",
                       help="gross margin, %% of revenue (margin per customer = ARPU × this)")
    model.add_argument("--cac", type=float, help="acquisition cost per new customer (default 0)")
    model.add_argument("--discount-pct", type=float, metavar="PCT",
                       help="annual discount rate, %% (default 10; converted to the period)")
    model.add_argument("--horizon", type=_horizon, default=None, metavar="PERIODS",
                       help=f"horizon in periods, or 'inf' (default {DEFAULT_YEARS} years)")
    model.add_argument("--margin-growth-pct", type=float, metavar="PCT",
                       help="growth of a customer's margin per year of tenure, %% (default 0)")
    model.add_argument("--programme-cost", type=float, metavar="MONEY",
                       help="cost of the retention programme per active customer per period (scenario only; "
                            "default 0)")
    given = parser.add_argument_group("inputs (measured from the files when not given)")
    given.add_argument("--retention", type=float, metavar="R", help="retention per period, a fraction (0.8)")
    given.add_argument("--arpu", type=float, metavar="MONEY", help="revenue per active customer per period")
    given.add_argument("--active-customers", type=float, metavar="N", help="active customers now")
    given.add_argument("--new-customers", type=float, metavar="A", help="new customers per period")
    given.add_argument("--reason-share-pct", type=float, metavar="PCT",
                       help="share of churned customers who gave --reason, %% (else measured)")
    measure = parser.add_argument_group("measurement")
    measure.add_argument("--basis", choices=["auto", *churn.BASES], default="auto",
                         help="who is active: from the customers file's dates, or from purchases (default auto)")
    measure.add_argument("--inactive-days", type=cli.positive_int, default=churn.DEFAULT_INACTIVE_DAYS, metavar="W",
                         help=f"purchase basis: lapsed W days after the last purchase "
                              f"(default {churn.DEFAULT_INACTIVE_DAYS})")
    measure.add_argument("--as-of", metavar="YYYY-MM-DD", type=cli.iso_date,
                         help="analysis date (default: the last date in the data)")
    scenario = parser.add_argument_group("scenario (one of; default --uplift-pp 5)")
    kinds = scenario.add_mutually_exclusive_group()
    kinds.add_argument("--uplift-pp", type=float, metavar="X", help="+X percentage points of retention")
    kinds.add_argument("--uplift-pct", type=float, metavar="X", help="+X %% relative retention")
    kinds.add_argument("--churn-cut-pct", type=float, metavar="X", help="−X %% churn")
    kinds.add_argument("--reason", metavar="NAME", help="remove --reason-cut-pct of the churn given this reason")
    scenario.add_argument("--reason-cut-pct", type=float, metavar="X", help="with --reason: %% of its churn removed")


def _scenario(args: argparse.Namespace) -> Scenario:
    if args.reason is not None:
        if args.reason_cut_pct is None:
            raise cli.BadInput("--reason needs --reason-cut-pct, e.g. --reason \"Too expensive\" --reason-cut-pct 50")
        share = None if args.reason_share_pct is None else args.reason_share_pct / 100
        return Scenario("reason", args.reason_cut_pct, args.reason, share)
    if args.reason_cut_pct is not None:
        raise cli.BadInput("--reason-cut-pct goes with --reason NAME")
    for kind, value in (("pp", args.uplift_pp), ("relative", args.uplift_pct), ("churn_cut", args.churn_cut_pct)):
        if value is not None:
            return Scenario(kind, value)
    return Scenario("pp", 5.0)


def _apply_defaults(args: argparse.Namespace) -> dict[str, str]:
    """Fill the model options not given with DEFAULTS; returns {option: "given" | "default"}."""
    sources = {}
    for name, default in DEFAULTS.items():
        sources[name] = "default" if getattr(args, name) is None else "given"
        if sources[name] == "default":
            setattr(args, name, default)
    return sources


def _check(args: argparse.Namespace) -> None:
    if args.retention is not None and not 0 <= args.retention < 1:
        raise cli.BadInput(f"--retention {args.retention:g}: give a fraction from 0 to below 1, e.g. 0.8 for 80%")
    for option, value in (("--arpu", args.arpu), ("--active-customers", args.active_customers),
                          ("--new-customers", args.new_customers), ("--cac", args.cac),
                          ("--programme-cost", args.programme_cost)):
        if value is not None and (value < 0 or not math.isfinite(value)):
            raise cli.BadInput(f"{option} {value:g}: must be a number ≥ 0")
    if not 0 <= args.margin_pct <= 100:
        raise cli.BadInput(f"--margin-pct {args.margin_pct:g}: give a percentage from 0 to 100")
    if args.discount_pct <= -100 or args.margin_growth_pct <= -100:
        raise cli.BadInput("--discount-pct and --margin-growth-pct must be above −100")
    if args.inactive_days < 1:
        raise cli.BadInput("--inactive-days must be at least 1")
    if args.reason_share_pct is not None and not 0 <= args.reason_share_pct <= 100:
        raise cli.BadInput("--reason-share-pct must be from 0 to 100")


def _measure(args: argparse.Namespace, scenario: Scenario) -> tuple[dict, dict, dict | None, Any]:
    """(measured values, measurement details, sBG fit or None, (reason label, share) or None) from the files."""
    if args.purchases is None and args.customers is None and not cli.uses_engine(args):
        missing = [f"--{name.replace('_', '-')}" for name in MEASURABLE if getattr(args, name) is None]
        if scenario.kind == "reason" and scenario.reason_share is None:
            missing.append("--reason-share-pct")
        raise cli.BadInput("give a purchases file or --customers FILE to measure the inputs, or give "
                           + ", ".join(missing))
    con = cli.source(args)
    params = {"period": args.period, "basis": args.basis, "inactive_days": args.inactive_days,
              "as_of": args.as_of}
    try:
        row = inputs.measure(con, **params).iloc[0].to_dict()
    except churn.NoChurnData as exc:
        try:  # a customers file with tenure and a churned flag but no dates: the tenure-implied estimate
            row = tenure.measure(con, period=args.period).iloc[0].to_dict()
        except churn.NoChurnData:
            raise cli.DataProblem(f"cannot measure retention: {cli.no_dates_problem(con, str(exc))}") from None
    details = {k: row[k] for k in ("basis", "as_of", "periods_used", "first_period", "last_period", "customers_start")}
    details["inactive_days"] = args.inactive_days if row["basis"] == "purchases" else None
    if row["basis"] == tenure.BASIS:  # an estimate: say from what
        details.update({k: row[k] for k in ("churn_month", "churn_month_low", "churn_month_high", "customer_months",
                                            "churned", "retention_low", "retention_high")})
        details["estimate"] = ("monthly churn = churned customers / customer-months of tenure (constant-hazard "
                               "lifetime MLE); the file has no dates")
    fitted = inputs.sbg_fit(con, **params)
    fit_row = fitted.iloc[0].to_dict() if len(fitted) else None
    share = None
    if scenario.kind == "reason" and scenario.reason_share is None:
        table = reasons.reason_counts(con)
        share = inputs.reason_share(table, scenario.reason)
        if share is None:
            known = ", ".join(repr(r) for r in table["reason"]) or "none"
            raise cli.DataProblem(f"no churn reason {scenario.reason!r} in the data; reasons: {known}")
    return row, details, fit_row, share


def _sbg_section(fit_row: dict, model: clv.Inputs) -> dict:
    a, b = fit_row["alpha"], fit_row["beta"]
    m, d, T = model.margin, model.discount, model.horizon
    return {
        "alpha": a, "beta": b, "alpha_se": fit_row["alpha_se"], "beta_se": fit_row["beta_se"],
        "log_likelihood": fit_row["log_likelihood"], "customers": fit_row["customers"],
        "cohorts": fit_row["cohorts"], "periods": fit_row["periods"], "curve": fit_row["mode"],
        "converged": fit_row["converged"],
        "new_customer_clv_end": sbg.residual_clv_end(m, a, b, 1, d, T),
        "new_customer_clv_end_infinite": sbg.residual_clv_end(m, a, b, 1, d),
        "new_customer_clv_start": m + sbg.residual_clv_end(m, a, b, 1, d, T - 1 if math.isfinite(T) else T),
        "expected_lifetime_periods": sbg.expected_residual_lifetime(a, b, 1),
        "retention_first_periods": [float(v) for v in sbg.retention_rate(a, b, range(1, 13))],
    }


@cli.command("whatif", "What-if: the profit effect of better retention (CLV, value of the customer base, profit "
                       "over a horizon, break-even programme cost), from measured or given inputs. JSON; every "
                       "input says its source: measured, given or default.",
             _arguments, needs_data=False)
def run(args: argparse.Namespace, _con) -> dict:
    option_sources = _apply_defaults(args)
    _check(args)
    scenario = _scenario(args)
    needs_files = any(getattr(args, name) is None for name in MEASURABLE) or (
        scenario.kind == "reason" and scenario.reason_share is None)
    measured, details, fit_row = {}, None, None
    if needs_files or args.purchases or args.customers:
        measured, details, fit_row, share = _measure(args, scenario)
        if share is not None:
            scenario = Scenario("reason", scenario.x, *share)
    values, sources = {}, {}
    for name in MEASURABLE:
        given = getattr(args, name)
        how = "measured from tenure" if measured.get("basis") == tenure.BASIS else "measured"
        values[name], sources[name] = (given, "given") if given is not None else (measured[name], how)
        if values[name] is None or (isinstance(values[name], float) and math.isnan(values[name])):
            raise cli.DataProblem(f"--{name.replace('_', '-')} could not be measured from the data "
                               f"(no amounts or no complete period); give it on the command line")
    horizon = args.horizon
    if horizon is None:
        horizon = float(round(DEFAULT_YEARS * clv.PERIODS_PER_YEAR[args.period]))
    model = clv.Inputs(active_customers=float(values["active_customers"]), retention=float(values["retention"]),
                       arpu=float(values["arpu"]), margin_pct=args.margin_pct, cac=args.cac,
                       new_customers=float(values["new_customers"]), discount_pct=args.discount_pct,
                       period=args.period, horizon=horizon, margin_growth_pct=args.margin_growth_pct,
                       programme_cost=args.programme_cost)
    applied = apply(model.retention, scenario)
    table = clv.compare(model, applied.retention)
    facts = clv.published_comparison(model, applied.retention)
    warnings = []
    if applied.capped:
        warnings.append(f"the scenario would reach {applied.uncapped:.1%} retention; capped at {applied.retention:.1%}")
    if applied.floored:
        warnings.append("the scenario would take retention below 0; floored at 0")
    if model.retention * (1 + model.growth) >= 1 + model.discount:
        warnings.append("retention × margin growth outgrows the discount rate: values without a horizon are infinite")
    result = {
        "period": args.period,
        "inputs": {
            **{name: {"value": values[name], "source": sources[name]} for name in MEASURABLE},
            "margin_pct": {"value": args.margin_pct, "source": "given"},
            "cac": {"value": args.cac, "source": option_sources["cac"]},
            "discount_pct_per_year": {"value": args.discount_pct, "source": option_sources["discount_pct"]},
            "horizon_periods": {"value": "inf" if math.isinf(horizon) else int(horizon),
                                "source": "given" if args.horizon is not None else "default"},
            "margin_growth_pct_per_year": {"value": args.margin_growth_pct,
                                           "source": option_sources["margin_growth_pct"]},
            "programme_cost": {"value": args.programme_cost, "source": option_sources["programme_cost"]},
        },
        "derived": {
            "margin_per_period": {"value": model.margin, "formula": "arpu × margin_pct"},
            "discount_per_period": {"value": model.discount, "formula": "(1 + annual)^(1/periods per year) − 1"},
        },
        "measurement": details,
        "scenario": {
            "type": scenario.kind, "x": scenario.x,
            "label": wording.scenario_label(scenario.kind, scenario.x, args.period, scenario.reason),
            "reason": scenario.reason, "reason_share": scenario.reason_share,
            "retention_base": model.retention, "retention_scenario": applied.retention,
            "retention_uncapped": applied.uncapped, "capped": applied.capped,
            "equivalents": equivalents(model.retention, applied.retention),
        },
        "outputs": {row.output: {"base": row.base, "scenario": row.scenario, "change": row.change,
                                 "change_pct": row.change_pct} for row in table.itertuples()},
        "break_even_programme_cost": clv.break_even(model, applied.retention),
        "headline": {**clv.headline(model, applied.retention), "published_range_pct": list(clv.PUBLISHED_RANGE_PCT),
                     **facts, "explanation": wording.published_explanation(facts)},
        "sbg": _sbg_section(fit_row, model) if fit_row else None,
        "warnings": warnings,
    }
    return result  # cli.emit rounds and writes null for NaN/infinity (cli.formatting)
