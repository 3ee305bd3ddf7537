"""The CLV / profit model and the scenario types against the worked examples of profit_model.md (§5, exact
to the cent as printed there), brute-force sums written independently here, and the model's identities as
property tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from retention.scenarios import clv
from retention.scenarios.scenario import R_CAP, Scenario, apply, equivalents, uncapped

CENT = 0.005

# §5 annual example: N = 10,000; r = 80 %/yr; m = $200/yr; AC = $300; d = 10 %; +5 pp → 85 %; A = 2,000/yr.
ANNUAL = clv.Inputs(active_customers=10_000, retention=0.80, arpu=200, margin_pct=100, cac=300,
                    new_customers=2_000, discount_pct=10, period="year")


def row(inputs, r_new):
    return clv.compare(inputs, r_new).set_index("output")


# -- independent references: plain loops over periods ------------------------------------------------------

def brute_clv_end(m, r, d, periods, g=0.0):
    return sum(m * (1 + g) ** (t - 1) * r ** t / (1 + d) ** t for t in range(1, periods + 1))


def brute_clv_start(m, r, d, periods, g=0.0):
    return sum(m * (1 + g) ** t * r ** t / (1 + d) ** t for t in range(0, periods))


def brute_profit(active, r, m, cac, new, d, periods, assumption, k=0.0):
    """Simulate the base period by period; return (present value, undiscounted total)."""
    n, pv, total = active, 0.0, 0.0
    for t in range(1, periods + 1):
        if assumption == "constant_inflow":
            n = n * r + new
            joined = new
        else:
            joined = active * (1 - r)
        profit = n * (m - k) - joined * cac
        pv += profit / (1 + d) ** t
        total += profit
    return pv, total


# -- §5 worked example, annual ------------------------------------------------------------------------------

def test_annual_margin_multiple_and_clv():
    assert clv.margin_multiple(0.80, 0.10) == pytest.approx(2.6667, abs=5e-5)
    assert clv.margin_multiple(0.85, 0.10) == pytest.approx(3.4000, abs=5e-5)
    t = row(ANNUAL, 0.85)
    assert t.loc["clv_end", "base"] == pytest.approx(533.33, abs=CENT)
    assert t.loc["clv_end", "scenario"] == pytest.approx(680.00, abs=CENT)
    assert t.loc["clv_end", "change"] == pytest.approx(146.67, abs=CENT)
    assert t.loc["clv_end", "change_pct"] == pytest.approx(27.5, abs=0.05)
    assert t.loc["clv_start", "base"] == pytest.approx(733.33, abs=CENT)
    assert t.loc["clv_start", "scenario"] == pytest.approx(880.00, abs=CENT)
    assert t.loc["clv_start", "change_pct"] == pytest.approx(20.0, abs=0.05)


def test_annual_base_new_customers_lifetime():
    t = row(ANNUAL, 0.85)
    assert t.loc["value_of_base", "base"] == pytest.approx(5_333_333, abs=0.5)
    assert t.loc["value_of_base", "scenario"] == pytest.approx(6_800_000, abs=0.5)
    assert t.loc["value_of_base", "change"] == pytest.approx(1_466_667, abs=0.5)
    assert t.loc["new_customer_value", "base"] == pytest.approx(233.33, abs=CENT)
    assert t.loc["new_customer_value", "scenario"] == pytest.approx(380.00, abs=CENT)
    assert t.loc["new_customer_value", "change_pct"] == pytest.approx(62.9, abs=0.05)
    assert t.loc["new_customer_value_start", "base"] == pytest.approx(433.33, abs=CENT)
    assert t.loc["new_customer_value_start", "scenario"] == pytest.approx(580.00, abs=CENT)
    assert t.loc["new_customer_value_start", "change_pct"] == pytest.approx(33.8, abs=0.05)
    assert t.loc["expected_lifetime_periods", "base"] == pytest.approx(5.0)
    assert t.loc["expected_lifetime_periods", "scenario"] == pytest.approx(6.67, abs=CENT)
    assert t.loc["expected_lifetime_periods", "change_pct"] == pytest.approx(33.3, abs=0.05)


def test_annual_finite_horizon_and_margin_growth():
    t = row(ANNUAL.with_(horizon=5), 0.85)
    assert t.loc["clv_end", "base"] == pytest.approx(424.82, abs=CENT)
    assert t.loc["clv_end", "scenario"] == pytest.approx(492.66, abs=CENT)
    assert t.loc["clv_end", "change_pct"] == pytest.approx(16.0, abs=0.05)
    t = row(ANNUAL.with_(margin_growth_pct=3), 0.85)
    assert t.loc["clv_end", "base"] == pytest.approx(579.71, abs=CENT)
    assert t.loc["clv_end", "scenario"] == pytest.approx(757.24, abs=CENT)
    assert t.loc["clv_end", "change_pct"] == pytest.approx(30.6, abs=0.05)


def test_horizon_in_periods_of_the_model():
    assert clv.horizon_periods(5, "month") == 60
    assert clv.horizon_periods(2.5, "quarter") == 10
    assert clv.horizon_periods(5, "week") == 261  # 5 × 365.25 / 7 = 260.9 weeks
    assert clv.horizon_periods(0, "year") == math.inf  # 0 years: customers' whole lives


def test_annual_steady_state_profit():
    t = row(ANNUAL, 0.85)
    assert t.loc["steady_profit_constant_base", "base"] == pytest.approx(1_400_000)
    assert t.loc["steady_profit_constant_base", "scenario"] == pytest.approx(1_550_000)
    assert t.loc["steady_profit_constant_base", "change_pct"] == pytest.approx(10.7, abs=0.05)
    assert 2_000 / (1 - 0.85) == pytest.approx(13_333, abs=0.5)  # N* in the scenario
    assert t.loc["steady_profit_constant_inflow", "base"] == pytest.approx(1_400_000)
    assert t.loc["steady_profit_constant_inflow", "scenario"] == pytest.approx(2_066_667, abs=0.5)
    assert t.loc["steady_profit_constant_inflow", "change_pct"] == pytest.approx(47.6, abs=0.05)


def test_annual_break_even_programme_cost():
    assert clv.break_even(ANNUAL, 0.85) == pytest.approx(33.33, abs=CENT)


def test_annual_other_scenario_types():
    relative = apply(0.80, Scenario("relative", 5)).retention
    churn_cut = apply(0.80, Scenario("churn_cut", 5)).retention
    assert relative == pytest.approx(0.84) and churn_cut == pytest.approx(0.81)
    t = row(ANNUAL, relative)
    assert t.loc["clv_end", "scenario"] == pytest.approx(646.15, abs=CENT)
    assert t.loc["clv_end", "change_pct"] == pytest.approx(21.2, abs=0.05)
    t = row(ANNUAL, churn_cut)
    assert t.loc["clv_end", "scenario"] == pytest.approx(558.62, abs=CENT)
    assert t.loc["clv_end", "change_pct"] == pytest.approx(4.7, abs=0.05)


def test_reichheld_style_check():
    # 90 → 95 %, m = $100, d = 10 %
    base = clv.Inputs(1, 0.90, 100, 100, period="year")
    t = row(base, 0.95)
    assert t.loc["clv_start", "base"] == pytest.approx(550.00, abs=CENT)
    assert t.loc["clv_start", "scenario"] == pytest.approx(733.33, abs=CENT)
    assert t.loc["clv_start", "change_pct"] == pytest.approx(33.3, abs=0.05)
    assert t.loc["clv_end", "base"] == pytest.approx(450.00, abs=CENT)
    assert t.loc["clv_end", "scenario"] == pytest.approx(633.33, abs=CENT)
    assert t.loc["clv_end", "change_pct"] == pytest.approx(40.7, abs=0.05)
    # "net of AC = $100/200/300: +40.7 % / +52.4 % / +73.3 %" — these are CLV_start − AC
    for cac, pct in ((100, 40.7), (200, 52.4), (300, 73.3)):
        assert row(base.with_(cac=cac), 0.95).loc["new_customer_value_start", "change_pct"] == pytest.approx(
            pct, abs=0.05)
    # "with margin growth g = 3 %/5 %: +50 % / +60 %" (CLV_end(g), rounded to whole per cent)
    for growth, pct in ((3, 50), (5, 60)):
        assert round(row(base.with_(margin_growth_pct=growth), 0.95).loc["clv_end", "change_pct"]) == pct


def test_monthly_saas_example():
    monthly = clv.Inputs(1, 0.95, 50, 100, discount_pct=10, period="month")
    assert monthly.discount == pytest.approx(0.007974, abs=5e-7)
    assert clv.margin_multiple(0.95, monthly.discount) == pytest.approx(16.387, abs=5e-4)
    assert clv.margin_multiple(0.96, monthly.discount) == pytest.approx(20.011, abs=5e-4)
    t = row(monthly, 0.96)
    assert t.loc["clv_end", "base"] == pytest.approx(819.33, abs=CENT)
    assert t.loc["clv_end", "scenario"] == pytest.approx(1000.54, abs=CENT)
    assert t.loc["clv_end", "change_pct"] == pytest.approx(22.1, abs=0.05)
    assert t.loc["annual_retention", "base"] == pytest.approx(0.540, abs=5e-4)
    assert t.loc["annual_retention", "scenario"] == pytest.approx(0.613, abs=5e-4)


def test_scenario_types_at_80_percent():
    assert apply(0.80, Scenario("pp", 5)).retention == pytest.approx(0.85)
    assert apply(0.80, Scenario("relative", 5)).retention == pytest.approx(0.84)
    assert apply(0.80, Scenario("churn_cut", 5)).retention == pytest.approx(0.81)
    # remove half of the churn of a reason that accounts for 40 % of churn: churn 20 % → 20 % × (1 − 0.2) = 16 %
    assert apply(0.80, Scenario("reason", 50, "Price", 0.40)).retention == pytest.approx(0.84)
    # Bain's +5 points at 90 % is a 50 % churn cut
    assert equivalents(0.90, 0.95)["churn_cut_pct"] == pytest.approx(50)


def test_scenario_capped_below_100_percent():
    applied = apply(0.95, Scenario("pp", 5))
    assert applied.capped and applied.retention == R_CAP and applied.uncapped == pytest.approx(1.0)
    assert not apply(0.95, Scenario("pp", 4)).capped
    low = apply(0.02, Scenario("pp", -5))
    assert low.floored and low.retention == 0
    with pytest.raises(ValueError):
        uncapped(0.8, Scenario("reason", 50))
    with pytest.raises(ValueError):
        uncapped(0.8, Scenario("bogus", 5))


def test_published_comparison_explains_small_monthly_effect():
    monthly = clv.Inputs(1000, 0.95, 50, 100, cac=10, period="month")
    facts = clv.published_comparison(monthly, 0.96)
    assert facts["annual_base"] == pytest.approx(0.95 ** 12)
    assert facts["annual_pp"] == pytest.approx((0.96 ** 12 - 0.95 ** 12) * 100)
    assert not facts["within"]


# -- identities and independent references (property-based) ---------------------------------------------

rates = st.floats(min_value=0.0, max_value=0.98)
discounts = st.floats(min_value=0.001, max_value=0.5)
margins = st.floats(min_value=0.0, max_value=1e4)
growths = st.floats(min_value=0.0, max_value=0.05)
horizons = st.integers(min_value=1, max_value=120)


@settings(deadline=None)
@given(m=margins, r=rates, d=discounts)
def test_start_is_margin_plus_end(m, r, d):
    assert clv.clv_start(m, r, d) == pytest.approx(m + clv.clv_end(m, r, d), rel=1e-9, abs=1e-9)


@settings(deadline=None)
@given(m=margins, r=rates, d=discounts, g=growths, T=horizons)
def test_finite_start_is_margin_plus_grown_end(m, r, d, g, T):
    assume(r * (1 + g) < 1 + d)
    assert clv.clv_start(m, r, d, T, g) == pytest.approx(m + (1 + g) * clv.clv_end(m, r, d, T - 1, g),
                                                         rel=1e-9, abs=1e-9)


@settings(deadline=None)
@given(m=margins, r=rates, d=discounts, g=growths, T=horizons)
def test_closed_forms_match_brute_force_sums(m, r, d, g, T):
    assert clv.clv_end(m, r, d, T, g) == pytest.approx(brute_clv_end(m, r, d, T, g), rel=1e-9, abs=1e-9)
    assert clv.clv_start(m, r, d, T, g) == pytest.approx(brute_clv_start(m, r, d, T, g), rel=1e-9, abs=1e-9)


@settings(deadline=None)
@given(m=margins, r=rates, d=discounts)
def test_finite_horizon_tends_to_infinite(m, r, d):
    infinite = clv.clv_end(m, r, d)
    previous = 0.0
    for T in (1, 10, 100, 1000):
        finite = clv.clv_end(m, r, d, T)
        assert previous - 1e-9 <= finite <= infinite + 1e-9 * max(1, infinite)
        # the part left out is exactly the tail q^T of the infinite sum
        assert infinite - finite == pytest.approx(infinite * (r / (1 + d)) ** T, rel=1e-6, abs=1e-6)
        previous = finite
    assert clv.clv_end(m, r, d, 10_000) == pytest.approx(infinite, rel=1e-9, abs=1e-9)


@settings(deadline=None)
@given(m=margins, d=discounts, T=horizons)
def test_zero_retention_is_worth_nothing(m, d, T):
    assert clv.clv_end(m, 0.0, d) == 0 and clv.clv_end(m, 0.0, d, T) == 0
    assert clv.clv_start(m, 0.0, d) == pytest.approx(m)  # only the margin collected now
    assert clv.expected_lifetime(0.0) == 1


@settings(deadline=None)
@given(m=st.floats(min_value=1, max_value=1e4), d=discounts)
def test_full_retention_tends_to_perpetuity(m, d):
    assert clv.clv_end(m, 1.0, d) == pytest.approx(m / d)
    for eps in (1e-3, 1e-6, 1e-9):  # m(1−ε)/(d+ε) differs from m/d by a share of about ε(1+d)/d
        assert clv.clv_end(m, 1 - eps, d) == pytest.approx(m / d, rel=2 * eps * (1 + d) / d)


@settings(max_examples=60, deadline=None)
@given(active=st.floats(0, 1e5), r=rates, m=st.floats(0, 1e3), cac=st.floats(0, 1e3), new=st.floats(0, 1e4),
       d=discounts, T=horizons, k=st.floats(0, 10),
       assumption=st.sampled_from(["constant_base", "constant_inflow"]))
def test_profit_over_horizon_matches_simulation(active, r, m, cac, new, d, T, k, assumption):
    pv, total = brute_profit(active, r, m, cac, new, d, T, assumption, k)
    scale = max(1.0, abs(pv), active * m, new * cac)
    assert clv.profit_value(active, r, m, cac, new, d, T, assumption, k) == pytest.approx(pv, abs=1e-7 * scale)
    assert clv.profit_value(active, r, m, cac, new, 0.0, T, assumption, k) == pytest.approx(
        total, abs=1e-7 * max(1.0, abs(total), active * m * T, new * cac * T))
    path = clv.profit_path(active, r, m, cac, new, d, T, assumption, k)
    assert path["discounted"].sum() == pytest.approx(pv, abs=1e-7 * scale)


@settings(deadline=None)
@given(active=st.floats(0, 1e5), r=rates, m=st.floats(0, 1e3), cac=st.floats(0, 1e3), new=st.floats(0, 1e4),
       d=discounts, assumption=st.sampled_from(["constant_base", "constant_inflow"]))
def test_infinite_profit_is_limit_of_finite(active, r, m, cac, new, d, assumption):
    infinite = clv.profit_value(active, r, m, cac, new, d, math.inf, assumption)
    far = clv.profit_value(active, r, m, cac, new, d, 20_000, assumption)
    assert infinite == pytest.approx(far, rel=1e-6, abs=1e-6 * max(1.0, active * m, new * cac) / d)


@settings(deadline=None)
@given(r=st.floats(0.01, 0.98), x=st.floats(0, 20), kind=st.sampled_from(["pp", "relative", "churn_cut"]))
def test_equivalents_round_trip(r, x, kind):
    applied = apply(r, Scenario(kind, x))
    assume(not applied.capped)
    same = equivalents(r, applied.retention)
    for other, value in (("pp", same["pp"]), ("relative", same["relative_pct"]), ("churn_cut", same["churn_cut_pct"])):
        assert uncapped(r, Scenario(other, value)) == pytest.approx(applied.retention, abs=1e-9)


@settings(deadline=None)
@given(r=rates, d=discounts, T=horizons)
def test_break_even_cost_leaves_scenario_value_equal_to_base(r, d, T):
    inputs = clv.Inputs(100, r, 100, 50, period="year", discount_pct=d * 100, horizon=T)
    r_new = min(r + 0.05, R_CAP)
    k = clv.break_even(inputs, r_new)
    with_programme = clv.compare(inputs.with_(programme_cost=k), r_new).set_index("output")
    assert with_programme.loc["clv_start", "scenario"] == pytest.approx(with_programme.loc["clv_start", "base"],
                                                                        rel=1e-9, abs=1e-9)


def test_annual_points_scenario():
    """#15.9: "+X points of annual retention" on a model per month: r' = (r^12 + X/100)^(1/12) (hand-computed:
    0.95^12 = 0.540360, + 0.05 = 0.590360, its 12th root = 0.957032); per year it is the plain +X points."""
    applied = apply(0.95, Scenario("annual_pp", 5, periods_per_year=12))
    assert applied.retention == pytest.approx(0.957032, abs=1e-6) and not applied.capped
    assert apply(0.80, Scenario("annual_pp", 5)).retention == pytest.approx(0.85)
    assert equivalents(0.95, applied.retention, 12)["annual_pp"] == pytest.approx(5.0)
    assert apply(0.999, Scenario("annual_pp", 5, periods_per_year=12)).capped  # above 100 % a year
    assert apply(0.5, Scenario("annual_pp", -50, periods_per_year=12)).retention == 0.0  # floored
