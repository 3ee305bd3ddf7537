"""Deliberately simple pure-Python reference for the Overview's tiles and its buyers-per-month title, written from
the words on the page (its help texts), not from queries/overview_*.sql.

Input rows: (customer_id, day, amount) of a purchases file without order ids, times or customers file, as
tests/helpers/reference_churn.purchase_rows gives them. A purchase is a row with a positive amount; an order is
a distinct (customer, day) with a purchase (no order ids, no times: one order per customer and day).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict


def totals(rows) -> dict:
    """customers (every id in the file, also refund-only ones), buyers (ids with a purchase), orders, revenue
    (every amount summed, refunds subtract), first_day, last_day."""
    customers = {c for c, _, _ in rows}
    bought = [(c, d) for c, d, a in rows if a > 0]
    days = [d for _, d, _ in rows]
    return {"customers": len(customers), "buyers": len({c for c, _ in bought}), "orders": len(set(bought)),
            "revenue": sum(a for _, _, a in rows), "first_day": min(days), "last_day": max(days)}


def active_at(rows, day: dt.date, window: int = 90) -> int:
    """Customers active at the end of `day`: a purchase on some p with p <= day < p + window."""
    return len({c for c, p, a in rows if a > 0 and p <= day < p + dt.timedelta(days=window)})


def returning_share(rows) -> tuple[dt.date, float]:
    """The last month that ended by the last day in the file, and the share (%) of that month's buyers who had
    bought in an earlier month (returning, not new)."""
    last_day = max(d for _, d, _ in rows)
    first_month = {}
    buyers = defaultdict(set)
    for c, d, a in sorted(rows, key=lambda r: r[1]):
        if a > 0:
            first_month.setdefault(c, d.replace(day=1))
            buyers[d.replace(day=1)].add(c)
    complete = [m for m in buyers if _next_month(m) - dt.timedelta(days=1) <= last_day]
    month = max(complete)
    returning = [c for c in buyers[month] if first_month[c] < month]
    return month, 100 * len(returning) / len(buyers[month])


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
