"""#17.2: the what-if page's "+X points of retention" in the purchase model's terms (btyd.scenario_*,
btyd.dropout_multiplier, customers.model_scenario): every customer's future dropout probability p becomes k·p.
Checked against the paper's closed form (k = 1), the no-dropout closed form (k = 0), and a Monte Carlo
simulation of the BG/NBD process in plain numpy with the same parameters."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.helpers import reference_churn as ref
from retention.metrics import btyd, customers
from tests.helpers import cdnow_data
from tests.conftest import APP, app_data_dir

PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie & Lee (2005), weeks
X, T_X, T = np.array([2.0, 0.0, 5.0, 1.0, 12.0]), np.array([30.43, 0.0, 20.0, 5.0, 38.0]), np.full(5, 38.86)


def paper_fit(params=PAPER) -> btyd.BgNbdFit:
    return btyd.BgNbdFit(params=dict(params), se={}, log_likelihood=0.0, time_unit="week", customers=0,
                         calibration_end=None)


def test_k_one_is_the_papers_conditional_expectation():
    got = btyd.scenario_expected_purchases(PAPER, 39, X, T_X, T, 1.0)
    assert got[0] == pytest.approx(1.226, abs=5e-4)  # the paper's worked example
    assert got == pytest.approx(btyd.conditional_expected_purchases(PAPER, 39, X, T_X, T), rel=1e-8)
    degenerate = PAPER | {"a": 0.2e6, "b": 0.8e6}
    assert btyd.scenario_expected_purchases(degenerate, 39, X, T_X, T, 1.0) == pytest.approx(
        btyd.conditional_expected_purchases(degenerate, 39, X, T_X, T), rel=1e-8)


def test_k_zero_means_nobody_leaves():
    # E[λ | alive] = (r+x)/(α+T), purchases at that rate for t weeks, times P(alive); survival 1
    want = btyd.p_alive(PAPER, X, T_X, T) * (PAPER["r"] + X) / (PAPER["alpha"] + T) * 39
    assert btyd.scenario_expected_purchases(PAPER, 39, X, T_X, T, 0.0) == pytest.approx(want, rel=1e-12)
    assert btyd.scenario_survival(PAPER, 52, X, T, 0.0) == pytest.approx(np.ones(5))


def simulate(params, n, k, horizon, seed=1, x=0.0, T=0.0):
    """Plain numpy: n customers alive now with x repeat purchases observed over T (x = T = 0: a new customer),
    λ ~ Gamma(r+x, rate α+T), p ~ Beta(a, b+x) (the posterior of a living customer), purchases at rate λ,
    each followed by dropout with probability min(k·p, 1). Returns (purchase times list per customer as a
    flat array with owner index, alive at the horizon)."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(params["r"] + x, 1 / (params["alpha"] + T), n)
    q = np.minimum(k * rng.beta(params["a"], params["b"] + x, n), 1.0)
    now, alive = np.zeros(n), np.ones(n, dtype=bool)
    times, owners = [], []
    going = np.ones(n, dtype=bool)
    while going.any():
        idx = np.flatnonzero(going)
        now[idx] += rng.exponential(1.0, len(idx)) / np.maximum(lam[idx], 1e-300)
        inside = now[idx] <= horizon
        hit = idx[inside]
        times.append(now[hit])
        owners.append(hit)
        going[idx[~inside]] = False
        dead = hit[rng.random(len(hit)) < q[hit]]
        going[dead] = False
        alive[dead] = False
    return np.concatenate(times), np.concatenate(owners), alive


@pytest.mark.parametrize("k", [0.5, 1.0, 1.6])
def test_new_customer_matches_a_simulation(k):
    n, weeks = 200_000, 52.0
    times, owners, alive = simulate(PAPER, n, k, weeks)
    got = btyd.scenario_expected_purchases(PAPER, weeks, [0.0], [0.0], [0.0], k)[0]
    assert got == pytest.approx(len(times) / n, rel=0.02)
    assert btyd.scenario_survival(PAPER, weeks, [0.0], [0.0], k)[0] == pytest.approx(alive.mean(), abs=0.005)
    # discounted monthly as btyd.clv: purchases of month m (t in ((m−1)·M, m·M], M = 365.25/12 days) at (1+d)^−m
    fit, month = paper_fit(), btyd.DAYS_PER_MONTH / 7
    d = 1.1 ** (1 / 12) - 1
    months = np.ceil(times / month)
    want = np.sum((1 + d) ** -months) / n * 40 * 0.3
    got = btyd.scenario_clv(fit, [0.0], [0.0], [0.0], [40.0], k, horizon_days=weeks * 7, margin_pct=30,
                            discount_pct=10)[0]
    assert got == pytest.approx(want, rel=0.02)


