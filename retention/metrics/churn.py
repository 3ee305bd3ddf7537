"""Customer retention rate (CRR) and churn per calendar period, revenue retention, and the win-back list.

Standard formula, per period (week Monday–Sunday, month, quarter or year):
    CS = customers active at the start of the period, CN = customers who started being customers during
    it (first-time or returning after a lapse), CE = customers active at its end;
    CRR = (CE − CN) / CS × 100, churn = 100 − CRR, lost = CS + CN − CE.

Time is counted in whole days; a dated event (signup, cancel, purchase, lapse) happens during its day.
The start of a period is its first instant (00:00 on its first day = the end of the day before), the
end is its last instant (24:00 on its last day = the start of the next period), so a period's CE is the
next period's CS. Consequently a customer who signs up on the first day is new in that period (not in
CS); one who cancels (or lapses) on the last day is lost in that period (not in CE); one who signs up
and cancels within the period counts in CN and in lost. The last period ends on the analysis date
(as_of) and is marked incomplete when as_of is before its last calendar day.

"Active at the end of day d" depends on the basis:
- 'customers' (a customers file with signup and cancel dates): signed up on or before d and not
  cancelled on or before d. Customers marked churned without a cancel date, or without a signup date,
  cannot be placed in time and are left out (counted in `basis_info`), as are customers who appear only
  in the purchases file.
- 'purchases': a positive purchase (any purchase when the file has no amounts) on some day p with
  p ≤ d < p + W, W = inactivity window in days. The customer is active from the day of their first
  purchase and lapses on the day last purchase + W (lost in the period containing that day); a purchase
  after a lapse starts a new active spell (counted in CN again). Still active on as_of if last
  purchase + W is after as_of.

Alternative convention (several billing tools): leave out customers who joined and left within the
same period, and count customers who left and came back within it as retained:
    CRR_alt = (customers active at both start and end) / CS × 100.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from retention import sql
from retention.metrics import reasons, stats
from retention.metrics.periods import (PERIODS, PERIODS_PER_YEAR, STEPS, NoChurnData, _day, bounds,  # noqa: F401
                                      check_period, resolve_as_of)

BASES = ("customers", "purchases")
DEFAULT_INACTIVE_DAYS = 90
SMALL_SAMPLE = 30  # CS below which a period's rate is flagged as unreliable
SUMMARY_PERIODS = 12  # complete periods pooled in the headline figure


def _check_days(name: str, value: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a whole number of days ≥ 1, not {value!r}")
    return int(value)


def choose_basis(info: dict, basis: str = "auto") -> str:
    """'customers' when the customers file has signup dates and says who churned, else 'purchases';
    an explicit basis is checked. Raises NoChurnData when neither works."""
    customers_ok = bool(info["with_signup"]) and bool(info["with_churn_info"])
    purchases_ok = bool(info["purchase_customers"])
    if basis == "auto":
        if customers_ok:
            return "customers"
        if purchases_ok:
            return "purchases"
        raise NoChurnData("churn over time needs purchase dates, or a customers file with signup dates "
                          "and cancel dates or a churn status")
    if basis not in BASES:
        raise ValueError(f"basis must be auto, {' or '.join(BASES)}, not {basis!r}")
    if basis == "customers" and not customers_ok:
        raise NoChurnData("the customers file has no signup dates, or says nothing about who churned")
    if basis == "purchases" and not purchases_ok:
        raise NoChurnData("there are no purchases")
    return basis


def available_bases(info: dict) -> list[str]:
    """The bases the data supports (see choose_basis), in BASES order."""
    out = []
    for basis in BASES:
        try:
            out.append(choose_basis(info, basis))
        except NoChurnData:
            pass
    return out


def basis_info(con, *, basis: str = "auto", as_of: str | None = None) -> pd.DataFrame:
    """One row: basis (chosen), as_of (date), and the counts of churn_bounds.sql (customers left out
    for lack of a signup date, churned without a cancel date, …)."""
    info = bounds(con)
    chosen = choose_basis(info, basis)
    return pd.DataFrame([{"basis": chosen, "as_of": resolve_as_of(con, as_of), **info}])


def period_counts(con, *, period: str = "month", basis: str = "auto",
                  inactive_days: int = DEFAULT_INACTIVE_DAYS, as_of: str | None = None) -> pd.DataFrame:
    """Raw counts per period (columns of queries/churn_periods.sql): period_start, period_end, complete,
    customers_start, new_customers, customers_end, retained, new_first, resurrected, churned,
    joined_and_left; plus warm_up (purchases basis: the period ends less than W days after the first
    purchase in the data, so nobody can have lapsed yet and customers from before the data look new)."""
    check_period(period)
    info = bounds(con)
    chosen = choose_basis(info, basis)
    days = _check_days("inactive_days", inactive_days)
    frame = sql.frame(con, "churn_periods", basis=chosen, period=period, step=STEPS[period], inactive_days=days,
                      as_of=resolve_as_of(con, as_of))
    first = _day(info["first_purchase_day"])
    warm_until = first + dt.timedelta(days=days) if chosen == "purchases" and first is not None else None
    frame["warm_up"] = frame["period_end"].dt.date < warm_until if warm_until else False
    return frame


def _pct(numerator, denominator) -> np.ndarray:
    num, den = np.asarray(numerator, float), np.asarray(denominator, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 100 * num / den, np.nan)


def annualise(retention_pct, period: str):
    """Retention over a year from a per-period retention: (r/100)^(periods per year) × 100; NaN for
    negative or missing rates."""
    r = np.asarray(retention_pct, float) / 100
    with np.errstate(invalid="ignore"):
        return np.where(r >= 0, 100 * np.power(np.clip(r, 0, None), PERIODS_PER_YEAR[period]), np.nan)


def retention_by_period(con, *, period: str = "month", basis: str = "auto",
                        inactive_days: int = DEFAULT_INACTIVE_DAYS, as_of: str | None = None) -> pd.DataFrame:
    """CRR per period by the standard formula and by the alternative convention.

    Out: period_start, period_end (last day counted), complete, customers_start (CS), new_customers (CN),
    lost (CS + CN − CE), customers_end (CE), crr_pct ((CE − CN)/CS × 100; NaN when CS = 0), churn_pct
    (100 − crr_pct), annualised_crr_pct (crr^periods-per-year), alt_new_customers (active at end, not
    at start), alt_lost (active at start, not at end), alt_crr_pct (active at start and end / CS),
    alt_churn_pct, difference_pp (alt_crr_pct − crr_pct), alt_ci_low, alt_ci_high (95% Wilson interval
    of alt_crr_pct, a proportion of CS), small (CS < SMALL_SAMPLE), warm_up (see period_counts).
    """
    c = period_counts(con, period=period, basis=basis, inactive_days=inactive_days, as_of=as_of)
    out = c[["period_start", "period_end", "complete", "customers_start", "new_customers"]].copy()
    out["lost"] = c["customers_start"] + c["new_customers"] - c["customers_end"]
    out["customers_end"] = c["customers_end"]
    out["crr_pct"] = _pct(c["customers_end"] - c["new_customers"], c["customers_start"])
    out["churn_pct"] = 100 - out["crr_pct"]
    out["annualised_crr_pct"] = annualise(out["crr_pct"], period)
    out["alt_new_customers"] = c["customers_end"] - c["retained"]
    out["alt_lost"] = c["customers_start"] - c["retained"]
    out["alt_crr_pct"] = _pct(c["retained"], c["customers_start"])
    out["alt_churn_pct"] = 100 - out["alt_crr_pct"]
    out["difference_pp"] = out["alt_crr_pct"] - out["crr_pct"]
    low, high = stats.wilson(c["retained"], c["customers_start"])
    out["alt_ci_low"], out["alt_ci_high"] = 100 * low, 100 * high
    out["small"] = c["customers_start"] < SMALL_SAMPLE
    out["warm_up"] = c["warm_up"]
    return out


def usable_periods(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `retention_by_period` output a rate can be read from: complete, customers at the start (CS > 0)
    and not in the warm-up."""
    usable = frame["complete"] & (frame["customers_start"] > 0)
    if "warm_up" in frame:
        usable &= ~frame["warm_up"]
    return frame[usable]


