"""Independent reference for the purchase model's page figures (retention/metrics/btyd.py): the BG/NBD model of
Fader, Hardie & Lee (2005), "Counting your customers the easy way", fitted here by plain maximum likelihood on the
paper's equation (6) with scipy's Nelder–Mead (the product uses L-BFGS-B with an analytic gradient), P(alive) by
equation (13) and the expected purchases in the next t by equation (10).

Input rows: (customer_id, day, amount); a purchase is a positive amount; x = repeat purchase days (distinct
purchase days − 1), t_x = first to last purchase day, T = first purchase day to the last purchase day in the data,
both in weeks.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy import optimize, special


def summary(rows) -> dict[str, np.ndarray]:
    """Per customer with a purchase: x, t_x, T (weeks)."""
    days = defaultdict(set)
    for c, d, a in rows:
        if a > 0:
            days[c].add(d)
    end = max(max(d) for d in days.values())
    x = np.array([len(d) - 1 for d in days.values()], float)
    t_x = np.array([(max(d) - min(d)).days / 7 for d in days.values()])
    T = np.array([(end - min(d)).days / 7 for d in days.values()])
    return {"x": x, "t_x": t_x, "T": T}


def log_likelihood(params, x, t_x, T) -> float:
    """Σ ln L of equation (6)."""
    r, alpha, a, b = params
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    beyond = special.betaln(a, b + x) - special.betaln(a, b) - (r + x) * np.log(alpha + T)
    dropped = np.where(x > 0, special.betaln(a + 1, np.maximum(b + x - 1, 1e-12)) - special.betaln(a, b)
                       - (r + x) * np.log(alpha + t_x), -np.inf)
    return float(np.sum(common + np.logaddexp(beyond, dropped)))


def fit(s: dict) -> dict:
    """Maximum likelihood (r, alpha, a, b) from a few starting points, on log-parameters."""
    best = None
    for start in ([1.0, s["T"].mean(), 1.0, 1.0], [0.5, 10.0, 0.5, 2.0], [2.0, 50.0, 2.0, 5.0]):
        found = optimize.minimize(lambda p: -log_likelihood(np.exp(p), s["x"], s["t_x"], s["T"]), np.log(start),
                                  method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40_000,
                                                                 "maxfev": 40_000})
        if best is None or found.fun < best.fun:
            best = found
    r, alpha, a, b = np.exp(best.x)
    return {"r": r, "alpha": alpha, "a": a, "b": b}


def p_alive(params: dict, s: dict) -> np.ndarray:
    """Equation (13): 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x))."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    x, t_x, T = s["x"], s["t_x"], s["T"]
    odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return 1 / (1 + odds)


def expected_purchases(params: dict, s: dict, t: float) -> np.ndarray:
    """Equation (10): expected purchases in the next t weeks of each customer."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    x, t_x, T = s["x"], s["t_x"], s["T"]
    hyper = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    top = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyper)
    odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return top / (1 + odds)
