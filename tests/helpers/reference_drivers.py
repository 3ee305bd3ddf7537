"""Independent reference for the churn-driver logistic regression (retention/metrics/drivers.py fits it with
statsmodels): the hand-written Newton–Raphson (IRLS) the product used before, kept here as the textbook check."""

from __future__ import annotations

import numpy as np
from scipy import stats as sps


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = 0.0, steps: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression by Newton–Raphson: (coefficients, covariance = inverse observed information). x has
    the intercept column; y is 0/1."""
    beta = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
        w = p * (1 - p)
        hessian = x.T @ (x * w[:, None]) + ridge * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, x.T @ (y - p) - ridge * beta)
        beta += step
        if np.max(np.abs(step)) < 1e-12:
            break
    p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
    hessian = x.T @ (x * (p * (1 - p))[:, None]) + ridge * np.eye(x.shape[1])
    return beta, np.linalg.inv(hessian)


def odds_ratios(x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Odds ratios, Wald 95% bounds and two-sided p-values of every column after the intercept."""
    beta, cov = fit_logistic(x, np.asarray(y, float))
    se = np.sqrt(np.diag(cov))
    z = sps.norm.ppf(0.975)
    return {"odds_ratio": np.exp(beta[1:]), "or_low": np.exp(beta[1:] - z * se[1:]),
            "or_high": np.exp(beta[1:] + z * se[1:]), "p_value": 2 * sps.norm.sf(np.abs(beta[1:] / se[1:]))}
