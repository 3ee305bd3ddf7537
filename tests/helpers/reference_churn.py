"""Deliberately simple pure-Python reference for the churn metrics, written from the definitions in
issue 5 and retention/metrics/churn.py's docstring, not from the SQL. Slow (day-by-day loops) on purpose.

Every dated event happens during its day; "active at the end of day d":
- subscription: signup <= d and (no cancel, or cancel > d); a cancel before the signup counts as
  leaving on the signup day; customers without a signup, or churned without a cancel date, are left out;
- purchases: some positive purchase day p (any purchase when amounts are None) with p <= d < p + W.
Period start = end of the day before its first day; period end = end of its last day (as_of for the last).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import duckdb
import pandas as pd

DAY = dt.timedelta(days=1)


def period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return dt.date(day.year, 1, 1)
    raise ValueError(period)


def next_start(start: dt.date, period: str) -> dt.date:
    if period == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(first_day: dt.date, as_of: dt.date, period: str) -> list[tuple[dt.date, dt.date, bool]]:
    """(first day, last day counted, complete) from the period of first_day to the period of as_of."""
    out = []
    start = period_start(first_day, period)
    while start <= as_of:
        calendar_last = next_start(start, period) - DAY
        out.append((start, min(calendar_last, as_of), calendar_last <= as_of))
        start = next_start(start, period)
    return out


class Subscription:
    """One customer of a customers file: signup, cancel (None = still a customer), churned flag."""

    def __init__(self, signup: dt.date, cancel: dt.date | None):
        self.signup = signup
        self.cancel = None if cancel is None else max(cancel, signup)

    def active(self, day: dt.date) -> bool:
        return self.signup <= day and (self.cancel is None or self.cancel > day)

    def starts_in(self, first: dt.date, last: dt.date) -> bool:
        return first <= self.signup <= last

    def first_day(self) -> dt.date:
        return self.signup


class Buyer:
    """One customer of a purchases file: the days of their activity purchases, window W."""

    def __init__(self, days: list[dt.date], window: int):
        self.days = sorted(set(days))
        self.window = window

    def active(self, day: dt.date) -> bool:
        return any(p <= day < p + dt.timedelta(days=self.window) for p in self.days)

    def starts_in(self, first: dt.date, last: dt.date) -> bool:
        return any(first <= p <= last and not self.active(p - DAY) for p in self.days)

    def first_day(self) -> dt.date:
        return self.days[0]


def subscriptions(rows, as_of: dt.date) -> dict:
    """rows: (customer_id, signup or None, cancel or None, churned True/False/None) → {id: Subscription}."""
    out = {}
    for customer, signup, cancel, churned in rows:
        if signup is None or signup > as_of or (churned and cancel is None):
            continue
        out[customer] = Subscription(signup, cancel)
    return out


def buyers(rows, as_of: dt.date, window: int) -> dict:
    """rows: (customer_id, day, amount or None) → {id: Buyer} from activity purchases on or before as_of."""
    days = defaultdict(list)
    for customer, day, amount in rows:
        if day <= as_of and (amount is None or amount > 0):
            days[customer].append(day)
    return {customer: Buyer(d, window) for customer, d in days.items()}


def period_table(people: dict, as_of: dt.date, period: str) -> list[dict]:
    """Per period: CS, CN, CE and the lifecycle counts, by checking every customer one by one."""
    if not people:
        return []
    first = min(p.first_day() for p in people.values())
    table = []
    for start, last, complete in periods(first, as_of, period):
        row = dict(period_start=start, period_end=last, complete=complete, customers_start=0, new_customers=0,
                   customers_end=0, retained=0, new_first=0, resurrected=0, churned=0, joined_and_left=0)
        for person in people.values():
            at_start = person.active(start - DAY)
            at_end = person.active(last)
            started = person.starts_in(start, last)
            row["customers_start"] += at_start
            row["customers_end"] += at_end
            row["new_customers"] += started
            row["retained"] += at_start and at_end
            if at_end and not at_start:
                if person.first_day() >= start:
                    row["new_first"] += 1
                else:
                    row["resurrected"] += 1
            row["churned"] += at_start and not at_end
            row["joined_and_left"] += started and not at_start and not at_end
        table.append(row)
    return table


def crr(cs: int, cn: int, ce: int) -> float | None:
    """The issue's formula: (CE − CN) / CS × 100 (None when CS is 0)."""
    return None if cs == 0 else (ce - cn) / cs * 100


