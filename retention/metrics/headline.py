"""The headline figures of a dataset, each computed here once, with one definition and one window, so that
every page (Overview, Churn, Cohorts, Benchmarks, What-if) and `python -m retention summary` show the same
number. Built on retention.metrics.churn (periods), retention.metrics.cohorts (month-1 curve) and
retention.benchmarks.figures (repeat purchase).

Definitions (the words shown to users are in retention/ui_text/, HEADLINE):
- customer_retention_month: of the customers active at the start of a month, the share still active at its
  end (active at both instants, as the published benchmarks count it), pooled over the last SUMMARY_PERIODS
  complete months with customers (Σ retained / Σ CS); churn = 100 − retention.
- customer_retention_year: the same over one year measured directly: customers active at the start of the
  twelve months of the monthly window and still active at its end. When the data has no such year (fewer than
  twelve usable months) it is monthly retention to the power 12, and `method` says so; then
  customer_retention_span is the same share measured directly over the months the data has (period 'N months').
- month1_cohort_retention: of the customers whose first purchase was in one of the twelve calendar months
  before the last complete month, the share who bought again in the next calendar month (pooled); when those
  cohorts hold fewer than churn.SMALL_SAMPLE customers, every cohort before the last complete month.
- repeat_purchase_rate: of all buyers up to the analysis date, the share with two or more orders.
- share_churned: of the customers in the customers file with a known status, the share marked churned.
- tenure_churn_month: customers files with tenure but no dates: churned customers ÷ the customer-months of
  tenure of all customers (a rate per month of tenure), with a 95% exact Poisson interval.
- expected_active_customers, model_retention_month, model_churn_month (purchase data only, `model=True`): from the
  BG/NBD purchase model (retention.metrics.customers.model_churn, the Churn page's figures, period month):
  Σ P(alive) of the customers who bought by the analysis date (value = its share of them, %; `expected` the sum),
  and model retention per month = Σ expected kept ÷ Σ expected active at the start, pooled over the last
  SUMMARY_PERIODS complete months; churn = 100 − it. method 'bgnbd'. `headline` says which figures the Overview
  leads with: the model's when its calibration/holdout check passes (btyd.Verdict.fits, last quarter up to the
  analysis date held out) and the fit is not degenerate, else the inactivity window's; `check` says why
  (model_check()).
- revenue_at_risk_month: customers files with a monthly-charges column: the churned customers' monthly charges
  summed (`amount`, per month, in the file's currency), as a share of all customers' monthly charges (value).
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import numpy as np
import pandas as pd

from retention import sql
from retention.benchmarks import figures
from retention.metrics import churn, cohorts, stats

COLUMNS = ["figure", "value", "ci_low", "ci_high", "successes", "customers", "period", "window_start", "window_end",
           "method", "basis"]
FIGURES = ("customer_retention_month", "customer_churn_month", "customer_retention_year", "customer_churn_year",
           "customer_retention_span", "expected_active_customers", "model_retention_month", "model_churn_month",
           "month1_cohort_retention", "repeat_purchase_rate", "share_churned",
           "tenure_churn_month", "revenue_at_risk_month")
MONTHS = churn.SUMMARY_PERIODS  # complete months in the monthly window (and so one year)


def _row(figure: str, successes, trials, period: str, start, end, method: str, basis: str | None) -> dict:
    low, high = stats.wilson(successes, trials)
    return {"figure": figure, "value": 100 * successes / trials if trials else np.nan,
            "ci_low": 100 * float(low), "ci_high": 100 * float(high), "successes": int(successes),
            "customers": int(trials), "period": period, "window_start": start, "window_end": end,
            "method": method, "basis": basis}


def _churn_side(row: dict, figure: str) -> dict:
    """A retention row seen from the other side: 100 − value, interval swapped, successes = those lost."""
    return {**row, "figure": figure, "value": 100 - row["value"], "ci_low": 100 - row["ci_high"],
            "ci_high": 100 - row["ci_low"], "successes": row["customers"] - row["successes"]}


def _day(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def months_window(frame: pd.DataFrame) -> pd.DataFrame:
    """The months pooled in the monthly headline: the last MONTHS complete months with customers at the start,
    outside the warm-up (the rows of `churn.retention_by_period(period='month')` that churn.crr_summary uses)."""
    usable = frame["complete"] & (frame["customers_start"] > 0)
    if "warm_up" in frame:
        usable &= ~frame["warm_up"].astype(bool)
    return frame[usable].tail(MONTHS)


def _retention_rows(con, basis: str, inactive_days: int, as_of: dt.date) -> tuple[list[dict], dt.date | None]:
    """Monthly and annual retention and churn rows; and the last day of the last complete month."""
    frame = churn.retention_by_period(con, period="month", basis=basis, inactive_days=inactive_days,
                                      as_of=as_of.isoformat())
    complete = frame[frame["complete"]]
    last_month_end = _day(complete["period_end"].iloc[-1]) if len(complete) else None
    used = months_window(frame)
    if used.empty:
        return [], last_month_end
    cs = int(used["customers_start"].sum())
    retained = cs - int(used["alt_lost"].sum())
    start, end = _day(used["period_start"].iloc[0]), _day(used["period_end"].iloc[-1])
    month = _row("customer_retention_month", retained, cs, "month", start, end, "pooled", basis)
    got = sql.frame(con, "headline_window_retention", basis=basis, inactive_days=int(inactive_days),
                    start_day=start - dt.timedelta(days=1), end_day=end, as_of=as_of).iloc[0]
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == MONTHS:
        year = _row("customer_retention_year", int(got["retained"]), int(got["customers_start"]), "year", start,
                    end, "measured", basis)
        return [month, _churn_side(month, "customer_churn_month"), year,
                _churn_side(year, "customer_churn_year")], last_month_end
    value = float(churn.annualise(month["value"], "month"))
    year = {**month, "figure": "customer_retention_year", "value": value, "ci_low": float(
        churn.annualise(month["ci_low"], "month")), "ci_high": float(churn.annualise(month["ci_high"], "month")),
        "period": "year", "method": "monthly^12"}
    span = _row("customer_retention_span", int(got["retained"]), int(got["customers_start"]), f"{months} months",
                start, end, "measured", basis)
    return [month, _churn_side(month, "customer_churn_month"), year, _churn_side(year, "customer_churn_year"),
            span], last_month_end


def _purchase_rows(con, as_of: dt.date, last_month_end: dt.date | None) -> list[dict]:
    """Month-1 cohort retention and the repeat purchase rate (datasets with purchases)."""
    rows = []
    if last_month_end is not None:
        last_month = pd.Timestamp(last_month_end).replace(day=1)
        first, final = last_month - pd.DateOffset(months=MONTHS), last_month - pd.DateOffset(months=1)
        curve = cohorts.curve(con, period="month", mode="classic", cohort_from=first.date().isoformat(),
                              cohort_to=final.date().isoformat(), as_of=as_of.isoformat())
        at_1 = curve[curve["period"] == 1]
        data_start = pd.Timestamp(churn.bounds(con)["first_purchase_day"]).replace(day=1)
        if int(at_1["customers"].sum()) < churn.SMALL_SAMPLE and first > data_start:
            # a year of cohorts too small to read (CDNOW: every big cohort in 1997 Q1, two customers after): every
            # cohort that completed month 1 instead; the window says which months
            first = data_start
            curve = cohorts.curve(con, period="month", mode="classic", cohort_to=final.date().isoformat(),
                                  as_of=as_of.isoformat())
            at_1 = curve[curve["period"] == 1]
        if len(at_1) and int(at_1["customers"].sum()):
            rows.append(_row("month1_cohort_retention", int(at_1["retained"].sum()), int(at_1["customers"].sum()),
                             "month", max(first, data_start).date(), (last_month - pd.Timedelta(days=1)).date(),
                             "pooled", None))
    repeat = figures.repurchase(con, as_of=as_of.isoformat(), months=[], days=[])
    life = repeat[repeat["unit"] == "lifetime"]
    if len(life) and int(life["eligible"].sum()):
        first_day = _day(churn.bounds(con)["first_purchase_day"])
        rows.append(_row("repeat_purchase_rate", int(life["repurchased"].sum()), int(life["eligible"].sum()),
                         "lifetime", first_day, as_of, "to date", None))
    return rows


def _customer_file_rows(con) -> list[dict]:
    """Share churned and the churn rate implied by tenure, from what the customers file states."""
    got = sql.frame(con, "headline_customers").iloc[0]
    rows = []
    if int(got["with_status"]):
        rows.append(_row("share_churned", int(got["churned"]), int(got["with_status"]), "status", None, None,
                         "flag", None))
    exposure = float(got["tenure_total"]) if pd.notna(got["tenure_total"]) else 0.0
    if int(got["with_tenure"]) and exposure > 0:
        rate, low, high = stats.poisson_rate(int(got["churned_with_tenure"]), exposure)
        rows.append({"figure": "tenure_churn_month", "value": 100 * rate, "ci_low": 100 * low, "ci_high": 100 * high,
                     "successes": int(got["churned_with_tenure"]), "customers": int(got["with_tenure"]),
                     "period": "month", "window_start": None, "window_end": None, "method": "tenure",
                     "basis": None, "exposure": exposure})
    return rows


def _basis_and_day(con, basis: str, as_of: str | dt.date | None) -> tuple[dict, str | None, dt.date | None]:
    """(churn.bounds(), the basis chosen for `basis`, the analysis day); basis and day None when churn cannot be
    measured (churn.NoChurnData)."""
    info = churn.bounds(con)
    try:
        return info, churn.choose_basis(info, basis), churn.resolve_as_of(con, as_of)
    except churn.NoChurnData:
        return info, None, None


def retention_figures(con, *, basis: str = "auto", inactive_days: int = churn.DEFAULT_INACTIVE_DAYS,
                      as_of: str | dt.date | None = None) -> pd.DataFrame:
    """Only the customer retention and churn rows of summary() (month, year, span): what the Benchmarks and
    What-if pages need, without the cohort and repeat-purchase queries. Empty when churn cannot be measured."""
    _, chosen, day = _basis_and_day(con, basis, as_of)
    if chosen is None:
        return pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame(_retention_rows(con, chosen, inactive_days, day)[0], columns=COLUMNS)


CHARGES = re.compile(r"monthly.*(charge|fee|revenue|amount|price|payment|bill)|^mrr$|monthly.?recurring", re.I)


def charges_column(con) -> str | None:
    """The customers file's monthly-charges column (a name like 'Monthly Charges', 'monthly_fee', 'MRR'), or None.
    Only on a DuckDB dataset, whose customers table keeps the file's other columns."""
    if not isinstance(con, duckdb.DuckDBPyConnection):
        return None
    names = [r[0] for r in con.execute("select column_name from information_schema.columns "
                                       "where table_name = 'customers' order by ordinal_position").fetchall()]
    return next((n for n in names if CHARGES.search(n.replace("_", " "))), None)


