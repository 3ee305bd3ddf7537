"""Shifted-beta-geometric (sBG) model of contract renewal (Fader & Hardie, "How to Project Customer
Retention", Journal of Interactive Marketing 21(1), 2007; residual lifetime from Fader & Hardie,
"Customer-Base Valuation in a Contractual Setting", Marketing Science 29(1), 2010).

Each customer renews at the end of every period with their own probability 1−θ; θ ~ Beta(α, β) across
customers. With T the period in which a customer leaves (T ≥ 1):
  P(T = t) = B(α+1, β+t−1) / B(α, β)         S(t) = P(T > t) = B(α, β+t) / B(α, β)
  retention from period t−1 to t: r_t = (β+t−1)/(α+β+t−1), which rises with t as the likeliest leavers go.
Fitted by maximum likelihood (scipy) to cohorts' survivor counts, pooled over cohorts with α, β shared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd


# scipy.special imported on first use, not with the module: importing it costs every CLI command ~0.3 CPU s
def betaln(a, b):
    from scipy.special import betaln as function

    return function(a, b)


def hyp2f1(a, b, c, z):
    from scipy.special import hyp2f1 as function

    return function(a, b, c, z)


def survival(alpha: float, beta: float, t) -> np.ndarray:
    """S(t) = B(α, β+t)/B(α, β): share of a cohort still a customer after t periods (t = 0, 1, …)."""
    t = np.asarray(t, dtype=float)
    return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))


def churn_probability(alpha: float, beta: float, t) -> np.ndarray:
    """P(T = t) = B(α+1, β+t−1)/B(α, β) for t ≥ 1: share of a cohort leaving in period t."""
    t = np.asarray(t, dtype=float)
    return np.exp(betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta))


def retention_rate(alpha: float, beta: float, t) -> np.ndarray:
    """r_t = (β+t−1)/(α+β+t−1): share of those active in period t−1 still active in period t (t ≥ 1)."""
    t = np.asarray(t, dtype=float)
    return (beta + t - 1) / (alpha + beta + t - 1)


def _tallies(cohorts: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
    """Pooled over cohorts: lost[t−1] = customers leaving in period t, kept[t] = customers last seen at t
    (right-censored), for t = 0 … the longest cohort's last period."""
    longest = max((len(c) for c in cohorts), default=1)
    lost, kept = np.zeros(max(longest - 1, 0)), np.zeros(longest)
    for counts in cohorts:
        n = np.asarray(counts, dtype=float)
        if len(n) < 2:
            continue
        lost[: len(n) - 1] += n[:-1] - n[1:]
        kept[len(n) - 1] += n[-1]
    return lost, kept


def _pooled_log_likelihood(alpha: float, beta: float, lost: np.ndarray, kept: np.ndarray) -> float:
    t = np.arange(1, len(lost) + 1)
    churn = np.sum(lost * np.log(churn_probability(alpha, beta, t))) if len(lost) else 0.0
    censored = kept > 0
    stay = np.sum(kept[censored] * np.log(survival(alpha, beta, np.arange(len(kept))[censored])))
    return float(churn + stay)


def log_likelihood(alpha: float, beta: float, cohorts: Sequence[Sequence[float]]) -> float:
    """Log-likelihood of survivor counts: each cohort is [n_0, n_1, …, n_k] (n_0 = cohort size, n_t = still
    customers after t periods); n_(t−1) − n_t left in period t, n_k are right-censored at k."""
    return _pooled_log_likelihood(alpha, beta, *_tallies([c for c in cohorts if len(c) >= 2]))


@dataclass(frozen=True)
class Fit:
    alpha: float
    beta: float
    log_likelihood: float
    alpha_se: float        # standard errors from the observed information (NaN when not available)
    beta_se: float
    customers: int         # cohort members used
    cohorts: int
    periods: int           # the longest cohort's last observed period
    converged: bool

    @property
    def mean_churn(self) -> float:
        """E[θ] = α/(α+β): the average churn probability per period at the start (period 1)."""
        return self.alpha / (self.alpha + self.beta)


