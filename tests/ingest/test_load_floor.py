"""Issue 20 (load at the floor): the shortcuts taken for speed give exactly what the full path gives.

- parse_number's first branch (a plain ASCII number goes straight to try_cast) against the macro without it;
- the CLI's start does not import scipy (about 1 CPU second of a one-shot command) until a figure needs it.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retention import sql
from retention.ingest.values import MACROS

ROOT = Path(__file__).resolve().parents[2]
SHORTCUT = ("        when case when decimal_comma then regexp_full_match(s, '-?[0-9]+') "
            "else regexp_full_match(s, '-?[0-9]+(\\.[0-9]+)?') end\n            then try_cast(s as double)\n")


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    for name in MACROS:
        sql.execute(connection, name)
    text = sql.load("macro_parse_number")
    assert SHORTCUT in text  # the branch under test is where this test expects it
    connection.execute(text.replace(SHORTCUT, "").replace("macro parse_number(", "macro parse_number_full("))
    yield connection
    connection.close()


def both(con, values: list[str], decimal_comma: bool) -> list[tuple]:
    return con.execute("select parse_number(s, $dc), parse_number_full(s, $dc) from unnest($v::varchar[]) as t(s)",
                       {"v": values, "dc": decimal_comma}).fetchall()


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b and math.copysign(1, a) == math.copysign(1, b)  # -0.0 stays -0.0


CASES = ["0", "-0", "007", "42", "-3", "19.99", "-19.99", "0.5", "1.000", "12345678901234567890", "1.5.5", "1,5",
         "-1,234.50", "1 234,56", "(12.00)", "12-", "+5", "$5", "5 zł", "", " 5", "5 ", "-", ".5", "5.", "1e5",
         "１２", "--5", "0x10", "nan", "inf", "99999999999999999999999.9999999999"]


@pytest.mark.parametrize("decimal_comma", [False, True])
def test_shortcut_gives_what_the_full_macro_gives(con, decimal_comma):
    for value, (fast, full) in zip(CASES, both(con, CASES, decimal_comma)):
        assert same(fast, full), (value, fast, full)


def test_hand_computed_values(con):
    got = dict(zip(["19.99", "-3", "007", "1,5", "1.5"], (r[0] for r in both(con, ["19.99", "-3", "007", "1,5", "1.5"], False))))
    assert got == {"19.99": 19.99, "-3": -3.0, "007": 7.0, "1,5": 15.0, "1.5": 1.5}
    # a decimal comma: a single '.' groups thousands, so the shortcut must not read '1.5' as one and a half
    assert [r[0] for r in both(con, ["1.5", "7", "1,5"], True)] == [15.0, 7.0, 1.5]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.from_regex(r"-?[0-9]{1,25}(\.[0-9]{1,12})?", fullmatch=True),
                          st.text(alphabet="0123456789.,- ()+$€", max_size=12)), min_size=1, max_size=40),
       st.booleans())
def test_shortcut_property(con, values, decimal_comma):
    for value, (fast, full) in zip(values, both(con, values, decimal_comma)):
        assert same(fast, full), (value, fast, full)


def test_cli_start_does_not_import_scipy():
    code = "import sys; from retention import cli; cli.build_parser(); print(sorted(m for m in sys.modules if m.startswith('scipy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_command_homes_name_the_module_registering_each_command():
    from retention import cli

    cli.build_parser()  # every module: every command registered
    assert {name: cmd.run.__module__ for name, cmd in cli.COMMANDS.items()} == cli.COMMAND_HOMES


def test_one_shot_matrix_imports_only_its_command_and_no_workbook_reader():
    code = ("import sys; from retention import cli; cli.build_parser(['matrix', 'x.csv']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'openpyxl', 'plotly', 'statsmodels'}), "
            "sorted(m for m in sys.modules if m.startswith('retention.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    # its command's module and the CLI's own shared modules (output formatting, the progress line), no other command
    assert out.strip() == "[] ['retention.cli.cohorts', 'retention.cli.formatting', 'retention.cli.progress']"


COPIES = ("customer,date,amount\nA,2024-01-05,10\nA,2024-01-05,10\nB,2024-01-20,5\nA,2024-02-03,7\n"
          "B,2024-03-01,5\nB,2024-03-01,5\nC,2024-03-02,4\n")
# the same purchases with order ids: each copy is a repeated line of its order (merged)
WITH_ORDERS = ("order,customer,date,amount\n1,A,2024-01-05,10\n1,A,2024-01-05,10\n2,B,2024-01-20,5\n3,A,2024-02-03,7\n"
               "4,B,2024-03-01,5\n4,B,2024-03-01,5\n5,C,2024-03-02,4\n")


def ran_queries(monkeypatch, argv: list[str]) -> tuple[list[str], str]:
    """(query files the CLI ran, its stdout) for one command."""
    import contextlib
    import io

    from retention import cli

    names: list[str] = []
    execute = sql.execute
    monkeypatch.setattr(sql, "execute", lambda con, name, **p: names.append(name) or execute(con, name, **p))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(argv) == 0
    return names, out.getvalue()


@pytest.mark.parametrize("order", [False, True])
def test_one_shot_commands_skip_the_copy_flags_only_where_figures_cannot_depend_on_them(tmp_path, monkeypatch, order):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path / "data"))
    text = WITH_ORDERS if order else COPIES
    path = tmp_path / "orders.csv"
    path.write_text(text)
    names, matrix = ran_queries(monkeypatch, ["matrix", str(path), "--format", "csv"])
    assert ("ingest_duplicate_rows" in names) == order  # with an order id, copies are merged: the check runs
    checked, _ = ran_queries(monkeypatch, ["inspect", str(path), "--format", "json"])
    assert "ingest_duplicate_rows" in checked  # inspect prints the flags: always checked
    lines = matrix.strip().split("\n")
    assert lines[0].startswith("cohort,period,cohort_size,active")
    # hand-computed: January cohort {A, B}: A back in February, B in March; March cohort {C}
    cells = {tuple(line.split(",")[:4]) for line in lines[1:]}
    assert {("2024-01-01", "0", "2", "2"), ("2024-01-01", "1", "2", "1"), ("2024-01-01", "2", "2", "1"),
            ("2024-03-01", "0", "1", "1")} <= cells
    assert not any(c[0] == "2024-02-01" and c[2] != "0" for c in cells)  # nobody's first purchase in February


def test_curve_and_churn_compute_intervals_without_importing_scipy_stats(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(COPIES)
    code = ("import sys; from retention import cli; codes = [cli.main([c, sys.argv[1]]) for c in ('curve', 'churn')]; "
            "print(codes, 'scipy.stats' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stderr.strip().splitlines()[-1] == "[0, 0] False"
    assert "ci_low" in out.stdout
