"""`python -m retention matrix` and `curve` (issue 4): columns, options, reached cells only, exit 2 on bad input."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from retention import cli

PURCHASES = """customer,date,amount,channel
a,2024-01-15,10,Ads
a,2024-03-02,20,Ads
a,2024-04-10,-20,Ads
b,2024-01-31,5,Email
b,2024-02-01,5,Email
b,2024-04-20,7,Email
c,2024-01-20,-5,Ads
d,2024-02-29,30,Ads
"""
CUSTOMERS = """customer,signup date,cancel date,plan
a,2024-01-10,2024-02-29,Pro
b,2024-01-31,,Free
d,2024-02-03,2024-03-05,Free
"""
TENURE = """customerID,tenure,Churn,Contract
u1,1,Yes,Monthly
u2,2,No,Monthly
u3,3,Yes,Monthly
u4,3,Yes,Yearly
u5,4,No,Yearly
u6,5,Yes,Yearly
"""


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("purchases", PURCHASES), ("customers", CUSTOMERS), ("tenure", TENURE)):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def table(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype={"complete": str, "small_sample": str})


def test_matrix_prints_reached_cells_with_zeros(files):
    code, out, err = run("matrix", files["purchases"], "--map", "segment=channel")
    assert code == 0, err
    frame = table(out)
    assert list(frame.columns) == ["cohort", "period", "cohort_size", "active", "retention_pct", "complete",
                                   "small_sample"]
    assert frame[["cohort", "period", "active"]].values.tolist() == [
        ["2024-01-01", 0, 2], ["2024-01-01", 1, 1], ["2024-01-01", 2, 1], ["2024-01-01", 3, 1],
        ["2024-02-01", 0, 1], ["2024-02-01", 1, 0], ["2024-02-01", 2, 0]]
    assert frame["complete"].tolist() == ["true", "true", "true", "false", "true", "true", "false"]
    assert frame["retention_pct"].tolist()[1] == 50.0 and set(frame["small_sample"]) == {"true"}


def test_matrix_options(files):
    code, out, _ = run("matrix", files["purchases"], "--as-of", "2024-02-15", "--mode", "revenue",
                       "--min-customers", "1")
    frame = table(out)
    assert code == 0 and list(frame.columns) == ["cohort", "period", "cohort_size", "active", "revenue",
                                                 "revenue_per_customer", "retention_pct", "complete", "small_sample"]
    assert frame["period"].tolist() == [0, 1]  # nothing beyond the analysis date, d not yet a customer
    assert frame["revenue"].tolist() == [15.0, 5.0] and frame["retention_pct"].tolist() == [100.0, 33.33]

    code, out, _ = run("matrix", files["purchases"], "--segment", "channel", "--period", "quarter")
    frame = table(out)
    assert code == 0 and list(frame.columns)[0] == "segment"
    assert frame.groupby("segment")["cohort_size"].first().to_dict() == {"Ads": 2, "Email": 1}

    code, out, _ = run("matrix", files["purchases"], "--filter", "channel=Email", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["cohort_size"] for r in rows} == {1} and rows[0]["complete"] is True


def test_signup_cohorts_and_survival(files):
    code, out, err = run("matrix", files["purchases"], "--customers", files["customers"], "--cohort-by", "signup",
                         "--mode", "survival")
    assert code == 0, err
    frame = table(out)
    january = frame[frame["cohort"] == "2024-01-01"]
    assert january["cohort_size"].iloc[0] == 2 and january["active"].tolist() == [2, 1, 1, 1]  # a cancels Feb 29
    february = frame[frame["cohort"] == "2024-02-01"]
    assert february["active"].tolist() == [1, 0, 0]  # d cancels in March


def test_curve_columns_and_average(files):
    code, out, err = run("curve", files["purchases"])
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == ["period", "cohorts", "customers", "retained", "retention_pct", "ci_low_pct",
                                   "ci_high_pct", "small_sample"]
    # complete cells only: k = 0 from both cohorts, k = 1 from both (Jan: 1 of 2, Feb: 0 of 1), k = 2 from Jan
    assert frame[["period", "cohorts", "customers", "retained"]].values.tolist() == [
        [0, 2, 3, 3], [1, 2, 3, 1], [2, 1, 2, 1]]
    assert frame["retention_pct"].tolist()[1] == 33.33
    assert (frame["ci_low_pct"] <= frame["retention_pct"]).all()
    code, out, _ = run("curve", files["purchases"], "--average", "simple")
    simple = pd.read_csv(io.StringIO(out))
    assert simple["retention_pct"].tolist()[1] == 25.0 and simple["ci_low_pct"].isna().all()


def test_curve_survival_by_tenure(files):
    code, out, err = run("curve", "--customers", files["tenure"], "--mode", "survival", "--segment", "Contract",
                         "--customers-map", "segment=Contract")
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out))
    monthly = frame[frame["segment"] == "Monthly"]
    assert monthly["period"].tolist() == [1, 2, 3] and monthly["customers"].tolist() == [3, 2, 1]
    assert monthly["retention_pct"].tolist() == [66.67, 66.67, 0.0]
    code, _, err = run("matrix", "--customers", files["tenure"], "--mode", "survival")
    assert code == 2 and "Kaplan–Meier" in err


@pytest.mark.parametrize("args, words", [
    (["--segment", "nope"], "no segment column 'nope'"),
    (["--filter", "channel"], "COLUMN=VALUE"),
    (["--cohort-by", "signup"], "signup dates"),
    (["--mode", "survival"], "cancel dates"),
])
def test_bad_input_exits_2(files, args, words):
    code, out, err = run("matrix", files["purchases"], "--map", "segment=channel", *args)
    assert code == 2 and out == "" and words in err
