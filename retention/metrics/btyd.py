"""Who is still a customer: the BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way")
for purchase counts and P(alive), and the Gamma-Gamma model for the value of a purchase.

Inputs per customer (queries/btyd_summary.sql, one transaction per customer and day): x = repeat purchase days,
t_x = first to last purchase day, T = first purchase day to the calibration end, m_x = mean value of the repeat
purchase days. Times are measured in days in the data and in the fit's `time_unit` ("week", as in the paper,
or "day") in the model: α and every t/t_x/T passed to the model functions are in that unit; r, a, b have no unit.

BG/NBD assumptions: while alive a customer buys at a Poisson rate λ (Gamma(r, α) across customers); after each
purchase they drop out with probability p (Beta(a, b) across customers); λ and p independent.
Gamma-Gamma: a customer's purchase values vary around their own mean, which is Gamma-distributed across
customers (p, q, γ) and independent of how often they buy (checked: `GammaGammaFit.correlation`).

Everything here is pure computation (numpy/scipy, no Streamlit); the frame functions read the store through
named queries. Frame shapes are stated on each function.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd
from retention import lazy

optimize, special = lazy.module("scipy.optimize"), lazy.module("scipy.special")

from retention import sql

TIME_UNITS = {"week": 7.0, "day": 1.0}  # days per unit
DEFAULT_TIME_UNIT = "week"
DEFAULT_HORIZON_DAYS = 365
DEFAULT_DISCOUNT_PCT = 10.0  # per year, as on the what-if page
DAYS_PER_MONTH = 365.25 / 12
HOLDOUT_SHARE = 0.25  # default validation: the last quarter of the data's span is held out
FREQUENCY_GROUPS = 7  # by-frequency check: 0, 1, …, 6 and 7+
CORRELATION_LIMIT = 0.3  # |corr(x, m_x)| at or above this: Gamma-Gamma's independence assumption is doubtful
TOTAL_ERROR_LIMIT = 0.15  # relative error of the holdout total above this: the model fits badly
FREQUENCY_ERROR_LIMIT = 0.25  # weighted relative error of the by-frequency holdout means above this: fits badly
MIN_CUSTOMERS = 30  # fewer customers than this: no fit
MIN_REPEAT_BUYERS = 10  # fewer repeat buyers with a value than this: no Gamma-Gamma fit
BGNBD_PARAMS = ("r", "alpha", "a", "b")
# The Beta(a, b) dropout distribution degenerates to a point mass at p = a/(a+b) when a + b → ∞ (every customer drops
# out at the same rate). The fit bounds a and b by BETA_BOUND (the likelihood there is within ~1e-4 of the limit's
# maximum on the test shops; larger bounds only add rounding noise to betaln), and from a + b ≥ DEGENERATE_SIZE the
# model functions use the limit's closed forms (a fit at the bound stands for the limit; against the exact formulas
# at a + b = 1e6 they differ by < 5e-4 relative even for 150 repeat purchases).
BETA_BOUND = 1e6
DEGENERATE_SIZE = 1e6
PARAM_FLOOR = 1e-8  # lower bound of every BG/NBD parameter in the fit (keeps the optimiser's trial points finite)
# Likewise the Gamma(r, α) purchase rates degenerate to one rate λ = r/α when r, α → ∞ (every customer buys at the
# same rate) and the likelihood is flat along r/α there: unbounded, the fit ran r to 6e303 on a generated shop of
# identical buyers, where every ₂F₁ overflowed. r and α are bounded by GAMMA_BOUND (λ from 1e-8 to 1e8 per unit).
GAMMA_BOUND = 1e8
SERIES_TERMS = 1_000_000  # cap of the plain-series fallback for ₂F₁
GAMMA_GAMMA_PARAMS = ("p", "q", "gamma")


class NoModelData(ValueError):
    """Too little data to fit the model (no purchases before the calibration end, too few customers, …)."""


FLAT_SPREAD = 0.02  # Gamma-Gamma: customers' mean spends differing by under 2% (q > 2,502) count as one spend


@dataclass(frozen=True)
class GammaGammaFit:
    """Gamma-Gamma spend model: params {p, q, gamma} (gamma in money), their standard errors, the
    log-likelihood, the repeat buyers it was fitted on, and the Pearson correlation of frequency and mean
    value among them (`correlated` when |correlation| ≥ CORRELATION_LIMIT: the model's assumption is doubtful)."""

    params: dict[str, float]
    se: dict[str, float]
    log_likelihood: float
    customers: int
    correlation: float
    correlated: bool

    @property
    def mean_value(self) -> float:
        """Population mean purchase value γp/(q−1) (NaN when q ≤ 1: no finite mean)."""
        p, q, g = (self.params[k] for k in GAMMA_GAMMA_PARAMS)
        return g * p / (q - 1) if q > 1 else math.nan

    @property
    def spread(self) -> float:
        """Coefficient of variation of the customers' mean purchase values, 1/√(q−2) (inf when q ≤ 2). Below
        FLAT_SPREAD the fit says spend hardly differs between customers: every customer's expected value then
        uses about the population mean, whatever their own purchases were."""
        q = self.params["q"]
        return 1 / math.sqrt(q - 2) if q > 2 else math.inf

    @property
    def flat(self) -> bool:
        return self.spread < FLAT_SPREAD


@dataclass(frozen=True)
class BgNbdFit:
    """A fitted BG/NBD model: params {r, alpha, a, b} (alpha in `time_unit`), standard errors (from the
    numerical Hessian of the log-likelihood; NaN when it is not invertible), the log-likelihood, the number of
    customers, the calibration end (last day of data used), whether the optimiser converged, and the
    Gamma-Gamma fit (None when it could not be fitted: no amounts, too few repeat buyers)."""

    params: dict[str, float]
    se: dict[str, float]
    log_likelihood: float
    time_unit: str
    customers: int
    calibration_end: dt.date | None
    converged: bool = True
    gamma_gamma: GammaGammaFit | None = None

    @property
    def unit_days(self) -> float:
        return TIME_UNITS[self.time_unit]

    @property
    def degenerate(self) -> bool:
        """True when the dropout distribution is (numerically) a point mass: everyone drops out after a purchase
        with the same probability `dropout` (a + b ≥ DEGENERATE_SIZE; a and b are then not identified, only p)."""
        return is_degenerate(self.params)

    @property
    def dropout(self) -> float:
        """Mean dropout probability after a purchase, a/(a+b) (the common one when `degenerate`)."""
        return self.params["a"] / (self.params["a"] + self.params["b"])

    def to_dict(self) -> dict:
        """The CLI's JSON object: model, time_unit, params, se, log_likelihood, customers, calibration_end,
        converged, degenerate, dropout, gamma_gamma ({p, q, gamma, se, log_likelihood, customers, correlation,
        correlated} or None)."""
        gg = self.gamma_gamma
        return {
            "model": "bgnbd",
            "time_unit": self.time_unit,
            "params": dict(self.params),
            "se": dict(self.se),
            "log_likelihood": self.log_likelihood,
            "customers": self.customers,
            "calibration_end": self.calibration_end.isoformat() if self.calibration_end else None,
            "converged": self.converged,
            "degenerate": self.degenerate,
            "dropout": self.dropout,
            "gamma_gamma": None if gg is None else {
                **gg.params, "se": dict(gg.se), "log_likelihood": gg.log_likelihood, "customers": gg.customers,
                "correlation": gg.correlation, "correlated": gg.correlated},
        }


# ---------------------------------------------------------------------------------------------------------------
# BG/NBD on arrays (x, t_x, T in the model's time unit)


def _arrays(*values):
    return [np.asarray(v, dtype=float) for v in values]


def is_degenerate(params: dict[str, float]) -> bool:
    """Whether Beta(a, b) is treated as its limit, a point mass at a/(a+b) (see DEGENERATE_SIZE)."""
    return params["a"] + params["b"] >= DEGENERATE_SIZE


def _bracket_terms(r, alpha, a, b, x, t_x, T):
    """The two log terms of the likelihood's bracket: ln (α+T)^−(r+x) and, for x > 0,
    ln [a/(b+x−1) · (α+t_x)^−(r+x)] (−inf for x = 0)."""
    u1 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    safe = np.where(repeat, b + x - 1, 1.0)
    u2 = np.where(repeat, np.log(a) - np.log(safe) - (r + x) * np.log(alpha + t_x), -np.inf)
    return u1, u2


def log_likelihood(params: dict[str, float], x, t_x, T) -> np.ndarray:
    """Per-customer BG/NBD log-likelihood (eq. 6 of the paper), vectorised; params {r, alpha, a, b}."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    x, t_x, T = _arrays(x, t_x, T)
    A = special.gammaln(r + x) - special.gammaln(r) + r * math.log(alpha)
    B = special.betaln(a, b + x) - special.betaln(a, b)
    u1, u2 = _bracket_terms(r, alpha, a, b, x, t_x, T)
    return A + B + np.logaddexp(u1, u2)


def _dot(weight: np.ndarray, values: np.ndarray) -> float:
    """Σ weight·values without BLAS. `weight @ values` woke OpenBLAS's threads, which then spin for a while after
    each call and took the CPU from the rest of the evaluation: on 2 cores one evaluation over 100,000 customers
    cost 61 ms of CPU, and 12 ms with OPENBLAS_NUM_THREADS=1 (same numbers either way)."""
    return float(np.einsum("i,i->", weight, values))


def _negative_ll_and_gradient(log_theta, x, t_x, T, weight, distinct=None):
    """−Σ w·LL and its gradient with respect to the log-parameters (analytic). The special functions depend on
    the customer only through x, which takes few distinct values: they are evaluated once per value (`distinct`:
    np.unique(x, return_inverse=True), computed once per fit by the caller, else here). Each per-customer
    logarithm is taken once."""
    r, alpha, a, b = np.exp(log_theta)
    values, index = distinct if distinct is not None else np.unique(x, return_inverse=True)
    per_value = np.stack([
        special.gammaln(r + values) + special.betaln(a, b + values),
        special.digamma(r + values),
        special.digamma(a + b + values),
        special.digamma(b + values),
    ])[:, index]
    lg_and_beta, psi_rx, psi_abx, psi_bx = per_value
    log_T, log_t = np.log(alpha + T), np.log(alpha + t_x)
    repeat = x > 0
    safe = np.where(repeat, b + x - 1, 1.0)
    u1 = -(r + x) * log_T
    u2 = np.where(repeat, np.log(a) - np.log(safe) - (r + x) * log_t, -np.inf)
    L = np.logaddexp(u1, u2)
    ll = (lg_and_beta - special.gammaln(r) + r * math.log(alpha) - special.betaln(a, b) + L)
    w1, w2 = np.exp(u1 - L), np.exp(u2 - L)
    d_r = psi_rx - special.digamma(r) + math.log(alpha) - w1 * log_T - w2 * log_t
    d_alpha = r / alpha - (r + x) * (w1 / (alpha + T) + w2 / (alpha + t_x))
    ab = special.digamma(a + b)
    d_a = ab - psi_abx + w2 / a
    d_b = psi_bx - psi_abx - special.digamma(b) + ab - w2 / safe
    theta = np.array([r, alpha, a, b])
    grad = np.array([_dot(weight, d_r), _dot(weight, d_alpha), _dot(weight, d_a), _dot(weight, d_b)]) * theta
    return -float(_dot(weight, ll)), -grad


def _standard_errors(gradient, theta: np.ndarray) -> np.ndarray:
    """Standard errors from the inverse of the Hessian of the negative log-likelihood in the natural parameters,
    by central differences (relative steps) of its analytic gradient `gradient(theta)`; NaN where the Hessian is
    not positive definite."""
    n = len(theta)
    h = 1e-5 * np.maximum(np.abs(theta), 1e-3)
    rows = []
    for i in range(n):
        up, down = theta.copy(), theta.copy()
        up[i] += h[i]
        down[i] -= h[i]
        rows.append((gradient(up) - gradient(down)) / (2 * h[i]))
    hess = np.array(rows)
    hess = (hess + hess.T) / 2
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        return np.full(n, np.nan)
    diag = np.diag(cov)
    return np.where(diag > 0, np.sqrt(np.abs(diag)), np.nan)


def _natural_gradient(objective):
    """Gradient in the natural parameters from an objective returning (value, gradient in log-parameters)."""
    def gradient(theta):
        return objective(np.log(np.maximum(theta, 1e-300)))[1] / theta
    return gradient


def _compress(*columns) -> tuple[list[np.ndarray], np.ndarray]:
    """Identical rows collapsed into one with a weight (customers with the same x, t_x, T share a likelihood)."""
    frame = pd.DataFrame({i: np.asarray(c, dtype=float) for i, c in enumerate(columns)})
    counts = frame.groupby(list(frame.columns), sort=False).size()
    keys = counts.index.to_frame(index=False)
    return [keys[i].to_numpy(dtype=float) for i in range(len(columns))], counts.to_numpy(dtype=float)


def fit_bgnbd(x, t_x, T, *, time_unit: str = DEFAULT_TIME_UNIT, calibration_end: dt.date | None = None,
              gamma_gamma: GammaGammaFit | None = None) -> BgNbdFit:
    """Maximum-likelihood BG/NBD fit on per-customer arrays (x, t_x, T in `time_unit`): L-BFGS-B with the
    analytic gradient on log-parameters, polished by Nelder-Mead when L-BFGS-B stops short."""
    if time_unit not in TIME_UNITS:
        raise ValueError(f"time_unit must be one of {', '.join(TIME_UNITS)}, not {time_unit!r}")
    x, t_x, T = _arrays(x, t_x, T)
    if len(x) < MIN_CUSTOMERS:
        raise NoModelData(f"{len(x)} customers; at least {MIN_CUSTOMERS} are needed")
    (ux, ut, uT), weight = _compress(x, t_x, T)
    distinct = np.unique(ux, return_inverse=True)

    def objective(log_theta):
        with np.errstate(all="ignore"):  # the optimiser may try extreme points; their inf/NaN only steer it away
            return _negative_ll_and_gradient(log_theta, ux, ut, uT, weight, distinct)

    rate = max(float(x.mean()), 0.05) / max(float(T.mean()), 1e-6)
    start = np.log([1.0, 1.0 / rate, 1.0, 1.0])
    # a and b bounded: without, a fit whose dropout is the same for everyone runs them off to ~1e10
    low = math.log(PARAM_FLOOR)
    upper = np.log([GAMMA_BOUND, GAMMA_BOUND, BETA_BOUND, BETA_BOUND])
    bounds = [(low, high) for high in upper]
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds,
                               options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-8})
    if np.logaddexp(result.x[2], result.x[3]) >= math.log(DEGENERATE_SIZE) - 2 * math.log(10):
        # heading for the point-mass limit, where the likelihood is flat along a + b and L-BFGS-B may stop short:
        # try again from the bound with the same a/(a+b), keep the better
        restart = result.x.copy()
        restart[2:] += math.log(BETA_BOUND) - restart[2:].max()
        again = optimize.minimize(objective, restart, jac=True, method="L-BFGS-B", bounds=bounds,
                                  options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-8})
        if again.fun < result.fun:
            result = again
    best = result
    at_bound = result.x >= upper - 1e-9
    if not result.success and not at_bound.any():  # (flat along a + b at the bound: Nelder-Mead would only wander)
        polished = optimize.minimize(lambda v: objective(v)[0], result.x, method="Nelder-Mead", bounds=bounds,
                                     options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-10})
        if polished.fun <= result.fun:
            best = polished
    theta = np.exp(best.x)
    gradient = objective(best.x)[1]
    at_bound = best.x >= upper - 1e-9
    # at the bound the likelihood still rises towards the limit: that gradient is not a failure to converge
    free = np.where(at_bound, 0.0, gradient)
    converged = bool(np.all(np.isfinite(theta)) and np.max(np.abs(free)) < 1e-2 * max(1.0, weight.sum() ** 0.5))
    se = _standard_errors(_natural_gradient(objective), theta)
    if theta[2] + theta[3] >= DEGENERATE_SIZE:
        se[2:] = np.nan  # only a/(a+b) is identified
    return BgNbdFit(
        params=dict(zip(BGNBD_PARAMS, map(float, theta))),
        se=dict(zip(BGNBD_PARAMS, map(float, se))),
        log_likelihood=-float(best.fun),
        time_unit=time_unit,
        customers=int(len(x)),
        calibration_end=calibration_end,
        converged=converged,
        gamma_gamma=gamma_gamma,
    )


def _log_odds_dead(params, x, t_x, T):
    """ln[a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)] for x > 0, −inf for x = 0: P(alive) = 1/(1 + e^this).
    Degenerate (`is_degenerate`): the limit's a/b = p/(1−p) in place of a/(b+x−1)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    repeat = x > 0
    safe = np.full(np.shape(x), b) if is_degenerate(params) else np.where(repeat, b + x - 1, 1.0)
    value = math.log(a) - np.log(safe) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return np.where(repeat, value, -np.inf)


