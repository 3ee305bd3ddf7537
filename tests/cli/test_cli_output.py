"""The CLI keeps its word (issue 21): one output layer for every command (rounding by what a number is, one
date form), benchmark without --industry, check-benchmarks as CSV, whatif's input sources told truthfully."""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest

from retention import cli
from retention.cli import formatting
from tests.helpers.cli_runner import run_cli

PURCHASES = ("customer,date,amount\n"
             "a,2024-01-05,10.005\nb,2024-01-20,20\na,2024-02-03,12.5\nc,2024-02-10,7\nb,2024-03-02,3\n"
             "a,2024-03-15,9\nd,2024-03-20,4\n")


def run(*args):
    """`python -m retention ARGS`, through cli.main in this process (tests/helpers/cli_runner.py; tests/cli/test_cli.py runs
    the command in a new interpreter)."""
    return run_cli(*args)


@pytest.mark.parametrize("path, decimals", [
    (("crr_pct",), 2), (("scenario", "equivalents", "pp"), 2), (("gap_pts",), 2), (("scenario", "x"), 2),
    (("outputs", "clv_end", "change_pct"), 2),
    (("scenario", "retention_scenario"), 4), (("outputs", "retention", "change"), 4), (("headline", "cac_share"), 4),
    (("inputs", "retention", "value"), 4), (("sbg", "retention_first_periods", 3), 4), (("p_alive",), 4),
    (("outputs", "clv_end", "base"), 2), (("inputs", "arpu", "value"), 2), (("break_even_programme_cost",), 2),
    (("revenue",), 2), (("outputs", "value_of_base", "change"), 2),
    (("p_value",), None), (("hazard_ratio",), None), (("expected_purchases",), 4), (("expected_value",), 2),
    (("recency_days",), 2),
])
def test_decimals_follow_what_a_number_is(path, decimals):
    assert formatting.decimals_for(path) == decimals


def test_rounding_by_hand():
    tidy = formatting.tidy_value({"retention_scenario": 0.8500000000000001, "pp": 5.000000000000004,
                                  "clv": {"base": 63.72292006879809}, "p_value": 3.14159265358979e-9,
                                  "lifetime": float("inf"), "share": float("nan"), "change_pct": -0.0001,
                                  "n": np.int64(3), "ok": np.bool_(True)})
    assert tidy == {"retention_scenario": 0.85, "pp": 5.0, "clv": {"base": 63.72}, "p_value": 3.141592654e-9,
                    "lifetime": None, "share": None, "change_pct": 0.0, "n": 3, "ok": True}
    assert json.dumps(tidy)  # plain JSON: no numpy scalars, no NaN


def test_one_date_form():
    frame = pd.DataFrame({"period_start": pd.to_datetime(["2023-07-01", None]),
                          "seen_at": pd.to_datetime(["2023-07-01 10:30:00", "2023-07-02 00:00:00"]),
                          "day": [dt.date(2024, 2, 29), None]})
    out = io.StringIO()
    cli.emit(frame, "json", out)
    assert json.loads(out.getvalue()) == [
        {"period_start": "2023-07-01", "seen_at": "2023-07-01T10:30:00", "day": "2024-02-29"},
        {"period_start": None, "seen_at": "2023-07-02T00:00:00", "day": None}]
    out = io.StringIO()
    cli.emit({"as_of": pd.Timestamp("2024-03-31"), "when": dt.datetime(2024, 3, 31, 8, 5)}, "json", out)
    assert json.loads(out.getvalue()) == {"as_of": "2024-03-31", "when": "2024-03-31T08:05:00"}


def test_csv_rounds_and_writes_booleans_as_json_does():
    out = io.StringIO()
    cli.emit(pd.DataFrame({"retention_pct": [33.333333333], "revenue": [10.005001], "complete": [True]}), "csv", out)
    assert out.getvalue() == "retention_pct,revenue,complete\n33.33,10.01,true\n"


def test_churn_json_dates_like_matrix(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PURCHASES, encoding="utf-8")
    churn = run("churn", str(path), "--format", "json", "--inactive-days", "30")
    assert churn.returncode == 0, churn.stderr
    rows = json.loads(churn.stdout)
    assert [r["period_start"] for r in rows] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    matrix = json.loads(run("matrix", str(path), "--format", "json").stdout)
    assert matrix[0]["cohort"] == "2024-01-01"