def crr_summary(frame: pd.DataFrame, period: str, periods: int = SUMMARY_PERIODS) -> dict:
    """Headline from `retention_by_period` output: the last `periods` usable periods (usable_periods), pooled
    (Σ(CE − CN) / ΣCS, so larger periods weigh more).
    Out: periods (used), first_period, last_period, crr_pct, churn_pct, annualised_crr_pct, alt_crr_pct,
    annualised_alt_crr_pct, difference_pp, customers_start (ΣCS). Values NaN when no period qualifies."""
    used = usable_periods(frame).tail(periods)
    cs = used["customers_start"].sum()
    crr = float(_pct((used["customers_end"] - used["new_customers"]).sum(), cs))
    alt = float(_pct((used["customers_start"] - used["alt_lost"]).sum(), cs))
    return {
        "periods": len(used),
        "first_period": used["period_start"].min() if len(used) else None,
        "last_period": used["period_start"].max() if len(used) else None,
        "crr_pct": crr,
        "churn_pct": 100 - crr,
        "annualised_crr_pct": float(annualise(crr, period)),
        "alt_crr_pct": alt,
        "annualised_alt_crr_pct": float(annualise(alt, period)),
        "difference_pp": alt - crr,
        "customers_start": int(cs),
    }


def inactivity_hint(con, *, as_of: str | None = None) -> pd.DataFrame:
    """How long customers go between purchases, to choose W. One row: customers_with_repeat, gaps,
    p50_days, p75_days, p90_days, p95_days, suggested_days (p90 rounded up, ≥ 1; DEFAULT_INACTIVE_DAYS
    when nobody bought twice)."""
    hint = sql.frame(con, "churn_gap_hint", as_of=resolve_as_of(con, as_of))
    p90 = hint["p90_days"].iloc[0]
    hint["suggested_days"] = DEFAULT_INACTIVE_DAYS if pd.isna(p90) else max(1, math.ceil(p90))
    return hint