def p_alive(params: dict[str, float], x, t_x, T) -> np.ndarray:
    """P(alive | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) (eq. 13 of the paper)."""
    x, t_x, T = _arrays(x, t_x, T)
    return special.expit(-_log_odds_dead(params, x, t_x, T))


def conditional_expected_purchases(params: dict[str, float], t, x, t_x, T) -> np.ndarray:
    """E[purchases in (T, T+t] | x, t_x, T] (eq. 10 of the paper). The hypergeometric factor is used in its
    Euler-transformed form, ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z) = ((α+T)/(α+T+t))^(a−1)
    ₂F₁(a+b−1−r, a−1; a+b+x−1; z), z = t/(α+T+t), whose series stays small and accurate for long horizons and
    frequent buyers; where scipy's ₂F₁ gives NaN/inf the plain series of the original form is summed instead.
    A degenerate fit (`is_degenerate`, one dropout p = a/(a+b) for all) uses the limit
    (1/p)·(1 − ((α+T)/(α+T+p·t))^(r+x)) · P(alive)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    t, x, t_x, T = np.broadcast_arrays(*_arrays(t, x, t_x, T))
    alive = special.expit(-_log_odds_dead(params, x, t_x, T))
    if is_degenerate(params):
        p = a / (a + b)
        return -np.expm1((r + x) * (np.log(alpha + T) - np.log(alpha + T + p * t))) / p * alive
    z = t / (alpha + T + t)
    head = (alpha + T) / (alpha + T + t)
    with np.errstate(all="ignore"):
        product = head ** (a - 1) * special.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
    bad = ~np.isfinite(product)
    if bad.any():
        product = np.array(product, dtype=float)
        # summed once per distinct (x, head, z): customers with the same history share them (a million customers of
        # a ten-million-purchase shop held 885,362 such cells and 4,914 distinct ones: 2 s of a series in Python)
        cells, back = np.unique(np.column_stack([x[bad], head[bad], z[bad]]), axis=0, return_inverse=True)
        sums = np.array([sign * math.exp((r + xi) * math.log(hi) + log_size) for xi, hi, zi in cells
                         for sign, log_size in [_hyp2f1_series(r + xi, b + xi, a + b + xi - 1, zi)]])
        product[bad] = sums[back.reshape(-1)]
    return (a + b + x - 1) / (a - 1) * (1.0 - product) * alive


def _hyp2f1_series(p: float, q: float, c: float, z: float) -> tuple[float, float]:
    """₂F₁(p, q; c; z) for 0 ≤ z < 1 by its plain series, as (sign, ln |value|), rescaled so that it neither
    overflows nor underflows; at most SERIES_TERMS terms. p, q > 0; c may be negative (c = a + b − 1 when a + b < 1
    and x = 0): the terms then change sign and the sum may be negative or zero ((0, -inf)); (nan, nan) when c is
    zero or a negative integer, where the function is not defined."""
    total, term, scale = 1.0, 1.0, 0.0
    for k in range(SERIES_TERMS):
        if c + k == 0:
            return math.nan, math.nan
        term *= (p + k) * (q + k) / ((c + k) * (k + 1)) * z
        total += term
        if not math.isfinite(total):  # a term beyond the floats (huge p or q): no value, and no point going on
            return math.nan, math.nan
        if abs(term) < 1e-17 * abs(total):
            break
        if abs(total) > 1e200:
            total, term, scale = total * 1e-200, term * 1e-200, scale + 200 * math.log(10)
    if not math.isfinite(total):
        return math.nan, math.nan
    if total == 0:
        return 0.0, -math.inf
    return math.copysign(1.0, total), math.log(abs(total)) + scale


def expected_purchases(params: dict[str, float], t) -> np.ndarray:
    """Unconditional E[X(t)]: expected repeat purchases of a new customer in the first t units after the first
    purchase (eq. 9 of the paper): the conditional expectation of a customer observed for no time, x = t_x = T = 0
    (same forms, fallback and degenerate limit (1/p)·(1 − (α/(α+p·t))^r) as `conditional_expected_purchases`)."""
    t = np.asarray(t, dtype=float)
    value = conditional_expected_purchases(params, np.maximum(t, 0.0), 0.0, 0.0, 0.0)
    return np.where(t > 0, value, 0.0)


def simulate(params: dict[str, float], T, seed: int = 0) -> pd.DataFrame:
    """Draw customers from the BG/NBD process (for tests and benchmarks): λ ~ Gamma(r, scale 1/α), p ~ Beta(a, b);
    from a first purchase at 0, purchases at Poisson rate λ until T, dropping out with probability p after each
    repeat purchase. T: one observation length per customer, in the params' unit.
    Returns DataFrame[x, t_x, T] (floats, same unit)."""
    rng = np.random.default_rng(seed)
    T = np.asarray(T, dtype=float)
    n = len(T)
    lam = rng.gamma(params["r"], 1.0 / params["alpha"], n)
    drop = rng.beta(params["a"], params["b"], n)
    x, t_x, now = np.zeros(n), np.zeros(n), np.zeros(n)
    going = np.ones(n, dtype=bool)
    while going.any():
        idx = np.flatnonzero(going)
        now[idx] += rng.exponential(1.0, len(idx)) / np.maximum(lam[idx], 1e-300)
        bought = now[idx] <= T[idx]
        hit = idx[bought]
        x[hit] += 1
        t_x[hit] = now[hit]
        going[idx[~bought]] = False
        going[hit[rng.random(len(hit)) < drop[hit]]] = False
    return pd.DataFrame({"x": x, "t_x": t_x, "T": T})


# ---------------------------------------------------------------------------------------------------------------
# Gamma-Gamma


def _gg_negative_ll_and_gradient(log_theta, x, m, weight):
    p, q, g = np.exp(log_theta)
    px = p * x
    log_gm = np.log(g + m * x)
    ll = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * math.log(g)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * log_gm)
    psi = special.digamma(px + q)
    d_p = x * (psi - special.digamma(px) + np.log(m) + np.log(x) - log_gm)
    d_q = psi - special.digamma(q) + math.log(g) - log_gm
    d_g = q / g - (px + q) / (g + m * x)
    grad = np.array([_dot(weight, d_p), _dot(weight, d_q), _dot(weight, d_g)]) * np.array([p, q, g])
    return -float(_dot(weight, ll)), -grad


def gamma_gamma_log_likelihood(params: dict[str, float], frequency, monetary) -> np.ndarray:
    """Per-customer Gamma-Gamma log-likelihood of mean value m_x over x ≥ 1 repeat purchases."""
    x, m = _arrays(frequency, monetary)
    log_theta = np.log([params[k] for k in GAMMA_GAMMA_PARAMS])
    p, q, g = np.exp(log_theta)
    px = p * x
    return (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * math.log(g)
            + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(g + m * x))


def fit_gamma_gamma(frequency, monetary) -> GammaGammaFit | None:
    """Fit Gamma-Gamma on the repeat buyers among the given customers (x ≥ 1 and a positive mean value m_x);
    None when there are fewer than MIN_REPEAT_BUYERS of them or the fit does not give q > 1."""
    x, m = _arrays(frequency, monetary)
    keep = (x >= 1) & np.isfinite(m) & (m > 0)
    x, m = x[keep], m[keep]
    if len(x) < MIN_REPEAT_BUYERS:
        return None
    (ux, um), weight = _compress(x, m)

    def objective(log_theta):
        with np.errstate(all="ignore"):
            return _gg_negative_ll_and_gradient(log_theta, ux, um, weight)

    start = np.log([1.0, 2.0, float(np.mean(m))])
    best = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                             options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-8})
    if not best.success:
        polished = optimize.minimize(lambda v: objective(v)[0], best.x, method="Nelder-Mead",
                                     options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-10})
        best = polished if polished.fun <= best.fun else best
    theta = np.exp(best.x)
    if not np.all(np.isfinite(theta)) or theta[1] <= 1:
        return None
    se = _standard_errors(_natural_gradient(objective), theta)
    correlation = float(np.corrcoef(x, m)[0, 1]) if np.std(x) > 0 and np.std(m) > 0 else 0.0
    return GammaGammaFit(
        params=dict(zip(GAMMA_GAMMA_PARAMS, map(float, theta))),
        se=dict(zip(GAMMA_GAMMA_PARAMS, map(float, se))),
        log_likelihood=-float(best.fun),
        customers=int(len(x)),
        correlation=correlation,
        correlated=abs(correlation) >= CORRELATION_LIMIT,
    )


def expected_value(gg: GammaGammaFit, frequency, monetary) -> np.ndarray:
    """E[M | x, m_x] = (γp + p·x·m_x) / (p·x + q − 1): a weighted mean of the population mean γp/(q−1) and the
    customer's own mean; the population mean for customers without a repeat purchase value."""
    p, q, g = (gg.params[k] for k in GAMMA_GAMMA_PARAMS)
    x, m = _arrays(frequency, monetary)
    own = (x >= 1) & np.isfinite(m) & (m > 0)
    x = np.where(own, x, 0.0)
    m = np.where(own, m, 0.0)
    return (g * p + p * x * m) / (p * x + q - 1)


