"""How the suite is split between pytest-xdist workers (./scripts/test runs `-n auto`, at most 4 workers).

A work unit goes to one worker as a whole, so the fixtures it shares are built once (per worker):
- a test file, by default: its module-scoped fixtures (datasets, fitted models, servers) are built once;
- both Spark files together: one worker starts the Spark JVMs (a local session and the Spark Connect
  server, ~1 GB each), the other never does;
- a single test, for the browser test files that use only the per-worker shared server (SPREAD): their
  tests are long (a real-file upload plus every page is a minute), and both workers can take them.

The units are handed out slowest first (SLOW_FIRST, measured on a full run, then the browser tests,
then the rest in file order), so the run does not end with one worker alone on a long unit. The
order only matters for the wall time: a file missing from these lists is still run.
"""

from __future__ import annotations

SPARK_UNIT = "spark"
SPARK_FILES = ("tests/engines/test_spark_connect.py", "tests/engines/test_spark_queries.py")
E2E = "tests/e2e/"
# Browser test files with module-scoped servers: one unit per file, so one server start per file.
E2E_BY_FILE = ("tests/e2e/test_access_flows.py", "tests/e2e/test_scale.py", "tests/e2e/test_translated_pages.py")
# Slowest units first (seconds of one run, measured; see SLOW_FIRST's note in the docs): not e2e.
SLOW_FIRST = (SPARK_UNIT,)


def file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def unit(nodeid: str) -> str:
    """The work unit of a test: 'spark', the test's own id (SPREAD browser tests), else its file."""
    path = file_of(nodeid)
    if path in SPARK_FILES:
        return SPARK_UNIT
    if path.startswith(E2E) and path not in E2E_BY_FILE:
        return nodeid
    return path


def rank(nodeid: str) -> int:
    """Position class of a test's unit in the hand-out order (lower first)."""
    name = unit(nodeid)
    if name in SLOW_FIRST:
        return SLOW_FIRST.index(name)
    if file_of(nodeid).startswith(E2E):
        return len(SLOW_FIRST)
    return len(SLOW_FIRST) + 1


def make_scheduler(config, log):
    """A LoadScope scheduler over unit(): units in collection order (already sorted by rank on the workers)."""
    from xdist.scheduler.loadscope import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit(nodeid)

    config.option.loadscopereorder = False  # by test count otherwise: a 1-test unit can take a minute
    return UnitScheduling(config, log)
