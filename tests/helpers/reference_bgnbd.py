"""Independent reference for the purchase model's page figures (retention/metrics/btyd.py): the BG/NBD model of
Fader, Hardie & Lee (2005), "Counting your customers the easy way", fitted here by plain maximum likelihood on the
paper's equation (6) with scipy's Nelder–Mead, restarted until it stops improving (the product uses L-BFGS-B with
an analytic gradient); P(alive) by equation (13); the expected purchases in the next t by equation (10); and the
Gamma-Gamma value of a purchase (Fader, Hardie & Lee 2005, "RFM and CLV").

Input rows: (customer_id, day, amount); a purchase is a positive amount; x = repeat purchase days (distinct
purchase days − 1), t_x = first to last purchase day, T = first purchase day to the last purchase day in the data,
both in weeks.
"""

from __future__ import annotations

import math
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
    """Maximum likelihood (r, alpha, a, b), on log-parameters."""
    found = _minimise(lambda p: -log_likelihood(np.exp(p), s["x"], s["t_x"], s["T"]),
                      np.log([1.0, s["T"].mean(), 1.0, 1.0]))
    r, alpha, a, b = np.exp(found)
    return {"r": r, "alpha": alpha, "a": a, "b": b}


def _minimise(function, start, bounds=None) -> np.ndarray:
    """Nelder–Mead, restarted from where it stopped until a restart no longer improves (a single run can stall on
    a flat ridge of the likelihood)."""
    found = optimize.minimize(function, start, method="Nelder-Mead", bounds=bounds)
    for _ in range(50):
        again = optimize.minimize(function, found.x, method="Nelder-Mead", bounds=bounds,
                                  options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 20_000, "maxfev": 20_000})
        done, found = found.fun - again.fun < 1e-10, again
        if done:
            break
    return found.x


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


# --- Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): the value of a purchase ------------------------------


def monetary(rows) -> np.ndarray:
    """Per customer of `summary` (same order): the mean net revenue of their repeat purchase days (purchase days after
    the first, each day's amounts summed, refunds included) whose net revenue is positive; NaN without one."""
    net, bought = defaultdict(float), defaultdict(set)
    for c, d, a in rows:
        net[(c, d)] += a
        if a > 0:
            bought[c].add(d)
    out = []
    for c, days in bought.items():
        values = [net[(c, d)] for d in sorted(days)[1:] if net[(c, d)] > 0]
        out.append(sum(values) / len(values) if values else np.nan)
    return np.array(out)


def gamma_gamma_fit(x: np.ndarray, m: np.ndarray) -> dict:
    """Maximum likelihood (p, q, γ) over the customers with a repeat purchase value (x ≥ 1, m_x > 0): Σ ln of
    Γ(px+q)/(Γ(px)Γ(q)) · γ^q m_x^(px−1) x^(px) / (γ + m_x x)^(px+q)."""
    keep = (x >= 1) & np.isfinite(m) & (m > 0)
    x, m = x[keep], m[keep]

    def minus_ll(log_params):
        p, q, g = np.exp(log_params)
        return -float(np.sum(special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q) + q * np.log(g)
                             + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(g + m * x)))

    # q ≤ 10^7: on data whose spend hardly varies between customers q and γ grow without end along a ridge (γ/q
    # fixed), where Γ(px+q)/Γ(q) loses every digit to rounding; at 10^7 the value of a purchase is within 10^-6 of
    # the ridge's limit.
    found = _minimise(minus_ll, np.log([1.0, 2.0, m.mean()]), [(-20, 20), (-20, math.log(1e7)), (-20, 40)])
    p, q, g = np.exp(found)
    return {"p": p, "q": q, "gamma": g}


def purchase_value(gg: dict, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """E[M | x, m_x] = p(γ + x m_x) / (px + q − 1); the population mean pγ/(q − 1) without an own value."""
    own = (x >= 1) & np.isfinite(m) & (m > 0)
    x, m = np.where(own, x, 0.0), np.where(own, m, 0.0)
    return gg["p"] * (gg["gamma"] + x * m) / (gg["p"] * x + gg["q"] - 1)


def expected_value(params: dict, s: dict, value: np.ndarray, months: int, discount_pct: float = 10.0) -> np.ndarray:
    """Σ over months 1…M of the expected purchases in month k (equation (10) at the month's end minus at its start;
    a month is 365.25/12 days) × the value of a purchase, discounted at (1 + annual rate)^(k/12)."""
    total, before = np.zeros_like(s["x"]), np.zeros_like(s["x"])
    for k in range(1, months + 1):
        upto = expected_purchases(params, s, k * 365.25 / 12 / 7)
        total += (upto - before) / (1 + discount_pct / 100) ** (k / 12)
        before = upto
    return total * value


def alive_on(rows, params: dict, day) -> dict:
    """P(alive) at the end of `day` of every customer who had bought by then, from their purchases up to that day
    (x, t_x, T measured on it): {customer_id: P(alive)}."""
    days = defaultdict(set)
    for c, d, a in rows:
        if a > 0 and d <= day:
            days[c].add(d)
    ids = list(days)
    s = {"x": np.array([len(days[c]) - 1 for c in ids], float),
         "t_x": np.array([(max(days[c]) - min(days[c])).days / 7 for c in ids]),
         "T": np.array([(day - min(days[c])).days / 7 for c in ids])}
    return dict(zip(ids, p_alive(params, s)))


def model_retention(rows, params: dict, months: list[tuple]) -> float:
    """Model retention (%) pooled over months given as (first day, last day): Σ over months of the P(alive) at the
    month's end of the customers who had bought before it ÷ Σ of their P(alive) at its start (the day before)."""
    import datetime as dt

    kept = start = 0.0
    for first, last in months:
        before, after = alive_on(rows, params, first - dt.timedelta(days=1)), alive_on(rows, params, last)
        start += sum(before.values())
        kept += sum(after[c] for c in before)
    return 100 * kept / start