def clv(fit: BgNbdFit, x, t_x, T, value, *, horizon_days: float = DEFAULT_HORIZON_DAYS, margin_pct: float = 100.0,
        discount_pct: float = DEFAULT_DISCOUNT_PCT) -> np.ndarray:
    """Customer lifetime value over the horizon: Σ over months m = 1…M of expected purchases in month m × value
    per purchase × margin, discounted per month at d_m = (1 + annual rate)^(1/12) − 1 (purchases of a month
    counted at its end; the last month may be partial). x, t_x, T in the fit's unit; value per purchase in money."""
    x, t_x, T, value = _arrays(x, t_x, T, value)
    months = max(1, math.ceil(horizon_days / DAYS_PER_MONTH - 1e-9))
    monthly = (1 + discount_pct / 100) ** (1 / 12) - 1
    total = np.zeros_like(x)
    before = np.zeros_like(x)
    for month in range(1, months + 1):
        t = min(month * DAYS_PER_MONTH, horizon_days) / fit.unit_days
        upto = conditional_expected_purchases(fit.params, t, x, t_x, T)
        total += (upto - before) / (1 + monthly) ** month
        before = upto
    return total * value * margin_pct / 100


def new_customer_clv(fit: BgNbdFit, *, horizon_days: float = DEFAULT_HORIZON_DAYS, margin_pct: float = 100.0,
                     discount_pct: float = DEFAULT_DISCOUNT_PCT) -> float:
    """CLV over the horizon of a customer making their first purchase today: repeat purchases only (the first
    one is being made), E[X(t)] per month × the population mean value × margin, discounted monthly as `clv`.
    NaN without a Gamma-Gamma fit."""
    if fit.gamma_gamma is None:
        return math.nan
    value = fit.gamma_gamma.mean_value
    return float(clv(fit, [0.0], [0.0], [0.0], [value], horizon_days=horizon_days, margin_pct=margin_pct,
                     discount_pct=discount_pct)[0])


