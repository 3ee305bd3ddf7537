"""Did it work? (issue 22): retention.metrics.impact and queries/impact_customers.sql on generated shops with
planted effects (tests/helpers/impact_data.py), hand-computed cases, and the cohort matrix as a cross-check."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from tests.helpers import reference_impact
from tests.helpers.impact_data import shop
from retention.metrics import cohorts, impact
from tests.metrics.test_cohorts import load

K = 3


@pytest.fixture(scope="module")
def small():
    """A small shop loaded into DuckDB as at upload, the member column as a purchases-file segment."""
    planted = shop(seed=7, cohorts=12, size=60, launch=6, effect=0.1, member_effect=0.05)
    con = load(list(planted.purchases().itertuples(index=False, name=None)), channel=planted.member_labels())
    return planted, con


def test_query_matches_what_the_generator_planted(small):
    planted, con = small
    got = impact.people(con, k=K, member_column="channel", member_values=["yes"]).set_index("customer_id")
    want = planted.people(K).set_index("customer_id")
    got = got.loc[want.index]
    assert (got["cohort"] == want["cohort"]).all()
    assert (got["complete_months"] == want["complete_months"]).all()
    assert (got["active_mask"] == want["active_mask"]).all()
    assert (got["first_purchases"] == want["first_purchases"]).all()
    np.testing.assert_allclose(got["revenue"], want["revenue"], atol=0.02)
    np.testing.assert_allclose(got["first_spend"], want["first_spend"], atol=0.02)
    assert (got["member"] == want["member"]).all()


def test_cohort_retention_is_the_cohort_matrix_classic_cell(small):
    _, con = small
    table = impact.cohort_table(impact.people(con, k=K), K)
    cells = cohorts.matrix(con, period="month", mode="classic")
    cells = cells[(cells["period"] == K) & cells["complete"]].set_index("cohort")
    assert len(table) == len(cells) > 0
    np.testing.assert_allclose(table.set_index("cohort")["retention_pct"], cells.loc[table["cohort"], "retention_pct"])
    np.testing.assert_array_equal(table["customers"], cells.loc[table["cohort"], "cohort_size"])


def _table(rates: list[float], sizes: list[int], start: str = "2022-01-01") -> pd.DataFrame:
    cohort = pd.date_range(start, periods=len(rates), freq="MS")
    return pd.DataFrame({"cohort": cohort, "cohort_index": np.arange(len(rates)), "customers": sizes,
                         "retention_pct": rates, "revenue_per_customer": np.nan})


def test_trend_by_hand():
    """Before: exactly 20, 21, …, 25 % (one point a month); after: the line's continuation + 5 points → effect 5,
    slope 1, and with no residual the interval is the binomial floor's."""
    before = _table([20, 21, 22, 23, 24, 25], [100] * 6)
    after = _table([26 + 5, 27 + 5], [100, 300], start="2022-07-01").assign(cohort_index=[6, 7])
    fit = impact.trend_fit(before, after, "retention_pct", binomial=True)
    assert fit["effect"] == pytest.approx(5.0)
    assert fit["slope"] == pytest.approx(1.0)
    assert fit["df"] is None  # residual variance 0 < binomial: normal quantile
    np.testing.assert_allclose(fit["expected_after"], [26, 27])
    p = 0.225
    x = np.array([1.0, 6 / 4 + 7 * 3 / 4]) - np.array([0, 5])  # mean (1, t − origin) over the after customers
    X = np.column_stack([np.ones(6), np.arange(6) - 5.0])
    inv = np.linalg.inv(X.T @ (X * 100))
    assert fit["se"] == pytest.approx(100 * np.sqrt(p * (1 - p) * (1 / 400 + x @ inv @ x)))


def test_matching_by_hand():
    """Two strata: one-purchase customers (members 1 of 2 retained, others 1 of 4) and three-purchase ones (members
    3 of 3, others 1 of 1): ATT = 2/5·(1/2 − 1/4) + 3/5·(1 − 1) = 10 points; naive = 4/5 − 2/5 = 40 points."""
    rows = [(1, True, True), (1, True, False), (1, False, True)] + [(1, False, False)] * 3 \
        + [(3, True, True)] * 3 + [(3, False, True)]
    frame = pd.DataFrame(rows, columns=["first_purchases", "member", "kept"])
    frame = frame.assign(cohort_index=600, complete_months=6, first_spend=np.nan, revenue=np.nan, segment=None,
                         cohort=pd.Timestamp("2020-01-01"), customer_no=range(len(frame)),
                         active_mask=np.where(frame["kept"], 1 << K, 0))
    out = impact.members(frame, K)["result"]
    assert out["effect_pp"] == pytest.approx(10.0)
    assert out["naive_pp"] == pytest.approx(40.0)
    assert (out["treated_customers"], out["control_customers"]) == (5, 5)
    weights = impact.cem_weights(frame)
    assert list(weights[~frame["member"]]) == [0.5] * 4 + [3.0]


def _launch(planted, k=K, launch="2023-01-01"):
    return impact.before_after(planted.people(k), launch, k)["result"]


