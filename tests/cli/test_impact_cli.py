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


# ---------------------------------------------------------------- members with join dates


@pytest.fixture(scope="module")
def joined_files(tmp_path_factory):
    """A purchases CSV whose 'joined' column holds each member's join date (empty for non-members), and the same
    members as a list beside it (id,join_date); +15 points after joining."""
    from tests.helpers.impact_data import joined_shop

    planted = joined_shop(seed=4, cohorts=6, size=300, months=8, member_effect=0.15)
    dates = planted.join_dates()
    purchases = planted.purchases()
    purchases["joined"] = purchases["customer_id"].map(dict(zip(dates["customer_id"], dates["join_date"].astype(str))))
    folder = tmp_path_factory.mktemp("joined")
    purchases.to_csv(folder / "purchases.csv", index=False)
    dates.to_csv(folder / "members.csv", index=False)
    (folder / "ids.txt").write_text("\n".join(dates["customer_id"]) + "\n")
    (folder / "bad.csv").write_text("customer_id,join_date\nj000001,soon\nj000002,someday\n")
    return folder


def test_join_column_json(joined_files):
    code, out, err = run("impact", joined_files / "purchases.csv", "--map", "segment=joined",
                         "--member-join-column", "joined", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["design"] == "members" and result["method"] == "cem_joined"
    assert result["ci_low_pp"] < 15 < result["ci_high_pp"] and result["ci_low_pp"] > 0, result
    assert "join_date_unknown" not in result["warning_codes"] and "selection" in result["warning_codes"]
    assert result["method_text"].startswith("retention after the join month")


def test_member_list_with_dates_gives_the_same_result(joined_files):
    column = json.loads(run("impact", joined_files / "purchases.csv", "--map", "segment=joined",
                            "--member-join-column", "joined", "--format", "json")[1])
    code, out, err = run("impact", joined_files / "purchases.csv", "--members", joined_files / "members.csv",
                         "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    for key in ("effect_pp", "ci_low_pp", "ci_high_pp", "treated_customers", "control_customers", "method"):
        assert listed[key] == column[key], key


def test_member_list_without_dates_uses_the_first_month(joined_files):
    code, out, err = run("impact", joined_files / "purchases.csv", "--members", joined_files / "ids.txt",
                         "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["method"] == "cem" and "join_date_unknown" in result["warning_codes"]


@pytest.mark.parametrize("options, message", [
    (["--members", "missing.csv"], "file 'missing.csv' not found"),
    (["--members", "bad.csv"], "file 'bad.csv', column 2 (join date): no date can be read (line 2: 'soon'"),
    (["--member-join-column", "joined"], "there is no segment column 'joined'"),
])
def test_bad_join_options(joined_files, options, message):
    options = [str(joined_files / o) if o.endswith(".csv") else o for o in options]
    code, _, err = run("impact", joined_files / "purchases.csv", *options)
    assert code == 2 and message in err, err
