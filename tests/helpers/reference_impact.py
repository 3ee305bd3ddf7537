"""Independent reference for the impact page's pre-launch trend (retention/metrics/impact.py fits it with
statsmodels WLS): the hand-written weighted least squares the product used before, with the normal equations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

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