def revenue_retention(rows, as_of: dt.date, period: str) -> dict:
    """rows: (customer_id, day, amount) → {period_start: (base_customers, base_revenue, kept_gross, kept_net)}
    for every period after the first one with purchases, from per-customer revenue (floored at 0)."""
    revenue = defaultdict(float)
    for customer, day, amount in rows:
        if day <= as_of and amount is not None:
            revenue[(customer, period_start(day, period))] += amount
    if not revenue:
        return {}
    first = min(p for _, p in revenue)
    out = {}
    for start, _, _ in periods(first, as_of, period)[1:]:
        previous = period_start(start - DAY, period)
        base = {c: max(r, 0.0) for (c, p), r in revenue.items() if p == previous and r > 0}
        now = {c: max(revenue.get((c, start), 0.0), 0.0) for c in base}
        out[start] = (len(base), sum(base.values()), sum(min(now[c], base[c]) for c in base), sum(now.values()))
    return out


# --- Generated data (seeded) shaped like user files, and a loader through the real ingest path ---------


LABELS = ["Too expensive", "Found a better alternative", "Poor customer service", "Moved away"]


def messy(label: str, rng: random.Random) -> str:
    """The same reason as people type it: case, spacing, full-width letters (NFKC folds them)."""
    style = rng.randrange(5)
    if style == 1:
        return label.upper()
    if style == 2:
        return "  " + label.lower().replace(" ", "   ") + " "
    if style == 3:
        return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in label)  # full width
    if style == 4:
        return label + "."
    return label


def subscription_file(seed: int, n: int = 120) -> pd.DataFrame:
    """A customers file: customer_id, signup_date, cancel_date, status, churn_reason, plan (ISO dates,
    blanks as ''). Includes same-period join-and-leave, same-day cancels, a cancel before signup,
    churned-by-status without a cancel date, missing signups, cancels after the analysis date and
    churned customers without a reason. `truth` column: the reason label before messing it up."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        signup = dt.date(2023, 11, 1) + dt.timedelta(days=rng.randrange(0, 425))
        cancel, status = None, "Active"
        roll = rng.random()
        if roll < 0.45:
            cancel = signup + dt.timedelta(days=rng.choice([0, 0, 1, 5, 20, 40, 90, 200, 400]))
            status = "Churned"
        elif roll < 0.48:
            cancel, status = signup - dt.timedelta(days=rng.randrange(1, 10)), "Churned"
        elif roll < 0.52:
            status = "Churned"  # churned, but the file does not say when
        truth = rng.choice(LABELS) if status == "Churned" and rng.random() > 0.12 else ""
        rows.append({
            "customer_id": f"S{seed}-{i:04d}",
            "signup_date": "" if rng.random() < 0.03 else signup.isoformat(),
            "cancel_date": cancel.isoformat() if cancel else "",
            "status": status,
            "churn_reason": messy(truth, rng) if truth else rng.choice(["", "", " "]),
            "plan": rng.choice(["Basic", "Pro"]),
            "truth": truth,
        })
    return pd.DataFrame(rows)


def subscription_rows(frame: pd.DataFrame):
    """The reference's view of subscription_file: (id, signup, cancel, churned)."""
    day = lambda s: dt.date.fromisoformat(s) if s else None  # noqa: E731
    return [(r.customer_id, day(r.signup_date), day(r.cancel_date), bool(r.cancel_date) or r.status == "Churned")
            for r in frame.itertuples()]


def purchase_file(seed: int, n: int = 80) -> pd.DataFrame:
    """A purchases file: customer_id, order_date, amount. Short gaps, long gaps (reactivation), same-day
    repeats, refunds (negative) and zero amounts, up to 2024-12-31."""
    rng = random.Random(seed)
    rows = []
    end = dt.date(2024, 12, 31)
    for i in range(n):
        day = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randrange(0, 490))
        while day <= end:
            roll = rng.random()
            amount = -round(rng.uniform(5, 50), 2) if roll < 0.05 else 0.0 if roll < 0.08 else round(rng.uniform(5, 200), 2)
            rows.append({"customer_id": f"P{seed}-{i:03d}", "order_date": day.isoformat(), "amount": amount})
            if rng.random() < 0.25:
                break
            day += dt.timedelta(days=rng.choice([0, 1, 7, 14, 29, 30, 31, 45, 60, 89, 90, 91, 120, 200]))
    return pd.DataFrame(rows)


def purchase_rows(frame: pd.DataFrame):
    """The reference's view of purchase_file: (id, day, amount)."""
    return [(r.customer_id, dt.date.fromisoformat(r.order_date), float(r.amount)) for r in frame.itertuples()]


def load(purchases: pd.DataFrame | None = None, customers: pd.DataFrame | None = None,
         customer_segments: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory dataset built from frames through the same ingest path as an upload."""
    from retention import store
    from retention.ingest.canonical import prepare

    def prepared(frame, name, kind, segments=None):
        if frame is None:
            return None
        data = frame.drop(columns=["truth"], errors="ignore").to_csv(index=False).encode()
        return prepare(data, name, kind, segments=segments)

    con = duckdb.connect()
    store.build(con, prepared(purchases, "purchases.csv", "purchases"),
                prepared(customers, "customers.csv", "customers", customer_segments), name="test")
    return con
