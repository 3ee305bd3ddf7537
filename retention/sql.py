"""Run the named queries in queries/*.sql with bound parameters.

A query file holds one statement and a header comment; its `$name` parameters are found
in the text (comments and string literals stripped) and must match the call exactly.
`quote_ident` is the one place where an identifier (a user's column name) becomes SQL text.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterable

import duckdb
import numpy as np
import pandas as pd

from retention.config import QUERIES_DIR

_COMMENTS_AND_STRINGS = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.S)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class QueryError(Exception):
    """A query was called with parameters that do not match its text."""


@functools.cache
def load(name: str) -> str:
    """Text of queries/NAME.sql (cached for the life of the process)."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


@functools.cache
def parameters(name: str) -> frozenset[str]:
    """The `$params` a query expects."""
    return frozenset(_PARAM.findall(_COMMENTS_AND_STRINGS.sub("", load(name))))


def _check(name: str, params: dict[str, Any]) -> None:
    expected, given = parameters(name), set(params)
    if expected != given:
        missing, extra = sorted(expected - given), sorted(given - expected)
        raise QueryError(f"query {name!r}: missing {missing}, unexpected {extra}")


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run a statement (e.g. CREATE TABLE … AS) for its effect."""
    _check(name, params)
    return con.execute(load(name), params or None)


_CREATE_AS = re.compile(r"^create table ([a-z_]+) as$", re.M)


def append(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run a `create table T as <query>` file as `insert into T <query>`: its rows appended to T, which exists
    (a derived table built in parts; the file stays one statement that other engines run as it is)."""
    _check(name, params)
    text = load(name)
    found = list(_CREATE_AS.finditer(text))
    if len(found) != 1:
        raise QueryError(f"query {name!r} is not one 'create table … as' statement")
    at = found[0]
    return con.execute(text[:at.start()] + f"insert into {at.group(1)}" + text[at.end():], params or None)


def create_table_like(con: duckdb.DuckDBPyConnection, table: str, source: str,
                      uncompressed: Iterable[str] = ()) -> None:
    """CREATE TABLE `table` with the columns (names and types) of the table or view `source`, and no rows, the
    columns named in `uncompressed` stored as they are (USING COMPRESSION uncompressed), for an insert to fill: a
    CREATE TABLE … AS cannot choose a column's compression. Names go through quote_ident; the types are DuckDB's
    own names for the source's columns."""
    plain = set(uncompressed)
    columns = con.execute("select column_name, column_type from (describe select * from "
                          + quote_ident(source) + ")").fetchall()
    items = [quote_ident(name) + " " + kind + (" using compression uncompressed" if name in plain else "")
             for name, kind in columns]
    con.execute("create table " + quote_ident(table) + " (" + ", ".join(items) + ")")


def frame(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run a query and return its result as a DataFrame (on DuckDB, or on a remote engine from
    retention.engines, which runs the same file translated to its dialect)."""
    if not isinstance(con, duckdb.DuckDBPyConnection):
        return con.frame(name, **params)
    return execute(con, name, **params).df()


def columns(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> dict[str, np.ndarray]:
    """Run a query and return its columns as numpy arrays by name: on DuckDB without a DataFrame in between (for
    results of millions of rows of a few numbers, which the caller only computes on), on a remote engine from its
    frame."""
    if not isinstance(con, duckdb.DuckDBPyConnection):
        out = con.frame(name, **params)
        return {column: out[column].to_numpy() for column in out.columns}
    return execute(con, name, **params).fetchnumpy()


def relation(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyRelation:
    """A query as a lazy DuckDB relation (e.g. `.create(table)` writes its rows to a table without
    passing them through Python)."""
    _check(name, params)
    return con.sql(load(name), params=params or None)


def arrow(con: duckdb.DuckDBPyConnection, name: str, **params: Any):
    """Run a query and return an Arrow table. A relation rather than a DB-API result, so DuckDB hands
    the rows over without an extra copy (large file reads)."""
    return relation(con, name, **params).to_arrow_table()


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB: "name" with inner quotes doubled. Never pass values here."""
    if "\x00" in name:
        raise QueryError("identifier contains a NUL character")
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A string literal for the few statements DuckDB cannot prepare (ATTACH): a path the program made or
    a server-side setting, never a user's value (those are bound as $params)."""
    return "'" + str(text).replace("'", "''") + "'"


def create_projection(
    con: duckdb.DuckDBPyConnection, view: str, source: str, aliases: dict[str, str | None], keep: list[str]
) -> None:
    """CREATE TEMP VIEW view AS SELECT <column> AS <alias>…, <keep columns> FROM source.

    `aliases` maps our fixed names to a column (or None → a NULL text column), type unchanged; `keep`
    lists user columns carried through under their own names (trimmed, '' → NULL). Every name goes through quote_ident.
    """
    items = [
        (quote_ident(column) if column else "null::varchar") + " as " + quote_ident(alias)
        for alias, column in aliases.items()
    ]
    items += [f"nullif(trim({quote_ident(column)}::varchar), '') as {quote_ident(column)}" for column in keep]
    statement = "create or replace temp view " + quote_ident(view) + " as select " + ", ".join(items)
    con.execute(statement + " from " + quote_ident(source))