def revenue_retention(con, *, period: str = "month", as_of: str | None = None) -> pd.DataFrame:
    """Gross and net revenue retention per period (queries/churn_revenue_retention.sql): period_start,
    period_end, complete, base_customers, base_revenue, kept_gross, kept_net, grr_pct, nrr_pct.
    Empty when the purchases have no amounts."""
    check_period(period)
    return sql.frame(con, "churn_revenue_retention", period=period, step=STEPS[period],
                     as_of=resolve_as_of(con, as_of))


STATUSES = ("churned", "at_risk")
WIN_BACK_SHOWN = 1000  # rows of the win-back list a page shows; the full list is a download


def at_risk(con, *, basis: str = "auto", inactive_days: int = DEFAULT_INACTIVE_DAYS, as_of: str | None = None,
            recent_days: int = 90, risk_days: int | None = None, synonyms: list[list[str]] | None = None,
            min_share_pct: float = 0.0, statuses=STATUSES, reason_filter=(), segment: str | None = None,
            segment_values=(), limit: int | None = None) -> pd.DataFrame:
    """The win-back list (queries/churn_at_risk.sql): recently churned customers and active customers
    whose last purchase is risk_days (default: half of inactive_days) or more before as_of. Works on a
    customers file with a churn status and no dates at all (every churned customer is listed; as_of
    defaults to today then). Filters: the statuses to keep, the reasons (all when empty), and, with a
    segment attribute, its values (all when empty); limit keeps the first rows only (all when None).

    Out: customer_id, status ('churned' | 'at_risk'), churn_day, reason (normalised label), last_purchase,
    days_since_purchase, purchases, revenue_to_date, then one column per segment attribute (a name
    already used above gets a ' (segment)' suffix). Churned first, then by revenue to date, then customer_id.
    """
    frame = _listed(con, basis=basis, inactive_days=inactive_days, as_of=as_of, recent_days=recent_days,
                    risk_days=risk_days, synonyms=synonyms, min_share_pct=min_share_pct, statuses=statuses,
                    reason_filter=reason_filter, segment=segment, segment_values=segment_values, limit=limit)
    return _with_attributes(frame.drop(columns="listed_total"))


