"""Shifted-beta-geometric model: the published example of Fader & Hardie (2007), recovery of known α, β from
simulated cohorts, and the residual-lifetime formulas against brute-force sums.

Published example ("How to Project Customer Retention", J. Interactive Marketing 21(1), 2007, Table 1 and
the MLEs in the text; data originally from Berry & Linoff 2004): survivors of 1,000 customers per segment,
years 0–12; the model is fitted to years 0–7. The same numbers are reproduced in public code, e.g.
pymc-labs/pymc-marketing docs/source/notebooks/clv/dev/sBG_marimo.py (survival series and the reference MLEs
regular α = 0.704, β = 1.182; high end α = 0.668, β = 3.806) and jdmaturen/shifted_beta_geometric_py
README.md (high-end projection for years 8–12: 0.460, 0.436, 0.414, 0.395, 0.378; DERL at d = 10 % after
year 7: 7.530). DERL values at α = 0.668, β = 3.806 are from ../shared/profit_model.md §2.5.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retention.scenarios import sbg

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]
ROUNDING = 0.0005  # the paper prints three decimals


@pytest.mark.parametrize("survivors, alpha, beta", [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)])
def test_published_estimates(survivors, alpha, beta):
    fit = sbg.fit([survivors[:8]])  # years 0–7: the calibration period of the paper
    assert fit.converged
    assert fit.alpha == pytest.approx(alpha, abs=ROUNDING)
    assert fit.beta == pytest.approx(beta, abs=ROUNDING)
    assert (fit.customers, fit.cohorts, fit.periods) == (1000, 1, 7)


def test_published_projection_and_derl():
    fit = sbg.fit([HIGH_END[:8]])
    projected = sbg.survival(fit.alpha, fit.beta, range(8, 13))
    assert projected == pytest.approx([0.460, 0.436, 0.414, 0.395, 0.378], abs=ROUNDING)
    # projections stay close to what actually happened in years 8–12 (the paper's point)
    assert np.max(np.abs(projected - np.array(HIGH_END[8:]) / 1000)) < 0.02
    assert sbg.derl(fit.alpha, fit.beta, 8, 0.10) == pytest.approx(7.530, abs=ROUNDING)


@pytest.mark.parametrize("alpha, beta, n, expected", [
    (0.668, 3.806, 1, 5.41486), (0.668, 3.806, 2, 5.90175), (0.668, 3.806, 5, 6.89706), (1, 2, 1, 2.86320)])
def test_derl_reference_values(alpha, beta, n, expected):
    assert sbg.derl(alpha, beta, n, 0.10) == pytest.approx(expected, abs=5e-6)


def brute_derl(alpha, beta, n, d, terms=5_000):
    """Σ_{t≥n} S(t)/S(n−1)/(1+d)^(t−n) by a plain loop (terms shrink at least by 1/(1+d) each)."""
    total, kept, discount = 0.0, 1.0, 1.0
    for t in range(n, n + terms):
        kept *= (beta + t - 1) / (alpha + beta + t - 1)  # S(t)/S(n−1) as a product of period retention
        total += kept * discount
        discount /= 1 + d
    return total


@settings(max_examples=40, deadline=None)
@given(alpha=st.floats(0.3, 20), beta=st.floats(0.3, 50), n=st.integers(1, 24), d=st.floats(0.01, 0.3))
def test_derl_matches_brute_force_sum(alpha, beta, n, d):
    assert sbg.derl(alpha, beta, n, d) == pytest.approx(brute_derl(alpha, beta, n, d), rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(r=st.floats(0.3, 0.95), d=st.floats(0.01, 0.3), n=st.integers(1, 12))
def test_derl_homogeneous_limit(r, d, n):
    # α, β → ∞ with α/(α+β) = 1 − r: everyone has churn 1 − r
    for scale in (1e5, 1e7):
        alpha, beta = (1 - r) * scale, r * scale
        assert sbg.derl(alpha, beta, n, d) == pytest.approx(r * (1 + d) / (1 + d - r), rel=1e-3 * 1e5 / scale)


@settings(max_examples=30, deadline=None)
@given(alpha=st.floats(0.3, 20), beta=st.floats(0.3, 50), n=st.integers(1, 24), d=st.floats(0.01, 0.3),
       m=st.floats(1, 500), T=st.integers(1, 60))
def test_residual_clv(alpha, beta, n, d, m, T):
    infinite = sbg.residual_clv_end(m, alpha, beta, n, d)
    assert infinite == pytest.approx(m * brute_derl(alpha, beta, n, d) / (1 + d), rel=1e-6)
    finite = sbg.residual_clv_end(m, alpha, beta, n, d, T)
    t = np.arange(1, T + 1)
    kept = [sbg.survival(alpha, beta, n - 1 + k) / sbg.survival(alpha, beta, n - 1) for k in t]
    assert finite == pytest.approx(sum(m * s / (1 + d) ** k for s, k in zip(kept, t)), rel=1e-9)
    assert finite <= infinite * (1 + 1e-9)


def test_survival_churn_and_retention_are_consistent():
    a, b = 0.9, 2.5
    t = np.arange(1, 30)
    s = sbg.survival(a, b, np.arange(0, 30))
    assert s[0] == pytest.approx(1.0)
    assert sbg.churn_probability(a, b, t) == pytest.approx(s[:-1] - s[1:])
    assert sbg.retention_rate(a, b, t) == pytest.approx(s[1:] / s[:-1])
    assert np.all(np.diff(sbg.retention_rate(a, b, t)) > 0)  # retention rises with tenure


def test_expected_residual_lifetime():
    a, b = 2.5, 6.0
    for n in (1, 2, 5):
        t = np.arange(n - 1, n - 1 + 200_000)
        brute = float(np.sum(sbg.survival(a, b, t) / sbg.survival(a, b, n - 1)))  # current period included
        assert sbg.expected_residual_lifetime(a, b, n) == pytest.approx(brute, rel=1e-3)
    assert math.isinf(sbg.expected_residual_lifetime(0.9, 3.0))


def simulate(alpha, beta, cohorts, size, seed):
    """Cohorts of `size` customers; cohort i (0-based) is observed for cohorts − i periods after its start
    (young cohorts are short), like a calendar cohort table. Returns survivor-count lists."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(cohorts):
        theta = rng.beta(alpha, beta, size)
        life = rng.geometric(theta)  # period in which each customer leaves (≥ 1)
        observed = cohorts - i
        out.append([int(np.sum(life > t)) for t in range(observed + 1)])
    return out


