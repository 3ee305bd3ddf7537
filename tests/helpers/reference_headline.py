"""Deliberately simple pandas reference for the headline figures (retention/metrics/headline.py), written from
the definitions in its docstring, not from the SQL: who is active is checked customer by customer on the day.

"Active at the end of day d": subscription: signup <= d and (no cancel, or max(cancel, signup) > d), customers
without a signup or churned without a cancel date left out; purchases: a positive purchase day p <= as_of with
p <= d < p + W.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

DAY = dt.timedelta(days=1)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out, day = [], first.replace(day=1)
    while day <= last:
        out.append(day)
        day = (pd.Timestamp(day) + pd.DateOffset(months=1)).date()
    return out


def month_end(start: dt.date) -> dt.date:
    return (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()


def subscription_active(customers: pd.DataFrame, as_of: dt.date):
    """customers: customer_id, signup (date/None), cancel (date/None), churned (bool) → active(day) → set."""
    kept = customers[customers["signup"].notna() & ~(customers["churned"] & customers["cancel"].isna())]
    kept = kept[kept["signup"] <= as_of]

    def active(day: dt.date) -> set:
        ends = [max(c, s) if c is not None else None for c, s in zip(kept["cancel"], kept["signup"])]
        return {cid for cid, s, e in zip(kept["customer_id"], kept["signup"], ends)
                if s <= day and (e is None or e > day)}
    return active


def purchase_active(purchases: pd.DataFrame, as_of: dt.date, window: int):
    """purchases: customer_id, day (date), amount → active(day) → set."""
    days = purchases[(purchases["amount"] > 0) & (purchases["day"] <= as_of)]

    def active(day: dt.date) -> set:
        hit = days[(days["day"] <= day) & (days["day"] + dt.timedelta(days=window) > day)]
        return set(hit["customer_id"])
    return active


def retention(active, first_day: dt.date, as_of: dt.date, warm_until: dt.date | None = None) -> dict:
    """Monthly retention pooled over the last 12 usable complete months, and the same window measured directly."""
    months = [m for m in month_starts(first_day, as_of) if month_end(m) <= as_of]
    rows = []
    for m in months:
        start, end = active(m - DAY), active(month_end(m))
        if start and not (warm_until and month_end(m) < warm_until):
            rows.append((m, len(start), len(start & end)))
    used = rows[-12:]
    cs, kept = sum(r[1] for r in used), sum(r[2] for r in used)
    first, last = used[0][0], used[-1][0]
    at_start, at_end = active(first - DAY), active(month_end(last))
    return {"month": 100 * kept / cs, "month_customers": cs, "window": (first, month_end(last)),
            "direct": 100 * len(at_start & at_end) / len(at_start), "direct_customers": len(at_start),
            "months": len(month_starts(first, last))}


def month1_cohorts(purchases: pd.DataFrame, as_of: dt.date) -> dict:
    """First-purchase month cohorts of the 12 months before the last complete month (every earlier month too when
    they hold fewer than 30 customers): share buying in month 1."""
    paid = purchases[(purchases["amount"] > 0) & (purchases["day"] <= as_of)].copy()
    paid["month"] = [d.replace(day=1) for d in paid["day"]]
    last = max(m for m in month_starts(paid["day"].min(), as_of) if month_end(m) <= as_of)
    first_cohort = (pd.Timestamp(last) - pd.DateOffset(months=12)).date()
    cohort = paid.groupby("customer_id")["month"].min()
    chosen = cohort[(cohort >= first_cohort) & (cohort < last)]
    if len(chosen) < 30:
        chosen = cohort[cohort < last]
    months = paid.groupby("customer_id")["month"].agg(set)
    back = sum(1 for cid, c in chosen.items() if (pd.Timestamp(c) + pd.DateOffset(months=1)).date() in months[cid])
    return {"value": 100 * back / len(chosen), "customers": len(chosen)}


def repeat_rate(purchases: pd.DataFrame, as_of: dt.date) -> dict:
    """Share of buyers with two or more orders (distinct order times per customer here: no order ids)."""
    paid = purchases[(purchases["amount"] > 0) & (purchases["day"] <= as_of)]
    orders = paid.groupby("customer_id")["day"].nunique()
    return {"value": 100 * (orders >= 2).sum() / len(orders), "customers": len(orders)}
