"""Churn drivers (retention/metrics/drivers.py) against a plain-Python reference on generated data with a planted
driver and a planted noise column; the IBM Telco contract figures on a fixture with the workbook's counts; the
outcome columns left out by their real header spellings; the CLI."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare
from retention.ingest.roles import is_outcome_column
from retention.metrics import drivers
from tests.helpers import reference_drivers

ROOT = Path(__file__).resolve().parents[2]
COUNTS = Path(__file__).resolve().parents[1] / "fixtures" / "telco_drivers" / "counts.csv"


def telco_rows() -> pd.DataFrame:
    """One row per customer of IBM's Telco workbook as the fixture counts them (Contract, Payment Method,
    Internet Service, Churn Label), with made-up ids."""
    counts = pd.read_csv(COUNTS)
    rows = counts.loc[counts.index.repeat(counts["customers"])].drop(columns="customers").reset_index(drop=True)
    rows.insert(0, "Customer ID", [f"T{i:05d}" for i in range(len(rows))])
    return rows


def load(frame: pd.DataFrame, name: str = "customers.csv"):
    dataset_id, _ = store.create_dataset(None, prepare(frame.to_csv(index=False).encode(), name, "customers"),
                                         name=name)
    return store.open_dataset(dataset_id)


def planted(seed: int = 3, n: int = 2000) -> pd.DataFrame:
    """Customers with a planted driver (Plan: 'Basic' churns at 40%, 'Pro' at 10%), a noise column (Branch: 40
    values, churn independent of it) and a tenure column with churn falling with tenure."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        plan = "Basic" if rng.random() < 0.5 else "Pro"
        tenure = rng.randint(1, 72)
        risk = (0.40 if plan == "Basic" else 0.10) * (1.3 if tenure < 12 else 0.9)
        rows.append({"Customer ID": f"C{i:05d}", "Plan": plan, "Branch": f"B{rng.randint(1, 40):02d}",
                     "Tenure Months": tenure, "Churn Label": "Yes" if rng.random() < risk else "No"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the plain-Python reference


def reference(rows: list[dict], attribute: str) -> dict[str, dict]:
    """Per value: customers, churned, churn %, everyone else's %, difference (points), excess churned, Wilson
    interval; computed with loops and the textbook formulas."""
    out = {}
    total_n = len(rows)
    total_k = sum(1 for r in rows if r["churned"])
    for value in sorted({r[attribute] for r in rows}):
        n = sum(1 for r in rows if r[attribute] == value)
        k = sum(1 for r in rows if r[attribute] == value and r["churned"])
        p = k / n
        rest = (total_k - k) / (total_n - n)
        z = 1.959963984540054
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        out[value] = {"customers": n, "churned": k, "churn_pct": 100 * p, "rest_pct": 100 * rest,
                      "diff_pp": 100 * (p - rest), "excess_churned": k - n * rest,
                      "ci_low_pct": 100 * max(0.0, centre - half), "ci_high_pct": 100 * min(1.0, centre + half)}
    return out


def reference_chi2(rows: list[dict], attribute: str) -> float:
    total_n = len(rows)
    total_k = sum(1 for r in rows if r["churned"])
    chi2 = 0.0
    for value in {r[attribute] for r in rows}:
        n = sum(1 for r in rows if r[attribute] == value)
        k = sum(1 for r in rows if r[attribute] == value and r["churned"])
        for observed, share in ((k, total_k / total_n), (n - k, 1 - total_k / total_n)):
            expected = n * share
            chi2 += (observed - expected) ** 2 / expected
    return chi2


def test_planted_driver_matches_the_reference_and_noise_does_not_win(data_dir):
    frame = planted()
    con = load(frame)
    got = drivers.drivers(con)
    rows = [{"Plan": r["Plan"], "Branch": r["Branch"], "churned": r["Churn Label"] == "Yes"}
            for r in frame.to_dict("records")]
    assert got["customers"] == len(rows) and got["churned"] == sum(r["churned"] for r in rows)
    for attribute in ("Plan", "Branch"):
        expected = reference(rows, attribute)
        mine = got["values"][got["values"]["attribute"] == attribute].set_index("value")
        assert sorted(mine.index) == sorted(expected)
        for value, want in expected.items():
            for column, number in want.items():
                assert mine.loc[value, column] == pytest.approx(number, rel=1e-9, abs=1e-9), (attribute, value, column)
        row = got["ranking"].set_index("attribute").loc[attribute]
        assert row["chi2"] == pytest.approx(reference_chi2(rows, attribute), rel=1e-9)
    ranking = got["ranking"].set_index("attribute")
    assert got["ranking"]["attribute"].iloc[0] == "Plan"
    assert ranking.loc["Plan", "significant"] and not ranking.loc["Branch", "significant"]
    assert ranking.loc["Branch", "rank"] > ranking.loc["Tenure Months", "rank"]
    # Uncorrected, the noise column's Cramér's V is far from 0 (40 values of ~50 customers): the correction
    # brings it near 0, while the planted driver keeps its strength.
    branch = ranking.loc["Branch"]
    assert math.sqrt(branch["chi2"] / branch["customers"]) > 0.1
    assert branch["cramers_v"] < 0.05 < ranking.loc["Plan", "cramers_v"]
    assert ranking.loc["Branch", "p_adjusted"] >= ranking.loc["Branch", "p_value"]
    # tenure is binned into readable quantile bins covering every customer once
    tenure = got["values"][got["values"]["attribute"] == "Tenure Months"]
    assert tenure["customers"].sum() == len(frame) and 3 <= len(tenure) <= drivers.BINS
    assert tenure["value"].iloc[0].startswith("< ") and tenure["value"].iloc[-1].startswith("≥ ")


def test_small_groups_are_flagged_not_hidden(data_dir):
    frame = planted(n=400)
    frame.loc[:4, "Plan"] = "Legacy"  # five customers
    got = drivers.drivers(load(frame))["values"].set_index(["attribute", "value"])
    assert got.loc[("Plan", "Legacy"), "customers"] == 5
    assert got.loc[("Plan", "Legacy"), "small"] and not got.loc[("Plan", "Basic"), "small"]


def test_holm_and_hand_computed_cases():
    assert list(drivers.holm([0.01, 0.04, 0.03])) == pytest.approx([0.03, 0.06, 0.06])
    assert drivers.corrected_v(0.0, 100, 3, 2) == 0.0
    # 2×2 table 30/70 vs 10/90 of 100 each: chi2 = 12.5, V (uncorrected) = 0.25
    values = pd.DataFrame({"attribute": "A", "kind": "text", "order": [0, 1], "value": ["x", "y"],
                           "customers": [100, 100], "churned": [30, 10], "revenue": None, "churned_revenue": None})
    tested = drivers.attribute_tests(drivers.value_table(values)).iloc[0]
    assert tested["chi2"] == pytest.approx(12.5)
    assert tested["cramers_v"] == pytest.approx(math.sqrt((12.5 / 200 - 1 / 199) / (1 - 1 / 199)))
    # excess: 30 churned where everyone else's 10% would give 10 → 20 extra, each churned customer 100 of revenue
    got = drivers.value_table(values.assign(revenue=[9000.0, 8000.0], churned_revenue=[3000.0, 900.0])).iloc[0]
    assert (got["excess_churned"], got["excess_revenue"], got["diff_pp"]) == pytest.approx((20.0, 2000.0, 20.0))
    assert drivers.bin_labels([6, 20, 60], integral=True) == ["< 6", "6–19", "20–59", "≥ 60"]
    assert drivers.bin_labels([39.5, 63], integral=False) == ["< 39.5", "39.5–<63", "≥ 63"]


def test_telco_contract_figures(data_dir):
    got = drivers.drivers(load(telco_rows(), "Telco_customer_churn.csv"))
    contract = got["values"][got["values"]["attribute"] == "Contract"].set_index("value")
    for value, churned, customers, pct in (("Month-to-month", 1655, 3875, 42.7), ("One year", 166, 1473, 11.3),
                                           ("Two year", 48, 1695, 2.8)):
        assert (contract.loc[value, "churned"], contract.loc[value, "customers"]) == (churned, customers)
        assert round(contract.loc[value, "churn_pct"], 1) == pct
    assert got["ranking"]["attribute"].iloc[0] == "Contract"
    assert got["definition"]["basis"] == "customers"
    reasons = dict(zip(got["excluded"]["column"], got["excluded"]["reason"]))
    assert reasons == {"Customer ID": "identifier", "Churn Label": "outcome"}


def test_monthly_charges_are_the_revenue_of_a_customers_file(data_dir):
    frame = planted(n=300)
    frame["Monthly Charges"] = [f"{20 + i % 80}.50" for i in range(300)]
    got = drivers.drivers(load(frame))
    assert got["definition"]["revenue"] == "charges"
    basic = got["values"].set_index(["attribute", "value"]).loc[("Plan", "Basic")]
    mine = frame[frame["Plan"] == "Basic"]
    charge = mine["Monthly Charges"].astype(float)
    churned = mine["Churn Label"] == "Yes"
    assert basic["excess_revenue"] == pytest.approx(basic["excess_churned"] * charge[churned].mean())
    assert "Monthly Charges" in set(got["ranking"]["attribute"])  # a number, in bins


def test_telco_model_and_rules(data_dir):
    con = load(telco_rows())
    multi = drivers.multivariable(con)
    assert 0.75 < multi["model"]["auc"] < 0.9
    odds = multi["model"]["odds"].set_index(["attribute", "value"])
    assert odds.loc[("Contract", "Two year"), "odds_ratio"] < odds.loc[("Contract", "One year"), "odds_ratio"] < 1
    assert (odds["or_low"] <= odds["odds_ratio"]).all() and (odds["odds_ratio"] <= odds["or_high"]).all()
    first = multi["rules"].iloc[0]
    assert (first["first_value"], first["second_value"]) == ("Month-to-month", "Fiber optic")
    counts = pd.read_csv(COUNTS)
    cell = counts[(counts["Contract"] == "Month-to-month") & (counts["Internet Service"] == "Fiber optic")]
    assert first["customers"] == cell["customers"].sum()
    assert first["churned"] == cell.loc[cell["Churn Label"] == "Yes", "customers"].sum()


REAL_OUTCOME_HEADERS = ["Churn Value", "Churn Label", "Churn Score", "Customer Status", "Churn Category",
                        "Churn Reason", "Cancel Date", "CLTV", "Churn", "Exited", "cancelled_at", "Attrition_Flag"]


@pytest.mark.parametrize("header", REAL_OUTCOME_HEADERS)
def test_outcome_headers_are_outcomes(header):
    assert is_outcome_column(header)


def test_outcome_columns_never_rank(data_dir):
    """The IBM headers (single-table and status releases) in one customers file: none is a candidate."""
    frame = planted(n=300)
    frame["Churn Value"] = (frame["Churn Label"] == "Yes").astype(int)
    frame["Churn Score"] = [90 if c == "Yes" else 20 for c in frame["Churn Label"]]
    frame["CLTV"] = range(3000, 3300)
    frame["Customer Status"] = ["Churned" if c == "Yes" else "Stayed" for c in frame["Churn Label"]]
    frame["Churn Category"] = ["Competitor" if c == "Yes" else "" for c in frame["Churn Label"]]
    frame["Zip Code"] = [f"9{i:04d}" for i in range(300)]
    got = drivers.drivers(load(frame))
    ranked = set(got["ranking"]["attribute"])
    assert ranked.isdisjoint({"Churn Value", "Churn Score", "CLTV", "Customer Status", "Churn Category",
                              "Churn Label", "Zip Code", "Customer ID"})
    reasons = dict(zip(got["excluded"]["column"], got["excluded"]["reason"]))
    for column in ("Churn Value", "Churn Score", "CLTV", "Churn Category"):
        assert reasons[column] == "outcome", column
    assert reasons["Zip Code"] == "identifier"


def test_lapsed_definition_on_purchases(data_dir):
    """Purchases only: churned = no purchase in the window up to the last day; too-new customers left out."""
    rows = [("a", "2024-01-05", "10", "web"), ("a", "2024-06-01", "10", "web"),  # lapsed (last + 90 ≤ Dec 31)
            ("b", "2024-02-01", "10", "store"), ("b", "2024-12-01", "10", "store"),  # active
            ("c", "2024-12-20", "10", "web"),  # first purchase within 90 days of the end: left out
            ("d", "2024-03-01", "10", "store"), ("d", "2024-12-31", "10", "store")]
    csv = "customer,date,amount,channel\n" + "\n".join(",".join(r) for r in rows) + "\n"
    dataset_id, _ = store.create_dataset(prepare(csv.encode(), "orders.csv", "purchases"), None, name="o")
    con = store.open_dataset(dataset_id)
    how = drivers._prepare(con, 90)
    assert how["basis"] == "purchases" and str(how["as_of"]) == "2024-12-31"
    outcome = dict(con.execute("select customer_id, churned from driver_outcome").fetchall())
    assert outcome == {"a": True, "b": False, "d": False}


def test_cli_drivers(data_dir, tmp_path):
    path = tmp_path / "telco.csv"
    telco_rows().to_csv(path, index=False)
    run = subprocess.run([sys.executable, "-m", "retention", "drivers", "--customers", str(path), "--format", "json",
                          "--top", "1"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert list(got[0]) == ["attribute", "value", "customers", "churned", "churn_pct", "ci_low_pct", "ci_high_pct",
                            "diff_pp", "rank"]
    assert {(r["value"], r["churned"], r["customers"], r["churn_pct"]) for r in got} == {
        ("Month-to-month", 1655, 3875, 42.71), ("One year", 166, 1473, 11.27), ("Two year", 48, 1695, 2.83)}


# ---------------------------------------------------------------- the model against the hand-written reference


def generated_rows(seed: int = 11, n: int = 3000) -> pd.DataFrame:
    """Customers with three attributes whose log odds add up (known coefficients), as customer_rows gives them."""
    rng = np.random.default_rng(seed)
    plan = rng.choice(["Basic", "Pro", "Team"], n, p=[0.5, 0.3, 0.2])
    channel = rng.choice(["web", "shop", "phone", None], n, p=[0.5, 0.3, 0.15, 0.05])
    region = rng.choice(["N", "S"], n, p=[0.6, 0.4])
    logit = -1.0 + np.select([plan == "Pro", plan == "Team"], [-0.8, -1.5], 0.0) \
        + np.select([channel == "shop", channel == "phone"], [0.6, 1.1], 0.0) + 0.3 * (region == "S")
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"customer_id": [f"C{i}" for i in range(n)], "churned": churned, "started": None,
                         "Plan": plan, "Channel": channel, "Region": region})


def telco_model_rows() -> pd.DataFrame:
    rows = telco_rows()
    return pd.DataFrame({"customer_id": rows["Customer ID"], "churned": rows["Churn Label"] == "Yes",
                         "started": None, "Contract": rows["Contract"], "Payment Method": rows["Payment Method"],
                         "Internet Service": rows["Internet Service"]})


@pytest.mark.parametrize("make", [generated_rows, telco_model_rows], ids=["generated", "telco"])
def test_model_equals_the_hand_written_reference(make):
    rows = make()
    got = drivers.model(rows)
    attributes = [c for c in rows.columns if c not in ("customer_id", "churned", "started")]
    x, names, _ = drivers._design(rows, attributes)
    want = reference_drivers.odds_ratios(x, rows["churned"].to_numpy())
    assert got["fallback"] is None and (got["odds"]["status"] == "ok").all()
    assert len(got["odds"]) == len(names) - 1 > 3
    for column in ("odds_ratio", "or_low", "or_high", "p_value"):
        np.testing.assert_allclose(got["odds"][column].to_numpy(float), want[column], rtol=1e-6)


def test_generated_coefficients_are_recovered():
    odds = drivers.model(generated_rows(n=20000))["odds"].set_index(["attribute", "value"])
    for key, beta in {("Plan", "Pro"): -0.8, ("Plan", "Team"): -1.5, ("Channel", "shop"): 0.6,
                      ("Channel", "phone"): 1.1, ("Region", "S"): 0.3}.items():
        row = odds.loc[key]
        se = (math.log(row["or_high"]) - math.log(row["or_low"])) / (2 * 1.959964)
        assert abs(math.log(row["odds_ratio"]) - beta) < 3.3 * se, key  # 5 checks at 99.9% each
        assert se < 0.1


def test_perfect_separation_is_flagged_and_the_rest_fitted_without_those_customers():
    rows = generated_rows()
    rows.loc[rows["Plan"] == "Team", "churned"] = True  # everyone on Team churned: infinite odds ratio
    got = drivers.model(rows)
    odds = got["odds"].set_index(["attribute", "value"])
    assert odds.loc[("Plan", "Team"), "status"] == "separated"
    assert math.isnan(odds.loc[("Plan", "Team"), "odds_ratio"]) and math.isnan(odds.loc[("Plan", "Team"), "or_high"])
    rest = rows[rows["Plan"] != "Team"]
    x, names, _ = drivers._design(rest, ["Plan", "Channel", "Region"],
                                  {"Plan": ("Basic", ["Pro"]), "Channel": ("web", ["shop", "phone", "\0blank"]),
                                   "Region": (rows["Region"].value_counts().index[0],
                                              [rows["Region"].value_counts().index[1]])})
    want = reference_drivers.odds_ratios(x, rest["churned"].to_numpy())
    ok = odds[odds["status"] == "ok"]
    assert [(a, v if isinstance(v, str) else "\0blank") for a, v in ok.index] == names[1:]
    np.testing.assert_allclose(ok["odds_ratio"].to_numpy(float), want["odds_ratio"], rtol=1e-6)
    np.testing.assert_allclose(ok["or_low"].to_numpy(float), want["or_low"], rtol=1e-6)
    assert 0.5 < got["auc"] <= 1


def test_no_one_churned_in_a_value_is_separated_too():
    rows = generated_rows()
    rows.loc[rows["Channel"] == "phone", "churned"] = False
    odds = drivers.model(rows)["odds"].set_index(["attribute", "value"])
    assert odds.loc[("Channel", "phone"), "status"] == "separated"
    assert (odds.drop(("Channel", "phone"))["status"] == "ok").all()


def test_an_attribute_repeating_another_is_collinear_not_a_traceback():
    rows = generated_rows()
    rows["Tariff"] = rows["Plan"].map({"Basic": "B", "Pro": "P", "Team": "T"})  # the same column, renamed
    got = drivers.model(rows)
    odds = got["odds"].set_index(["attribute", "value"])
    assert set(odds.loc["Tariff", "status"]) == {"collinear"}
    assert odds.loc["Tariff", "odds_ratio"].isna().all()
    alone = drivers.model(rows.drop(columns="Tariff"))["odds"].set_index(["attribute", "value"])
    np.testing.assert_allclose(odds.loc[alone.index, "odds_ratio"].to_numpy(float),
                               alone["odds_ratio"].to_numpy(float), rtol=1e-6)


def test_separation_leaving_one_class_falls_back_with_a_flag():
    rows = generated_rows()
    rows["churned"] = rows["Plan"] == "Basic"  # the outcome is the plan: nothing left to fit
    got = drivers.model(rows)
    assert got["fallback"] == "one_class" and got["odds"].empty


def test_fit_logistic_hand_computed_two_by_two():
    # 2×2 table: reference 30 of 100 churned, value 60 of 100: odds ratio (60/40)/(30/70) = 3.5,
    # SE of its log = sqrt(1/60 + 1/40 + 1/30 + 1/70)
    y = np.r_[np.ones(30), np.zeros(70), np.ones(60), np.zeros(40)].astype(bool)
    x = np.column_stack([np.ones(200), np.r_[np.zeros(100), np.ones(100)]])
    fit = drivers.fit_logistic(x, y)
    assert math.exp(fit["beta"][1]) == pytest.approx(3.5, rel=1e-9)
    assert fit["se"][1] == pytest.approx(math.sqrt(1 / 60 + 1 / 40 + 1 / 30 + 1 / 70), rel=1e-9)


def test_the_page_sentence_names_the_values_without_an_odds_ratio():
    from retention import ui_text

    rows = generated_rows()
    rows.loc[rows["Plan"] == "Team", "churned"] = True
    rows["Tariff"] = rows["Plan"].map({"Basic": "B", "Pro": "P", "Team": "T"})
    got = drivers.model(rows)
    text = ui_text.driver_model_flags(got["odds"], got["fallback"], ui_text.driver_value)
    assert "Plan: Team" in text and "everyone or no one" in text
    assert "Tariff: P" in text and "says the same" in text
    assert ui_text.driver_model_flags(drivers.model(generated_rows())["odds"], None, str) is None


def test_separation_by_a_combination_is_unstable_and_flagged():
    """Quasi-separation no single value shows: x1 without x2 always churned, x2 without x1 never; the cells with
    both or neither are half and half. b1 − b2 has no finite maximum: both are flagged, the fit says so."""
    cells = [(1, 0, 40, lambda i: 1), (0, 1, 40, lambda i: 0), (1, 1, 60, lambda i: i % 2), (0, 0, 60, lambda i: i % 2)]
    data = np.array([(1, a, b, rule(i)) for a, b, n, rule in cells for i in range(n)], float)
    fit = drivers.fit_logistic(data[:, :3], data[:, 3].astype(bool))
    assert list(fit["status"]) == ["ok", "unstable", "unstable"]
    assert fit["fallback"] == "not_converged"
    assert fit["beta"][0] == pytest.approx(0.0, abs=1e-6)  # the intercept is still the half-and-half cells' log odds
