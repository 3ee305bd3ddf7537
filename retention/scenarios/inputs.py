"""The what-if model's inputs measured from a dataset, with the definitions the Churn and Cohorts pages use.

- N (active customers): customers active at the end of the analysis date (the last period's CE).
- r (retention per period): the rate that compounds to the headline annual retention (retention.metrics.headline:
  of the customers at the start of the last 12 complete months, the share still customers at their end), so
  that the model's retention per year is the headline figure; when the data has no such year, the share of the
  customers at the start of a period still customers at its end, pooled over the last complete periods
  (Σ retained / ΣCS, churn.crr_summary's alt_crr_pct).
- new customers per period: mean CN over the same periods (first-time and returning customers).
- ARPU: net revenue over the same periods ÷ Σ average active customers, (CS + CE)/2 per period, so that
  N × ARPU is the revenue the model's customer counts stand for.
- churn-reason shares: the Churn page's reason table (retention.metrics.reasons.reason_counts).
- sBG cohorts: the Cohorts page's survival matrix (signup cohorts, cancel dates) when the customers file
  has them, else its rolling ("bought in this period or later") retention by first-purchase cohort, keeping
  only periods that ended at least the inactivity window before the analysis date.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from retention import sql
from retention.metrics import churn, cohorts, headline, reasons
from retention.scenarios import sbg

MEASURED_COLUMNS = ["basis", "as_of", "period", "periods_used", "first_period", "last_period", "active_customers",
                    "retention", "customers_start", "new_customers", "revenue", "arpu", "has_amounts"]


def measure(con, *, period: str = "month", basis: str = "auto", inactive_days: int = churn.DEFAULT_INACTIVE_DAYS,
            as_of: str | None = None) -> pd.DataFrame:
    """One row, MEASURED_COLUMNS: basis, as_of (date), period, periods_used (complete periods pooled),
    first_period, last_period, active_customers (N), retention (r, a fraction; NaN without a complete
    period), customers_start (ΣCS behind r), new_customers (mean CN), revenue (net, over the periods used),
    arpu (NaN without amounts), has_amounts. Raises churn.NoChurnData when churn cannot be measured."""
    info = churn.basis_info(con, basis=basis, as_of=as_of).iloc[0]
    as_of_day = pd.Timestamp(info["as_of"]).date()
    frame = churn.retention_by_period(con, period=period, basis=info["basis"], inactive_days=inactive_days,
                                      as_of=as_of_day.isoformat())
    summary = churn.crr_summary(frame, period)
    retention, behind = summary["alt_crr_pct"] / 100, summary["customers_start"]
    head = headline.as_dict(headline.retention_figures(con, basis=info["basis"], inactive_days=inactive_days,
                                                       as_of=as_of_day)).get("customer_retention_year")
    if head is not None and head["method"] == "measured":
        # the model's rate per period is the one that compounds to the annual retention measured directly, so the
        # page's "retention per year" is the headline figure
        retention = (head["value"] / 100) ** (1 / churn.PERIODS_PER_YEAR[period])
        behind = head["customers"]
    used = frame[frame["complete"] & (frame["customers_start"] > 0)].tail(summary["periods"])
    revenue = sql.frame(con, "whatif_revenue", period=period, as_of=as_of_day)
    revenue["period_start"] = pd.to_datetime(revenue["period_start"])
    joined = used.assign(period_start=pd.to_datetime(used["period_start"])).merge(
        revenue, on="period_start", how="left")
    has_amounts = bool(info["has_amounts"]) and len(revenue) > 0
    total = float(joined["revenue"].fillna(0).sum()) if has_amounts else math.nan
    exposure = float(((joined["customers_start"] + joined["customers_end"]) / 2).sum())
    return pd.DataFrame([{
        "basis": info["basis"],
        "as_of": as_of_day,
        "period": period,
        "periods_used": summary["periods"],
        "first_period": summary["first_period"],
        "last_period": summary["last_period"],
        "active_customers": int(frame["customers_end"].iloc[-1]) if len(frame) else 0,
        "retention": retention,
        "customers_start": behind,
        "new_customers": float(used["new_customers"].mean()) if len(used) else math.nan,
        "revenue": total,
        "arpu": total / exposure if has_amounts and exposure > 0 else math.nan,
        "has_amounts": has_amounts,
    }], columns=MEASURED_COLUMNS)


def reason_share(counts: pd.DataFrame, reason: str) -> tuple[str, float] | None:
    """(label as the Churn page shows it, share of churned customers as a fraction) for `reason`, matched
    after normalising (case, spaces, punctuation); None when no such reason.
    In: reasons.reason_counts output (reason, churned, share_pct)."""
    wanted = reasons.normalise(reason)
    hit = counts[counts["reason"].map(reasons.normalise) == wanted]
    return (str(hit["reason"].iloc[0]), float(hit["share_pct"].iloc[0]) / 100) if len(hit) else None


def survival_cells(con, *, period: str = "month", basis: str = "auto",
                   inactive_days: int = churn.DEFAULT_INACTIVE_DAYS, as_of: str | None = None) -> pd.DataFrame:
    """Cohort survivor counts for the sBG fit. Out: cohort (Timestamp), t (periods since the cohort's start;
    t = 0 is the cohort size), survivors, cohort_size, mode ('survival' | 'rolling'). Empty when the period
    is not a cohort grain (week, month, quarter), churn cannot be placed in time, or there are no cohorts."""
    columns = ["cohort", "t", "survivors", "cohort_size", "mode"]
    if period not in cohorts.GRAINS:
        return pd.DataFrame(columns=columns)
    try:
        info = churn.basis_info(con, basis=basis, as_of=as_of).iloc[0]
    except churn.NoChurnData:
        return pd.DataFrame(columns=columns)
    as_of_day = pd.Timestamp(info["as_of"]).date()
    subscription = info["basis"] == "customers"
    mode = "survival" if subscription else "rolling"
    cells = cohorts.matrix(con, period=period, mode=mode, cohort_by="signup" if subscription else "first_purchase",
                           as_of=as_of_day.isoformat())
    cells = cells[cells["complete"]]
    if not subscription:
        # "bought in period k or later" is still rising for the last periods: keep those that ended at
        # least the inactivity window before the analysis date.
        step = {"week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1), "quarter": pd.DateOffset(months=3)}
        ends = [c + step[period] * (k + 1) for c, k in zip(cells["cohort"], cells["period"])]
        cells = cells[np.array([e <= pd.Timestamp(as_of_day) - pd.Timedelta(days=inactive_days) for e in ends],
                               dtype=bool)]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    if subscription:
        # sBG time t counts whole periods survived: the cohort size at t = 0, the end of the cohort's
        # first period at t = 1, …
        starts = cells.drop_duplicates("cohort")[["cohort", "cohort_size"]].assign(active=lambda f: f["cohort_size"],
                                                                                   t=0)
        cells = pd.concat([starts, cells.assign(t=cells["period"] + 1)], ignore_index=True)
    else:
        cells = cells.assign(t=cells["period"])
    out = cells.rename(columns={"active": "survivors"})[["cohort", "t", "survivors", "cohort_size"]]
    return out.assign(mode=mode).sort_values(["cohort", "t"]).reset_index(drop=True)


FIT_COLUMNS = ["alpha", "beta", "log_likelihood", "alpha_se", "beta_se", "customers", "cohorts", "periods",
               "converged", "mode"]


def sbg_fit(con, *, period: str = "month", basis: str = "auto", inactive_days: int = churn.DEFAULT_INACTIVE_DAYS,
            as_of: str | None = None) -> pd.DataFrame:
    """The sBG model fitted to survival_cells: one row, FIT_COLUMNS; empty when there is too little data."""
    cells = survival_cells(con, period=period, basis=basis, inactive_days=inactive_days, as_of=as_of)
    counts = sbg.survivor_counts(cells)
    try:
        result = sbg.fit(counts)
    except ValueError:
        return pd.DataFrame(columns=FIT_COLUMNS)
    return pd.DataFrame([{**result.__dict__, "mode": cells["mode"].iloc[0]}], columns=FIT_COLUMNS)