def _hessian(f, x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    n = len(x)
    h = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * step, np.eye(n)[j] * step
            h[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * step * step)
    return h


def fit(cohorts: Sequence[Sequence[float]]) -> Fit:
    """Maximum-likelihood α, β from survivor counts (see log_likelihood), searched on log α, log β.

    Cohorts with fewer than two observed points carry no information and are skipped. Raises ValueError
    when nobody left and nobody stayed (no information at all).
    """
    used = [np.asarray(c, dtype=float) for c in cohorts if len(c) >= 2 and c[0] > 0]
    if not used:
        raise ValueError("the sBG model needs at least one cohort observed for two periods or more")
    if any(np.any(np.diff(c) > 0) for c in used):
        raise ValueError("survivor counts must not increase over time")

    lost, kept = _tallies(used)
    scale = float(kept.sum())  # −log-likelihood per customer: the tolerances below do not depend on size

    def objective(x: np.ndarray) -> float:
        a, b = np.exp(np.clip(x, -30, 30))
        value = -_pooled_log_likelihood(a, b, lost, kept) / scale
        return value if math.isfinite(value) else 1e300

    from scipy import optimize  # here, not at the top: importing it costs every CLI command ~0.5 CPU s

    best = None
    for start in ((0.0, 0.0), (1.0, 3.0), (-1.0, 1.0)):
        result = optimize.minimize(objective, np.array(start), method="Nelder-Mead",
                                   options={"xatol": 1e-8, "fatol": 1e-13, "maxiter": 10000, "maxfev": 20000})
        if best is None or result.fun < best.fun:
            best = result
    x = best.x
    try:
        covariance = np.linalg.inv(_hessian(objective, x) * scale)
        se_log = np.sqrt(np.diag(covariance))
        alpha_se, beta_se = (float(v) for v in np.exp(x) * se_log)
    except np.linalg.LinAlgError:
        alpha_se = beta_se = math.nan
    a, b = (float(v) for v in np.exp(x))
    return Fit(a, b, -float(best.fun) * scale, alpha_se, beta_se, int(sum(c[0] for c in used)), len(used),
               max(len(c) for c in used) - 1, bool(best.success))


def survivor_counts(frame: pd.DataFrame) -> list[list[float]]:
    """Cohort curves → the survivor-count lists `fit` takes.

    In: cohort, t (periods since the cohort started: 0, 1, …), survivors (still customers after t periods;
    at t = 0 the cohort size); only the rows to use. Out: per cohort [survivors at t = 0, 1, …] up to its
    last period observed without a gap.
    """
    out = []
    for _, rows in frame.sort_values(["cohort", "t"]).groupby("cohort", sort=True):
        t = rows["t"].to_numpy()
        consecutive = int(np.argmin(np.append(t == np.arange(len(t)), False)))
        counts = rows["survivors"].astype(float).tolist()[:consecutive]
        if counts:
            out.append(counts)
    return out


def derl(alpha: float, beta: float, n: int, d: float) -> float:
    """Discounted expected residual lifetime of a customer who has made n−1 renewals (Fader & Hardie 2010):
    B(α, β+n)/B(α, β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d)) = Σ_{t≥n} S(t)/S(n−1) / (1+d)^(t−n).
    scipy's ₂F₁ fails (NaN) for large α, β (nearly homogeneous customers); the series is summed then."""
    if d <= 0:
        raise ValueError("the discount rate must be positive for the infinite sum to converge")
    value = float(np.exp(betaln(alpha, beta + n) - betaln(alpha, beta + n - 1))
                  * hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + d)))
    return value if math.isfinite(value) else _derl_series(alpha, beta, n, d)


def _derl_series(alpha: float, beta: float, n: int, d: float) -> float:
    # term_t / term_(t−1) = r_t / (1+d) ≤ 1/(1+d): enough terms for the tail to fall below 1e-15
    terms = min(int(math.ceil(35 / math.log1p(d))) + 1, 5_000_000)
    t = np.arange(n, n + terms, dtype=float)
    return float(np.sum(np.exp(np.cumsum(np.log(retention_rate(alpha, beta, t)) - math.log1p(d))) * (1 + d)))


def residual_clv_end(m: float, alpha: float, beta: float, n: int, d: float, horizon: float = math.inf) -> float:
    """Value of the future margins m of a customer now in their n-th period (n−1 renewals made), margins at
    the END of each coming period, each only if the customer renews: Σ_{t=1..T} m·S(n−1+t)/S(n−1)/(1+d)^t.
    The sBG counterpart of clv.clv_end (T = ∞: m·DERL/(1+d))."""
    if math.isinf(horizon):
        return m * derl(alpha, beta, n, d) / (1 + d)
    t = np.arange(1, int(horizon) + 1)
    kept = survival(alpha, beta, n - 1 + t) / survival(alpha, beta, n - 1)
    return float(m * np.sum(kept / (1 + d) ** t))


def expected_residual_lifetime(alpha: float, beta: float, n: int = 1) -> float:
    """Expected periods left, the current (n-th) one included, undiscounted: 1 + (β+n−1)/(α−1) when α > 1;
    infinite when α ≤ 1 (a share of customers almost never leaves)."""
    return 1 + (beta + n - 1) / (alpha - 1) if alpha > 1 else math.inf


def projection(fit_: Fit, periods: int) -> pd.DataFrame:
    """The fitted curve for k = 0…periods. Out: period, survival (S(k)), retention (r_k; NaN at k = 0)."""
    k = np.arange(periods + 1)
    rates = np.concatenate([[np.nan], retention_rate(fit_.alpha, fit_.beta, k[1:])])
    return pd.DataFrame({"period": k, "survival": survival(fit_.alpha, fit_.beta, k), "retention": rates})
