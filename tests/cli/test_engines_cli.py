"""`python -m retention matrix|curve|churn|reasons --engine URL / --engine-config FILE`: the command runs on the
configured engine with no data file and prints what it prints for the files the engine's tables were made from;
a bad URL, an unreachable server or a table map naming missing columns is exit 2 with one line, no traceback.
The engine here is DuckDB over Parquet (fast); the same CLI path on Spark Connect is in test_spark_connect.py."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest

from tests.helpers import engine_cases as cases
from retention import cli

COMMANDS = [["matrix"], ["matrix", "--segment", "channel", "--period", "quarter"], ["curve", "--mode", "survival"],
            ["churn", "--period", "month"], ["churn", "--basis", "purchases"], ["reasons"],
            ["reasons", "--segment", "plan"], ["whatif", "--margin-pct", "40"],
            ["benchmark", "--industry", "saas"]]


def run(argv: list[str], env: dict | None = None, monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def engine_toml(folder, purchases_table: str | None = None, amount: str = "amount") -> str:
    return str(cases.engine_toml(folder, purchases_table, amount))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The seeded CSV files and Parquet copies of the canonical rows they load into."""
    out = tmp_path_factory.mktemp("cli_lake")
    purchases, customers = cases.csvs()
    (out / "p.csv").write_bytes(purchases)
    (out / "c.csv").write_bytes(customers)
    cases.write_lake(cases.embedded(), out)
    return out


FILE_OPTIONS = ["--map", "segment=channel", "--map", "segment=country", "--customers-map", "segment=plan",
                "--customers-map", "segment=channel"]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_engine_gives_what_the_files_give(argv, folder):
    from_files = run([*argv, str(folder / "p.csv"), "--customers", str(folder / "c.csv"), *FILE_OPTIONS])
    on_engine = run([*argv, "--engine-config", engine_toml(folder)])
    assert from_files[0] == 0 and len(from_files[1].splitlines()) > 2, from_files[2]
    assert on_engine == from_files


def test_engine_from_the_environment(folder, monkeypatch):
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(open(engine_toml(folder), encoding="utf-8").read(),
                                                        encoding="utf-8")
    monkeypatch.setattr("retention.config.PROJECT_ROOT", folder)
    monkeypatch.setenv("RETENTION_ENGINE", "duckdb:")
    code, out, err = run(["reasons"])
    assert (code, err) == (0, "") and out.startswith("reason,churned,share_pct\n")
    assert out == run(["reasons", "--engine-config", engine_toml(folder)])[1]


@pytest.mark.parametrize("argv, message", [
    (["--engine", "trino://x:8080"], "unknown engine URL 'trino://x:8080'"),
    (["--engine", "sc://:15002"], "needs a host"),
    (["--engine", "sc://127.0.0.1:1"], "cannot reach the Spark Connect server at 127.0.0.1:1"),
])
def test_bad_urls_are_exit_2(argv, message, folder):
    code, out, err = run(["matrix", *argv, "--engine-config", engine_toml(folder)])
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and message in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_a_missing_column_is_exit_2(folder):
    code, out, err = run(["churn", "--engine-config", engine_toml(folder, amount="total_eur")])
    assert (code, out) == (2, "")
    assert "has no column 'total_eur'" in err and len(err.splitlines()) == 1


def test_missing_files_and_config_are_exit_2(folder, tmp_path):
    assert "cannot be read" in run(["churn", "--engine-config", engine_toml(folder, str(tmp_path / "none.parquet"))])[2]
    assert run(["churn", "--engine-config", str(tmp_path / "nope.toml")])[2].startswith("error: ")
    code, _, err = run(["churn", str(folder / "p.csv"), "--engine", "duckdb:"])
    assert code == 2 and "not both" in err


def test_engine_without_a_table_map_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.setattr("retention.config.PROJECT_ROOT", tmp_path)
    code, _, err = run(["matrix", "--engine", "duckdb:"])
    assert code == 2 and "no table map" in err


def test_inspect_has_nothing_to_show_for_an_engine(folder):
    code, _, err = run(["inspect", "--engine-config", engine_toml(folder)])
    assert code == 2 and "not files" in err
