"""The numbers behind a verdict: the gap to each benchmark, whether the user's interval clears it,
whether the sources disagree, and two-proportion tests for internal benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from retention.metrics.stats import CONFIDENCE, wilson

ALPHA = 0.05
DISAGREE_PTS = 5.0  # sources "disagree" when their values (on one scale) span more than this


def proportion(successes, trials, confidence: float = CONFIDENCE) -> dict:
    """A share with its Wilson interval, in %: {value, ci_low, ci_high, successes, trials}; NaN when trials is 0."""
    k, n = float(successes), float(trials)
    low, high = wilson(k, n, confidence)
    return {"value": 100 * k / n if n > 0 else np.nan, "ci_low": 100 * float(low), "ci_high": 100 * float(high),
            "successes": int(k), "trials": int(n)}


def position(value: float, low: float, high: float, benchmark: float) -> str:
    """'above' / 'below' when the whole interval [low, high] is above / below the benchmark, else
    'within_noise'. Without an interval (NaN) the point value decides, and only equality is 'within_noise'."""
    if np.isnan(low) or np.isnan(high):
        return "above" if value > benchmark else "below" if value < benchmark else "within_noise"
    if low > benchmark:
        return "above"
    if high < benchmark:
        return "below"
    return "within_noise"


def compare(figure: dict, pairs: pd.DataFrame, scale: str = "retention") -> pd.DataFrame:
    """Each paired benchmark row against the user's figure.

    In: figure {value, ci_low, ci_high} on the same scale as `pairs["value"]` (see definitions.pair).
    Out: pairs plus gap_pts (user − benchmark, percentage points), position ('above' | 'below' |
    'within_noise'), better (True / False when clear of noise; NA within noise; on a churn scale
    lower is better). Ordered by confidence (high first), then newest.
    """
    out = pairs.copy()
    out["gap_pts"] = figure["value"] - out["value"]
    out["position"] = [position(figure["value"], figure["ci_low"], figure["ci_high"], b) for b in out["value"]]
    good = "below" if scale == "churn" else "above"
    out["better"] = pd.array([None if p == "within_noise" else p == good for p in out["position"]], dtype="boolean")
    rank = out["confidence"].map({"high": 0, "medium": 1, "low": 2}).fillna(3) if "confidence" in out else 0
    out = out.assign(_rank=rank).sort_values(["_rank", "year_sort"], ascending=[True, False], kind="stable")
    return out.drop(columns="_rank").reset_index(drop=True)


def disagreement(pairs: pd.DataFrame, threshold_pts: float = DISAGREE_PTS) -> dict | None:
    """When the paired sources span more than threshold_pts: {low: row, high: row, spread_pts}
    (rows as dicts), else None."""
    if len(pairs) < 2:
        return None
    low, high = pairs.loc[pairs["value"].idxmin()], pairs.loc[pairs["value"].idxmax()]
    spread = float(high["value"] - low["value"])
    if spread <= threshold_pts:
        return None
    return {"low": low.to_dict(), "high": high.to_dict(), "spread_pts": spread}


def disagreements(pairs: pd.DataFrame, by: str | None = None,
                  threshold_pts: float = DISAGREE_PTS) -> list[dict]:
    """disagreement() within each group of `by` (e.g. the horizon of curve points, where values at different
    horizons are expected to differ), or over all rows when by is None; groups that agree are left out."""
    groups = [pairs] if by is None else [g for _, g in pairs.groupby(by, sort=True)]
    return [found for g in groups if (found := disagreement(g, threshold_pts)) is not None]


def two_proportions(k1, n1, k2, n2, confidence: float = CONFIDENCE) -> dict:
    """Compare two shares k1/n1 and k2/n2 (element-wise on arrays).

    Out (in %, points for differences): p1, p2, diff_pts (p1 − p2), ci_low_pts, ci_high_pts (Newcombe's
    hybrid score interval from two Wilson intervals), z (pooled two-proportion z statistic), p_value
    (two-sided; identical to a chi-square test of the 2×2 table without continuity correction).
    NaN where a group is empty; p_value 1 when both shares are 0 % or both 100 %.
    """
    from scipy import stats as sps  # here: importing scipy.stats costs every CLI command ~1 CPU s

    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / n1, k2 / n2
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (p1 - p2) / se, 0.0)
        p_value = 2 * sps.norm.sf(np.abs(z))
        l1, u1 = wilson(k1, n1, confidence)
        l2, u2 = wilson(k2, n2, confidence)
        diff = p1 - p2
        lower = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        upper = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    empty = (n1 <= 0) | (n2 <= 0)
    nan = np.nan
    return {
        "p1": np.where(empty, nan, 100 * p1), "p2": np.where(empty, nan, 100 * p2),
        "diff_pts": np.where(empty, nan, 100 * diff),
        "ci_low_pts": np.where(empty, nan, 100 * lower), "ci_high_pts": np.where(empty, nan, 100 * upper),
        "z": np.where(empty, nan, z), "p_value": np.where(empty, nan, p_value),
    }


def holm(p_values) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (NaN kept as NaN), for several tests read together."""
    p = np.asarray(p_values, dtype=float)
    out = np.full_like(p, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    if not len(valid):
        return out
    order = valid[np.argsort(p[valid], kind="stable")]
    m = len(order)
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out[order] = adjusted
    return out