def win_back(con, *, shown: int = WIN_BACK_SHOWN, **filters) -> tuple[pd.DataFrame, int]:
    """The first `shown` rows of `at_risk(con, **filters)` (same columns and order) and how many rows the
    whole list has: what a page shows, with the full list left to a download."""
    frame = _listed(con, limit=max(1, int(shown)), **filters)
    total = int(frame["listed_total"].iloc[0]) if len(frame) else 0
    return _with_attributes(frame.drop(columns="listed_total")), total


def _listed(con, *, basis, inactive_days=DEFAULT_INACTIVE_DAYS, as_of=None, recent_days=90, risk_days=None,
            synonyms=None, min_share_pct=0.0, statuses=STATUSES, reason_filter=(), segment=None,
            segment_values=(), limit=None) -> pd.DataFrame:
    """queries/churn_at_risk.sql's rows for at_risk's arguments (attributes still a map per row)."""
    info = bounds(con)
    try:
        chosen = choose_basis(info, basis)
    except NoChurnData:
        if not info["with_churn_info"]:
            raise
        chosen = "customers"  # a customers file with a churn status but no dates (telecom/CRM exports)
    try:
        as_of = resolve_as_of(con, as_of)
    except NoChurnData:
        as_of = dt.date.today()
    inactive_days = _check_days("inactive_days", inactive_days)
    risk_days = _check_days("risk_days", risk_days if risk_days is not None else max(1, inactive_days // 2))
    mapping = reasons.reason_map(con, synonyms=synonyms, min_share_pct=min_share_pct)
    return sql.frame(con, "churn_at_risk", basis=chosen, inactive_days=inactive_days,
                     as_of=as_of, recent_days=_check_days("recent_days", recent_days),
                     risk_days=risk_days, raw_values=mapping["raw"].tolist(), reasons=mapping["reason"].tolist(),
                     statuses=[str(s) for s in statuses], reason_filter=[str(r) for r in reason_filter],
                     segment=segment, segment_values=[str(v) for v in segment_values],
                     limit=None if limit is None else int(limit))


def _with_attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """The attributes map of each row as one column per attribute (see at_risk)."""
    attributes = pd.DataFrame([m if isinstance(m, dict) else {} for m in frame["attributes"]],
                              index=frame.index)
    attributes.columns = [f"{c} (segment)" if c in frame.columns else c for c in attributes.columns]
    return pd.concat([frame.drop(columns="attributes"), attributes], axis=1)


WIN_BACK_ORDERS = ("status", "value_at_risk")


def with_model(frame: pd.DataFrame, model: pd.DataFrame | None, order: str = "status") -> pd.DataFrame:
    """The win-back list (at_risk / win_back output) with the BG/NBD model's view of each customer: p_alive,
    expected_value (CLV over the model's horizon; NaN without Gamma-Gamma), rfm_group (RFM group key) and
    value_at_risk = (1 − p_alive) × revenue_to_date, inserted after revenue_to_date. model: customers.Scored
    .customers (customer_id, p_alive, clv, segment), or None (the columns are then left out).
    order: 'status' keeps the list's order; 'value_at_risk' sorts by it, largest first (then customer_id)."""
    if order not in WIN_BACK_ORDERS:
        raise ValueError(f"order must be one of {', '.join(WIN_BACK_ORDERS)}, not {order!r}")
    if model is None:
        return frame
    extra = model[["customer_id", "p_alive", "clv", "segment"]].rename(
        columns={"clv": "expected_value", "segment": "rfm_group"})
    out = frame.merge(extra, on="customer_id", how="left")
    out["value_at_risk"] = (1 - out["p_alive"]) * out["revenue_to_date"]
    at = list(frame.columns).index("revenue_to_date") + 1
    added = ["p_alive", "expected_value", "value_at_risk", "rfm_group"]
    out = out[list(frame.columns[:at]) + added + list(frame.columns[at:])]
    if order == "value_at_risk":
        out = out.sort_values(["value_at_risk", "customer_id"], ascending=[False, True], na_position="last",
                              kind="mergesort").reset_index(drop=True)
    return out
