"""queries/ingest_duplicate_rows.sql against a plain Python reference: every row that repeats an earlier row
exactly (every cell equal), with the first row it repeats. Rows are drawn from tiny alphabets so that pairs,
triples and longer runs of copies are common, in any order, with empty cells among them."""

from __future__ import annotations

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from retention import sql

CELLS = st.sampled_from(["", "a", "b", " a", "1", "1.0"])


def reference(rows: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(row_no, first_row) of every copy after the first, row numbers from 1, in row order."""
    first: dict[tuple[str, ...], int] = {}
    copies = []
    for number, row in enumerate(rows, start=1):
        if row in first:
            copies.append((number, first[row]))
        else:
            first[row] = number
    return copies


def found(rows: list[tuple[str, ...]], width: int) -> list[tuple[int, int]]:
    frame = pd.DataFrame(rows, columns=[f"c{i}" for i in range(width)], dtype=object)
    frame.insert(0, "row_no", range(1, len(rows) + 1))
    with duckdb.connect() as con:
        con.register("cells", frame)
        con.execute("create temp view staged_current as select * from cells")
        sql.execute(con, "ingest_duplicate_rows")
        return [tuple(r) for r in con.execute("select row_no, first_row from duplicate_rows order by row_no").fetchall()]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 3).flatmap(lambda width: st.tuples(
    st.just(width), st.lists(st.tuples(*[CELLS] * width), max_size=60))))
def test_copies_and_the_row_they_repeat_match_a_plain_reference(case):
    width, rows = case
    assert found(rows, width) == reference(rows)


def test_hand_case_with_a_triple_and_two_pairs():
    rows = [("x", "1"), ("y", "2"), ("x", "1"), ("z", ""), ("y", "2"), ("x", "1"), ("z", " ")]
    assert reference(rows) == [(3, 1), (5, 2), (6, 1)]
    assert found(rows, 2) == [(3, 1), (5, 2), (6, 1)]
