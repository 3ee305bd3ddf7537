"""A deliberately simple reference for the cohort retention matrix, for tests only.

Plain Python loops over customers and purchases, written from the definitions in issue 4 and without
looking at the SQL: if this and queries/cohort_matrix.sql agree on generated data, both are probably right.

Input frames:
    purchases  customer_id, purchased_at (Timestamp), amount (float, NaN when the file has no amounts), row_no
    customers  customer_id, signup_date, churn_date (date or None), churned (bool or None)
    attributes {customer_id: {attribute: value}}
Output: the columns of retention.metrics.cohorts.matrix (segment, cohort, period, cohort_size, active,
    revenue, revenue_per_customer, retention_pct, complete, small), sorted by segment, cohort, period.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd


def period_index(day: dt.date, grain: str) -> int:
    """Monday-start weeks, calendar months and quarters, numbered consecutively."""
    if grain == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return (monday.toordinal() - 1) // 7
    if grain == "month":
        return day.year * 12 + day.month - 1
    return day.year * 4 + (day.month - 1) // 3


def period_start(index: int, grain: str) -> dt.date:
    if grain == "week":
        return dt.date.fromordinal(index * 7 + 1)  # ordinal 1 (0001-01-01) is a Monday
    if grain == "month":
        return dt.date(index // 12, index % 12 + 1, 1)
    return dt.date(index // 4, (index % 4) * 3 + 1, 1)


def _is_active(amount: float) -> bool:
    return math.isnan(amount) or amount > 0


def _as_date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    return pd.Timestamp(value).date()


def default_as_of(purchases: pd.DataFrame, customers: pd.DataFrame) -> dt.date:
    days = [pd.Timestamp(t).date() for t in purchases["purchased_at"]]
    for column in ("signup_date", "churn_date"):
        days += [d for d in map(_as_date, customers[column]) if d is not None]
    return max(days)


def matrix(purchases: pd.DataFrame, customers: pd.DataFrame, attributes: dict, *, grain="month",
           mode="classic", cohort_by="first_purchase", as_of: dt.date | None = None, segment=None,
           filters: dict | None = None, cohort_from=None, cohort_to=None, min_customers=30) -> pd.DataFrame:
    as_of = as_of or default_as_of(purchases, customers)
    reached = period_index(as_of, grain)
    completed = period_index(as_of + dt.timedelta(days=1), grain) - 1
    has_amounts = purchases["amount"].notna().any() and mode != "survival"  # no revenue in survival mode

    first_day: dict[str, dt.date] = {}
    for row in purchases.itertuples():
        if _is_active(row.amount):
            day = row.purchased_at.date()
            if row.customer_id not in first_day or day < first_day[row.customer_id]:
                first_day[row.customer_id] = day
    file_rows = {row.customer_id: row for row in customers.itertuples()}

    everyone = set(purchases["customer_id"]) | set(customers["customer_id"])
    members = {}  # customer → (segment, cohort index)
    for customer in sorted(everyone):
        if cohort_by == "signup":
            row = file_rows.get(customer)
            day = _as_date(row.signup_date) if row is not None else None
        else:
            day = first_day.get(customer)
        if day is None or day > as_of:
            continue
        cohort = period_index(day, grain)
        start = period_start(cohort, grain)
        if cohort_from is not None and start < cohort_from:
            continue
        if cohort_to is not None and start > cohort_to:
            continue
        mine = attributes.get(customer, {})
        if any(mine.get(attribute) not in values for attribute, values in (filters or {}).items()):
            continue
        if mode == "survival":
            row = file_rows.get(customer)
            if row is None or not (_as_date(row.churn_date) is not None or row.churned is False):
                continue
        members[customer] = (mine.get(segment) if segment else None, cohort)

    active: dict[tuple, set] = {}  # (customer, k) seen active
    revenue: dict[tuple, float] = {}
    for row in purchases.itertuples():
        if row.customer_id not in members or row.purchased_at.date() > as_of:
            continue
        k = period_index(row.purchased_at.date(), grain) - members[row.customer_id][1]
        if k < 0:
            continue
        if _is_active(row.amount):
            active.setdefault((row.customer_id, k), True)
        if has_amounts:
            revenue[(row.customer_id, k)] = revenue.get((row.customer_id, k), 0.0) + row.amount

    groups: dict[tuple, list[str]] = {}
    for customer, key in members.items():
        groups.setdefault(key, []).append(customer)

    rows = []
    for (seg, cohort), people in groups.items():
        size = len(people)
        cumulative = 0.0
        base = None
        for k in range(0, reached - cohort + 1):
            if mode == "rolling":
                count = sum(1 for c in people if any((c, j) in active for j in range(k, reached - cohort + 1)))
            elif mode == "survival":
                count = 0
                for c in people:
                    churn = _as_date(file_rows[c].churn_date)
                    gone = churn is not None and churn <= as_of and period_index(churn, grain) <= cohort + k
                    count += not gone
            else:
                count = sum(1 for c in people if (c, k) in active)
            money = sum(revenue.get((c, k), 0.0) for c in people) if has_amounts else None
            if has_amounts:
                cumulative += money
            if k == 0:
                base = money
            if mode == "revenue":
                pct = 100 * money / base if has_amounts and base > 0 else None
            else:
                pct = 100 * count / size
            rows.append({
                "segment": seg, "cohort": pd.Timestamp(period_start(cohort, grain)), "period": k,
                "cohort_size": size, "active": count, "revenue": money,
                "revenue_per_customer": cumulative / size if has_amounts else None,
                "retention_pct": pct, "complete": cohort + k <= completed, "small": size < min_customers,
            })
    columns = ["segment", "cohort", "period", "cohort_size", "active", "revenue", "revenue_per_customer",
               "retention_pct", "complete", "small"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["sort_segment"] = frame["segment"].fillna("")
    frame = frame.sort_values(["sort_segment", "cohort", "period"], key=None)
    return frame.drop(columns="sort_segment").reset_index(drop=True)


def average_curve(cells: pd.DataFrame) -> pd.DataFrame:
    """Weighted average by period over complete cells, one segment: period, cohorts, customers, retained."""
    out = {}
    for row in cells.itertuples():
        if row.complete:
            cohorts, customers, retained = out.get(row.period, (0, 0, 0))
            out[row.period] = (cohorts + 1, customers + row.cohort_size, retained + row.active)
    return pd.DataFrame([{"period": k, "cohorts": v[0], "customers": v[1], "retained": v[2]}
                         for k, v in sorted(out.items())])


def lead(cells: pd.DataFrame, k: int = 1, window: int = 6) -> dict:
    """The figures the Cohorts page and the Overview name in words, from `matrix` output (one segment): of the
    cohorts that completed period k (those of fewer than the minimum sample left out while any cohort is large
    enough), the latest one's size and retention at k, the retention at k of the oldest of the last `window` such
    cohorts, how many those are, and the weighted average at k over every cohort that completed k."""
    done = [r for r in cells.itertuples() if r.period == k and r.complete]
    large = [r for r in done if not r.small]
    shown = sorted(large or done, key=lambda r: r.cohort)[-window:]
    average = average_curve(cells)
    at_k = average[average["period"] == k].iloc[0]
    return {"latest_cohort": shown[-1].cohort, "latest_size": shown[-1].cohort_size,
            "latest_pct": shown[-1].retention_pct, "first_pct": shown[0].retention_pct, "cohorts": len(shown),
            "average_pct": 100 * at_k["retained"] / at_k["customers"], "average_cohorts": int(at_k["cohorts"])}
