"""`python -m retention benchmark`: the user's figure and each matching benchmark row with the gap in points."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

import retention.cli.benchmark  # noqa: F401 - registers the commands for the in-process runs
from retention import cli
from tests.helpers.cli_runner import run_cli
from tests.conftest import ROOT

# Importing retention.cli.benchmark registers the command even before cli.COMMAND_MODULES lists it.
MAIN = "import sys, retention.cli.benchmark, retention.cli as c; sys.exit(c.main(sys.argv[1:]))"

CUSTOMERS = "customer_id,signup_date,cancel_date\n" + "".join(
    [f"A{i},2023-06-01,\n" for i in range(6)] + [f"B{i},2023-06-01,2024-05-10\n" for i in range(4)]
    + [f"C{i},2024-03-01,2024-08-01\n" for i in range(3)] + [f"D{i},2024-03-01,\n" for i in range(2)]
    + ["E0,2024-12-20,2025-01-15\n"])
PURCHASES = ("customer_id,order_date,amount,order_id\n"
             "A0,2024-01-05,10,o1\nA0,2024-02-05,10,o2\nA1,2024-01-07,10,o3\nA2,2024-03-01,10,o4\n"
             "A2,2024-03-01,10,o4\nA3,2024-04-01,10,o5\nA3,2025-06-01,10,o6\n")


def run(*argv) -> tuple[int, pd.DataFrame | None, str]:
    done = run_cli("benchmark", *argv)  # in this process; test_check_benchmarks runs the module as a user does
    frame = pd.read_csv(io.StringIO(done.stdout)) if done.returncode == 0 and done.stdout.strip() else None
    return done.returncode, frame, done.stderr


@pytest.fixture
def files(tmp_path):
    (tmp_path / "customers.csv").write_text(CUSTOMERS)
    (tmp_path / "purchases.csv").write_text(PURCHASES)
    return tmp_path


def test_annual_retention_against_converted_monthly_churn(files):
    code, frame, err = run(str(files / "purchases.csv"), "--customers", str(files / "customers.csv"),
                           "--industry", "Subscription - B2B", "--metric", "customer_retention",
                           "--as-of", "2025-12-31", "--to", "2024-12-31")
    assert code == 0, err
    assert "customer retention basis customers" in err
    recurly = frame[frame["as_published"] == "monthly customer churn 4.91%"].iloc[0]
    assert recurly["your_pct"] == pytest.approx(60.0)  # 2024: 6 of the 10 customers at its start stayed
    assert recurly["your_customers"] == 10
    assert recurly["benchmark_pct"] == pytest.approx(round(100 * (1 - 0.0491) ** 12, 2))
    assert recurly["gap_pts"] == pytest.approx(round(60.0 - 100 * (1 - 0.0491) ** 12, 2), abs=0.011)
    assert recurly["position"] == "within_noise"  # n = 10: the interval is wide
    assert recurly["source_url"].startswith("https://")
    assert set(frame["metric"]) == {"customer_retention"}


def test_repeat_purchase_rate_with_a_user_file(files):
    (files / "mine.csv").write_text(
        "industry,metric,period,value_pct,year,publisher,source_url,definition\n"
        "Pet shops,repeat_purchase_rate,lifetime,30,2024,Pet Assoc,https://example.org,Share with 2+ orders\n"
        "Pet shops,customer_retention,annual,80,2024,Pet Assoc,https://example.org,Annual retention\n"
        "Pet shops,repeat_purchase_rate,annual,30,2024,Pet Assoc,https://example.org,bad period\n")
    code, frame, err = run(str(files / "purchases.csv"), "--industry", "pet", "--benchmarks",
                           str(files / "mine.csv"), "--metric", "repeat_purchase_rate")
    assert code == 0, err
    assert "row 3 left out" in err
    assert len(frame) == 1  # the retention row is never paired with a repeat purchase rate
    row = frame.iloc[0]
    # A0 (o1, o2), A3 (o5, o6) repeat; A1 one order; A2 two lines of one order
    assert row["your_pct"] == pytest.approx(50.0) and row["benchmark_pct"] == 30.0 and row["gap_pts"] == 20.0


def test_figure_without_benchmark_still_printed(files):
    code, frame, _ = run(str(files / "purchases.csv"), "--industry", "Telecommunications",
                         "--metric", "repeat_purchase_rate")
    assert code == 0
    assert len(frame) == 1 and frame.iloc[0]["your_pct"] == pytest.approx(50.0)
    assert pd.isna(frame.iloc[0]["benchmark_pct"])


def test_unknown_industry_is_bad_input(files):
    code, _, err = run(str(files / "purchases.csv"), "--industry", "underwater basket weaving")
    assert code == cli.EXIT_BAD_INPUT
    assert "sectors are:" in err


def check(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", MAIN, "check-benchmarks", *argv], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_check_benchmarks(tmp_path):
    shipped = check("--format", "csv")
    assert shipped.returncode == 0, shipped.stderr
    assert "customer_churn,monthly," in shipped.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("industry,metric,period,value_pct,year,publisher,source_url,definition\n"
                   "X,customer_churn,weekly,3,2024,P,https://e.org,d\n")
    done = run_cli("check-benchmarks", str(bad))
    assert done.returncode == cli.EXIT_BAD_INPUT
    assert "row 1 (X, customer_churn): the period does not fit the metric" in done.stderr
