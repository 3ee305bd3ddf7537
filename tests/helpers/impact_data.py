"""Generated shops with planted programme effects (tests/test_impact*.py).

Every customer makes 1–3 purchases in their cohort month (on consecutive days), then, in each of the months
1…6 after it, one purchase with probability p: the planted month-k retention. The generator keeps what it
planted, so `Shop.people(k)` is the answer queries/impact_customers.sql must give (built from the generator's
own arrays, not from the purchases), and the estimators can be tested on it without a database.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

START = pd.Timestamp("2021-01-01")
ANCHOR_INDEX = (START.year - 1970) * 12 + START.month - 1  # cohort_index of START: months since 1970-01


@dataclass
class Shop:
    cohort: np.ndarray        # per customer: months since START
    first_count: np.ndarray   # purchases in the cohort month
    day: np.ndarray           # day of the month (0-based) of the first purchase
    active: np.ndarray        # customers × (months + 1) bool: active in month k (column 0 always)
    amounts: np.ndarray       # customers × (months + 1): revenue of month k
    member: np.ndarray        # bool
    cohorts: int
    months: int

    @property
    def ids(self) -> np.ndarray:
        return np.array([f"c{i:06d}" for i in range(len(self.cohort))])

    def last_month(self) -> int:
        """Months since START of the last month anyone can reach: the data runs to the end of it."""
        return self.cohorts - 1 + self.months

    def people(self, k: int) -> pd.DataFrame:
        """The customers as impact.people() returns them (without customer_no and segment)."""
        mask = (self.active[:, 1:].astype("int64") << np.arange(1, self.months + 1)).sum(axis=1)
        starts = pd.DatetimeIndex([START + pd.DateOffset(months=m) for m in range(self.cohorts)])
        return pd.DataFrame({
            "customer_id": self.ids,
            "cohort": starts[self.cohort],
            "cohort_index": ANCHOR_INDEX + self.cohort,
            "complete_months": self.last_month() - self.cohort,
            "active_mask": mask,
            "revenue": self.amounts[:, : k + 1].sum(axis=1).round(2),
            "first_purchases": self.first_count,
            "first_spend": self.amounts[:, 0].round(2),
            "member": self.member,
            "segment": None,
        })

    def purchases(self) -> pd.DataFrame:
        """customer_id, purchased_at, amount: one row per purchase, ending with customer 'end' buying on the last
        day of the last month (so that month is complete at the default analysis date)."""
        ids = self.ids
        starts = pd.DatetimeIndex([START + pd.DateOffset(months=m) for m in range(self.last_month() + 2)])
        rows = []
        rng = np.random.default_rng(0)
        for extra in range(3):  # month 0: first_count purchases sharing the month's amount
            has = self.first_count > extra
            share = self.amounts[has, 0] / self.first_count[has]
            rows.append(pd.DataFrame({"customer_id": ids[has], "amount": share,
                                      "purchased_at": starts[self.cohort[has]]
                                      + pd.to_timedelta(self.day[has] + extra, "D")}))
        for k in range(1, self.months + 1):
            on = self.active[:, k]
            rows.append(pd.DataFrame({"customer_id": ids[on], "amount": self.amounts[on, k],
                                      "purchased_at": starts[self.cohort[on] + k]
                                      + pd.to_timedelta(rng.integers(0, 28, size=on.sum()), "D")}))
        rows.append(pd.DataFrame({"customer_id": ["end"], "amount": [1.0],
                                  "purchased_at": [starts[-1] - pd.Timedelta(days=1)]}))
        return pd.concat(rows, ignore_index=True)[["customer_id", "purchased_at", "amount"]]

    def member_labels(self) -> dict[str, str]:
        return dict(zip(self.ids, np.where(self.member, "yes", "no")))


def shop(*, seed: int, cohorts: int = 36, size: int = 400, launch: int | None = 24, effect: float = 0.0,
         trend: float = 0.0, season: float = 0.0, base: float = 0.30, member_effect: float = 0.0,
         heavy_lift: float = 0.0, months: int = 6) -> Shop:
    """p = base + trend·cohort + season·sin(2π·calendar month/12) + effect·[cohort ≥ launch]
    + heavy_lift·(first-month purchases − 1) + member_effect·member (cohort: months since START).
    Members are likelier among heavier first-month buyers, so heavy_lift > 0 makes buying a confounder."""
    rng = np.random.default_rng(seed)
    n = cohorts * size
    cohort = np.repeat(np.arange(cohorts), size)
    first_count = rng.choice([1, 2, 3], size=n, p=[0.5, 0.3, 0.2])
    member = rng.random(n) < np.array([0.15, 0.35, 0.6])[first_count - 1]
    calendar = (START.month - 1 + cohort) % 12 + 1
    p = (base + trend * cohort + season * np.sin(2 * np.pi * calendar / 12)
         + (effect * (cohort >= launch) if launch is not None else 0)
         + heavy_lift * (first_count - 1) + member_effect * member)
    p = np.clip(p, 0.01, 0.99)
    active = np.column_stack([np.ones(n, bool)] + [rng.random(n) < p for _ in range(months)])
    amounts = np.round(rng.uniform(20, 80, size=(n, months + 1)), 2) * active
    amounts[:, 0] = np.round(amounts[:, 0] * first_count, 2)
    return Shop(cohort, first_count, rng.integers(0, 26, size=n), active, amounts, member, cohorts, months)


# ---------------------------------------------------------------- members with join dates


@dataclass
class JoinedShop:
    """Customers with a latent propensity q; members join d months after their first purchase (d = 3 + cohort
    mod 3), chosen with a probability that grows with their purchases before joining (so members were heavier
    buyers before: the naive comparison overstates); after the join month a member buys in a month with
    probability q + member_effect."""
    cohort: np.ndarray        # months since START
    offset: np.ndarray        # join month − cohort month (the members' d; the same for everyone of a cohort)
    first_count: np.ndarray
    active: np.ndarray        # customers × (months + 1) bool, months after the cohort month
    amounts: np.ndarray
    member: np.ndarray
    cohorts: int
    months: int

    @property
    def ids(self) -> np.ndarray:
        return np.array([f"j{i:06d}" for i in range(len(self.cohort))])

    def last_month(self) -> int:
        return self.cohorts - 1 + self.months

    def join_dates(self) -> pd.DataFrame:
        """customer_id, join_date of the members (a day in their join month)."""
        rows = np.flatnonzero(self.member)
        return pd.DataFrame({"customer_id": self.ids[rows],
                             "join_date": [(START + pd.DateOffset(months=int(self.cohort[i] + self.offset[i]))
                                            + pd.Timedelta(days=int(i % 27))).date() for i in rows]})

    def rows(self, k: int) -> pd.DataFrame:
        """What impact.joined_people() must return (without customer_no and segment): every member at their join
        month, every non-member at their cohort's join month (everyone of a cohort shares d)."""
        d = self.offset
        cols = np.arange(self.months + 1)
        after = (cols[None, :] - d[:, None])  # months after the join month
        mask = ((self.active & (after >= 1) & (after <= 12)).astype("int64")
                << np.clip(after, 0, 62)).sum(axis=1)
        before = cols[None, :] < d[:, None]
        counts = np.where(before, self.active, 0).astype(int)
        counts[:, 0] = self.first_count
        last = np.where(before & self.active, cols[None, :], -1).max(axis=1)
        window = (after >= 0) & (after <= k)
        joined_complete = self.last_month() - (self.cohort + d)
        return pd.DataFrame({
            "customer_id": self.ids,
            "member": self.member,
            "cohort": pd.DatetimeIndex([START + pd.DateOffset(months=int(c)) for c in self.cohort]),
            "cohort_index": ANCHOR_INDEX + self.cohort,
            "join_index": ANCHOR_INDEX + self.cohort + d,
            "complete_months": joined_complete,
            "active_mask": mask,
            "revenue": np.where(window, self.amounts, 0).sum(axis=1).round(2),
            "before_purchases": counts.sum(axis=1),
            "before_spend": np.where(before, self.amounts, 0).sum(axis=1).round(2),
            "months_since_active": np.where(last >= 0, d - last, np.nan),
            "segment": None,
        })

    def purchases(self) -> pd.DataFrame:
        """customer_id, purchased_at, amount; customer 'end' buys on the last day of the last month."""
        ids = self.ids
        starts = pd.DatetimeIndex([START + pd.DateOffset(months=m) for m in range(self.last_month() + 2)])
        rng = np.random.default_rng(1)
        rows = []
        for extra in range(3):
            has = self.first_count > extra
            rows.append(pd.DataFrame({"customer_id": ids[has], "amount": self.amounts[has, 0] / self.first_count[has],
                                      "purchased_at": starts[self.cohort[has]] + pd.to_timedelta(extra, "D")}))
        for m in range(1, self.months + 1):
            on = self.active[:, m]
            rows.append(pd.DataFrame({"customer_id": ids[on], "amount": self.amounts[on, m],
                                      "purchased_at": starts[self.cohort[on] + m]
                                      + pd.to_timedelta(rng.integers(0, 28, size=on.sum()), "D")}))
        rows.append(pd.DataFrame({"customer_id": ["end"], "amount": [1.0],
                                  "purchased_at": [starts[-1] - pd.Timedelta(days=1)]}))
        return pd.concat(rows, ignore_index=True)[["customer_id", "purchased_at", "amount"]]