def _charges_row(con) -> dict | None:
    """revenue_at_risk_month: the churned customers' monthly charges, as a share of all monthly charges."""
    column = charges_column(con)
    if column is None:
        return None
    sql.create_projection(con, "customer_charges", "customers",
                          {"customer_id": "customer_id", "churned": "churned", "charge_raw": column}, [])
    got = sql.frame(con, "headline_charges").iloc[0]
    if not int(got["churned_with_charge"]) or not got["all_charges"]:
        return None
    return {"figure": "revenue_at_risk_month", "value": 100 * float(got["churned_charges"]) / float(got["all_charges"]),
            "ci_low": np.nan, "ci_high": np.nan, "successes": int(got["churned_with_charge"]),
            "customers": int(got["with_charge"]), "period": "month", "window_start": None, "window_end": None,
            "method": "charges", "basis": None, "amount": float(got["churned_charges"]), "column": column}


MODEL_CHECKS = ("fits", "total", "by_frequency", "not_converged", "no_holdout_purchases", "degenerate", "no_fit",
                "no_check")  # model_check()['check'] codes; only 'fits' puts the model in the headline


def model_check(con, as_of: dt.date | str) -> dict:
    """Whether the purchase model may lead the headline, and why (not): the calibration/holdout check of
    btyd.validate with the last quarter of the data up to as_of held out, and the fit on all of it.
    Out: {check (MODEL_CHECKS code: a Verdict reason; 'degenerate' when the fit is a point mass; 'no_fit' when
    it cannot be fitted; 'no_check' when the data is too short to hold a quarter out), used (check == 'fits'),
    problem (NoModelData text or None), total_predicted, total_actual, total_error, frequency_error (NaN
    without a check), calibration_end, holdout_end (dates or None), dropout (a/(a+b))}."""
    from retention.metrics import btyd

    as_of = pd.Timestamp(as_of).date()  # a page's cached call passes the day as text
    return btyd.remembered(con, ("model_check", as_of), lambda: _model_check(con, as_of))


