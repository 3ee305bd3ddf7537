"""Interval estimates for retention figures: Wilson intervals for proportions, Kaplan–Meier with
Greenwood's variance for survival."""

from __future__ import annotations

import numpy as np
import pandas as pd

CONFIDENCE = 0.95


def _normal_quantile(p: float) -> float:
    """The standard normal distribution's quantile: scipy.special.ndtri, the very function scipy.stats.norm.ppf
    calls (the same bits), without importing scipy.stats (~0.7 CPU s more of every `curve` or `churn` command)."""
    from scipy.special import ndtri  # here, not at the top: the CLI's commands that give no interval skip it

    return float(ndtri(p))


def wilson(successes, trials, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for successes/trials, element-wise; (low, high) as proportions in [0, 1].

    NaN where trials is 0. Matches scipy's binomtest(...).proportion_ci(method="wilson").
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = _normal_quantile(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    empty = n <= 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def kaplan_meier(table: pd.DataFrame, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Kaplan–Meier survival from a life table.

    In: time (ascending, unique), events (ended at this time), censored (last seen at this time; counted
    at risk at this time, as is usual, events first).
    Out: time, at_risk, events, censored, survival (S(t): the share surviving past t), ci_low, ci_high
    (pointwise, Greenwood's variance on the log(−log S) scale, so the band stays within [0, 1];
    equal to S where S is 1, and 0 once S is 0).
    """
    out = table[["time", "events", "censored"]].reset_index(drop=True).copy()
    leaving = out["events"] + out["censored"]
    out["at_risk"] = leaving[::-1].cumsum()[::-1].to_numpy()
    n, d = out["at_risk"].to_numpy(float), out["events"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(np.where(n > 0, 1 - d / n, 1.0))
        greenwood = np.cumsum(np.where((n > d) & (n > 0), d / (n * (n - d)), np.where(d > 0, np.inf, 0.0)))
        z = _normal_quantile(0.5 + confidence / 2)
        log_s = np.log(survival)
        spread = z * np.sqrt(greenwood) / np.abs(log_s)
        low = survival ** np.exp(spread)
        high = survival ** np.exp(-spread)
    sure = survival >= 1
    gone = survival <= 0
    out["survival"] = survival
    out["ci_low"] = np.where(sure, 1.0, np.where(gone, 0.0, low))
    out["ci_high"] = np.where(sure, 1.0, np.where(gone, 0.0, high))
    return out[["time", "at_risk", "events", "censored", "survival", "ci_low", "ci_high"]]


def poisson_rate(events, exposure, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """A rate of events per unit of exposure with its exact (Garwood) interval: (rate, low, high);
    NaN when exposure is 0."""
    from scipy import stats

    k, t = float(events), float(exposure)
    if t <= 0:
        return np.nan, np.nan, np.nan
    a = 1 - confidence
    low = stats.chi2.ppf(a / 2, 2 * k) / 2 if k > 0 else 0.0
    high = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return k / t, low / t, high / t
