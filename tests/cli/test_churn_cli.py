"""`python -m retention churn` and `python -m retention reasons` (retention/cli/churn.py)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention import cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "churn"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("churn-cli")
    purchases, customers = folder / "purchases.csv", folder / "customers.csv"
    ref.purchase_file(21).to_csv(purchases, index=False)
    ref.subscription_file(21).drop(columns="truth").to_csv(customers, index=False)
    return purchases, customers


@pytest.fixture
def run(capsys, monkeypatch):
    """Run a command in this process; (exit code, the CSV table printed, stderr)."""
    emit = cli.emit
    monkeypatch.setattr(cli, "emit", lambda result, fmt, out=None: emit(result, fmt, out=sys.stdout))

    def call(*argv) -> tuple[int, pd.DataFrame | None, str]:
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse rejects the options
            code = exc.code
        out, err = capsys.readouterr()
        table = pd.read_csv(io.StringIO(out)) if code == 0 and out.strip() and "--format" not in argv else None
        return code, table, err
    return call


def test_as_a_user_runs_it(files):
    done = subprocess.run([sys.executable, "-m", "retention", "churn", str(files[0]), "--as-of", "2024-11-17"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "period_start,customers_start,new_customers,lost,customers_end,crr_pct," \
                                          "churn_pct,complete"


def test_churn_prints_the_issue_columns(run, files):
    code, table, err = run("churn", str(files[0]), "--inactive-days", "45", "--as-of", "2024-11-17")
    assert code == 0
    assert list(table.columns) == ["period_start", "customers_start", "new_customers", "lost", "customers_end",
                                   "crr_pct", "churn_pct", "complete"]
    frame, as_of = ref.purchase_file(21), dt.date(2024, 11, 17)
    want = ref.period_table(ref.buyers(ref.purchase_rows(frame), as_of, 45), as_of, "month")
    assert table["customers_start"].tolist() == [w["customers_start"] for w in want]
    assert table["new_customers"].tolist() == [w["new_customers"] for w in want]
    assert table["customers_end"].tolist() == [w["customers_end"] for w in want]
    for r, w in zip(table.itertuples(), want):
        expected = ref.crr(w["customers_start"], w["new_customers"], w["customers_end"])
        assert (pd.isna(r.crr_pct) if expected is None else r.crr_pct == pytest.approx(expected, abs=0.005))
    assert not table["complete"].iloc[-1] and table["complete"].iloc[:-1].all()
    assert "basis: purchases" in err and "inactivity window 45 days" in err


def test_churn_options(run, files):
    code, table, err = run("churn", str(files[0]), "--customers", str(files[1]), "--period", "quarter",
                           "--alternative", "--as-of", "2024-12-20")
    assert code == 0 and "basis: customers" in err and "left out" in err
    assert {"alt_crr_pct", "difference_pp", "annualised_crr_pct"} <= set(table.columns)
    assert pd.to_datetime(table["period_start"]).dt.month.isin([1, 4, 7, 10]).all()
    code, _, err = run("churn", str(files[0]), "--customers", str(files[1]), "--basis", "purchases",
                       "--period", "week", "--format", "json")
    assert code == 0 and "basis: purchases" in err


def test_churn_bad_input(run, files):
    code, _, err = run("churn", str(files[0]), "--as-of", "17/11/2024")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run("churn", str(files[0]), "--inactive-days", "0")
    assert code == 2 and "at least 1" in err
    code, _, err = run("churn", "--customers", str(FIXTURES / "crm_export.csv"))
    assert code == 2 and "error:" in err


def test_reasons(run):
    code, table, _ = run("reasons", "--customers", str(FIXTURES / "crm_export.csv"))
    assert code == 0
    assert list(table.columns) == ["reason", "churned", "share_pct"]
    assert table.iloc[0].tolist() == ["Too expensive", 11, pytest.approx(100 * 11 / 28, abs=0.005)]
    assert table["churned"].sum() == 28
    code, table, _ = run("reasons", "--customers", str(FIXTURES / "crm_export.csv"), "--segment", "Country")
    assert code == 0
    assert list(table.columns) == ["segment", "reason", "churned", "share_pct"]
    assert table.groupby("segment")["share_pct"].sum().sub(100).abs().lt(0.05).all()  # printed to 2 decimals
    code, table, _ = run("reasons", "--customers", str(FIXTURES / "crm_export.csv"), "--min-share", "15")
    assert table["reason"].iloc[-1] == "Other"


def test_reasons_synonyms_file_and_bad_segment(run, tmp_path):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("variant,reason\nnetwork reliability,Too expensive\n", encoding="utf-8")
    code, table, _ = run("reasons", "--customers", str(FIXTURES / "crm_export.csv"), "--synonyms", str(mapping))
    assert code == 0
    # Only this file's mapping now: 4 English spellings of "too expensive" + 3 "network reliability".
    assert table.set_index("reason").loc["Too expensive", "churned"] == 7
    assert "Zu teuer" in set(table["reason"])
    code, _, err = run("reasons", "--customers", str(FIXTURES / "crm_export.csv"), "--segment", "Nope")
    assert code == 2 and "'Country'" in err
