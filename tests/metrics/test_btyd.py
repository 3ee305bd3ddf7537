"""BG/NBD and Gamma-Gamma (retention/metrics/btyd.py) checked against the published CDNOW estimates (Fader, Hardie &
Lee 2005; fixture tests/fixtures/cdnow_sample, see README there), a plain-Python reference of the formulas (math,
loops, no numpy/scipy), simulated data with known parameters, and hand-computed cases."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare
from retention.metrics import btyd

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cdnow_sample"
CALIBRATION_END = dt.date(1997, 9, 30)
HOLDOUT_END = dt.date(1998, 6, 30)


@pytest.fixture(scope="module")
def paper_summary() -> pd.DataFrame:
    return pd.read_csv(FIXTURE / "cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(FIXTURE / "CDNOW_sample.txt", sep=r"\s+", header=None, dtype=str,
                       names=["master_id", "customer_id", "date", "cds", "dollar_value"])


@pytest.fixture(scope="module")
def con(raw) -> duckdb.DuckDBPyConnection:
    text = raw[["customer_id", "date", "cds", "dollar_value"]].to_csv(index=False).encode()
    connection = duckdb.connect()
    store.build(connection, prepare(text, "cdnow_sample.csv", "purchases"), None, name="cdnow_sample")
    return connection


@pytest.fixture(scope="module")
def paper_fit(paper_summary) -> btyd.BgNbdFit:
    return btyd.fit_bgnbd(paper_summary["frequency"], paper_summary["recency"], paper_summary["T"])


# --- the paper ---------------------------------------------------------------------------------------------------

def test_bgnbd_reproduces_the_paper(paper_fit):
    p = paper_fit.params
    assert (round(p["r"], 3), round(p["alpha"], 3), round(p["a"], 3), round(p["b"], 3)) == (0.243, 4.414, 0.793, 2.426)
    assert paper_fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert paper_fit.time_unit == "week" and paper_fit.customers == 2357 and paper_fit.converged
    assert all(0 < paper_fit.se[k] < paper_fit.params[k] for k in btyd.BGNBD_PARAMS)


def test_paper_worked_example(paper_fit):
    # customer ID 1: x = 2, t_x = 30.43, T = 38.86 weeks
    assert btyd.p_alive(paper_fit.params, [2], [30.43], [38.86])[0] == pytest.approx(0.727, abs=5e-4)
    expected = btyd.conditional_expected_purchases(paper_fit.params, 39, [2], [30.43], [38.86])[0]
    assert round(expected, 3) == 1.226


def test_summary_from_raw_sample_agrees_with_published_summary(con, raw, paper_summary):
    ours = btyd.summary(con, CALIBRATION_END)
    merged = ours.assign(ID=ours["customer_id"].astype(int)).merge(paper_summary, on="ID", how="outer", indicator=True)
    both = merged[merged["_merge"] == "both"]
    assert (both["frequency_x"] == both["frequency_y"]).all()
    assert (both["recency_days"] / 7 - both["recency"]).abs().max() < 0.005  # the CSV rounds to 2 decimals
    assert (both["age_days"] / 7 - both["T"]).abs().max() < 0.005
    # the published summary counts $0.00 purchases; ours (the project's rule) does not: those customers only bought at $0
    amounts = raw["dollar_value"].astype(float).groupby(raw["customer_id"].astype(int)).max()
    zero_only = set(amounts[amounts == 0].index)
    assert set(merged.loc[merged["_merge"] == "right_only", "ID"]) == zero_only and len(zero_only) == 8
    assert (merged["_merge"] != "left_only").all()


def test_gamma_gamma_reproduces_the_paper(con, raw):
    frame = btyd.summary(con, CALIBRATION_END)
    gg = btyd.fit_gamma_gamma(frame["frequency"], frame["monetary_value"])
    assert gg.customers == 946
    assert (round(gg.params["p"], 2), round(gg.params["q"], 2), round(gg.params["gamma"], 2)) == (6.25, 3.74, 15.44)
    assert not gg.correlated and abs(gg.correlation) < btyd.CORRELATION_LIMIT
    # m_x independently: mean of the repeat purchase days' totals (one transaction per day), first day left out
    day = raw.assign(amount=raw["dollar_value"].astype(float), id=raw["customer_id"].astype(int))
    day = day[day["date"] <= "19970930"].groupby(["id", "date"])["amount"].sum().reset_index()
    repeat = day[day["date"] > day.groupby("id")["date"].transform("min")]
    m_x = repeat.groupby("id")["amount"].mean()
    ours = frame.assign(id=frame["customer_id"].astype(int)).set_index("id")["monetary_value"].dropna()
    assert ours.sort_index().to_numpy() == pytest.approx(m_x.sort_index().to_numpy())


def test_time_unit_days(paper_summary, paper_fit):
    x, t_x, T = paper_summary["frequency"], paper_summary["recency"] * 7, paper_summary["T"] * 7
    daily = btyd.fit_bgnbd(x, t_x, T, time_unit="day")
    assert daily.time_unit == "day"
    for k in ("r", "a", "b"):
        assert daily.params[k] == pytest.approx(paper_fit.params[k], rel=1e-3)
    assert daily.params["alpha"] == pytest.approx(7 * paper_fit.params["alpha"], rel=1e-3)
    # the density of x purchase times in days is 7^−x that in weeks
    assert daily.log_likelihood == pytest.approx(paper_fit.log_likelihood - x.sum() * math.log(7), abs=0.01)


# --- independent plain-Python reference ---------------------------------------------------------------------------

def _lbeta(a, b):
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _ref_ll(r, alpha, a, b, x, t_x, T):
    total = []
    for xi, ti, Ti in zip(x, t_x, T):
        first = math.exp(math.lgamma(r + xi) - math.lgamma(r) + r * math.log(alpha)
                         + _lbeta(a, b + xi) - _lbeta(a, b))
        term = (alpha + Ti) ** -(r + xi)
        if xi > 0:
            term += a / (b + xi - 1) * (alpha + ti) ** -(r + xi)
        total.append(math.log(first * term))
    return total


def _ref_p_alive(r, alpha, a, b, x, t_x, T):
    return [1.0 if xi == 0 else 1 / (1 + a / (b + xi - 1) * ((alpha + Ti) / (alpha + ti)) ** (r + xi))
            for xi, ti, Ti in zip(x, t_x, T)]


def _ref_hyp2f1(a, b, c, z, terms=20000):
    total, term = 1.0, 1.0
    for k in range(terms):
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
        if abs(term) < 1e-16 * abs(total):
            break
    return total


def _ref_conditional(r, alpha, a, b, t, x, t_x, T):
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * _ref_hyp2f1(r + x, b + x, a + b + x - 1, z)
    alive = _ref_p_alive(r, alpha, a, b, [x], [t_x], [T])[0]
    return (a + b + x - 1) / (a - 1) * bracket * alive


def _generated(seed, n=60):
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        T = rnd.uniform(1, 80)
        x = rnd.choice([0, 0, 1, 2, 3, 5, 9, 20])
        t_x = 0.0 if x == 0 else rnd.uniform(0.1, T)
        rows.append((x, t_x, T))
    return [list(c) for c in zip(*rows)]


@pytest.mark.parametrize("seed,params", [(1, (0.243, 4.414, 0.793, 2.426)), (2, (1.7, 12.0, 2.5, 0.6)),
                                         (3, (0.05, 0.3, 0.2, 9.0))])
def test_likelihood_and_p_alive_against_plain_python(seed, params):
    x, t_x, T = _generated(seed)
    named = dict(zip(btyd.BGNBD_PARAMS, params))
    assert btyd.log_likelihood(named, x, t_x, T) == pytest.approx(_ref_ll(*params, x, t_x, T), rel=1e-10)
    assert btyd.p_alive(named, x, t_x, T) == pytest.approx(_ref_p_alive(*params, x, t_x, T), rel=1e-10)


@pytest.mark.parametrize("params", [(0.243, 4.414, 0.793, 2.426), (1.7, 12.0, 2.5, 0.6)])
@pytest.mark.parametrize("case", [(39, 2, 30.43, 38.86), (5, 0, 0, 10), (200, 12, 70, 78), (300, 1, 2, 60),
                                  (365, 150, 700, 730), (2000, 40, 90, 100)])
def test_conditional_expectation_against_plain_series(params, case):
    named = dict(zip(btyd.BGNBD_PARAMS, params))
    t, x, t_x, T = case
    ours = btyd.conditional_expected_purchases(named, t, [x], [t_x], [T])[0]
    assert ours == pytest.approx(_ref_conditional(*params, t, x, t_x, T), rel=1e-7)


def test_unconditional_expectation_is_the_conditional_one_of_a_customer_just_arrived():
    # a customer observed for T → 0 with no repeat purchase is a new customer: E[X(t)] = E[X(T, T+t] | 0, 0, 0]
    named = dict(zip(btyd.BGNBD_PARAMS, (0.243, 4.414, 0.793, 2.426)))
    t = np.array([0.5, 10, 39, 78, 500])
    assert btyd.expected_purchases(named, t) == pytest.approx(
        btyd.conditional_expected_purchases(named, t, 0, 0, 0), rel=1e-9)
    assert btyd.expected_purchases(named, [0.0])[0] == 0.0


def test_analytic_gradient_matches_finite_differences(paper_summary):
    x, t_x, T = (paper_summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    weight = np.ones_like(x)
    point = np.log([0.3, 5.0, 0.9, 2.0])
    _, grad = btyd._negative_ll_and_gradient(point, x, t_x, T, weight)
    h = 1e-6
    numeric = [(btyd._negative_ll_and_gradient(point + h * e, x, t_x, T, weight)[0]
                - btyd._negative_ll_and_gradient(point - h * e, x, t_x, T, weight)[0]) / (2 * h) for e in np.eye(4)]
    assert grad == pytest.approx(numeric, rel=1e-5)


def test_simulated_data_recovers_the_parameters():
    truth = {"r": 0.6, "alpha": 5.0, "a": 0.9, "b": 3.0}
    rng = np.random.default_rng(7)
    data = btyd.simulate(truth, rng.uniform(30, 80, 40_000), seed=11)
    fit = btyd.fit_bgnbd(data["x"], data["t_x"], data["T"])
    for k, value in truth.items():
        assert fit.params[k] == pytest.approx(value, rel=0.15), k
        assert abs(fit.params[k] - value) < 4 * fit.se[k], k


# --- Gamma-Gamma, CLV by hand ---------------------------------------------------------------------------------------

def test_gamma_gamma_likelihood_and_expected_value_by_hand():
    params = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    x, m = [1, 2, 7], [10.0, 35.5, 20.0]
    p, q, g = 6.25, 3.74, 15.44
    ref = [math.lgamma(p * xi + q) - math.lgamma(p * xi) - math.lgamma(q) + q * math.log(g)
           + (p * xi - 1) * math.log(mi) + p * xi * math.log(xi) - (p * xi + q) * math.log(g + mi * xi)
           for xi, mi in zip(x, m)]
    assert btyd.gamma_gamma_log_likelihood(params, x, m) == pytest.approx(ref, rel=1e-12)
    gg = btyd.GammaGammaFit(params, {}, 0.0, 3, 0.0, False)
    population = g * p / (q - 1)  # 35.22…
    weight = p * 2 / (p * 2 + q - 1)
    assert btyd.expected_value(gg, [0, 2], [np.nan, 35.5]) == pytest.approx(
        [population, (1 - weight) * population + weight * 35.5])


def test_clv_by_hand(paper_fit):
    x, t_x, T, value = [2], [30.43], [38.86], [40.0]
    month = btyd.DAYS_PER_MONTH / 7
    e1 = btyd.conditional_expected_purchases(paper_fit.params, month, x, t_x, T)[0]
    e2 = btyd.conditional_expected_purchases(paper_fit.params, 2 * month, x, t_x, T)[0]
    one = btyd.clv(paper_fit, x, t_x, T, value, horizon_days=btyd.DAYS_PER_MONTH, margin_pct=25, discount_pct=0)[0]
    assert one == pytest.approx(e1 * 40 * 0.25)
    d = 1.1 ** (1 / 12) - 1
    two = btyd.clv(paper_fit, x, t_x, T, value, horizon_days=2 * btyd.DAYS_PER_MONTH, margin_pct=25, discount_pct=10)[0]
    assert two == pytest.approx((e1 / (1 + d) + (e2 - e1) / (1 + d) ** 2) * 40 * 0.25)


# --- validation -------------------------------------------------------------------------------------------------------

def test_validation_on_the_paper_split(con, raw):
    v = btyd.validate(con, CALIBRATION_END, HOLDOUT_END)
    # actual repeat purchase days per week, independently with pandas (positive amounts, one per customer and day)
    day = raw.assign(amount=raw["dollar_value"].astype(float), when=pd.to_datetime(raw["date"], format="%Y%m%d"))
    day = day[day["amount"] > 0].drop_duplicates(["customer_id", "when"])
    repeat = day[day["when"] > day.groupby("customer_id")["when"].transform("min")]
    weeks = ((repeat["when"] - pd.Timestamp("1997-01-01")).dt.days // 7).value_counts().sort_index()
    assert v.tracking.set_index("week")["actual"][weeks.index].to_numpy() == pytest.approx(weeks.to_numpy())
    assert len(v.tracking) == 78 and v.tracking["holdout"].sum() == 39
    assert v.verdict.total_actual == (repeat["when"] > pd.Timestamp(CALIBRATION_END)).sum()
    # by frequency: actual holdout means from pandas
    first = day.groupby("customer_id")["when"].min()
    cal = day[day["when"] <= pd.Timestamp(CALIBRATION_END)].groupby("customer_id").size() - 1
    hold = (day[day["when"] > pd.Timestamp(CALIBRATION_END)].groupby("customer_id").size()
            .reindex(first.index, fill_value=0))
    means = hold.groupby(cal.clip(upper=7)).mean()
    assert v.by_frequency.set_index("frequency")["actual"].to_numpy() == pytest.approx(means.to_numpy())
    assert v.by_frequency["label"].iloc[-1] == "7+" and v.by_frequency["customers"].sum() == 2349
    assert v.verdict.fits and v.verdict.reason == "fits"
    assert v.verdict.total_error == pytest.approx(abs(v.verdict.total_predicted - v.verdict.total_actual)
                                                  / v.verdict.total_actual)


def test_default_split_holds_out_the_last_quarter(con):
    calibration_end, holdout_end = btyd.default_split(con)
    assert holdout_end == HOLDOUT_END
    span = (HOLDOUT_END - dt.date(1997, 1, 1)).days
    assert (HOLDOUT_END - calibration_end).days == round(span / 4)


def _con_from_rows(rows) -> duckdb.DuckDBPyConnection:
    text = ("customer,date,amount\n" + "\n".join(f"{c},{d},{a}" for c, d, a in rows)).encode()
    connection = duckdb.connect()
    store.build(connection, prepare(text, "shop.csv", "purchases"), None, name="shop")
    return connection


def test_validation_says_when_the_model_fits_badly():
    # customers buy at their own Poisson rates until the calibration end, then the whole shop stops: the model
    # (fitted on the calibration period) expects them to go on buying
    rng = np.random.default_rng(3)
    start, calibration_end = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    rows = []
    for i, rate in enumerate(rng.gamma(2.0, 1 / 20, 150)):  # purchases per day
        day = int(rng.integers(0, 60))
        while start + dt.timedelta(days=day) <= calibration_end:
            rows.append((f"c{i}", start + dt.timedelta(days=day), 10))
            day += 1 + int(rng.exponential(1 / rate))
    rows.append(("late", dt.date(2024, 9, 30), 10))  # the data's span runs on to here
    v = btyd.validate(_con_from_rows(rows), calibration_end, dt.date(2024, 9, 30))
    assert v.verdict.total_actual == 0 and v.verdict.total_predicted > 100
    assert not v.verdict.fits and v.verdict.reason == "total" and v.verdict.total_error == math.inf


def test_customers_scores_every_customer(con):
    fit, frame = btyd.customers(con, CALIBRATION_END, horizon_days=273, margin_pct=30)
    assert fit.calibration_end == CALIBRATION_END and fit.gamma_gamma is not None and len(frame) == fit.customers
    row = frame[frame["customer_id"] == "0001"].iloc[0]
    assert (row["frequency"], row["recency_days"], row["age_days"]) == (2, 213, 272)
    x, t_x, T = btyd.in_unit(frame, "week")
    assert frame["p_alive"].to_numpy() == pytest.approx(btyd.p_alive(fit.params, x, t_x, T))
    assert frame["expected_purchases"].to_numpy() == pytest.approx(
        btyd.conditional_expected_purchases(fit.params, 39, x, t_x, T))
    assert frame["clv"].gt(0).all() and frame["expected_value"].gt(0).all()
    assert set(fit.to_dict()) >= {"model", "time_unit", "params", "log_likelihood", "customers", "calibration_end",
                                  "gamma_gamma"}


def test_too_few_customers_is_a_clear_error():
    with pytest.raises(btyd.NoModelData, match="at least"):
        btyd.fit_bgnbd([0, 1], [0, 1], [3, 3])


def test_without_amounts_there_is_no_spend_model():
    rng = np.random.default_rng(5)
    start = dt.date(2024, 1, 1)
    lines = ["customer,date"]
    for i in range(120):
        for day in sorted(set(rng.integers(0, 300, int(rng.integers(1, 6))).tolist())):
            lines.append(f"c{i},{start + dt.timedelta(days=day)}")
    connection = duckdb.connect()
    store.build(connection, prepare("\n".join(lines).encode(), "visits.csv", "purchases"), None, name="visits")
    fit, frame = btyd.customers(connection)
    assert fit.gamma_gamma is None and fit.to_dict()["gamma_gamma"] is None
    assert frame["expected_value"].isna().all() and frame["clv"].isna().all()
    assert frame["p_alive"].between(0, 1).all() and len(frame) == 120


def test_new_customer_clv_by_hand(paper_fit):
    gg = btyd.GammaGammaFit({"p": 6.25, "q": 3.74, "gamma": 15.44}, {}, 0.0, 946, 0.0, False)
    model = btyd.BgNbdFit(paper_fit.params, paper_fit.se, paper_fit.log_likelihood, "week", 2357, None, True, gg)
    d = 1.1 ** (1 / 12) - 1
    month = btyd.DAYS_PER_MONTH / 7
    e = btyd.expected_purchases(model.params, [month * k for k in (1, 2, 3)])
    by_hand = sum((e[k] - (e[k - 1] if k else 0)) / (1 + d) ** (k + 1) for k in range(3)) * 15.44 * 6.25 / 2.74 * 0.3
    assert btyd.new_customer_clv(model, horizon_days=3 * btyd.DAYS_PER_MONTH, margin_pct=30) == pytest.approx(by_hand)
    assert math.isnan(btyd.new_customer_clv(paper_fit))


def test_grid_for_the_heatmaps(paper_fit):
    table = btyd.grid(paper_fit, age_days=272, max_frequency=5, recency_steps=4)
    assert len(table) == 1 + 5 * 5 and set(table["recency_days"]) == {0, 68, 136, 204, 272}
    row = table[(table["frequency"] == 2) & (table["recency_days"] == 204)].iloc[0]
    assert row["p_alive"] == pytest.approx(_ref_p_alive(0.2425929, 4.4135315, 0.7928862, 2.4257538, [2], [204 / 7],
                                                        [272 / 7])[0], rel=1e-5)
    # more recent buyers are more likely alive, at every frequency
    for _, same in table[table["frequency"] > 0].groupby("frequency"):
        assert same.sort_values("recency_days")["p_alive"].is_monotonic_increasing


# --- one dropout rate for everyone: the Beta degenerates (a, b → ∞) --------------------------------------------------

def _ref_limit_ll(r, alpha, p, x, t_x, T):
    """BG/NBD likelihood in the limit a + b → ∞, a/(a+b) = p: B(a, b+x)/B(a, b) → (1−p)^x, a/(b+x−1) → p/(1−p)."""
    total = 0.0
    for xi, ti, Ti in zip(x, t_x, T):
        term = (alpha + Ti) ** -(r + xi) + (p / (1 - p) * (alpha + ti) ** -(r + xi) if xi > 0 else 0.0)
        total += (math.lgamma(r + xi) - math.lgamma(r) + r * math.log(alpha) + xi * math.log(1 - p) + math.log(term))
    return total


def _ref_limit_p_alive(r, alpha, p, x, t_x, T):
    return 1.0 if x == 0 else 1 / (1 + p / (1 - p) * ((alpha + T) / (alpha + t_x)) ** (r + x))


def _ref_limit_conditional(r, alpha, p, t, x, t_x, T):
    """E[X(T, T+t] | x, t_x, T] with one dropout p: alive with rate λ, the purchases before dropping out in t are
    (1 − e^(−λpt))/p in expectation; λ | data ~ Gamma(r+x, α+T) given alive."""
    alive = _ref_limit_p_alive(r, alpha, p, x, t_x, T)
    return (1 - ((alpha + T) / (alpha + T + p * t)) ** (r + x)) / p * alive


def _shop_con(name="retail_2010"):
    from tests.helpers import dated_datasets
    start, months, _ = dated_datasets.DATASETS[name]
    connection = duckdb.connect()
    store.build(connection, prepare(dated_datasets.purchases_csv(start, months), f"{name}.csv", "purchases"), None,
                name=name)
    return connection


def test_limit_reference_is_the_paper_formula_for_a_huge_beta():
    # the limit reference above against the paper's formula (plain series) with a + b = 1e5: only the Beta's spread
    for case in [(39, 2, 30.43, 38.86), (5, 0, 0, 10), (200, 12, 70, 78), (300, 1, 2, 60)]:
        exact = _ref_conditional(0.8, 8.5, 0.3e5, 0.7e5, *case)
        assert _ref_limit_conditional(0.8, 8.5, 0.3, *case) == pytest.approx(exact, rel=1e-3)


@pytest.mark.parametrize("name", ["cdnow_1997", "retail_2010", "future_rows"])
def test_shop_with_one_dropout_rate_gets_finite_predictions(name):
    # these generated shops make every customer drop out with nearly the same chance: the fit ran to a ≈ 9e9,
    # b ≈ 2e10 and expected purchases and CLV came out NaN for everyone
    fit, frame = btyd.customers(_shop_con(name))
    assert fit.degenerate and fit.converged and fit.to_dict()["degenerate"] is True
    assert max(fit.params["a"], fit.params["b"]) <= btyd.BETA_BOUND * (1 + 1e-9)
    r, alpha, p = fit.params["r"], fit.params["alpha"], fit.dropout
    assert fit.to_dict()["dropout"] == p and 0 < p < 1
    x, t_x, T = btyd.in_unit(frame, "week")
    # the likelihood is that of the limit model at its maximum (checked by a plain grid around the fit)
    ours = _ref_limit_ll(r, alpha, p, x, t_x, T)
    assert fit.log_likelihood == pytest.approx(ours, abs=0.01)
    assert all(_ref_limit_ll(r * (1 + dr), alpha * (1 + da), p * (1 + dp), x, t_x, T) <= ours + 1e-3
               for dr in (-0.01, 0, 0.01) for da in (-0.01, 0, 0.01) for dp in (-0.01, 0, 0.01))
    assert frame["expected_purchases"].notna().all() and frame["clv"].notna().all() and frame["clv"].ge(0).all()
    reference = [_ref_limit_conditional(r, alpha, p, 365 / 7, *row) for row in zip(x, t_x, T)]
    assert frame["expected_purchases"].to_numpy() == pytest.approx(reference, rel=1e-9)
    assert frame["p_alive"].to_numpy() == pytest.approx([_ref_limit_p_alive(r, alpha, p, *row) for row in zip(x, t_x, T)], rel=1e-9)


@pytest.mark.parametrize("seed", [0, 1])
def test_simulated_constant_dropout(seed):
    # p = 0.2 for everyone: the maximum likelihood a + b is infinite for about half of such samples (seed 1) and a
    # few hundred for the others (seed 0: a finite Beta as narrow as the data can tell); either way the predictions
    # are finite and match the truth
    truth = {"r": 2.0, "alpha": 10.0, "a": 2e9, "b": 8e9}
    data = btyd.simulate(truth, np.random.default_rng(seed).uniform(40, 100, 5000), seed=seed)
    fit = btyd.fit_bgnbd(data["x"], data["t_x"], data["T"])
    assert fit.converged and fit.degenerate == (seed == 1)
    assert fit.dropout == pytest.approx(0.2, rel=0.05)
    assert fit.params["r"] == pytest.approx(2.0, rel=0.1) and fit.params["alpha"] == pytest.approx(10.0, rel=0.1)
    if fit.degenerate:
        assert math.isnan(fit.se["a"]) and math.isnan(fit.se["b"]) and 0 < fit.se["r"] < fit.params["r"]
    expected = btyd.conditional_expected_purchases(fit.params, 52, data["x"], data["t_x"], data["T"])
    assert np.isfinite(expected).all()
    truth_limit = [_ref_limit_conditional(2.0, 10.0, 0.2, 52, *row) for row in zip(data["x"], data["t_x"], data["T"])]
    assert expected.mean() == pytest.approx(np.mean(truth_limit), rel=0.05)
    # Monte-Carlo: the same population simulated on for a year after T
    assert expected.mean() == pytest.approx(_monte_carlo_next_year(truth, data), rel=0.05)


def _monte_carlo_next_year(params, data, t=52.0, draws=20):
    """Mean purchases in (T, T+t] by re-simulating each customer's whole history (T+t) and counting the part
    after T, over `draws` runs with fresh λ, p: the population mean, which the conditional expectations average to."""
    total = 0.0
    T = data["T"].to_numpy()
    for k in range(draws):
        before = btyd.simulate(params, T, seed=1000 + k)
        after = btyd.simulate(params, T + t, seed=1000 + k)
        total += (after["x"] - before["x"]).mean()
    return total / draws


def test_degenerate_and_exact_formulas_meet():
    # just below DEGENERATE_SIZE the exact (hypergeometric) formula, at it the limit: they agree
    below = {"r": 0.8, "alpha": 8.5, "a": 0.3 * btyd.DEGENERATE_SIZE * 0.999, "b": 0.7 * btyd.DEGENERATE_SIZE * 0.999}
    at = {"r": 0.8, "alpha": 8.5, "a": 0.3 * btyd.DEGENERATE_SIZE, "b": 0.7 * btyd.DEGENERATE_SIZE}
    assert not btyd.is_degenerate(below) and btyd.is_degenerate(at)
    x, t_x, T = [0, 2, 12, 150], [0, 30.43, 70, 700], [10, 38.86, 78, 730]
    assert btyd.conditional_expected_purchases(below, 52, x, t_x, T) == pytest.approx(
        btyd.conditional_expected_purchases(at, 52, x, t_x, T), rel=5e-4)
    assert btyd.expected_purchases(at, [10.0, 52.0]) == pytest.approx(
        [(1 - (8.5 / (8.5 + 0.3 * t)) ** 0.8) / 0.3 for t in (10.0, 52.0)], rel=1e-9)


@pytest.mark.parametrize("params", [(0.243, 4.414, 0.793, 2.426), (0.8, 8.5, 3e4, 7e4)])
def test_plain_series_when_hyp2f1_fails(monkeypatch, params):
    named = dict(zip(btyd.BGNBD_PARAMS, params))
    monkeypatch.setattr(btyd.special, "hyp2f1", lambda *args: np.full(np.broadcast(*args).shape, np.nan))
    cases = [(39, 2, 30.43, 38.86), (5, 0, 0, 10), (200, 12, 70, 78), (365, 150, 700, 730), (2000, 40, 90, 100)]
    for t, x, t_x, T in cases:
        ours = btyd.conditional_expected_purchases(named, t, [x], [t_x], [T])[0]
        assert ours == pytest.approx(_ref_conditional(*params, t, x, t_x, T), rel=1e-7)
    assert btyd.expected_purchases(named, [39.0])[0] == pytest.approx(_ref_conditional(*params, 39, 0, 0, 0), rel=1e-7)


def test_plain_series_once_per_distinct_history(monkeypatch):
    """The fallback series is summed once per distinct customer history and its value handed to every customer who
    shares it, in the customers' order: the same values as one customer at a time, and as the reference."""
    params = (0.243, 4.414, 0.793, 2.426)
    named = dict(zip(btyd.BGNBD_PARAMS, params))
    monkeypatch.setattr(btyd.special, "hyp2f1", lambda *args: np.full(np.broadcast(*args).shape, np.nan))
    histories = [(2, 30.43, 38.86), (0, 0, 10), (2, 30.43, 38.86), (12, 70, 78), (0, 0, 10), (2, 30.43, 40.0),
                 (12, 70, 78)]
    x, t_x, T = (list(column) for column in zip(*histories))
    together = btyd.conditional_expected_purchases(named, 39, x, t_x, T)
    assert len(together) == len(histories)
    for value, (xi, ti, Ti) in zip(together, histories):
        assert value == pytest.approx(btyd.conditional_expected_purchases(named, 39, [xi], [ti], [Ti])[0], rel=1e-12)
        assert value == pytest.approx(_ref_conditional(*params, 39, xi, ti, Ti), rel=1e-7)
    assert together[0] == together[2] and together[1] == together[4] and together[3] == together[6]
    assert together[0] != together[5]