def _model_check(con, as_of: dt.date) -> dict:
    from retention.metrics import btyd

    out = {"check": "no_fit", "used": False, "problem": None, "total_predicted": np.nan, "total_actual": np.nan,
           "total_error": np.nan, "frequency_error": np.nan, "calibration_end": None, "holdout_end": None,
           "dropout": np.nan}
    try:
        model = btyd.fit(btyd.summary(con, as_of), btyd.DEFAULT_TIME_UNIT, as_of, gamma_gamma=False)
    except btyd.NoModelData as problem:
        return out | {"problem": str(problem)}
    out["dropout"] = model.dropout
    first = btyd.data_span(con)[0]
    days = (as_of - first).days
    calibration_end = first + dt.timedelta(days=days - round(days * btyd.HOLDOUT_SHARE))
    try:
        check = btyd.validate(con, calibration_end, as_of)
    except btyd.NoModelData as problem:
        return out | {"check": "no_check", "problem": str(problem)}
    v = check.verdict
    out |= {"total_predicted": v.total_predicted, "total_actual": v.total_actual, "total_error": v.total_error,
            "frequency_error": v.frequency_error, "calibration_end": check.calibration_end,
            "holdout_end": check.holdout_end, "check": v.reason}
    if v.fits and (model.degenerate or check.fit.degenerate):
        out["check"] = "degenerate"
    out["used"] = out["check"] == "fits"
    return out