def test_whatif_rounds_and_tells_defaults_from_given():
    out = run("whatif", "--retention", "0.8", "--arpu", "100", "--active-customers", "10000", "--new-customers",
              "2000", "--period", "year", "--margin-pct", "30", "--cac", "0", "--uplift-pp", "5")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    sources = {k: v["source"] for k, v in result["inputs"].items()}
    assert sources == {"active_customers": "given", "retention": "given", "arpu": "given", "new_customers": "given",
                       "margin_pct": "given", "cac": "given", "discount_pct_per_year": "default",
                       "horizon_periods": "default", "margin_growth_pct_per_year": "default",
                       "programme_cost": "default"}
    assert result["scenario"]["retention_scenario"] == 0.85 and result["scenario"]["equivalents"]["pp"] == 5.0
    # 0.8 → 0.85 per year, margin 30, d = 10 %, 5 years: CLV_end = Σ_{t=1..5} 30·r^t/1.1^t
    clv_end = sum(30 * 0.85 ** t / 1.1 ** t for t in range(1, 6))
    assert result["outputs"]["clv_end"]["scenario"] == round(clv_end, 2)
    given = run("whatif", "--retention", "0.8", "--arpu", "100", "--active-customers", "10000", "--new-customers",
                "2000", "--margin-pct", "30", "--discount-pct", "10", "--margin-growth-pct", "0",
                "--programme-cost", "0")
    sources = {k: v["source"] for k, v in json.loads(given.stdout)["inputs"].items()}
    assert sources["discount_pct_per_year"] == sources["margin_growth_pct_per_year"] == "given"
    assert sources["programme_cost"] == "given" and sources["cac"] == "default"
    assert set(sources.values()) <= {"measured", "given", "default"}


def test_benchmark_without_industry_compares_with_every_industry(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PURCHASES, encoding="utf-8")
    out = run("benchmark", str(path), "--metric", "repeat_purchase_rate")
    assert out.returncode == 0, out.stderr
    frame = pd.read_csv(io.StringIO(out.stdout))
    assert frame["industry"].nunique() > 1 and "every industry" in out.stderr
    shown = run("benchmark", "--help").stdout
    assert "Telecommunications" in shown and "Retail & e-commerce" in shown and "default: every industry" in shown


def test_check_benchmarks_prints_csv_by_default():
    out = run("check-benchmarks")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "metric,period,rows"
    as_json = run("check-benchmarks", "--format", "json")
    assert json.loads(as_json.stdout)[0].keys() == {"metric", "period", "rows"}


def test_missing_roles_one_sentence_each_same_words_on_the_page():
    from retention import ui_text

    with_cli = ui_text.missing_roles("orders.csv", "purchases", ["customer", "date"], "cli", ["colour", "size"])
    assert with_cli == ("File 'orders.csv': no column was recognised as the customer id; name it with --map "
                        "customer=COLUMN. File 'orders.csv': no column was recognised as the purchase date; name it "
                        "with --map date=COLUMN. The file's columns: 'colour', 'size'.")
    on_page = ui_text.missing_roles("orders.csv", "purchases", ["customer", "date"], "page")
    assert on_page == ("File 'orders.csv': no column was recognised as the customer id; choose its column in the "
                       "list “Customer id” above. File 'orders.csv': no column was recognised as the purchase date; "
                       "choose its column in the list “Purchase date” above.")
    assert "--customers-map customer=COLUMN" in ui_text.missing_roles("c.csv", "customers", ["customer"], "cli")


def test_cli_names_each_missing_role(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("colour,size\nred,1\nblue,2\n", encoding="utf-8")
    out = run("churn", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr == ("error: File 'x.csv': no column was recognised as the customer id; name it with --map "
                          "customer=COLUMN. File 'x.csv': no column was recognised as the purchase date; name it with "
                          "--map date=COLUMN. The file's columns: 'colour', 'size'.\n")


def test_help_states_each_commands_real_format_default():
    parser = cli.build_parser()
    helps = {}
    for name, sub in parser._subparsers._group_actions[0].choices.items():
        action = next(a for a in sub._actions if "--format" in a.option_strings)
        helps[name] = (action.help, sub.get_default("format"))
    assert helps["whatif"] == ("output format (default json)", "json")
    assert helps["summary"] == ("output format (default json)", "json")
    assert helps["check-benchmarks"] == ("output format (default csv)", "csv")
    assert all(h == f"output format (default {d})" for h, d in helps.values())


def test_a_figure_in_percent_is_rounded_as_a_percentage():
    figure = {"customer_retention_month": {"value": 91.971234, "unit": "%", "ci_95": [91.771234, 92.1651],
                                           "customers": 7, "amount_per_month": 1234.5678}}
    assert formatting.tidy_value(figure) == {"customer_retention_month": {
        "value": 91.97, "unit": "%", "ci_95": [91.77, 92.17], "customers": 7, "amount_per_month": 1234.57}}
    assert formatting.tidy_value({"retention": {"value": 0.912345}}) == {"retention": {"value": 0.9123}}
