"""Date columns mixing forms (issue #16, point 1): 2024-01-05, 05/01/2024 and Jan 5 2024 in one column.
Each unambiguous form is read as what it is; the day/month order of the slashed ones comes from the
column itself, else from another date column of the upload, else the person is asked (CLI: exit 2
asking for --date-order). The validation report says which forms were found, how many of each, the
order chosen and why. Right answers are written out by hand here."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from retention import sql
from retention.ingest import date_order
from retention.ingest.canonical import load_into, prepare
from retention.ingest.errors import IngestError
from retention.ingest.stage import read_path
from tests.cli.test_ingest_cli import inspect

TODAY = dt.date(2025, 6, 1)
MIXED = "customer,date,amount\na,2024-01-05,10\na,05/01/2024,20\na,Jan 5 2024,5\n"


def load(prepared):
    con = duckdb.connect()
    sql.execute(con, "create_rejected")
    return con, load_into(con, prepared, TODAY)


def dates_of(con) -> list[dt.date]:
    return [d.date() for (d,) in con.execute("select purchased_at from purchases order by row_no").fetchall()]


def test_the_issue_example_is_reported_as_a_mixture_and_not_guessed():
    prepared = prepare(MIXED.encode(), "mixed.csv", "purchases")
    choice = prepared.dates["date"]
    assert choice.forms == {"year_first": 1, "slashed": 1, "month_name": 1}
    assert choice.mixed and choice.ambiguous and choice.decided_by == "guess"
    assert choice.needs_order and choice.examples == ["05/01/2024"]
    _, report = load(prepared)
    entry = report["dates"]["date"]
    assert entry["mixed"] is True and entry["forms"] == {"year_first": 1, "slashed": 1, "month_name": 1}
    assert entry["decided_by"] == "guess" and entry["examples"] == ["05/01/2024"]


@pytest.mark.parametrize("order, expected", [("dmy", dt.date(2024, 1, 5)), ("mdy", dt.date(2024, 5, 1))])
def test_a_chosen_order_reads_the_slashed_dates_and_leaves_the_other_forms_alone(order, expected):
    prepared = prepare(MIXED.encode(), "mixed.csv", "purchases", date_order=order)
    assert prepared.dates["date"].decided_by == "chosen" and not prepared.dates["date"].needs_order
    con, report = load(prepared)
    assert dates_of(con) == [dt.date(2024, 1, 5), expected, dt.date(2024, 1, 5)]
    assert report["dates"]["date"]["order"] == order


def test_a_day_above_12_in_the_column_decides_and_every_form_is_read_as_written():
    text = ("customer,date,amount\n"
            "a,2024-01-05,1\na,13/01/2024,1\na,05/01/2024,1\na,Jan 5 2024,1\na,20240105,1\na,45296,1\n"
            "a,5 January 2024,1\na,2024-01-05T10:00:00Z,1\n")
    prepared = prepare(text.encode(), "evidence.csv", "purchases")
    choice = prepared.dates["date"]
    assert choice.order == "dmy" and choice.decided_by == "column" and not choice.ambiguous
    assert choice.forms == {"year_first": 2, "slashed": 2, "yyyymmdd": 1, "excel_serial": 1, "month_name": 2}
    assert choice.mixed and not choice.needs_order
    con, report = load(prepared)
    assert dates_of(con) == [dt.date(2024, 1, d) for d in (5, 13, 5, 5, 5, 5, 5, 5)]
    assert report["summary"]["rows_rejected"] == 0


def test_a_month_above_12_means_month_first():
    text = "customer,date,amount\na,2024-03-02,1\na,01/31/2024,1\na,03/02/2024,1\n"
    prepared = prepare(text.encode(), "us.csv", "purchases")
    assert prepared.dates["date"].order == "mdy" and prepared.dates["date"].decided_by == "column"
    con, _ = load(prepared)
    assert dates_of(con) == [dt.date(2024, 3, 2), dt.date(2024, 1, 31), dt.date(2024, 3, 2)]


def test_dotted_dates_in_a_mixed_column_are_day_first_by_convention():
    text = "customer,date,amount\na,2024-01-05,1\na,05.01.2024,1\n"
    prepared = prepare(text.encode(), "dots.csv", "purchases")
    assert prepared.dates["date"].decided_by == "dotted" and not prepared.dates["date"].needs_order
    con, _ = load(prepared)
    assert dates_of(con) == [dt.date(2024, 1, 5)] * 2


def test_one_form_only_is_not_a_mixture_and_a_whole_ambiguous_column_is_still_not_asked():
    iso = prepare(b"customer,date,amount\na,2024-01-05,1\nb,2024-02-05,1\n", "iso.csv", "purchases").dates["date"]
    assert iso.forms == {"year_first": 2} and not iso.mixed and iso.order is None
    slashed = prepare(b"customer,date,amount\na,05/01/2024,1\nb,03/02/2024,1\n", "s.csv", "purchases").dates["date"]
    assert slashed.forms == {"slashed": 2} and not slashed.mixed
    assert slashed.ambiguous and slashed.decided_by == "guess" and not slashed.needs_order  # the old radio/note


def test_forms_are_counted_over_the_whole_column_like_a_simple_count():
    rng = random.Random(3)
    made = {"year_first": 0, "slashed": 0, "month_name": 0, "yyyymmdd": 0, "other": 0}
    rows = []
    for i in range(3000):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
        form = rng.choice(list(made))
        made[form] += 1
        cell = {"year_first": day.isoformat(), "slashed": day.strftime("%d/%m/%Y"), "month_name": day.strftime("%b %d %Y"),
                "yyyymmdd": day.strftime("%Y%m%d"), "other": "n/a"}[form]
        rows.append(f"c{i % 50},{cell},1")
    prepared = prepare(("customer,date,amount\n" + "\n".join(rows) + "\n").encode(), "many.csv", "purchases")
    assert prepared.dates["date"].forms == {form: n for form, n in made.items() if n}
    assert not prepared.dates["date"].forms_sampled


def test_a_staged_large_file_counts_forms_in_duckdb(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    path = tmp_path / "big.csv"
    path.write_text("customer,date,amount\n" + "a,2024-01-05,1\n" * 40 + "b,13/01/2024,1\n" * 3 + "c,Jan 5 2024,1\n")
    raw = read_path(path, stage_min_bytes=1)
    assert raw.staged is not None
    choice = prepare(b"", "big.csv", "purchases", raw=raw).dates["date"]
    assert choice.forms == {"year_first": 40, "slashed": 3, "month_name": 1} and choice.order == "dmy"


CUSTOMERS_DMY = "customer,signup\na,13/02/2023\nb,2023-01-01\n"
CUSTOMERS_MDY = "customer,signup\na,02/13/2023\n"


def _upload(purchases: str, customers: str) -> dict:
    prepared = {"purchases": prepare(purchases.encode(), "orders.csv", "purchases"),
                "customers": prepare(customers.encode(), "people.csv", "customers")}
    for kind, hint in date_order.hints(prepared).items():
        text = purchases if kind == "purchases" else customers
        prepared[kind] = prepare(text.encode(), prepared[kind].filename, kind, date_hint=hint)
    return prepared


def test_the_other_file_of_the_upload_proves_the_order_and_the_report_says_so():
    prepared = _upload(MIXED, CUSTOMERS_DMY)
    choice = prepared["purchases"].dates["date"]
    assert choice.order == "dmy" and choice.decided_by == "other_column" and not choice.needs_order
    assert choice.source == {"file": "people.csv", "column": "signup"}
    date_order.require_decided(prepared.values())  # nothing left to ask
    con, report = load(prepared["purchases"])
    assert dates_of(con) == [dt.date(2024, 1, 5)] * 3
    assert report["dates"]["date"]["source"] == {"file": "people.csv", "column": "signup"}
    assert prepared["customers"].dates["signup"].decided_by == "column"  # its own evidence, unchanged


def test_a_month_first_customers_file_proves_month_first():
    prepared = _upload(MIXED, CUSTOMERS_MDY)
    assert prepared["purchases"].dates["date"].order == "mdy"


def test_files_proving_different_orders_prove_nothing():
    prepared = {"purchases": prepare(MIXED.encode(), "orders.csv", "purchases"),
                "customers": prepare(b"customer,signup,churn date\na,13/02/2023,02/13/2024\n", "p.csv", "customers")}
    assert date_order.hints(prepared) == {}
    with pytest.raises(IngestError):
        date_order.require_decided(prepared.values())


def test_require_decided_names_file_column_examples_and_the_option():
    prepared = prepare(MIXED.encode(), "mixed.csv", "purchases")
    with pytest.raises(IngestError) as err:
        date_order.require_decided([prepared])
    message = str(err.value)
    assert message.startswith("file 'mixed.csv', column 'date': the day/month order of the dates is ambiguous")
    assert "05/01/2024" in message and "--date-order dmy" in message and "--date-order mdy" in message
    assert "5 January" in message and "May 1" in message


def test_cli_exits_2_asking_for_date_order_then_reads_as_told(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED)
    done = inspect(str(path), tmp_path=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert "error: file 'mixed.csv', column 'date': the day/month order of the dates is ambiguous" in done.stderr
    assert "like 05/01/2024" in done.stderr and "pass --date-order dmy" in done.stderr
    done = inspect(str(path), "--date-order", "dmy", "--format", "json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"first_date": "2024-01-05"' in done.stdout and '"last_date": "2024-01-05"' in done.stdout
    assert '"decided_by": "chosen"' in done.stdout


def test_cli_takes_the_order_from_the_customers_file(tmp_path):
    orders, people = tmp_path / "orders.csv", tmp_path / "people.csv"
    orders.write_text(MIXED)
    people.write_text(CUSTOMERS_DMY)
    done = inspect(str(orders), "--customers", str(people), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ("date mixes date forms: 1 like 2024-01-05, 1 like 05/01/2024, 1 with a month name like Jan 5 2024; "
            "day/month order day first (dd/mm): people.csv, column “signup”, has dates that can only be day first"
            in done.stdout)
    assert "first date 2024-01-05, last date 2024-01-05" in done.stdout