def _model_rows(con, as_of: dt.date) -> tuple[list[dict], dict]:
    """The purchase model's rows (expected_active_customers, model_retention_month, model_churn_month; none when
    it cannot be fitted or has no complete month) and model_check()."""
    from retention.metrics import btyd, customers

    check = model_check(con, as_of)
    if check["check"] == "no_fit":
        return [], check
    try:
        frame = customers.model_churn(con, period="month", as_of=as_of, periods=MONTHS)
    except btyd.NoModelData as problem:
        return [], check | {"check": "no_fit", "used": False, "problem": str(problem)}
    pooled = customers.model_churn_summary(frame)
    done = frame[frame["complete"] & (frame["expected_start"] > 0)]
    if not pooled["periods"]:
        return [], check
    last_end = pd.Timestamp(frame["period_end"].iloc[-1]).date()
    buyers = int(sql.execute(con, "btyd_buyers", day=last_end).fetchone()[0])
    extra = {"method": "bgnbd", "basis": "purchases", "headline": check["used"], "check": check}
    active = {"figure": "expected_active_customers", "value": 100 * pooled["expected_active"] / buyers if buyers else
              np.nan, "ci_low": np.nan, "ci_high": np.nan, "successes": int(round(pooled["expected_active"])),
              "customers": buyers, "period": "day", "window_start": None, "window_end": last_end,
              "expected": pooled["expected_active"], **extra}
    start = float(done["expected_start"].sum())
    month = {"figure": "model_retention_month", "value": pooled["retention_pct"], "ci_low": np.nan, "ci_high": np.nan,
             "successes": int(round(float(done["expected_kept"].sum()))), "customers": int(round(start)),
             "period": "month", "window_start": _day(done["period_start"].iloc[0]),
             "window_end": _day(done["period_end"].iloc[-1]), "expected": start, **extra}
    lost = {**month, "figure": "model_churn_month", "value": pooled["churn_pct"],
            "successes": month["customers"] - month["successes"]}
    return [active, month, lost], check


