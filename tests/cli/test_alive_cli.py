"""`python -m retention alive` (retention/cli/alive.py) on the CDNOW sample (tests/fixtures/cdnow_sample)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from retention import cli

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cdnow_sample" / "CDNOW_sample.txt"


@pytest.fixture(scope="module")
def purchases(tmp_path_factory) -> Path:
    raw = pd.read_csv(FIXTURE, sep=r"\s+", header=None, dtype=str, names=["master", "customer", "date", "cds", "amount"])
    path = tmp_path_factory.mktemp("alive") / "cdnow.csv"
    raw[["customer", "date", "amount"]].to_csv(path, index=False)
    return path


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_the_issue_keys(capsys, purchases):
    code, out, err = _run(capsys, "alive", str(purchases), "--calibration-end", "1997-09-30", "--format", "json")
    assert code == 0 and "up to 1997-09-30" in err
    fit = json.loads(out)
    assert fit["model"] == "bgnbd" and fit["time_unit"] == "week" and fit["calibration_end"] == "1997-09-30"
    assert set(fit["params"]) == {"r", "alpha", "a", "b"} and fit["customers"] == 2349
    assert round(fit["params"]["r"], 2) == 0.24 and round(fit["params"]["a"], 2) == 0.79
    assert {k: round(fit["gamma_gamma"][k], 2) for k in ("p", "q", "gamma")} == {"p": 6.25, "q": 3.74, "gamma": 15.44}


def test_csv_one_row_per_customer(capsys, purchases):
    code, out, _ = _run(capsys, "alive", str(purchases), "--calibration-end", "1997-09-30", "--horizon-days", "273",
                        "--format", "csv")
    table = pd.read_csv(io.StringIO(out), dtype={"customer": str})
    assert code == 0 and list(table.columns) == ["customer", "frequency", "recency_days", "age_days", "p_alive",
                                                 "expected_purchases", "expected_value", "rfm_segment"]
    assert len(table) == 2349
    first = table.set_index("customer").loc["0001"]
    # customer 1 of the sample: purchases on 1997-01-01, 01-18, 08-02 (then 12-12, after the calibration end)
    assert (first["frequency"], first["recency_days"], first["age_days"]) == (2, 213, 272)
    assert 0 < first["p_alive"] < 1 and first["expected_purchases"] > 0 and first["expected_value"] > 0
    assert table["p_alive"].between(0, 1).all()


def test_day_unit_scales_alpha(capsys, purchases):
    _, week, _ = _run(capsys, "alive", str(purchases), "--calibration-end", "1997-09-30", "--format", "json")
    _, day, _ = _run(capsys, "alive", str(purchases), "--calibration-end", "1997-09-30", "--format", "json",
                     "--time-unit", "day")
    week, day = json.loads(week), json.loads(day)
    assert day["time_unit"] == "day"
    assert day["params"]["alpha"] == pytest.approx(7 * week["params"]["alpha"], rel=1e-3)


def test_calibration_end_before_the_data_is_a_clear_error(capsys, purchases):
    code, out, err = _run(capsys, "alive", str(purchases), "--calibration-end", "1990-01-01")
    assert code == cli.EXIT_BAD_INPUT and out == ""
    assert "cdnow.csv" in err and "no purchases on or before 1990-01-01" in err and "Traceback" not in err