@pytest.mark.parametrize("p, q, c, z", [(0.5, 0.5, -0.3, 0.5), (0.8, 1.7, -1.6, 0.9), (2.0, 0.3, 4.5, 0.99),
                                        (0.2, 0.9, 0.05, 0.7), (1.3, 2.2, -0.5, 0.2)])
def test_hypergeometric_series_matches_scipy_also_for_a_negative_c(p, q, c, z):
    """The fallback series of conditional_expected_purchases: c = a + b − 1 is negative when a + b < 1 and x = 0,
    where the terms change sign and the sum can be negative (an Overview crashed on ln of it: 'math domain
    error'). Reference: scipy's hyp2f1, where it is finite."""
    from scipy import special

    from retention.metrics.btyd import _hyp2f1_series

    sign, log_size = _hyp2f1_series(p, q, c, z)
    assert sign * math.exp(log_size) == pytest.approx(float(special.hyp2f1(p, q, c, z)), rel=1e-9)


def test_hypergeometric_series_is_undefined_at_a_non_positive_integer_c():
    from retention.metrics.btyd import _hyp2f1_series

    assert all(math.isnan(v) for v in _hyp2f1_series(0.5, 0.5, -2.0, 0.5))


def test_spend_spread_is_the_coefficient_of_variation_of_customers_mean_spend():
    """Gamma-Gamma: a customer's mean spend ζ = p/ν with ν ~ Gamma(q, γ): CV(ζ) = 1/√(q−2) (hand: q = 6 → 0.5)."""
    from retention.metrics.btyd import GammaGammaFit

    def fit(q):
        return GammaGammaFit({"p": 6.25, "q": q, "gamma": 15.44}, {}, 0.0, 100, 0.0, False)

    assert fit(6.0).spread == pytest.approx(0.5) and not fit(6.0).flat
    assert fit(3.74).spread == pytest.approx(1 / math.sqrt(1.74))  # the paper's CDNOW fit: spend varies a lot
    assert fit(2.5e7).flat and fit(1.5).spread == math.inf


