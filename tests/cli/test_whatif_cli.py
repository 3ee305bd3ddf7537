"""`python -m retention whatif`: JSON with the inputs used and base / scenario / change per output; no file
needed when every measurable input is given; bad input → exit 2 with a message."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from retention import cli, demo
from retention.cli.whatif import MEASURABLE
from tests.helpers.cli_runner import run_cli
from tests.conftest import ROOT

# Importing retention.cli.whatif registers the command whether or not cli.COMMAND_MODULES lists it yet.
MAIN = "import sys, retention.cli.whatif, retention.cli as c; sys.exit(c.main(sys.argv[1:]))"

GIVEN = ["--retention", "0.8", "--arpu", "200", "--active-customers", "10000", "--new-customers", "2000"]
ANNUAL = ["whatif", "--period", "year", "--margin-pct", "100", "--cac", "300", "--discount-pct", "10",
          "--horizon", "inf", *GIVEN]


def run(*argv, as_user=False):
    """(exit code, the JSON printed, stderr); in this process unless as_user (a new interpreter, as a user runs it)."""
    done = (subprocess.run([sys.executable, "-c", MAIN, *argv], capture_output=True, text=True, cwd=ROOT, timeout=300)
            if as_user else run_cli(*argv))
    return done.returncode, (json.loads(done.stdout) if done.returncode == 0 else None), done.stderr


def test_worked_example_without_files():
    code, out, _ = run(*ANNUAL, "--uplift-pp", "5", as_user=True)
    assert code == 0
    assert {k: v["source"] for k, v in out["inputs"].items() if k in ("retention", "arpu")} == {
        "retention": "given", "arpu": "given"}
    assert out["measurement"] is None and out["sbg"] is None
    assert out["scenario"]["retention_scenario"] == pytest.approx(0.85)
    o = out["outputs"]
    assert o["clv_end"]["base"] == pytest.approx(533.33, abs=0.005)
    assert o["clv_end"]["scenario"] == pytest.approx(680.00, abs=0.005)
    assert o["clv_start"]["base"] == pytest.approx(733.33, abs=0.005)  # margins at period starts, too
    assert o["value_of_base"]["change"] == pytest.approx(1_466_667, abs=0.5)
    assert o["new_customer_value"]["change_pct"] == pytest.approx(62.9, abs=0.05)
    assert o["steady_profit_constant_inflow"]["scenario"] == pytest.approx(2_066_667, abs=0.5)
    assert o["profit_constant_base_undiscounted"]["base"] is None  # infinite: null in JSON
    assert out["break_even_programme_cost"] == pytest.approx(33.33, abs=0.005)
    assert out["headline"]["published_range_pct"] == [25, 95] and out["headline"]["explanation"]


def test_scenario_types_and_cap():
    _, out, _ = run(*ANNUAL, "--uplift-pct", "5")
    assert out["outputs"]["clv_end"]["scenario"] == pytest.approx(646.15, abs=0.005)
    _, out, _ = run(*ANNUAL, "--churn-cut-pct", "5")
    assert out["outputs"]["clv_end"]["scenario"] == pytest.approx(558.62, abs=0.005)
    _, out, _ = run(*ANNUAL, "--reason", "Price", "--reason-cut-pct", "50", "--reason-share-pct", "40")
    assert out["scenario"]["retention_scenario"] == pytest.approx(0.84)
    code, out, _ = run("whatif", "--margin-pct", "30", "--retention", "0.97", "--arpu", "10",
                       "--active-customers", "100", "--new-customers", "5", "--uplift-pp", "5")
    assert code == 0 and out["scenario"]["capped"] and out["warnings"]
    assert out["inputs"]["horizon_periods"] == {"value": 60, "source": "default"}  # 5 years of months


@pytest.mark.parametrize("argv, message", [
    (["whatif", "--margin-pct", "30"], "give a purchases file"),
    (["whatif", "--margin-pct", "30", "--retention", "80", "--arpu", "1", "--active-customers", "1",
      "--new-customers", "1"], "fraction"),
    (["whatif", "--margin-pct", "130", *GIVEN], "percentage"),
    (["whatif", "--margin-pct", "30", *GIVEN, "--reason", "Price"], "--reason-cut-pct"),
    (["whatif", "--margin-pct", "30", *GIVEN, "--reason", "Price", "--reason-cut-pct", "50"], "--reason-share-pct"),
])
def test_bad_input_exits_2(argv, message):
    code, _, err = run(*argv)
    assert code == cli.EXIT_BAD_INPUT and message in err


def test_measured_from_files(tmp_path):
    purchases, customers = demo.csv_bytes()
    (tmp_path / "p.csv").write_bytes(purchases)
    (tmp_path / "c.csv").write_bytes(customers)
    files = [str(tmp_path / "p.csv"), "--customers", str(tmp_path / "c.csv")]
    code, out, err = run("whatif", *files, "--margin-pct", "30", "--cac", "50", "--horizon", "36",
                         "--reason", "too expensive", "--reason-cut-pct", "50", "--arpu", "70")
    assert code == 0, err
    sources = {k: v["source"] for k, v in out["inputs"].items() if k in MEASURABLE}
    assert sources == {"active_customers": "measured", "retention": "measured", "arpu": "given",
                       "new_customers": "measured"}
    assert out["inputs"]["active_customers"]["value"] == 9179
    assert out["measurement"]["basis"] == "customers" and out["measurement"]["periods_used"] == 12
    assert out["scenario"]["reason"] == "Too expensive" and 0 < out["scenario"]["reason_share"] < 1
    assert out["sbg"]["converged"] and out["sbg"]["alpha"] > 0
    code, _, err = run("whatif", *files, "--margin-pct", "30", "--reason", "bugs", "--reason-cut-pct", "5")
    assert code == cli.EXIT_BAD_INPUT and "Too expensive" in err
