"""Issue #16.5: every exit-2 message about the data names the file, and where it applies the column, the
count and examples; the two messages that used to be wrong (all dates in the future, an all-blank customer
column) say what is wrong. In-process (cli.main), so that a case costs a load, not a Python start."""

from __future__ import annotations

import datetime as dt

import pytest

from retention import cli

TODAY = dt.date.today()
FUTURE = [(TODAY + dt.timedelta(days=d)).isoformat() for d in (30, 400)]


def run(capsys, *argv) -> tuple[int, str]:
    code = cli.main([str(a) for a in argv])
    return code, capsys.readouterr().err


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_all_dates_in_the_future_says_so_with_the_range(tmp_path, capsys):
    path = write(tmp_path, "orders.csv", f"customer,date,amount\na,{FUTURE[0]},3\nb,{FUTURE[1]},4\n")
    code, err = run(capsys, "matrix", path)
    assert code == 2
    assert err.startswith(f"error: file 'orders.csv': every date in column 'date' is after today ({TODAY}): the 2 "
                          f"purchases run from {FUTURE[0]} to {FUTURE[1]}"), err
    assert "no dates" not in err and "Traceback" not in err


def test_a_blank_customer_column_says_which_column_is_empty(tmp_path, capsys):
    path = write(tmp_path, "orders.csv", "Customer ID,date,amount\n,2024-01-05,3\n  ,2024-01-06,4\n,2024-01-07,5\n")
    code, err = run(capsys, "curve", path)
    assert code == 2
    assert err.startswith("error: file 'orders.csv': the customer column 'Customer ID' is empty: none of the 3 rows "
                          "has a customer id"), err
    assert "positive amounts" not in err


def test_every_amount_rejected_names_column_count_and_examples(tmp_path, capsys):
    path = write(tmp_path, "shop.csv", "customer,date,Total\na,2024-01-05,abc\nb,2024-01-06,n/a\nc,2024-01-07,\n"
                                       "d,2024-01-08,abc\n")
    code, err = run(capsys, "churn", path)
    assert code == 2
    assert err.startswith("error: file 'shop.csv': every amount in column 'Total' was rejected (amount is not a number "
                          "or no amount, 4 in all, e.g. 'abc', 'n/a', '')"), err
    assert "--map ROLE=COLUMN" in err


def test_inspect_still_describes_an_unusable_file(tmp_path, capsys):
    path = write(tmp_path, "shop.csv", "customer,date,Total\na,2024-01-05,abc\n")
    code = cli.main(["inspect", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and "NOT USABLE: every amount in column 'Total' was rejected" in out
    assert "rejected 1 × bad amount in column 'Total'; e.g. rows 2" in out


def test_customers_file_with_only_future_dates_says_so(tmp_path, capsys):
    path = write(tmp_path, "members.csv", f"customer,signup date,plan\na,{FUTURE[0]},x\nb,{FUTURE[1]},y\n")
    code, err = run(capsys, "churn", "--customers", path)
    assert code == 2
    assert err.startswith(f"error: file 'members.csv': every date is after today, so there is no analysis date "
                          f"(2 dated rows, from {FUTURE[0]} to {FUTURE[1]})"), err


@pytest.mark.parametrize("argv, expected", [
    (["matrix", "{p}", "--segment", "nope"], "error: file 'p.csv': there is no segment column 'nope'"),
    (["matrix", "{p}", "--cohort-by", "signup"], "error: file 'p.csv': --cohort-by signup needs a customers file"),
    (["matrix", "--customers", "{c}"], "error: file 'c.csv': --mode classic needs a purchases file"),
    (["matrix", "{p}", "--mode", "survival"], "error: file 'p.csv': --mode survival needs a customers file"),
    (["matrix", "{p}", "--mode", "revenue"], "error: file 'p.csv': --mode revenue needs amounts"),
    (["reasons", "{p}", "--customers", "{c}", "--segment", "nope"],
     "error: files 'p.csv' (purchases) and 'c.csv' (customers): there is no segment column 'nope'"),
    (["benchmark", "{p}", "--industry", "telecom", "--metric", "revenue_retention_net"], "error: file 'p.csv': your data cannot produce"),
])
def test_data_problems_name_the_files(tmp_path, capsys, argv, expected):
    p = write(tmp_path, "p.csv", "customer,date,note\na,2024-01-05,x\nb,2024-02-06,y\n")  # no amounts
    c = write(tmp_path, "c.csv", "customer,plan\na,gold\nb,silver\n")
    code, err = run(capsys, *[a.format(p=p, c=c) for a in argv])
    assert code == 2 and err.startswith(expected), err


def test_cli_own_file_problems_name_the_file(tmp_path, capsys):
    code, err = run(capsys, "inspect", tmp_path / "missing.csv")
    assert code == 2 and err == f"error: file {str(tmp_path / 'missing.csv')!r}: no such file\n"


def test_malformed_map_names_the_option(tmp_path, capsys):
    path = write(tmp_path, "p.csv", "customer,date,amount\na,2024-01-05,3\n")
    code, err = run(capsys, "inspect", path, "--map", "amount")
    assert code == 2 and err.startswith("error: --map 'amount': expected ROLE=COLUMN"), err


def test_a_database_error_names_the_files(tmp_path, capsys, monkeypatch):
    import duckdb

    def fails(_args, _con):
        raise duckdb.ConversionException("Could not convert string 'x' to INT32")

    monkeypatch.setattr(cli.COMMANDS["inspect"], "run", fails)
    path = write(tmp_path, "p.csv", "customer,date,amount\na,2024-01-05,3\n")
    code, err = run(capsys, "inspect", path)
    assert code == 2 and err == ("error: file 'p.csv': the data could not be processed (Could not "
                                 "convert string 'x' to INT32)\n"), err