def joined_shop(*, seed: int, cohorts: int = 12, size: int = 1000, months: int = 12, member_effect: float = 0.0,
                join_rate: float = 0.08) -> JoinedShop:
    """q ∈ {0.1, 0.3, 0.5} (probabilities 0.4, 0.35, 0.25); P(member) = join_rate · purchases before the join
    month: joining depends only on what the matching sees, and heavier buyers join more."""
    rng = np.random.default_rng(seed)
    n = cohorts * size
    cohort = np.repeat(np.arange(cohorts), size)
    offset = 3 + cohort % 3
    q = rng.choice([0.1, 0.3, 0.5], size=n, p=[0.4, 0.35, 0.25])
    first_count = rng.choice([1, 2, 3], size=n, p=[0.5, 0.3, 0.2])
    draws = rng.random((n, months + 1))
    cols = np.arange(months + 1)
    active = draws < q[:, None]
    active[:, 0] = True
    before = (cols[None, :] < offset[:, None]) & (cols[None, :] >= 1)
    count_before = first_count + (active & before).sum(axis=1)
    member = rng.random(n) < np.minimum(0.9, join_rate * count_before)
    lifted = draws < (q + member_effect * member)[:, None]
    active = np.where(cols[None, :] > offset[:, None], lifted, active)
    amounts = np.round(rng.uniform(20, 80, size=(n, months + 1)), 2) * active
    amounts[:, 0] = np.round(amounts[:, 0] * first_count, 2)
    return JoinedShop(cohort, offset, first_count, active, amounts, member, cohorts, months)
