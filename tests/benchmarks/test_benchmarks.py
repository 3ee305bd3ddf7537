"""Benchmark catalog, conversions, pairing rules, verdict numbers and text, two-proportion tests.

References are hand computations or scipy; nothing here asserts what the code under test computed."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from retention.benchmarks import catalog, compare, definitions, internal, statistics
from retention.ui_text import benchmarks as wording


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return catalog.shipped()


# --- the shipped file ---------------------------------------------------------------------------------

def test_every_shipped_row_has_source_year_definition(shipped):
    raw = pd.read_csv(catalog.SHIPPED, dtype=str, keep_default_na=False)
    assert len(raw) == len(shipped) > 100  # no row of the shipped file is rejected
    for _, row in raw.iterrows():
        assert row["source_url"].startswith(("http://", "https://")), row.to_dict()
        assert catalog.year_sort(row["year"]) is not None, row.to_dict()
        assert len(row["definition"]) >= 20, row.to_dict()
        assert row["publisher"] and row["population"], row.to_dict()
        assert row["confidence"] in catalog.CONFIDENCE, row.to_dict()


def test_no_shipped_row_is_marked_do_not_ship(shipped):
    for column in ("notes", "definition", "population"):
        assert not shipped[column].str.contains("do not ship", case=False).any()


def test_shipped_low_confidence_where_notes_say_unverified(shipped):
    unverified = shipped["notes"].str.contains("NOT seen|circular|unsourced|source not named", case=False)
    assert unverified.sum() >= 20
    assert (shipped.loc[unverified, "confidence"] == "low").all()


# --- reading a user's file ----------------------------------------------------------------------------

HEADER = "industry,metric,period,value_pct,year,publisher,source_url,definition"


def test_user_file_rows_checked_with_reasons():
    body = "\n".join([
        HEADER,
        'Pet food,customer_churn,monthly,4.5,2024,Acme Research,https://example.org/r,"Monthly churn, all subs"',
        "Pet food,customer_churn,weekly,4.5,2024,Acme,https://example.org/r,Monthly churn of subscribers",
        "Pet food,loyalty,monthly,4.5,2024,Acme,https://example.org/r,Monthly churn of subscribers",
        "Pet food,customer_churn,monthly,140,2024,Acme,https://example.org/r,Monthly churn of subscribers",
        "Pet food,revenue_retention_net,annual,140,c.2020-21,Acme,https://example.org/r,NRR of SaaS firms",
        "Pet food,customer_churn,monthly,4.5,last year,Acme,https://example.org/r,Monthly churn of subscribers",
        "Pet food,customer_churn,monthly,4.5,2024,Acme,example.org/r,Monthly churn of subscribers",
        "Pet food,customer_churn,monthly,4.5,2024,Acme,https://example.org/r,",
        "Pet food,cohort_repurchase,90 days,12,2024,Acme,https://example.org/r,2nd order within 90 days",
        "Pet food,customer_churn,monthly,n/a,2024,Acme,https://example.org/r,Monthly churn of subscribers",
    ])
    good, rejected = catalog.parse(body.encode())
    assert good["row"].tolist() == [1, 5, 9]
    assert good.loc[1, "year_sort"] == 2021 and good.loc[0, "sector"] == "Other"
    assert dict(zip(rejected["row"], rejected["reason"])) == {
        2: "bad_period", 3: "unknown_metric", 4: "value_out_of_range", 6: "bad_year", 7: "bad_url",
        8: "missing_value", 10: "bad_value"}
    assert set(rejected["reason"]) <= set(wording.REJECT_REASONS)


def test_user_file_with_semicolons_and_bom():
    body = ("\ufeff" + HEADER.replace(",", ";") + "\n"
            "Pet food;customer_churn;Monthly;4,5;2024;Acme;https://example.org/r;Monthly churn\n")
    good, rejected = catalog.parse(body.encode("utf-8"))
    # a decimal comma is not a number here: the row is set aside with its reason, not misread as 45
    assert good.empty and rejected["reason"].tolist() == ["bad_value"]
    good, _ = catalog.parse(body.replace("4,5", "4.5").encode("utf-8"))
    assert good.loc[0, "period"] == "monthly" and good.loc[0, "value_pct"] == 4.5


def test_user_file_missing_columns():
    with pytest.raises(catalog.BenchmarkFileError, match="missing_columns:definition"):
        catalog.parse(b"industry,metric,period,value_pct,year,publisher,source_url\n")
    assert "definition" in wording.file_error("missing_columns:definition")


def test_user_file_same_format_as_shipped_roundtrips(shipped):
    again, rejected = catalog.parse(catalog.SHIPPED.read_bytes())
    assert rejected.empty and len(again) == len(shipped)


@pytest.mark.parametrize("label, year", [("2023", 2023), ("c.2019", 2019), ("c.2020-21", 2021),
                                         ("2017-2018", 2018), ("c.2023-24", 2024), ("soon", None)])
def test_year_sort(label, year):
    assert catalog.year_sort(label) == year


# --- conversions ---------------------------------------------------------------------------------------

def test_monthly_to_annual_retention_compounds():
    assert definitions.annual_retention(95.0) == pytest.approx(100 * 0.95 ** 12)  # 54.04 %, not 40 %
    assert definitions.annual_retention(95.0) == pytest.approx(54.036, abs=1e-3)
    assert definitions.monthly_retention(definitions.annual_retention(97.3)) == pytest.approx(97.3)


@pytest.mark.parametrize("monthly, annual", [(1, "11.4"), (2, "21.5"), (5, "46"), (6.77, "57")])
def test_monthly_churn_to_annual_matches_reference_table(monthly, annual):
    # benchmarks.md: "monthly churn 1 % ≈ 11.4 %/yr; 2 % ≈ 21.5 %/yr; 5 % ≈ 46 %/yr; 6.77 % ≈ 57 %/yr"
    digits = len(annual.partition(".")[2])
    assert round(float(definitions.convert_churn(monthly, 1, 12)), digits) == float(annual)
    assert definitions.convert_churn(monthly, 1, 12) < 12 * monthly


def test_quarterly_and_back():
    assert definitions.convert_retention(90.0, 3, 12) == pytest.approx(100 * 0.9 ** 4)
    assert definitions.convert_churn(definitions.convert_churn(20.0, 12, 1), 1, 12) == pytest.approx(20.0)


@pytest.mark.parametrize("metric, period, ok", [
    ("customer_churn", "monthly", True), ("customer_churn", "12 months", False),
    ("repeat_purchase_rate", "lifetime", True), ("repeat_purchase_rate", "annual", False),
    ("cohort_repurchase", "3 months", True), ("cohort_repurchase", "720 days", True),
    ("cohort_repurchase", "monthly", False), ("app_user_retention", "day 30", True), ("other", "", True),
])
def test_period_fits_metric(metric, period, ok):
    if ok:
        definitions.parse_period(metric, period)
    else:
        with pytest.raises(ValueError):
            definitions.parse_period(metric, period)


def test_horizon_in_months():
    assert definitions.parse_period("cohort_repurchase", "720 days").months == pytest.approx(720 / 30.4375)
    assert definitions.parse_period("cohort_survival", "1 year").months == 12


# --- pairing -------------------------------------------------------------------------------------------

def _one_of_each() -> pd.DataFrame:
    periods = {"rate": "monthly", "lifetime": "lifetime", "horizon": "12 months", "day": "day 7", "free": ""}
    rows = [{"metric": m, "period": periods[k], "value_pct": 10.0, "industry": "X", "publisher": "P",
             "year": "2024", "year_sort": 2024, "confidence": "high"} for m, k in definitions.METRIC_PERIODS.items()]
    annual = [dict(r, period="annual") for r in rows if definitions.METRIC_PERIODS[r["metric"]] == "rate"]
    return pd.DataFrame(rows + annual)


@pytest.mark.parametrize("figure", list(definitions.FIGURES))
def test_unlike_metrics_are_never_paired(figure, shipped):
    allowed = {
        "customer_retention": {"customer_retention", "customer_churn"},
        "customer_churn": {"customer_retention", "customer_churn"},
        "revenue_retention_gross": {"revenue_retention_gross", "revenue_churn_gross"},
        "revenue_retention_net": {"revenue_retention_net"},
        "repeat_purchase_rate": {"repeat_purchase_rate"},
        "cohort_repurchase": {"cohort_repurchase"},
        "cohort_survival": {"cohort_survival"},
    }[figure]
    for frame in (_one_of_each(), shipped):
        for months in (1, 3, 12):
            paired = definitions.pair(frame, figure, months)
            assert set(paired["metric"]) <= allowed
            assert "app_user_retention" not in set(paired["metric"]) and "other" not in set(paired["metric"])


def test_repeat_purchase_rate_and_retention_stay_apart(shipped):
    retention = definitions.pair(shipped, "customer_retention", 12)
    repeat = definitions.pair(shipped, "repeat_purchase_rate")
    assert not (set(retention["metric"]) & set(repeat["metric"]))
    assert set(repeat["metric"]) == {"repeat_purchase_rate"}
    assert not definitions.pairable("repeat_purchase_rate", "customer_retention")
    assert not definitions.pairable("customer_retention", "repeat_purchase_rate")


def test_pair_converts_customer_rates_exactly():
    frame = pd.DataFrame([
        {"metric": "customer_churn", "period": "monthly", "value_pct": 5.0},
        {"metric": "customer_retention", "period": "annual", "value_pct": 80.0},
        {"metric": "customer_churn", "period": "annual", "value_pct": 10.0},
    ])
    annual = definitions.pair(frame, "customer_retention", 12)
    assert annual["value"].tolist() == pytest.approx([100 * 0.95 ** 12, 80.0, 90.0])
    assert annual["converted"].tolist() == [True, False, True]
    monthly_churn = definitions.pair(frame, "customer_churn", 1)
    assert monthly_churn["value"].tolist() == pytest.approx([5.0, 100 - 100 * 0.8 ** (1 / 12), 100 - 100 * 0.9 ** (1 / 12)])
    assert monthly_churn["converted"].tolist() == [False, True, True]


def test_revenue_retention_is_not_converted_between_periods():
    frame = pd.DataFrame([
        {"metric": "revenue_retention_net", "period": "annual", "value_pct": 102.0},
        {"metric": "revenue_retention_net", "period": "monthly", "value_pct": 100.5},
        {"metric": "revenue_churn_gross", "period": "annual", "value_pct": 8.0},
    ])
    assert definitions.pair(frame, "revenue_retention_net", 12)["value"].tolist() == [102.0]
    assert definitions.pair(frame, "revenue_retention_gross", 12)["value"].tolist() == [92.0]
    assert definitions.pair(frame, "revenue_retention_gross", 1).empty


# --- verdict numbers and words ------------------------------------------------------------------------

def _bench(value, **kw):
    row = {"metric": "customer_retention", "period": "annual", "value_pct": value, "value": value,
           "industry": "Telecommunications", "publisher": "Exploding Topics (citing Statista)", "year": "2023",
           "year_sort": 2023, "confidence": "low", "converted": False}
    row.update(kw)
    return row


@pytest.mark.parametrize("ci, expected, word", [
    ((68.0, 74.0), "below", "is below the 78%"),
    ((79.0, 83.0), "above", "is above the 78%"),
    ((75.0, 80.0), "within_noise", "is within the noise of the 78%"),
])
def test_verdict_above_below_within_noise(ci, expected, word):
    user = {"value": sum(ci) / 2, "ci_low": ci[0], "ci_high": ci[1]}
    compared = statistics.compare(user, pd.DataFrame([_bench(78.0)]))
    row = compared.iloc[0].to_dict()
    assert row["position"] == expected
    assert row["gap_pts"] == pytest.approx(user["value"] - 78.0)
    sentence = wording.verdict("customer_retention", 12, user, row)
    assert word in sentence
    assert sentence.startswith(f"Your annual customer retention of {user['value']:.1f}% (95% CI {ci[0]:.1f}–{ci[1]:.1f}%)")
    assert "Telecommunications by Exploding Topics (citing Statista) in 2023" in sentence
    assert ("could be chance" in sentence) == (expected == "within_noise")


def test_churn_scale_lower_is_better():
    user = {"value": 3.0, "ci_low": 2.5, "ci_high": 3.5}
    compared = statistics.compare(user, pd.DataFrame([_bench(5.0), _bench(1.0)]), scale="churn")
    assert compared.set_index("value")["better"].to_dict() == {5.0: True, 1.0: False}


def test_verdict_without_interval_uses_point_value():
    assert statistics.position(80.0, math.nan, math.nan, 78.0) == "above"
    assert "no interval" in wording.interval({"value": 80.0, "ci_low": math.nan, "ci_high": math.nan})


def test_converted_benchmark_says_from_what():
    user = {"value": 60.0, "ci_low": 58.0, "ci_high": 62.0}
    pairs = definitions.pair(pd.DataFrame([_bench(5.0, metric="customer_churn", period="monthly")]).drop(
        columns=["value", "converted"]), "customer_retention", 12)
    row = statistics.compare(user, pairs).iloc[0].to_dict()
    sentence = wording.verdict("customer_retention", 12, user, row)
    assert "54.0%" in sentence and "converted from monthly customer churn of 5%" in sentence


def test_sources_disagree():
    pairs = pd.DataFrame([_bench(78.0), _bench(91.0, publisher="T-Mobile"), _bench(80.0)])
    found = statistics.disagreement(pairs)
    assert found["spread_pts"] == pytest.approx(13.0)
    assert found["low"]["value"] == 78.0 and found["high"]["publisher"] == "T-Mobile"
    assert "Sources disagree by 13.0 points" in wording.disagreement(found)
    assert statistics.disagreement(pairs.iloc[[0, 2]]) is None


def test_headline_counts():
    user = {"value": 80.0, "ci_low": 79.0, "ci_high": 81.0}
    compared = statistics.compare(user, pd.DataFrame([_bench(70.0), _bench(90.0), _bench(80.5), _bench(60.0)]))
    line = wording.headline("customer_retention", 12, user, compared)
    assert "is above 2, below 1 and within the noise of 1 of the 4 published figures" in line


# --- two-proportion tests -----------------------------------------------------------------------------

@pytest.mark.parametrize("k1, n1, k2, n2", [(56, 70, 48, 80), (450, 1000, 380, 1000), (3, 40, 9, 41), (0, 10, 5, 12)])
def test_two_proportions_against_scipy(k1, n1, k2, n2):
    got = statistics.two_proportions(k1, n1, k2, n2)
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]])
    chi2, p, _, _ = sps.chi2_contingency(table, correction=False)
    assert float(got["p_value"]) == pytest.approx(p, rel=1e-9)
    assert float(got["z"]) ** 2 == pytest.approx(chi2, rel=1e-9)
    pooled = (k1 + k2) / (n1 + n2)
    z = (k1 / n1 - k2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert float(got["z"]) == pytest.approx(z)
    assert float(got["diff_pts"]) == pytest.approx(100 * (k1 / n1 - k2 / n2))


def test_newcombe_interval_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873, Table II example (a) 56/70 vs 48/80: method 10
    # gives 0.0524 to 0.3339.
    got = statistics.two_proportions(56, 70, 48, 80)
    assert float(got["ci_low_pts"]) == pytest.approx(5.24, abs=0.01)
    assert float(got["ci_high_pts"]) == pytest.approx(33.39, abs=0.01)


def test_two_proportions_degenerate():
    empty = statistics.two_proportions(0, 0, 5, 10)
    assert math.isnan(float(empty["p_value"]))
    same = statistics.two_proportions(0, 10, 0, 20)
    assert float(same["p_value"]) == 1.0 and float(same["diff_pts"]) == 0.0


def test_holm_by_hand():
    p = [0.01, 0.04, 0.03, math.nan, 0.005]
    # sorted 0.005, 0.01, 0.03, 0.04 × 4, 3, 2, 1 → 0.02, 0.03, 0.06, 0.04 → running max 0.02, 0.03, 0.06, 0.06
    got = statistics.holm(p)
    assert got[[4, 0, 2, 1]].tolist() == pytest.approx([0.02, 0.03, 0.06, 0.06])
    assert math.isnan(got[3])


def test_proportion_wilson_matches_scipy():
    got = statistics.proportion(71, 100)
    ci = sps.binomtest(71, 100).proportion_ci(method="wilson")
    assert (got["ci_low"], got["ci_high"]) == pytest.approx((100 * ci.low, 100 * ci.high))
    assert got["value"] == 71.0


def test_date_ranges_count_once_both_ends_are_picked():
    assert compare.iso_range(()) == (None, None)
    assert compare.iso_range((dt.date(2024, 3, 1),)) == (None, None)  # still choosing the second end
    assert compare.iso_range((dt.date(2024, 3, 1), dt.date(2024, 5, 31))) == ("2024-03-01", "2024-05-31")


def test_unpaired_tells_no_published_figure_from_no_value():
    user = pd.DataFrame({"figure": ["customer_retention", "repeat_purchase_rate", "revenue_retention_nrr"],
                         "value": [80.0, 30.0, float("nan")]})
    paired = pd.DataFrame({"figure": ["customer_retention"]})
    wanted = ["revenue_retention_nrr", "repeat_purchase_rate", "cohort_survival", "customer_retention"]
    # repeat purchase was measured but nothing published pairs with it; NRR has no value, survival was not measured
    assert compare.unpaired(user, paired, wanted) == (["repeat_purchase_rate"],
                                                      ["revenue_retention_nrr", "cohort_survival"])


def test_first_orders_followed_for_a_year():
    assert internal.recent_year_before("2024-06-15", 0) == ("2023-07-01", "2024-06-15")
    assert internal.recent_year_before("2024-06-15", 12) == ("2022-07-01", "2023-06-15")
