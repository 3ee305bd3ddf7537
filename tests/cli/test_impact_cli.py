"""`python -m retention impact` (issue 22): JSON and CSV output on a generated shop with a planted effect, and
bad options answered with exit 2 and one message."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from tests.helpers.impact_data import shop
from tests.cli.test_cohorts_cli import run

K = 3


@pytest.fixture(scope="module")
def shop_file(tmp_path_factory):
    """A purchases CSV: 14 month cohorts of 150 customers, +15 points at month 3 from the 9th (Sep 2021) on; a
    member column with +15 points for members."""
    planted = shop(seed=3, cohorts=14, size=150, launch=8, effect=0.15, member_effect=0.15, months=3)
    purchases = planted.purchases()
    purchases["member"] = purchases["customer_id"].map(planted.member_labels()).fillna("no")
    path = tmp_path_factory.mktemp("impact") / "purchases.csv"
    purchases.to_csv(path, index=False)
    return path


def test_launch_json(shop_file):
    code, out, err = run("impact", shop_file, "--launch-date", "2021-09-01", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["design"] == "launch" and result["k"] == K
    assert result["ci_low_pp"] < 15 < result["ci_high_pp"] and result["ci_low_pp"] > 0
    assert (result["treated_customers"], result["control_customers"]) == (6 * 150, 8 * 150)
    assert "not_randomised" in result["warning_codes"] and "seasonality_unchecked" in result["warning_codes"]
    assert any(w.startswith("Nobody was assigned at random") for w in result["warnings"])
    assert result["method"] == "trend" and result["method_text"].startswith("against the pre-launch trend")
    assert result["sentence"].startswith("Cohorts after the launch kept")


def test_members_csv(shop_file):
    code, out, err = run("impact", shop_file, "--map", "segment=member", "--member-column", "member", "--k", "3")
    assert code == 0, err
    row = pd.read_csv(io.StringIO(out)).iloc[0]
    assert row["design"] == "members" and row["ci_low_pp"] < 15 < row["ci_high_pp"]
    assert row["treated_customers"] > 0 and row["control_customers"] > 0
    assert "selection" in row["warning_codes"]


@pytest.mark.parametrize("options, message", [
    (["--member-column", "plan"], "there is no segment column 'plan'"),
    (["--map", "segment=member", "--member-column", "member", "--member-value", "gold"], "no value 'gold'"),
])
def test_bad_options(shop_file, options, message):
    code, _, err = run("impact", shop_file, *options)
    assert code == 2 and message in err, err


def test_needs_a_design(shop_file, capsys):
    with pytest.raises(SystemExit) as exit_:
        run("impact", shop_file)
    assert exit_.value.code == 2
