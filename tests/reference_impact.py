"""Independent reference for the impact page's pre-launch trend (retention/metrics/impact.py fits it with
statsmodels WLS): the hand-written weighted least squares the product used before, with the normal equations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from retention.metrics.impact import MIN_SEASONAL_COHORTS, _design


def trend_fit(before: pd.DataFrame, after: pd.DataFrame, column: str, *, binomial: bool) -> dict:
    """Same contract as impact.trend_fit: WLS by (X'WX)⁻¹X'Wy, σ² = Σw·r²/(n − rank), the binomial floor for
    shares, Var(effect) = σ²(1/N_after + x̄'(X'WX)⁻¹x̄)."""
    seasonal = len(before) >= MIN_SEASONAL_COHORTS
    origin = float(before["cohort_index"].max())
    scale = 100.0 if binomial else 1.0
    X = _design(before["cohort_index"].to_numpy(float), before["cohort"].dt.month.to_numpy(), seasonal, origin)
    Xa = _design(after["cohort_index"].to_numpy(float), after["cohort"].dt.month.to_numpy(), seasonal, origin)
    y = before[column].to_numpy(float) / scale
    w = before["customers"].to_numpy(float)
    xtwx = X.T @ (X * w[:, None])
    inv = np.linalg.pinv(xtwx)
    beta = inv @ (X.T @ (w * y))
    resid = y - X @ beta
    df = len(before) - np.linalg.matrix_rank(X)
    sigma2 = float((w * resid ** 2).sum() / df) if df > 0 else math.inf
    if binomial:
        p = float((w * y).sum() / w.sum())
        floor = p * (1 - p)
        if sigma2 < floor:
            sigma2, df = floor, None  # binomial variance known: normal quantile
    n_after = after["customers"].to_numpy(float)
    ya = after[column].to_numpy(float) / scale
    predicted = Xa @ beta
    effect = float((n_after * (ya - predicted)).sum() / n_after.sum())
    xbar = (Xa * n_after[:, None]).sum(axis=0) / n_after.sum()
    variance = sigma2 * (1 / n_after.sum() + float(xbar @ inv @ xbar))
    return {"effect": effect * scale, "se": math.sqrt(variance) * scale, "df": df, "slope": float(beta[1]) * scale,
            "slope_se": math.sqrt(sigma2 * inv[1, 1]) * scale, "seasonal": seasonal,
            "expected_before": X @ beta * scale, "expected_after": predicted * scale}