def test_a_shop_of_identical_buyers_keeps_the_fit_finite_and_the_check_quick():
    """Every customer buys at the same rate (a generated shop the browser tests upload: 30,000 orders spread evenly
    over 2,500 customers). The purchase-rate Gamma then degenerates (r, α → ∞ with r/α fixed, the likelihood flat
    along it): unbounded, the fit ran r to 6e303 and the holdout check's ₂F₁ series overflowed and ran a million
    terms for every customer (the Overview hung). r and α stay within GAMMA_BOUND and the check ends with finite
    predictions; the series gives up at the first term beyond the floats."""
    lines = ["customer,date,amount"] + [
        f"C{i % 2500},{dt.date(2023, 1, 1) + dt.timedelta(days=1 + (i * 7919) % 700)},{10 + (i * 37) % 190}"
        for i in range(30_000)]
    connection = duckdb.connect()
    store.build(connection, prepare("\n".join(lines).encode(), "even.csv", "purchases"), None, name="even")
    check = btyd.validate(connection)
    assert all(0 < v <= btyd.GAMMA_BOUND for k, v in check.fit.params.items() if k in ("r", "alpha"))
    assert np.isfinite(check.tracking["predicted_cumulative"]).all()
    assert all(math.isnan(v) for v in btyd._hyp2f1_series(6e303, 1.0, 2.0, 0.9))
