"""Money columns (issue #16.4) and the dataset's currency (issue #15.10), on the fixtures in
tests/fixtures/money (written by make_money_fixtures.py, which also holds the right answers: PURCHASES).

Each stored amount is compared with the number the fixture was written from (an independent reference:
the generator's own list), the currency and what was removed with what a person reads in the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from retention import sql, store
from retention.ingest.canonical import prepare
from retention.ingest.money import affixes, sign_currency
from retention.ingest.stage import read_path
from retention.ingest.values import connection
from tests.helpers.cli_runner import run_cli
from tests.conftest import ROOT
from tests.fixtures.money.make_money_fixtures import PURCHASES

FIXTURES = ROOT / "tests" / "fixtures" / "money"
REVENUE = sum(amount for _, _, amount in PURCHASES)


def build(name: str, **options) -> tuple[duckdb.DuckDBPyConnection, dict]:
    path = FIXTURES / name
    prepared = prepare(path.read_bytes(), name, "purchases", **options)
    con = duckdb.connect()
    store.build(con, prepared, None, name="test")
    return con, store.read_meta(con)


def amounts(con) -> list[float]:
    return [a for (a,) in con.execute("select amount from purchases order by row_no").fetchall()]


# (file, currency, what a person sees removed, the affix found for the column, amounts as written)
CASES = [
    ("euro_comma.csv", "EUR", ["€"], ("", ""), [a for _, _, a in PURCHASES]),
    ("parentheses.csv", "USD", ["$"], ("", ""), [a for _, _, a in PURCHASES]),
    ("trailing_minus_hkd.csv", "HKD", ["HK$"], ("HK$", ""), [a for _, _, a in PURCHASES]),
    ("leva_suffix.csv", "BGN", ["лв."], ("", "лв."), [a for _, _, a in PURCHASES]),
    ("cp1252_euro.csv", "EUR", ["€"], ("", ""), [a for _, _, a in PURCHASES]),
    ("cp1251_rub.csv", "RUB", ["р.", "руб."], ("", ""), [a for _, _, a in PURCHASES]),
    ("cp1251_euro.csv", "EUR", ["€"], ("", ""), [a for _, _, a in PURCHASES]),
    ("cp932_yen.csv", "JPY", ["\\"], ("\\", ""), [float(round(a)) for _, _, a in PURCHASES]),
    # Shopify's 'refunded' status sets the order aside (statuses.py: refunded in full), so only the paid ones
    ("shopify_eur.csv", "EUR", [], ("", ""), [a for _, _, a in PURCHASES if a > 0]),
    ("stripe_lowercase.csv", "EUR", [], ("", ""), [abs(a) for _, _, a in PURCHASES]),
]


@pytest.mark.parametrize("name, currency, stripped, affix, expected", CASES, ids=[c[0] for c in CASES])
def test_amounts_read_and_currency_found(name, currency, stripped, affix, expected):
    con, meta = build(name)
    assert amounts(con) == pytest.approx(expected)
    money = meta["reports"]["purchases"]["money"]
    assert meta["currency"] == currency and money["currency"] == currency
    assert sorted(money["stripped"]) == sorted(stripped)
    assert (money["prefix"], money["suffix"]) == affix
    assert meta["reports"]["purchases"]["summary"]["rows_rejected"] == 0


def test_encodings_of_the_legacy_fixtures_are_the_ones_meant():
    assert b"\x80" in (FIXTURES / "cp1252_euro.csv").read_bytes()  # € in cp1252
    assert b"\x88" in (FIXTURES / "cp1251_euro.csv").read_bytes()  # € in cp1251
    assert b',"\\2,500"' in (FIXTURES / "cp932_yen.csv").read_bytes()  # ¥ in cp932 is 0x5C


def test_negative_styles_are_reported():
    _, meta = build("parentheses.csv")
    assert meta["reports"]["purchases"]["money"]["negatives"] == ["parentheses"]
    _, meta = build("trailing_minus_hkd.csv")
    assert meta["reports"]["purchases"]["money"]["negatives"] == ["trailing minus"]


def test_two_currencies_keep_the_one_with_most_revenue_and_reject_the_others():
    con, meta = build("shopify_two_currencies.csv")
    money = meta["reports"]["purchases"]["money"]
    assert meta["currency"] == "EUR"
    assert money["set_aside"] == {"USD": 1} and money["rows_by_currency"] == {"EUR": 4, "USD": 1}
    usd = PURCHASES[1][2]
    refunded = sum(a for _, _, a in PURCHASES if a < 0)  # the 'refunded' order is set aside (statuses.py)
    assert sum(amounts(con)) == pytest.approx(REVENUE - usd - refunded)  # never added in
    rejected = con.execute("select row_no, reason, role, raw_json from rejected").fetchall()
    assert [(r[0], r[1], r[2]) for r in rejected] == [(3, "other_currency", "currency")]
    assert json.loads(rejected[0][3])["Currency"] == "USD"  # downloadable with its original cells
    problems = meta["reports"]["purchases"]["problems"]
    assert problems == [{"reason": "other_currency", "column": "Currency", "rows": 1, "examples": [3]}]


def test_two_currencies_the_choice_follows_revenue_not_rows(tmp_path):
    text = ("Customer,Date,Amount,Currency\n"
            "a,2024-01-01,10,EUR\nb,2024-01-02,10,EUR\nc,2024-01-03,10,EUR\nd,2024-01-04,500,usd\n")
    prepared = prepare(text.encode(), "mixed.csv", "purchases")
    con = duckdb.connect()
    reports = store.build(con, prepared, None, name="t")
    assert reports["purchases"]["money"]["currency"] == "USD"
    assert reports["purchases"]["money"]["set_aside"] == {"EUR": 3}
    assert amounts(con) == [500.0]


def test_signs_of_two_currencies_in_the_amounts_are_not_added_together():
    text = "Customer,Date,Amount\na,2024-01-01,€10.00\nb,2024-01-02,€20.00\nc,2024-01-03,£5.00\n"
    con = duckdb.connect()
    reports = store.build(con, prepare(text.encode(), "signs.csv", "purchases"), None, name="t")
    money = reports["purchases"]["money"]
    assert money["currency"] == "EUR" and money["other_signs"] == ["£"]
    assert amounts(con) == [10.0, 20.0]
    assert con.execute("select row_no, reason from rejected").fetchall() == [(4, "other_currency")]


def test_a_column_that_is_not_numbers_says_column_rows_and_three_values_as_written():
    con, meta = build("not_numbers.csv")
    money = meta["reports"]["purchases"]["money"]
    bad = money["unexplained"]
    assert bad["column"] == "Amount" and bad["rows"] == 4
    assert len(bad["examples"]) == 3 and set(bad["examples"]) <= {"about 12", "n/a", "see note", "twelve"}
    assert money["currency"] is None and meta["currency"] is None
    assert amounts(con) == [99.0]


def test_the_currency_column_is_used_even_when_amounts_carry_no_sign():
    text = "Customer,Date,Amount,Order Currency\na,2024-01-01,10.00,PLN\nb,2024-01-02,20.00,PLN\n"
    con = duckdb.connect()
    reports = store.build(con, prepare(text.encode(), "woo.csv", "purchases"), None, name="t")
    assert reports["purchases"]["roles"]["currency"] == "Order Currency"
    assert reports["purchases"]["money"]["currency"] == "PLN"


def test_a_column_named_currency_that_holds_no_currencies_is_not_used():
    text = "Customer,Date,Amount,Currency\na,2024-01-01,10.00,yes\nb,2024-01-02,20.00,no\n"
    con = duckdb.connect()
    prepared = prepare(text.encode(), "odd.csv", "purchases")
    assert "currency" not in prepared.roles  # so the upload page's Currency box starts at "none"
    reports = store.build(con, prepared, None, name="t")
    assert reports["purchases"]["money"]["currency"] is None
    assert amounts(con) == [10.0, 20.0]


def test_large_staged_file_uses_the_same_affix(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    raw = read_path(FIXTURES / "trailing_minus_hkd.csv", stage_min_bytes=1)
    assert raw.staged is not None  # the rows are in DuckDB, not in pandas
    prepared = prepare(b"", "trailing_minus_hkd.csv", "purchases", raw=raw)
    con = duckdb.connect()
    reports = store.build(con, prepared, None, name="t")
    assert reports["purchases"]["money"]["prefix"] == "HK$"
    assert amounts(con) == pytest.approx([a for _, _, a in PURCHASES])


def test_created_dataset_stores_the_currency_in_its_meta(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    prepared = prepare((FIXTURES / "shopify_eur.csv").read_bytes(), "shopify_eur.csv", "purchases")
    dataset_id, _ = store.create_dataset(prepared, None, name="shop")
    con = store.open_dataset(dataset_id)
    try:
        assert store.read_meta(con)["currency"] == "EUR"
    finally:
        con.close()


def test_cli_inspect_reports_currency_and_what_was_removed():
    out = subprocess.run([sys.executable, "-m", "retention", "inspect", str(FIXTURES / "trailing_minus_hkd.csv"),
                          "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    money = json.loads(out.stdout)["purchases"]["money"]
    assert money["currency"] == "HKD" and money["prefix"] == "HK$" and money["negatives"] == ["trailing minus"]
    text = run_cli("inspect", str(FIXTURES / "shopify_two_currencies.csv")).stdout  # in this process: seconds less
    assert "Currency: EUR (from the column “Currency”)" in text
    assert "1 row is in USD; this dataset is in EUR" in text


@pytest.mark.parametrize("sign, encoding, code", [
    ("€", "utf-8", "EUR"), ("eur", None, "EUR"), ("zł", None, "PLN"), ("руб.", "cp1251", "RUB"), ("Kč", None, "CZK"),
    ("円", None, "JPY"), ("元", None, "CNY"), ("PLN", None, "PLN"), ("\\", "cp932", "JPY"), ("\\", "cp949", "KRW"),
    ("ˆ", "cp1252", "EUR"),  # byte 0x88: the euro sign of cp1251 read in cp1252
    ("kr", None, None), ("pts", None, None), ("", None, None),
])
def test_sign_currency(sign, encoding, code):
    assert sign_currency(sign, encoding) == code


@pytest.mark.parametrize("value, expected", [
    ("-HK$12.50", ("HK$", "")), ("12,50 zł.", ("", "zł.")), ("(€1.234,50)", ("€", "")), ("12.50-", ("", "")),
    (".50", ("", "")), ("n/a", ("", "")),
])
def test_affixes(value, expected):
    assert affixes(value) == expected


@pytest.mark.parametrize("text, prefix, suffix, expected", [
    ("HK$1,234.50", "HK$", "", 1234.5), ("HK$12.50-", "HK$", "", -12.5), ("1.234,50 лв.", "", "лв.", 1234.5),
    ("\\1,235", "\\", "", 1235.0), ("12.50", "", "", 12.5), ("HK$12", "", "", None),
])
def test_parse_money_macro(text, prefix, suffix, expected):
    con = connection()
    try:
        comma = "лв" in text
        value = con.execute("select parse_money($t, $c, $p, $s)", {"t": text, "c": comma, "p": prefix, "s": suffix}
                            ).fetchone()[0]
    finally:
        con.close()
    assert value == expected


def test_a_column_of_amounts_with_an_unknown_currency_prefix_is_found_by_content():
    text = 'who,when,paid\na,2024-01-01,HK$12.50\nb,2024-01-02,"HK$1,234.00"\na,2024-02-01,HK$7.25\n'
    prepared = prepare(text.encode(), "plain.csv", "purchases")
    assert prepared.roles["amount"] == "paid"
    con = duckdb.connect()
    store.build(con, prepared, None, name="t")
    assert amounts(con) == [12.5, 1234.0, 7.25]


def test_an_id_column_with_a_letter_prefix_is_not_taken_for_money():
    text = "who,when,ref\na,2024-01-01,A-1001\nb,2024-01-02,A-1002\na,2024-02-01,A-1003\n"
    assert "amount" not in prepare(text.encode(), "ids.csv", "purchases").roles


def test_a_currency_column_the_person_maps_is_used():
    text = "Customer,Date,Amount,Cur\na,2024-01-01,10.00,eur\nb,2024-01-02,20.00,usd\nc,2024-01-03,30.00,eur\n"
    assert "currency" not in prepare(text.encode(), "m.csv", "purchases").roles
    con = duckdb.connect()
    reports = store.build(con, prepare(text.encode(), "m.csv", "purchases", mapping={"currency": "Cur"}), None,
                          name="t")
    assert reports["purchases"]["money"]["currency"] == "EUR"
    assert amounts(con) == [10.0, 30.0]


def test_a_sign_inside_another_currency_sign_is_told_apart():
    # HK$ is the file's currency; "$" alone (USD) is another one, but is part of "HK$"
    text = "Customer,Date,Amount\na,2024-01-01,HK$10.00\nb,2024-01-02,HK$20.00\nc,2024-01-03,$5.00\n"
    con = duckdb.connect()
    reports = store.build(con, prepare(text.encode(), "hk.csv", "purchases"), None, name="t")
    assert reports["purchases"]["money"]["currency"] == "HKD"
    assert amounts(con) == [10.0, 20.0]
    assert con.execute("select row_no, reason from rejected").fetchall() == [(4, "other_currency")]