def test_a_known_customer_matches_a_simulation_of_their_posterior():
    x, t_x, T, k, weeks, n = 2.0, 30.43, 38.86, 0.4, 39.0, 200_000
    times, _, alive = simulate(PAPER, n, k, weeks, seed=2, x=x, T=T)
    p = btyd.p_alive(PAPER, [x], [t_x], [T])[0]
    got = btyd.scenario_expected_purchases(PAPER, weeks, [x], [t_x], [T], k)[0]
    assert got == pytest.approx(p * len(times) / n, rel=0.02)
    assert btyd.scenario_survival(PAPER, weeks, [x], [T], k)[0] == pytest.approx(alive.mean(), abs=0.005)


def test_the_multiplier_moves_implied_retention_by_the_points():
    fit = paper_fit()
    base = btyd.implied_retention(fit, X, T_X, T)
    alive = btyd.p_alive(PAPER, X, T_X, T)
    by_hand = (alive * btyd.scenario_survival(PAPER, 365.25 / 7, X, T)).sum() / alive.sum()
    assert base == pytest.approx(by_hand)
    for points in (3.0, -4.0):
        k, capped = btyd.dropout_multiplier(fit, X, T_X, T, points)
        assert not capped and (k < 1) == (points > 0)
        assert btyd.implied_retention(fit, X, T_X, T, k) == pytest.approx(base + points / 100, abs=1e-8)
    assert btyd.dropout_multiplier(fit, X, T_X, T, 0.0) == (1.0, False)
    assert btyd.dropout_multiplier(fit, X, T_X, T, 100 * (1 - base) + 1) == (0.0, True)


@pytest.fixture(scope="module")
def con():
    return ref.load(purchases=cdnow_data.purchases())


def test_model_scenario_on_cdnow(con):
    none = customers.model_scenario(con, points=0, years=3, margin_pct=30, discount_pct=10)
    today = customers.model_clv(con, years=3, margin_pct=30, discount_pct=10)
    assert none["k"] == 1 and none["profit_change"] == 0
    assert none["today_before"] == pytest.approx(today["today_total"], rel=1e-9)
    assert none["new_before"] == pytest.approx(today["new_customer"], rel=1e-9)
    up = customers.model_scenario(con, points=5, years=3, margin_pct=30, discount_pct=10)
    assert up["retention_after"] == pytest.approx(up["retention_before"] + 5, abs=1e-6)
    assert up["k"] < 1 and up["dropout_after"] == pytest.approx(up["k"] * up["dropout_before"])
    assert up["profit_change"] == pytest.approx(up["today_after"] - up["today_before"]) and up["profit_change"] > 0
    assert up["new_after"] > up["new_before"]


def test_whatif_page_shows_the_scenario_in_the_models_terms(tmp_path, monkeypatch, con):
    from streamlit.testing.v1 import AppTest

    customers.model_clv(con, years=5, margin_pct=30, discount_pct=10)  # the same summaries: the fits are remembered
    with app_data_dir(tmp_path, monkeypatch):
        at = AppTest.from_file(APP, default_timeout=300)  # a loaded CI machine: the page fits and scores twice
        at.query_params["dataset"], at.query_params["tab"] = cdnow_data.create(), "bgnbd"
        at.run()
        at.switch_page("pages/whatif.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    found = re.search(r"moves annual retention by \*\*([+−-]?[\d.]+)\*\* points.*multiplied by \*\*([\d.]+)\*\*", text)
    assert found, text
    points = float(found.group(1).replace("−", "-"))
    got = customers.model_scenario(con, points=points, years=5, margin_pct=30, discount_pct=10)
    assert float(found.group(2)) == pytest.approx(got["k"], abs=0.006)
    labels = [m.label for m in at.metric]
    assert "Profit change, today's customers, next 5 years" in labels