# ---------------------------------------------------------------------------------------------------------------
# "+X points of retention" in the model's terms: every customer's future dropout probability p → k·p


DROPOUT_NODES = 48  # Gauss-Jacobi nodes for expectations over a customer's dropout probability
MAX_DROPOUT_MULTIPLIER = 20.0  # k searched in [0, this]; k·p is capped at 1
DAYS_PER_YEAR = 365.25


@lru_cache(maxsize=512)
def _dropout_nodes(a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Jacobi nodes p and normalised weights w with Σ w·f(p) ≈ E[f(p)], p ~ Beta(a, b)."""
    u, w = special.roots_jacobi(DROPOUT_NODES, b - 1, a - 1)  # weight (1−u)^(b−1) (1+u)^(a−1), p = (1+u)/2
    return (1 + u) / 2, w / w.sum()


def _over_dropout(params, x, T, integrand, block: int = 2048) -> np.ndarray:
    """E[integrand(p, s = r+x, A = α+T)] over a living customer's dropout probability p, whose posterior given x
    repeat purchases survived is Beta(a, b+x) (a point mass at a/(a+b) when degenerate), by Gauss-Jacobi
    quadrature; once per distinct (x, T), in blocks. integrand(p (nodes,), s (n,), A (n,)) returns
    (n, …, nodes); the result is (customers, …)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    x, T = _arrays(x, T)
    pairs, index = np.unique(np.stack([x, T], axis=1), axis=0, return_inverse=True)
    out = None
    for value in np.unique(pairs[:, 0]):
        rows = np.flatnonzero(pairs[:, 0] == value)
        if is_degenerate(params):
            p, w = np.array([a / (a + b)]), np.array([1.0])
        else:
            p, w = _dropout_nodes(float(a), float(b + value))
        for chunk in np.array_split(rows, max(1, math.ceil(len(rows) / block))):
            got = integrand(p, np.full(len(chunk), r + value), alpha + pairs[chunk, 1]) @ w
            if out is None:
                out = np.empty((len(pairs),) + got.shape[1:])
            out[chunk] = got
    return out[np.ravel(index)]


def scenario_expected_purchases(params: dict[str, float], t, x, t_x, T, k: float = 1.0) -> np.ndarray:
    """E[purchases in (T, T+t] | x, t_x, T] when from now on each purchase ends the customer with probability
    q = min(k·p, 1) instead of p: P(alive) × E[(1 − (A/(A + q·t))^s) / q] over p ~ Beta(a, b+x), s = r+x,
    A = α+T (a living customer's λ is Gamma(s, A); purchases at rate λ until the dropout, whose hazard is λq).
    k = 1 is the paper's conditional expectation; k = 0: P(alive)·s·t/A. t a number (→ one value per customer)
    or a 1-d array of horizons (→ customers × horizons)."""
    x, t_x, T = _arrays(x, t_x, T)
    alive = p_alive(params, x, t_x, T)
    times = np.atleast_1d(np.asarray(t, dtype=float)).reshape(1, -1, 1)

    def integrand(p, s, A):
        q = np.minimum(k * p, 1.0).reshape(1, 1, -1)
        s, A = s.reshape(-1, 1, 1), A.reshape(-1, 1, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = -np.expm1(-s * np.log1p(q * times / A)) / q
        return np.where(q > 0, value, s * times / A)

    got = _over_dropout(params, x, T, integrand) * alive[:, None]
    return got[:, 0] if np.ndim(t) == 0 else got


def scenario_survival(params: dict[str, float], h: float, x, T, k: float = 1.0) -> np.ndarray:
    """P(still alive after h more units | alive now, x) with dropout q = min(k·p, 1): E[(A/(A + q·h))^s]."""
    return _over_dropout(params, x, T, lambda p, s, A: np.exp(
        -s[:, None] * np.log1p(np.minimum(k * p, 1.0)[None, :] * h / A[:, None])))


def implied_retention(fit: BgNbdFit, x, t_x, T, k: float = 1.0, days: float = DAYS_PER_YEAR) -> float:
    """The model's retention of today's customers over `days` (default a year): of the customers expected alive
    now (Σ P(alive)), the share expected still alive `days` later, Σ P(alive)·S / Σ P(alive), with dropout k·p."""
    alive = p_alive(fit.params, x, t_x, T)
    survive = scenario_survival(fit.params, days / fit.unit_days, x, T, k)
    return float((alive * survive).sum() / alive.sum())


def dropout_multiplier(fit: BgNbdFit, x, t_x, T, points: float, days: float = DAYS_PER_YEAR) -> tuple[float, bool]:
    """(k, capped): the multiplier of every customer's future dropout probability that moves the model's implied
    retention over `days` (implied_retention) by `points` percentage points; capped when the target is out of
    reach (k = 0: nobody leaves; k = MAX_DROPOUT_MULTIPLIER)."""
    base = implied_retention(fit, x, t_x, T, 1.0, days)
    target = base + points / 100
    if points == 0:
        return 1.0, False
    if target >= 1.0:
        return 0.0, True
    gap = lambda k: implied_retention(fit, x, t_x, T, k, days) - target  # noqa: E731 (decreasing in k)
    if gap(MAX_DROPOUT_MULTIPLIER) > 0:
        return MAX_DROPOUT_MULTIPLIER, True
    low, high = (0.0, 1.0) if points > 0 else (1.0, MAX_DROPOUT_MULTIPLIER)
    return float(optimize.brentq(gap, low, high, xtol=1e-10, rtol=1e-10)), False


def scenario_clv(fit: BgNbdFit, x, t_x, T, value, k: float = 1.0, *, horizon_days: float = DEFAULT_HORIZON_DAYS,
                 margin_pct: float = 100.0, discount_pct: float = DEFAULT_DISCOUNT_PCT) -> np.ndarray:
    """`clv` with future dropout k·p: expected purchases per month (scenario_expected_purchases) × value ×
    margin, discounted monthly as `clv` (k = 1 gives `clv`)."""
    x, t_x, T, value = _arrays(x, t_x, T, value)
    months = max(1, math.ceil(horizon_days / DAYS_PER_MONTH - 1e-9))
    monthly = (1 + discount_pct / 100) ** (1 / 12) - 1
    ends = np.minimum(np.arange(1, months + 1) * DAYS_PER_MONTH, horizon_days) / fit.unit_days
    upto = scenario_expected_purchases(fit.params, ends, x, t_x, T, k)
    per_month = np.diff(upto, axis=1, prepend=0.0)
    total = per_month @ (1 + monthly) ** -np.arange(1, months + 1, dtype=float)
    return total * value * margin_pct / 100


def grid(fit: BgNbdFit, age_days: float, max_frequency: int = 30, recency_steps: int = 20,
         horizon_days: float = DEFAULT_HORIZON_DAYS) -> pd.DataFrame:
    """P(alive) and expected purchases over `horizon_days` for a customer of the given age, on a grid of
    frequency 0…max_frequency × recency 0…age (recency_steps + 1 values, whole days), for the heatmaps.
    Returns DataFrame[frequency, recency_days, p_alive, expected_purchases] (frequency 0 only at recency 0)."""
    recency = np.unique(np.round(np.linspace(0, age_days, recency_steps + 1)))
    f, r = np.meshgrid(np.arange(max_frequency + 1, dtype=float), recency, indexing="ij")
    keep = (f > 0) | (r == 0)
    f, r = f[keep], r[keep]
    unit = fit.unit_days
    T = np.full_like(f, age_days / unit)
    return pd.DataFrame({
        "frequency": f.astype(int),
        "recency_days": r,
        "p_alive": p_alive(fit.params, f, r / unit, T),
        "expected_purchases": conditional_expected_purchases(fit.params, horizon_days / unit, f, r / unit, T),
    })


# ---------------------------------------------------------------------------------------------------------------
# Frames from the store


def data_span(con) -> tuple[dt.date, dt.date]:
    """First and last purchase day of the data (rows dated in the future left out)."""
    row = sql.frame(con, "churn_bounds").iloc[0]
    if pd.isna(row["first_purchase_day"]) or pd.isna(row["last_purchase_day"]):
        raise NoModelData("no dated purchases")
    return pd.Timestamp(row["first_purchase_day"]).date(), pd.Timestamp(row["last_purchase_day"]).date()


def default_split(con) -> tuple[dt.date, dt.date]:
    """(calibration_end, holdout_end): the last quarter (HOLDOUT_SHARE) of the data's span held out."""
    first, last = data_span(con)
    days = (last - first).days
    return first + dt.timedelta(days=days - round(days * HOLDOUT_SHARE)), last


def summary(con, calibration_end: dt.date | str | None = None, holdout_end: dt.date | str | None = None) -> pd.DataFrame:
    """Per-customer summary (queries/btyd_summary.sql), in days. Default calibration end: the last purchase day.
    Returns DataFrame[customer_no, customer_id, first_day (datetime64), frequency, recency_days, age_days,
    monetary_value (float, NaN without repeat value), holdout_frequency (float, NaN without a holdout)]."""
    if calibration_end is None:
        calibration_end = data_span(con)[1]
    frame = sql.frame(con, "btyd_summary", calibration_end=_date(calibration_end),
                      holdout_end=None if holdout_end is None else _date(holdout_end))
    frame["monetary_value"] = frame["monetary_value"].astype(float)
    frame["holdout_frequency"] = frame["holdout_frequency"].astype(float)
    return frame


def in_unit(frame: pd.DataFrame, time_unit: str = DEFAULT_TIME_UNIT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, t_x, T) arrays in the unit from a `summary` frame (days), or from its columns as arrays by name."""
    days = TIME_UNITS[time_unit]
    return (np.asarray(frame["frequency"], dtype=float), np.asarray(frame["recency_days"], dtype=float) / days,
            np.asarray(frame["age_days"], dtype=float) / days)


FIT_CACHE_SIZE = 32  # fits and remembered() results kept per process (each a few numbers or a small frame)
_FITS: OrderedDict = OrderedDict()
_FITS_LOCK = threading.Lock()


def _digest(*arrays) -> str:
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a, dtype=float))
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _memo(key: tuple, compute):
    """compute() once per key in this process (LRU of FIT_CACHE_SIZE): the Overview, Churn, Customers and What-if
    pages and the CLI fit the same summaries, and a fit takes seconds on a large shop (`remembered` keeps what the
    model gives on a dataset file here too)."""
    with _FITS_LOCK:
        if key in _FITS:
            _FITS.move_to_end(key)
            return _FITS[key]
    value = compute()
    with _FITS_LOCK:
        _FITS[key] = value
        while len(_FITS) > FIT_CACHE_SIZE:
            _FITS.popitem(last=False)
    return value


def _dataset_file(con) -> tuple | None:
    """(path, size, modification time) of the DuckDB file `con` reads as its database, or None (in memory, a remote
    engine). Saved datasets are written once and renamed into place, so the triple names one content."""
    if not isinstance(con, duckdb.DuckDBPyConnection):
        return None
    row = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    if not row or not row[0]:
        return None
    try:
        found = os.stat(row[0])
    except OSError:
        return None
    return os.path.realpath(row[0]), found.st_size, found.st_mtime_ns


def remembered(con, key: tuple, compute):
    """compute(), remembered per process (as the fits are, `_memo`) under `key` and the dataset file `con` reads,
    and handed out as a copy; computed every time when `con` reads no file. For what the purchase model gives on a
    dataset (headline.model_check, customers.model_churn): the Overview computes them inside its headline figures
    and the Churn and Customers pages ask for them again under their own cache entries, which at ten million
    purchases cost 10 s more of a page's first run."""
    where = _dataset_file(con)
    if where is None:
        return compute()
    return copy.deepcopy(_memo(("dataset", where, *key), compute))


def fit(frame: pd.DataFrame, time_unit: str = DEFAULT_TIME_UNIT, calibration_end: dt.date | str | None = None,
        gamma_gamma: bool = True) -> BgNbdFit:
    """BG/NBD (+ Gamma-Gamma when `gamma_gamma` and the frame has values) on a `summary` frame. Both fits are
    remembered per process by a digest of their inputs (`_memo`): the same summary is fitted once."""
    x, t_x, T = in_unit(frame, time_unit)
    end = None if calibration_end is None else _date(calibration_end)
    gg = None
    if gamma_gamma:
        freq, value = frame["frequency"].to_numpy(dtype=float), frame["monetary_value"].to_numpy(dtype=float)
        gg = _memo(("gamma_gamma", _digest(freq, value)), lambda: fit_gamma_gamma(freq, value))
    model = _memo(("bgnbd", time_unit, _digest(x, t_x, T)), lambda: fit_bgnbd(x, t_x, T, time_unit=time_unit))
    return replace(model, calibration_end=end, gamma_gamma=gg)


def score(model: BgNbdFit, frame: pd.DataFrame, *, horizon_days: float = DEFAULT_HORIZON_DAYS,
          margin_pct: float = 100.0, discount_pct: float = DEFAULT_DISCOUNT_PCT) -> pd.DataFrame:
    """Per customer of a `summary` frame: the frame's columns plus p_alive, expected_purchases (over the horizon),
    expected_value (per purchase; NaN without a Gamma-Gamma fit) and clv (margin × value × expected purchases per
    month, discounted monthly; NaN without a Gamma-Gamma fit). Rows in the frame's order."""
    x, t_x, T = in_unit(frame, model.time_unit)
    out = frame.copy()
    out["p_alive"] = p_alive(model.params, x, t_x, T)
    out["expected_purchases"] = conditional_expected_purchases(model.params, horizon_days / model.unit_days, x, t_x, T)
    if model.gamma_gamma is None:
        out["expected_value"] = np.nan
        out["clv"] = np.nan
    else:
        value = expected_value(model.gamma_gamma, frame["frequency"], frame["monetary_value"])
        out["expected_value"] = value
        out["clv"] = clv(model, x, t_x, T, value, horizon_days=horizon_days, margin_pct=margin_pct,
                         discount_pct=discount_pct)
    return out


def customers(con, calibration_end: dt.date | str | None = None, *, horizon_days: float = DEFAULT_HORIZON_DAYS,
              time_unit: str = DEFAULT_TIME_UNIT, margin_pct: float = 100.0,
              discount_pct: float = DEFAULT_DISCOUNT_PCT) -> tuple[BgNbdFit, pd.DataFrame]:
    """Fit on the data up to `calibration_end` (default: the last purchase day, i.e. "today") and score every
    customer: (fit, DataFrame as `score`: customer_no, customer_id, first_day, frequency, recency_days, age_days,
    monetary_value, holdout_frequency, p_alive, expected_purchases, expected_value, clv)."""
    end = data_span(con)[1] if calibration_end is None else _date(calibration_end)
    frame = summary(con, end)
    if frame.empty:
        raise NoModelData(f"no purchases on or before {end:%Y-%m-%d}")
    model = fit(frame, time_unit, end)
    return model, score(model, frame, horizon_days=horizon_days, margin_pct=margin_pct, discount_pct=discount_pct)


# ---------------------------------------------------------------------------------------------------------------
# Validation: calibration / holdout


@dataclass(frozen=True)
class Verdict:
    """Whether the fit predicts the holdout: fits, the holdout's actual and predicted repeat purchases (tracking
    total, unconditional as in the paper's figure 1), total_error = |predicted − actual| / actual, frequency_error =
    Σ_groups n·|predicted mean − actual mean| / Σ n·actual mean over the by-frequency table (conditional
    expectations), and reason: "fits", "total" (total_error > TOTAL_ERROR_LIMIT), "by_frequency"
    (frequency_error > FREQUENCY_ERROR_LIMIT), "not_converged" or "no_holdout_purchases"."""

    fits: bool
    total_actual: float
    total_predicted: float
    total_error: float
    frequency_error: float
    reason: str


@dataclass(frozen=True)
class Validation:
    """A calibration/holdout check. tracking: DataFrame[week (0…), week_start (datetime64), actual, predicted,
    actual_cumulative, predicted_cumulative, holdout (bool: the week ends after the calibration end)] of repeat
    purchases per week since the first customer's first day; by_frequency: DataFrame[frequency (0…7, 7 = "7+"),
    label, customers, actual (mean holdout purchases), predicted (mean conditional expectation)]."""

    fit: BgNbdFit
    calibration_end: dt.date
    holdout_end: dt.date
    tracking: pd.DataFrame
    by_frequency: pd.DataFrame
    verdict: Verdict
    summary: pd.DataFrame = field(repr=False)


def tracking(model: BgNbdFit, frame: pd.DataFrame, repeat_days: pd.DataFrame, calibration_end: dt.date,
             end: dt.date) -> pd.DataFrame:
    """Weekly actual vs predicted repeat purchases of the calibration customers (`frame`, a summary) from the
    earliest first day to `end`; repeat_days = DataFrame[day, repeat_purchases] (queries/btyd_repeat_days.sql).
    Predicted by day d = Σ_i E[X(d − first_i)] (unconditional). Shape: see `Validation`."""
    firsts = pd.to_datetime(frame["first_day"]).dt.normalize()
    start = firsts.min()
    weeks = int(((pd.Timestamp(end) - start).days) // 7) + 1
    week_end = start + pd.to_timedelta(7 * np.arange(weeks) + 6, unit="D")
    week_end = week_end.where(week_end <= pd.Timestamp(end), pd.Timestamp(end))
    cohort = firsts.value_counts()
    elapsed = (week_end.to_numpy()[None, :] - cohort.index.to_numpy()[:, None]) / np.timedelta64(1, "D")
    elapsed = np.maximum(elapsed, 0.0) / model.unit_days
    predicted_cum = cohort.to_numpy(dtype=float) @ expected_purchases(model.params, elapsed)
    days = pd.to_datetime(repeat_days["day"])
    week_of = ((days - start).dt.days // 7).to_numpy()
    actual = np.bincount(week_of, weights=repeat_days["repeat_purchases"].to_numpy(dtype=float), minlength=weeks)
    return pd.DataFrame({
        "week": np.arange(weeks),
        "week_start": start + pd.to_timedelta(7 * np.arange(weeks), unit="D"),
        "actual": actual[:weeks],
        "predicted": np.diff(predicted_cum, prepend=0.0),
        "actual_cumulative": np.cumsum(actual[:weeks]),
        "predicted_cumulative": predicted_cum,
        "holdout": week_end > pd.Timestamp(calibration_end),
    })


def by_frequency(model: BgNbdFit, frame: pd.DataFrame, holdout_days: float) -> pd.DataFrame:
    """Mean actual vs conditionally expected holdout purchases by calibration frequency 0…6, 7+ (the paper's
    figure 4); `frame` a summary with holdout_frequency. Shape: see `Validation`."""
    x, t_x, T = in_unit(frame, model.time_unit)
    predicted = conditional_expected_purchases(model.params, holdout_days / model.unit_days, x, t_x, T)
    group = np.minimum(x, FREQUENCY_GROUPS).astype(int)
    table = pd.DataFrame({"frequency": group, "actual": frame["holdout_frequency"].to_numpy(dtype=float),
                          "predicted": predicted})
    out = table.groupby("frequency").agg(customers=("actual", "size"), actual=("actual", "mean"),
                                         predicted=("predicted", "mean")).reset_index()
    out.insert(1, "label", out["frequency"].map(lambda k: f"{k}+" if k == FREQUENCY_GROUPS else str(k)))
    return out


def verdict(model: BgNbdFit, track: pd.DataFrame, groups: pd.DataFrame) -> Verdict:
    """Judge a validation (see `Verdict`)."""
    hold = track[track["holdout"]]
    actual, predicted = float(hold["actual"].sum()), float(hold["predicted"].sum())
    weighted_actual = float((groups["customers"] * groups["actual"]).sum())
    missed = float((groups["customers"] * (groups["predicted"] - groups["actual"]).abs()).sum())
    total_error = abs(predicted - actual) / actual if actual > 0 else (math.inf if predicted >= 1 else math.nan)
    frequency_error = missed / weighted_actual if weighted_actual > 0 else (math.inf if missed >= 1 else math.nan)
    if actual <= 0 and predicted < 1:
        reason = "no_holdout_purchases"
    elif not model.converged:
        reason = "not_converged"
    elif total_error > TOTAL_ERROR_LIMIT:
        reason = "total"
    elif frequency_error > FREQUENCY_ERROR_LIMIT:
        reason = "by_frequency"
    else:
        reason = "fits"
    return Verdict(reason == "fits", actual, predicted, total_error, frequency_error, reason)


def validate(con, calibration_end: dt.date | str | None = None, holdout_end: dt.date | str | None = None,
             time_unit: str = DEFAULT_TIME_UNIT) -> Validation:
    """Fit on the data up to calibration_end and compare with what happened up to holdout_end (defaults:
    `default_split`, the last quarter held out). Callers fall back to the inactivity window when
    `verdict.fits` is False."""
    default_cal, default_hold = default_split(con)
    cal = default_cal if calibration_end is None else _date(calibration_end)
    hold = default_hold if holdout_end is None else _date(holdout_end)
    if hold <= cal:
        raise NoModelData(f"the holdout end {hold:%Y-%m-%d} is not after the calibration end {cal:%Y-%m-%d}")
    frame = summary(con, cal, hold)
    if frame.empty:
        raise NoModelData(f"no purchases on or before {cal:%Y-%m-%d}")
    model = fit(frame, time_unit, cal, gamma_gamma=False)  # the check needs purchases only, not values
    repeat_days = sql.frame(con, "btyd_repeat_days", calibration_end=cal, end=hold)
    track = tracking(model, frame, repeat_days, cal, hold)
    groups = by_frequency(model, frame, (hold - cal).days)
    return Validation(model, cal, hold, track, groups, verdict(model, track, groups), frame)


def _date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
