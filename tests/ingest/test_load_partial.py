"""Issue 20: a one-shot CLI command and an upload's validation preview compute only the derived tables they
read (store.build(derived=…)), with the same figures as a full build."""

from __future__ import annotations

import argparse

import duckdb
import pytest

from retention import cli, store
from retention.cli.cohorts import cohort_tables
from retention.ingest.canonical import prepare
from retention.metrics import churn, cohorts, rfm

# two cohorts, a segment column, a refund, returns in later months (hand-made)
PURCHASES = b"""customer,date,amount,channel
a,2024-01-05,10,web
a,2024-02-10,-10,web
a,2024-03-01,25.5,app
b,2024-01-31,7,app
b,2024-03-02,9,app
c,2024-02-01,4,web
c,2024-04-02,3,web
d,2024-02-15,12,app
d,2024-02-20,1,app
"""
DERIVED = {"customer_summary", "cohort_grains", "cohort_customers", "cohort_days", "cohort_activity",
           "cohort_attributes"}


def _built(derived=None, grains=None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    store.build(con, prepare(PURCHASES, "p.csv", "purchases", segments=["channel"]), None, name="t",
                derived=derived, grains=grains, limit_seconds=0)
    return con


def _grains(con) -> set[str]:
    return {row[0] for row in con.execute("select distinct grain from cohort_activity").fetchall()}


def _tables(con) -> set[str]:
    return {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}


def _attributes(con) -> set[str]:
    return set(cohorts.attribute_values(con)["attribute"])


def test_needed_takes_what_each_table_reads():
    assert store.needed(()) == set()
    assert store.needed(None) == {*store.DERIVED_TABLES, store.RFM}
    assert store.needed(["derive_cohort_days"]) == {"derive_cohort_days", "derive_cohort_customers",
                                                   "derive_customer_summary", "derive_cohort_grains"}
    assert store.needed([store.RFM]) == {store.RFM, "derive_cohort_days", "derive_cohort_customers",
                                         "derive_customer_summary", "derive_cohort_grains"}
    with pytest.raises(ValueError):
        store.needed(["derive_nothing"])


def test_a_full_build_has_every_table_and_the_rfm_attribute():
    con = _built()
    assert DERIVED <= _tables(con)
    assert _attributes(con) == {"channel", rfm.ATTRIBUTE}


def test_a_preview_builds_no_derived_table():
    reports, rejected, duplicates = store.preview(prepare(PURCHASES, "p.csv", "purchases"), None)
    assert reports["purchases"]["summary"]["rows_used"] == 9 and rejected.empty and duplicates.empty
    con = _built(derived=())
    assert not DERIVED & _tables(con)
    assert {"purchases", "rejected", "customer_attributes"} <= _tables(con)


def _args(**given) -> argparse.Namespace:
    return argparse.Namespace(**{"segment": None, "filter": [], **given})


def test_cohort_commands_skip_the_rfm_attribute_unless_a_segment_is_named():
    con = _built(derived=cohort_tables(_args()))
    assert DERIVED <= _tables(con)
    assert _attributes(con) == {"channel"}
    assert rfm.ATTRIBUTE in _attributes(_built(derived=cohort_tables(_args(segment="channel"))))
    assert rfm.ATTRIBUTE in _attributes(_built(derived=cohort_tables(_args(filter=["channel=web"]))))


@pytest.mark.parametrize("mode", cohorts.MODES[:3])
@pytest.mark.parametrize("segment", [None, "channel", rfm.ATTRIBUTE])
def test_cohort_figures_equal_a_full_builds(mode, segment):
    full = _built()
    for grain in cohorts.GRAINS:
        partial = _built(derived=cohort_tables(_args(segment=segment)), grains=[grain])
        assert _grains(partial) == {grain, "month"}
        expected = cohorts.matrix(full, period=grain, mode=mode, segment=segment)
        assert len(expected)
        assert cohorts.matrix(partial, period=grain, mode=mode, segment=segment).equals(expected)
        assert cohorts.curve(partial, period=grain, mode=mode, segment=segment).equals(
            cohorts.curve(full, period=grain, mode=mode, segment=segment))


def test_churn_needs_only_the_daily_table_and_gives_the_same_figures():
    cli.build_parser()  # registers the commands
    con = _built(derived=cli.COMMANDS["churn"].tables(_args()), grains=cli.COMMANDS["churn"].grains(_args()))
    assert {"cohort_days", "cohort_customers"} <= _tables(con)
    assert not {"cohort_activity", "cohort_attributes"} & _tables(con)
    for period in ("week", "month", "quarter", "year"):
        expected = churn.retention_by_period(_built(), period=period, basis="purchases")
        assert churn.retention_by_period(con, period=period, basis="purchases").equals(expected)


def test_the_cli_loads_what_its_command_reads():
    cli.build_parser()  # registers the commands
    cases = {"churn": ({"cohort_days"}, {"cohort_activity", "cohort_attributes"}, {"month"}),
             "matrix": (DERIVED, set(), {"month"}), "summary": (DERIVED, set(), {"month"}),
             "alive": (DERIVED, set(), set(cohorts.GRAINS)), "inspect": (set(), DERIVED, None)}
    for command, (present, absent, grains) in cases.items():
        args = cli.build_parser().parse_args([command, "p.csv"])
        chosen = cli.COMMANDS[command]
        con = _built(derived=chosen.tables(args) if chosen.tables else None,
                     grains=chosen.grains(args) if chosen.grains else None)
        assert present <= _tables(con) and not absent & _tables(con), command
        if grains is not None:
            kept = {row[0] for row in con.execute("select grain from cohort_grains").fetchall()}
            assert kept == grains, command
    week = cli.build_parser().parse_args(["curve", "p.csv", "--period", "week"])
    assert set(cli.COMMANDS["curve"].grains(week)) == {"week"}


# rejected (no customer, bad date), skipped (an identical line of one order), a refund-only and a zero-amount
# customer (both kept: they count), ids with spaces and an apostrophe (the same customer after parsing)
COUNTED = b"""order,customer,date,amount
1,a,2024-01-05,10
2,,2024-01-06,5
3,b,not a date,7
4,c,2024-02-01,-4
5,d,2024-02-02,0
6, a ,2024-03-01,2
7,'e,2024-03-02,1
7,'e,2024-03-02,1
8,e,2024-03-03,3
"""


def _reference_customers(text: bytes) -> int:
    """Distinct customer ids of the rows a load keeps, by hand: a customer cell and a date that parse, the id
    trimmed and its leading apostrophe dropped."""
    import csv
    import datetime as dt
    import io

    kept = set()
    for row in csv.DictReader(io.StringIO(text.decode())):
        customer = row["customer"].strip().lstrip("'").strip()
        try:
            dt.date.fromisoformat(row["date"])
        except ValueError:
            continue
        if customer:
            kept.add(customer)
    return len(kept)


@pytest.mark.parametrize("derived", [None, (), ("derive_cohort_days",), ("derive_cohort_grains",)],
                         ids=["dataset", "preview", "churn", "no_customer_summary"])
def test_the_report_counts_the_same_customers_whether_or_not_customer_summary_is_built(derived):
    con = duckdb.connect()
    reports = store.build(con, prepare(COUNTED, "o.csv", "purchases"), None, name="t", derived=derived,
                          limit_seconds=0)
    assert _reference_customers(COUNTED) == 4  # a, c, d, e
    assert reports["purchases"]["summary"]["customers"] == 4
    assert list(reports["purchases"]["summary"])[:5] == ["rows_read", "rows_used", "rows_rejected", "rows_skipped",
                                                          "customers"]
