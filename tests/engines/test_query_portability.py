"""The queries that must run on remote engines (retention/engines/portability.py) use only portable
constructs, and the lint itself rejects the known traps. Needs sqlglot only (no Spark)."""

import pytest

pytest.importorskip("sqlglot")

from retention import sql, store  # noqa: E402
from retention.config import QUERIES_DIR  # noqa: E402
from retention.engines import portability, transpile  # noqa: E402


@pytest.mark.parametrize("name", portability.IN_SCOPE)
def test_in_scope_queries_use_only_portable_constructs(name):
    assert portability.problems(sql.load(name)) == []


@pytest.mark.parametrize("name", portability.SPARK_READ_QUERIES + portability.SPARK_DERIVE_QUERIES)
def test_in_scope_queries_transpile_without_unportable_constructs(name):
    assert transpile.to_spark(sql.load(name))


def test_scope_lists_name_existing_queries_and_every_derived_table():
    for name in portability.IN_SCOPE:
        assert (QUERIES_DIR / f"{name}.sql").is_file(), name
    assert set(store.DERIVED_TABLES) <= set(portability.SPARK_DERIVE_QUERIES), "a new derive_*.sql needs a Spark check"


@pytest.mark.parametrize("text, trap", [
    ("select * from t pivot (sum(x) for y in ('a'))", "PIVOT"),
    ("select * exclude (a) from t", "EXCLUDE"),
    ("select {'a': 1} as s", "struct"),
    ("select list(x order by y) from t", "ORDER BY"),
    ("select date_diff('week', a, b) from t", "week"),
    ("select * from range(0, 10) as r(i)", "table"),
    ("select epoch(x) from t", "epoch"),
])
def test_lint_rejects_known_traps(text, trap):
    assert any(trap.lower() in p.lower() for p in portability.problems(text))


def test_lint_allows_an_ordered_list_inside_a_map():
    assert portability.problems("select map_from_entries(list((k, v) order by k)) from t") == []


@pytest.mark.parametrize("text, trap", [
    ("select * from read_parquet($path)", "read_parquet"),
    ("select columns(*) from t", "columns"),
])
def test_lint_rejects_table_binding_and_star_expressions(text, trap):
    assert any(trap in p for p in portability.problems(text))