def summary(con, *, basis: str = "auto", inactive_days: int = churn.DEFAULT_INACTIVE_DAYS,
            as_of: str | dt.date | None = None, model: bool = False) -> pd.DataFrame:
    """Every headline figure the data can give, one row each, in FIGURES order (figures it cannot give are
    left out, so a page never shows an empty card).

    Out: COLUMNS = figure (a FIGURES code), value (%), ci_low, ci_high (95%: Wilson for shares, monthly^12 of
    the monthly interval for an estimated year, exact Poisson for tenure_churn_month), successes (customers
    retained / churned / who bought again), customers (the customers behind the figure: ΣCS, cohort
    customers, buyers, customers with a status or tenure), period ('month' | 'year' | 'N months' | 'lifetime' | 'status'),
    window_start, window_end (dates; None where the figure has no window), method ('pooled' | 'measured' |
    'monthly^12' | 'to date' | 'flag' | 'tenure' | 'bgnbd'), basis ('customers' | 'purchases' for retention), plus
    exposure (customer-months) on tenure_churn_month; amount (churned customers' monthly charges summed) and
    column (the charges column's name) on revenue_at_risk_month.
    model=True, purchases basis (no cancel dates): the purchase model's rows too (expected_active_customers,
    model_retention_month, model_churn_month, with `expected`: the Σ P(alive) behind customers), and on every
    customer retention/churn row `headline` (bool: the figure the Overview leads with) and `check` (the
    model_check() dict: its 'check' code says why, with the check's numbers).
    """
    if model:
        return with_model(summary(con, basis=basis, inactive_days=inactive_days, as_of=as_of),
                          model_figures(con, basis=basis, as_of=as_of))
    info, chosen, day = _basis_and_day(con, basis, as_of)
    rows: list[dict] = []
    last_month_end = None
    if chosen is not None:
        retention_rows, last_month_end = _retention_rows(con, chosen, inactive_days, day)
        rows += retention_rows
    if day is not None and info["purchase_customers"]:
        rows += _purchase_rows(con, day, last_month_end)
    rows += _customer_file_rows(con)
    charges = _charges_row(con)
    rows += [charges] if charges else []
    return _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
    """summary()'s frame of its rows: COLUMNS and the extra columns some row has, in FIGURES order."""
    extra = [c for c in ("exposure", "amount", "column", "expected", "headline", "check") if any(c in r for r in rows)]
    out = pd.DataFrame(rows, columns=COLUMNS + extra)
    out["order"] = out["figure"].map(FIGURES.index)
    return out.sort_values("order", kind="stable").drop(columns="order").reset_index(drop=True)


# The rows of _retention_rows(): those the purchase model's check marks as leading or not (`headline`)
RETENTION_FIGURES = ("customer_retention_month", "customer_churn_month", "customer_retention_year",
                     "customer_churn_year", "customer_retention_span")


def model_figures(con, *, basis: str = "auto", as_of: str | dt.date | None = None) -> dict | None:
    """What the purchase model adds to summary(): None where it adds nothing (no dates, or cancel dates to
    measure churn with); else {"rows": the model's rows (none when it cannot be fitted), "check": model_check()}.
    The slow part of summary(model=True) (the fits: seconds on a large shop), so that a page can draw the rest
    first: summary(model=True) is with_model(summary(), model_figures())."""
    _, chosen, day = _basis_and_day(con, basis, as_of)
    if chosen != "purchases":
        return None
    rows, check = _model_rows(con, day)
    return {"rows": rows, "check": check}


def with_model(figures: pd.DataFrame, model: dict | None) -> pd.DataFrame:
    """summary()'s figures (without the model) joined by model_figures()'s: the model's rows added and each
    retention row marked `headline` (whether the Overview leads with it: not when the model passed its check) with
    the `check`. Out: what summary(model=True) gives."""
    if model is None:
        return figures
    used = bool(model["rows"]) and model["check"]["used"]
    rows = [{**r, "headline": not used, "check": model["check"]} if r["figure"] in RETENTION_FIGURES else r
            for r in figures.to_dict("records")]
    return _frame(rows + model["rows"])


def as_dict(frame: pd.DataFrame) -> dict[str, dict]:
    """summary() output keyed by figure code."""
    return {r["figure"]: r for r in frame.to_dict("records")}
