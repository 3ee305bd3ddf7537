"""The parallel run's work units (tests/xdist_units.py): which tests go to a worker together, and in what order."""

from __future__ import annotations

import re
from pathlib import Path

import xdist_units as units

ROOT = Path(__file__).resolve().parents[2]


def test_both_spark_files_are_one_unit():
    ids = ["tests/engines/test_spark_connect.py::test_query_matches_duckdb_over_spark_connect[cohort_matrix]",
           "tests/engines/test_spark_queries.py::test_query_matches_duckdb[churn_periods]"]
    assert {units.unit(i) for i in ids} == {"spark"}
    assert all(units.rank(i) == 0 for i in ids)  # handed out first: the longest unit


def test_a_unit_test_file_is_one_unit():
    a = "tests/metrics/test_churn.py::test_churn_rate[1-2]"
    b = "tests/metrics/test_churn.py::test_other"
    assert units.unit(a) == units.unit(b) == "tests/metrics/test_churn.py"


def test_browser_tests_on_the_shared_server_are_units_of_their_own():
    a = "tests/e2e/test_real_files.py::test_real_file[chromium-a.csv]"
    b = "tests/e2e/test_real_files.py::test_real_file[chromium-b.csv]"
    assert units.unit(a) == a and units.unit(b) == b
    assert units.rank(a) < units.rank("tests/metrics/test_churn.py::test_other")  # browser tests before the unit tests


def test_a_browser_file_with_a_module_server_is_one_unit():
    a = "tests/e2e/test_access_flows.py::test_password_prompt_hides_everything_until_the_right_password[chromium]"
    assert units.unit(a) == "tests/e2e/test_access_flows.py"


def test_every_browser_file_with_module_fixtures_is_kept_whole():
    """A new browser test file with a module-scoped server must be listed, or both workers would start one."""
    with_module_fixtures = {f"tests/e2e/{p.name}" for p in (ROOT / "tests" / "e2e").glob("test_*.py")
                            if re.search(r"scope=[\"']module[\"']", p.read_text(encoding="utf-8"))}
    assert with_module_fixtures <= set(units.E2E_BY_FILE)
    assert all((ROOT / path).exists() for path in units.E2E_BY_FILE + units.SPARK_FILES)


def test_the_suite_command_runs_in_parallel():
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert re.search(r"pytest -n \"\$\{RETENTION_TEST_WORKERS:-auto\}\" --maxprocesses \d", script)
    assert re.search(r"^pytest-xdist==", (ROOT / "requirements-dev.txt").read_text(encoding="utf-8"), re.M)
