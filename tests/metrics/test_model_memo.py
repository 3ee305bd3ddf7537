"""btyd.remembered: what the purchase model gives on a saved dataset is computed once per process and file, handed
out as copies; a connection that reads no file computes every time."""

from __future__ import annotations

import os

import duckdb
import pandas as pd

from retention.metrics import btyd


def _file(path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create table t as select 1 as x")
    con.close()
    return duckdb.connect(str(path), read_only=True)


def test_computed_once_per_file_and_key_and_handed_out_as_copies(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"frame": pd.DataFrame({"v": [1.0, 2.0]}), "used": True}

    con = _file(tmp_path / "a.duckdb")
    first = btyd.remembered(con, ("test", 1), compute)
    first["frame"].loc[0, "v"] = 99.0  # a caller changing what it got changes nobody else's
    first["used"] = False
    again = btyd.remembered(con.cursor(), ("test", 1), compute)
    assert len(calls) == 1
    assert again["used"] is True and again["frame"]["v"].tolist() == [1.0, 2.0]
    btyd.remembered(con, ("test", 2), compute)  # another key
    other = _file(tmp_path / "b.duckdb")
    btyd.remembered(other, ("test", 1), compute)  # another file
    assert len(calls) == 3


def test_a_file_written_again_is_computed_again(tmp_path):
    calls = []
    path = tmp_path / "a.duckdb"
    con = _file(path)
    btyd.remembered(con, ("test", "rewritten"), lambda: calls.append(1))
    con.close()
    os.remove(path)
    con = _file(path)
    os.utime(path, ns=(1, 1))  # a new content at the same path has another size or time
    btyd.remembered(con, ("test", "rewritten"), lambda: calls.append(1))
    assert len(calls) == 2


def test_no_file_no_memory():
    calls = []
    con = duckdb.connect()
    for _ in range(2):
        btyd.remembered(con, ("test", "memory"), lambda: calls.append(1))
    assert len(calls) == 2
    assert btyd._dataset_file(con) is None