@pytest.mark.parametrize("season", [0.0, 0.06], ids=["plain", "seasonal"])
def test_planted_launch_effect_is_recovered(season):
    out = _launch(shop(seed=11, effect=0.08, season=season))
    assert out["ci_low_pp"] < 8 < out["ci_high_pp"], out
    assert out["clear"] and out["seasonal"]
    assert (out["treated_cohorts"], out["control_cohorts"]) == (12, 24)
    assert (out["treated_customers"], out["control_customers"]) == (4800, 9600)


def test_trend_is_not_credited_to_the_launch():
    """Cohorts improving 0.4 points a month, +8 at the launch: the naive before/after difference adds ~7 points of
    trend; against the trend the effect is 8 (interval excludes the naive figure)."""
    out = _launch(shop(seed=12, effect=0.08, trend=0.004, season=0.04))
    assert out["ci_low_pp"] < 8 < out["ci_high_pp"], out
    assert out["naive_pp"] > out["ci_high_pp"]
    assert "pre_trend" in out["warnings"]
    assert out["slope_low_pp"] < 0.4 < out["slope_high_pp"]


def test_trend_alone_is_no_clear_effect():
    out = _launch(shop(seed=13, effect=0.0, trend=0.004))
    assert out["ci_low_pp"] < 0 < out["ci_high_pp"] and not out["clear"], out
    assert out["naive_low_pp"] > 3  # the naive comparison would have claimed it


def test_short_history_warns():
    out = _launch(shop(seed=14, cohorts=16, launch=12, effect=0.08), launch="2022-01-01")
    assert not out["seasonal"] and "seasonality_unchecked" in out["warnings"]


def test_planted_member_effect_is_recovered_and_naive_overstates():
    out = impact.members(shop(seed=21, cohorts=12, size=1000, launch=None, member_effect=0.06,
                              heavy_lift=0.1).people(K), K)
    result = out["result"]
    assert result["ci_low_pp"] < 6 < result["ci_high_pp"], result
    assert result["naive_low_pp"] > result["ci_high_pp"]
    assert "members_differed" in result["warnings"]
    assert (out["balance"]["smd_matched"].abs() < 0.05).all()
    assert (out["balance"].set_index("covariate").loc["first_purchases", "smd"]) > 0.3


def _covered(seed: int, design: str) -> bool:
    if design == "launch":
        out = _launch(shop(seed=seed, size=300, trend=0.002, season=0.03))
    else:
        out = impact.members(shop(seed=seed, cohorts=12, size=500, launch=None, heavy_lift=0.1).people(K), K,
                             curve_to=0)["result"]
    return out["ci_low_pp"] < 0 < out["ci_high_pp"]


@pytest.mark.parametrize("design", impact.DESIGNS)
def test_no_effect_intervals_cover_zero_quick(design):
    assert sum(_covered(seed, design) for seed in range(100, 105)) >= 4


SEEDS = int(os.environ.get("RETENTION_COVERAGE_SEEDS", "0"))


@pytest.mark.skipif(SEEDS < 200, reason="opt-in: RETENTION_COVERAGE_SEEDS=200 (or more)")
@pytest.mark.parametrize("design", impact.DESIGNS)
def test_no_effect_coverage_is_about_95_percent(design):
    rate = np.mean([_covered(seed, design) for seed in range(1000, 1000 + SEEDS)])
    assert 0.91 <= rate <= 0.99, rate


def test_sentence_says_no_clear_effect_when_the_interval_crosses_zero():
    from retention import ui_text

    base = {"design": "launch", "k": 3, "treated_customers": 3000, "control_customers": 412, "method": "trend",
            "warnings": []}
    clear = ui_text.impact_sentence({**base, "effect_pp": 4.1, "ci_low_pp": 1.2, "ci_high_pp": 7.0, "clear": True})
    assert clear == ("Cohorts after the launch kept **4.1 points more** customers at month 3 (95% interval +1.2 to "
                     "+7.0; 3,412 customers), above the pre-launch trend.")
    unclear = ui_text.impact_sentence({**base, "effect_pp": 2.0, "ci_low_pp": -1.0, "ci_high_pp": 5.0, "clear": False})
    assert unclear.startswith("**No clear effect**") and "2.0" not in unclear


# ---------------------------------------------------------------- statsmodels WLS against the hand-written one


@pytest.mark.parametrize("cohorts,launch,season,trend", [(36, 24, 0.06, 0.0), (20, 12, 0.0, 0.004), (10, 5, 0.0, 0.0)],
                         ids=["seasonal", "trend", "short"])
def test_trend_fit_equals_the_hand_written_reference(cohorts, launch, season, trend):
    planted = shop(seed=21, cohorts=cohorts, size=150, launch=launch, effect=0.05, season=season, trend=trend)
    table = impact.cohort_table(planted.people(K), K)
    before, after = table[table["cohort_index"] < table["cohort_index"].iloc[launch]], \
        table[table["cohort_index"] >= table["cohort_index"].iloc[launch]]
    for column, binomial in (("retention_pct", True), ("revenue_per_customer", False)):
        got = impact.trend_fit(before, after, column, binomial=binomial)
        want = reference_impact.trend_fit(before, after, column, binomial=binomial)
        assert got["seasonal"] == want["seasonal"] == (len(before) >= impact.MIN_SEASONAL_COHORTS)
        assert got["df"] == want["df"]
        for key in ("effect", "se", "slope", "slope_se"):
            assert got[key] == pytest.approx(want[key], rel=1e-6), (column, key)
        for key in ("expected_before", "expected_after"):
            np.testing.assert_allclose(got[key], want[key], rtol=1e-6)


