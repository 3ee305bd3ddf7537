"""The query runner: parameters found in the text, checked against the call; identifier quoting."""

import duckdb
import pytest

from retention import sql
from retention.config import QUERIES_DIR


def test_parameters_ignore_comments_and_strings():
    assert sql.parameters("put_meta") == {"key", "value"}
    assert sql.parameters("macro_parse_number") == frozenset()  # '$' appears only inside a regex string


def test_missing_or_extra_parameters_are_refused():
    con = duckdb.connect()
    sql.execute(con, "create_meta")
    with pytest.raises(sql.QueryError, match="missing"):
        sql.execute(con, "put_meta", key="a")
    with pytest.raises(sql.QueryError, match="unexpected"):
        sql.execute(con, "put_meta", key="a", value="1", other=2)


def test_values_are_bound_not_interpolated():
    con = duckdb.connect()
    sql.execute(con, "create_meta")
    evil = "x'); drop table meta; --"
    sql.execute(con, "put_meta", key=evil, value="1")
    assert sql.frame(con, "get_meta")["key"].tolist() == [evil]


def test_quote_ident_round_trips_odd_names():
    con = duckdb.connect()
    for name in ['plain', 'with space', 'quote"inside', 'Kraj klienta', '渠道', '"; drop table x; --']:
        con.execute("create or replace table t as select 1 as " + sql.quote_ident(name))
        assert con.execute("select * from t").description[0][0] == name


def test_every_query_file_has_a_header_and_one_statement():
    for path in QUERIES_DIR.glob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("-- Purpose:"), path.name
        assert "Params:" in text.split("\n\n")[0] or "-- Params:" in text, path.name
        body = sql._COMMENTS_AND_STRINGS.sub("", text).strip().rstrip(";")
        assert ";" not in body, f"{path.name} holds more than one statement"


def test_quote_literal_for_statements_duckdb_cannot_prepare(tmp_path):
    import duckdb

    from retention.sql import quote_literal

    path = tmp_path / "o'brien; drop table x.duckdb"
    duckdb.connect(str(path)).close()
    con = duckdb.connect()
    con.execute(f"attach {quote_literal(path)} as other (read_only)")
    assert con.execute("select database_name from duckdb_databases() where path = $p", {"p": str(path)}).fetchone() == ("other",)


def test_append_runs_a_create_table_file_as_an_insert_into_that_table():
    con = duckdb.connect()
    sql.execute(con, "derive_cohort_grains")  # week, month, quarter
    sql.append(con, "derive_cohort_grains")
    rows = con.execute("select grain, count(*) from cohort_grains group by grain order by grain").fetchall()
    assert rows == [("month", 2), ("quarter", 2), ("week", 2)]
    with pytest.raises(sql.QueryError, match="create table"):
        sql.append(con, "get_meta")


def test_create_table_like_copies_names_and_types_and_stores_the_named_columns_uncompressed(tmp_path):
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    odd = sql.quote_ident('odd "name"')
    con.execute("create temp view source as select 'C' || lpad(cast(i % 5000 as varchar), 6, '0') as customer_id, "
                f"'x' || cast(i % 3 as varchar) as {odd}, cast(i as double) as amount, "
                "timestamp '2024-01-01' + to_minutes(i) as at from range(300000) as r(i)")
    sql.create_table_like(con, "copy", "source", uncompressed=["customer_id"])
    assert con.execute('select count(*) from "copy"').fetchone() == (0,)
    assert con.execute("select column_name, column_type from (describe \"copy\")").fetchall() == [
        ("customer_id", "VARCHAR"), ('odd "name"', "VARCHAR"), ("amount", "DOUBLE"), ("at", "TIMESTAMP")]
    con.execute('insert into "copy" select * from source')
    con.execute("checkpoint")
    kinds = dict(con.execute("""select column_name, list(distinct compression order by compression)
                                 from pragma_storage_info('copy') where segment_type = 'VARCHAR'
                                 group by column_name""").fetchall())
    assert kinds["customer_id"] == ["Uncompressed"]
    assert "Uncompressed" not in kinds['odd "name"']  # the others as DuckDB chooses (a dictionary here)
    assert con.execute('select count(*), count(distinct customer_id) from "copy"').fetchone() == (300000, 5000)