@pytest.mark.parametrize("alpha, beta, seed", [(0.8, 2.5, 1), (3.0, 20.0, 2), (1.5, 4.0, 3)])
def test_recovers_known_parameters_from_simulated_cohorts(alpha, beta, seed):
    fit = sbg.fit(simulate(alpha, beta, cohorts=24, size=800, seed=seed))
    assert fit.converged
    assert abs(fit.alpha - alpha) < 3 * fit.alpha_se and abs(fit.alpha - alpha) / alpha < 0.15
    assert abs(fit.beta - beta) < 3 * fit.beta_se and abs(fit.beta - beta) / beta < 0.15


def test_likelihood_is_maximised_at_the_fit():
    counts = simulate(1.2, 5.0, cohorts=10, size=500, seed=4)
    fit = sbg.fit(counts)
    best = sbg.log_likelihood(fit.alpha, fit.beta, counts)
    assert best == pytest.approx(fit.log_likelihood)
    for da, db in ((0.05, 0), (-0.05, 0), (0, 0.2), (0, -0.2)):
        assert sbg.log_likelihood(fit.alpha + da, fit.beta + db, counts) < best


def test_log_likelihood_by_hand():
    # one cohort of 10: 3 leave in period 1, 2 in period 2, 5 still there after 2 periods
    a, b = 1.0, 2.0
    p1, p2 = a / (a + b), b / (a + b) * a / (a + b + 1)
    expected = 3 * math.log(p1) + 2 * math.log(p2) + 5 * math.log(1 - p1 - p2)
    assert sbg.log_likelihood(a, b, [[10, 7, 5]]) == pytest.approx(expected)


def test_fit_rejects_unusable_data():
    with pytest.raises(ValueError):
        sbg.fit([[10]])
    with pytest.raises(ValueError):
        sbg.fit([[10, 11, 5]])


def test_survivor_counts_from_cells():
    cells = pd.DataFrame({"cohort": ["a", "a", "a", "b", "b", "b", "c"],
                          "t": [0, 1, 2, 0, 1, 3, 0], "survivors": [10, 8, 7, 5, 4, 3, 2]})
    assert sbg.survivor_counts(cells) == [[10, 8, 7], [5, 4], [2]]  # b stops at its gap


def test_projection_frame():
    fit = sbg.fit([HIGH_END[:8]])
    frame = sbg.projection(fit, 12)
    assert list(frame["period"]) == list(range(13))
    assert frame["survival"].iloc[0] == pytest.approx(1.0)
    assert math.isnan(frame["retention"].iloc[0])
    assert frame["retention"].iloc[1] == pytest.approx(fit.beta / (fit.alpha + fit.beta))