def test_trend_fit_with_a_calendar_month_missing_is_singular_but_fits():
    """24 pre-launch cohorts with every March left out: the March column is all zero (X singular); the fit, like
    the reference's pseudo-inverse, drops it from the rank and still gives an effect."""
    planted = shop(seed=22, cohorts=36, size=100, launch=27, effect=0.05)
    table = impact.cohort_table(planted.people(K), K)
    before = table[(table["cohort_index"] < table["cohort_index"].iloc[27]) & (table["cohort"].dt.month != 3)]
    after = table[table["cohort_index"] >= table["cohort_index"].iloc[27]]
    assert len(before) >= impact.MIN_SEASONAL_COHORTS
    got = impact.trend_fit(before, after, "retention_pct", binomial=True)
    want = reference_impact.trend_fit(before, after, "retention_pct", binomial=True)
    assert got["df"] == want["df"] and np.isfinite(got["se"])
    assert got["effect"] == pytest.approx(want["effect"], rel=1e-6)
    assert got["se"] == pytest.approx(want["se"], rel=1e-6)


def test_customers_active_for_years_after_their_cohort():
    """A customer still buying 37 months after the first purchase (found on a real line-item export: DuckDB
    computed the month's bit before applying the filter, and a shift past 31 failed the page). Months beyond
    MAX_K are not in the mask; month 1 and 3 activity is counted as by hand."""
    rows = [("A", "2020-01-10", 5.0), ("A", "2020-02-10", 5.0), ("A", "2023-02-10", 5.0),  # month 1, month 37
            ("B", "2020-01-15", 5.0), ("B", "2020-04-15", 5.0),  # month 3
            ("C", "2020-02-01", 5.0)]
    con = load(rows)
    got = impact.people(con, k=3, as_of="2023-03-01").set_index("customer_id")
    assert int(got.loc["A", "active_mask"]) == 1 << 1  # month 1 only (month 37 is past MAX_K)
    assert int(got.loc["B", "active_mask"]) == 1 << 3
    assert int(got.loc["C", "active_mask"]) == 0
    assert impact.launch_effect(con, launch="2021-01-01", k=3, as_of="2023-03-01")["result"] is not None


def test_an_interval_never_leaves_what_retention_can_be():
    """Three cohorts before the launch and one small one after (CDNOW's shape: every big cohort in the first
    quarter): the trend's t interval with one residual degree of freedom ran to −774 … +754 points. The treated side
    kept treated_pct %, and any comparison lies between 0 and 100 %, so the interval is cut to
    [treated_pct − 100, treated_pct]; the effect itself is not moved."""
    from tests.helpers.impact_data import START

    planted = shop(seed=21, cohorts=4, size=25, launch=3, effect=0.05)
    launch = (pd.Timestamp(START) + pd.DateOffset(months=3)).date().isoformat()
    out = _launch(planted, launch=launch)
    assert (out["control_cohorts"], out["treated_cohorts"]) == (3, 1)
    treated = out["treated_pct"]
    assert treated - 100 <= out["ci_low_pp"] <= out["effect_pp"] <= out["ci_high_pp"] <= treated, out
    assert out["ci_high_pp"] - out["ci_low_pp"] <= 100
    assert impact.feasible(-774.2, 753.7, 0.0) == (-100.0, 0.0)
    assert impact.feasible(-3.0, 4.0, 50.0) == (-3.0, 4.0)  # a possible interval is left as it is


def test_default_launch_by_hand():
    """The month cohort of the median customer; the next cohort when that is the first; None without customers."""
    def months(*spec):
        return pd.Series([pd.Timestamp(m) for m, n in spec for _ in range(n)])

    assert impact.median_cohort(months(("2024-01-01", 1), ("2024-02-01", 1), ("2024-03-01", 1), ("2024-04-01", 1),
                                       ("2024-05-01", 1))).isoformat() == "2024-03-01"
    # a growing shop: 1 + 2 + 4 + 8 customers, the median (8th of 15) arrived in April, past the middle month
    assert impact.median_cohort(months(("2024-01-01", 1), ("2024-02-01", 2), ("2024-03-01", 4),
                                       ("2024-04-01", 8))).isoformat() == "2024-04-01"
    # most customers in the first cohort (the CDNOW log's shape): the launch goes to the second cohort
    assert impact.median_cohort(months(("1997-01-01", 5), ("1997-02-01", 2), ("1997-03-01", 1))).isoformat() \
        == "1997-02-01"
    assert impact.median_cohort(months(("2024-01-01", 3))).isoformat() == "2024-01-01"  # one cohort: nothing later
    assert impact.median_cohort(pd.Series([], dtype="datetime64[ns]")) is None
