"""Independent reference for the impact page's pre-launch trend (retention/metrics/impact.py fits it with
statsmodels WLS): the hand-written weighted least squares the product used before, with the normal equations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as sps

from retention.metrics.impact import trend_inputs


def trend_fit(before: pd.DataFrame, after: pd.DataFrame, column: str, *, binomial: bool) -> dict:
    """Same contract as impact.trend_fit, by the normal equations: β = (X'WX)⁺X'Wy, σ² = Σw·r²/(n − rank X)
    (for shares at least the pooled p(1−p), then with the normal quantile), Var(effect) =
    σ²(1/N_after + x̄'(X'WX)⁺x̄), x̄ the customer-weighted mean row of the post-launch design."""
    d = trend_inputs(before, after, column, binomial=binomial)
    X, w = d["X"], d["w"]
    inv = np.linalg.pinv(X.T @ np.diag(w) @ X)
    beta = inv @ X.T @ np.diag(w) @ d["y"]
    dof = X.shape[0] - np.linalg.matrix_rank(X)
    s2 = (w @ (d["y"] - X @ beta) ** 2) / dof if dof > 0 else math.inf
    if binomial and s2 < np.average(d["y"], weights=w) * (1 - np.average(d["y"], weights=w)):
        s2, dof = np.average(d["y"], weights=w) * (1 - np.average(d["y"], weights=w)), None
    xbar = np.average(d["Xa"], axis=0, weights=d["n_after"])
    gap = np.average(d["ya"] - d["Xa"] @ beta, weights=d["n_after"])
    k = d["scale"]
    return {"effect": gap * k, "se": k * math.sqrt(s2 * (1 / d["n_after"].sum() + xbar @ inv @ xbar)), "df": dof,
            "slope": beta[1] * k, "slope_se": k * math.sqrt(s2 * inv[1, 1]), "seasonal": d["seasonal"],
            "expected_before": X @ beta * k, "expected_after": d["Xa"] @ beta * k}


def launch_sides(rows, launch, k: int) -> dict:
    """The launch design from purchase rows (customer_id, day, amount), written from the page's words, not from
    queries/impact_customers.sql: a customer's cohort is the month of their first positive purchase; they are
    retained at month k when they bought (a positive amount) in calendar month cohort + k; only cohorts whose month k
    ended by the last day in the data count; cohorts starting on or after the launch are 'after', those whose month
    ended before it 'before' (the launch month itself is left out when the launch is mid-month).

    The effect is the after cohorts' retention minus a straight line fitted by weighted least squares (weights:
    cohort sizes) through the before cohorts' retention by cohort month, customer-weighted over the after cohorts.
    Out: after, before (customers), naive_pp (pooled after − pooled before), effect_pp."""
    import datetime as dt

    def index(day):
        return day.year * 12 + day.month - 1

    last = max(d for _, d, _ in rows)
    months = {}
    for c, d, a in rows:
        if a > 0:
            months.setdefault(c, set()).add(index(d))
    cohorts = {}  # cohort month index → [customers, retained]
    for c, active in months.items():
        first = min(active)
        end_k = first + k + 1  # the month after month k
        if dt.date(end_k // 12, end_k % 12 + 1, 1) - dt.timedelta(days=1) > last:
            continue
        cell = cohorts.setdefault(first, [0, 0])
        cell[0] += 1
        cell[1] += (first + k) in active
    launch_index = index(launch)
    after = {m: v for m, v in cohorts.items() if m >= launch_index and (m > launch_index or launch.day == 1)}
    before = {m: v for m, v in cohorts.items() if m < launch_index}
    share = lambda side: sum(v[1] for v in side.values()) / sum(v[0] for v in side.values())  # noqa: E731
    x = np.array(sorted(before), float)
    n = np.array([before[m][0] for m in sorted(before)], float)
    y = np.array([before[m][1] / before[m][0] for m in sorted(before)])
    slope, intercept = np.polyfit(x, y, 1, w=np.sqrt(n))
    n_after = sum(v[0] for v in after.values())
    gap = sum(v[1] - v[0] * (intercept + slope * m) for m, v in after.items()) / n_after
    # 95% interval: σ² = Σ n·residual² / (cohorts − 2), at least the pooled p(1 − p) (then the normal quantile, else
    # t); Var = σ²/N_after + σ²·x̄'(X'NX)⁻¹x̄, x̄ = the after cohorts' customer-weighted mean of (1, month)
    df = len(x) - 2
    sigma2 = float(np.sum(n * (y - intercept - slope * x) ** 2) / df)
    pooled = float(np.sum(n * y) / np.sum(n))
    if sigma2 < pooled * (1 - pooled):
        sigma2, df = pooled * (1 - pooled), None
    design = np.column_stack([np.ones_like(x), x])
    xbar = np.array([1.0, sum(v[0] * m for m, v in after.items()) / n_after])
    variance = sigma2 / n_after + sigma2 * xbar @ np.linalg.inv(design.T @ (design * n[:, None])) @ xbar
    q = 1.959963984540054 if df is None else float(sps.t.ppf(0.975, df))
    # the after side kept share(after); whatever it would have kept without the launch is a share in [0, 1], so
    # the effect lies in [share(after) − 1, share(after)]: the interval goes no further
    low = max(gap - q * math.sqrt(variance), share(after) - 1)
    high = min(gap + q * math.sqrt(variance), share(after))
    return {"after": n_after, "before": sum(v[0] for v in before.values()),
            "naive_pp": 100 * (share(after) - share(before)), "effect_pp": 100 * gap,
            "low_pp": 100 * low, "high_pp": 100 * high}
