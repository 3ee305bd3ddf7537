"""Property tests: random purchase tables, written in random real-world conventions (encoding, delimiter,
quoting, line ends, title rows, number and date styles, header language), load back to exactly the table
that was written — and the fast DuckDB reader splits every such file exactly as Python's csv module does."""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retention import sql
from retention.ingest.canonical import load_into, prepare
from retention.ingest.read import read_table
from retention.ingest.table import is_total_cell

TODAY = dt.date(2025, 6, 1)
LETTERS = {  # lower case; names are then written lower, Capitalised or UPPER, as people write them
    "en": "abcdefghijklmnopqrstuvwxyz",
    "pl": "abcdeklmnoprstwyząćęłńóśźż",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщыэюя",
    "de": "abcdefghijklmnoprstuwzäöüéèàçñ",
    "ja": "あいうえおかきくけこさしすせそたちつてと山田佐藤鈴木高橋田中伊藤渡辺",
    "zh": "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗伟芳娜敏静丽强磊军洋",
    "tw": "陳林黃張李王吳劉蔡楊許鄭謝郭洪邱曾廖賴徐大文美玲志明家豪淑芬",
}
HEADERS = {
    "en": ("Customer", "Order Date", "Amount"), "pl": ("Klient", "Data zamówienia", "Wartość"),
    "ru": ("Клиент", "Дата заказа", "Сумма"), "de": ("Kunde", "Bestelldatum", "Betrag"),
    "ja": ("顧客", "注文日", "金額"), "zh": ("客户", "订单日期", "金额"), "tw": ("客戶編號", "訂單日期", "總金額"),
}
ENCODINGS = {  # language → encodings a file in it may be written in
    "en": ["utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1250"], "pl": ["utf-8", "utf-8-sig", "utf-16", "cp1250"],
    "ru": ["utf-8", "utf-16", "cp1251"], "de": ["utf-8", "utf-8-sig", "cp1252"],
    "ja": ["utf-8", "utf-16", "cp932"], "zh": ["utf-8", "utf-8-sig", "gb18030"], "tw": ["utf-8", "cp950"],
}
CURRENCIES = {  # as written in files of each language
    "en": ["", "$", "£", "€", "USD ", " USD"], "pl": ["", " zł", " PLN", "€"], "ru": ["", " руб.", " ₽", "₽"],
    "de": ["", "€", " €", "EUR "], "ja": ["", "¥", "円", "￥"], "zh": ["", "¥", "元", "RMB "], "tw": ["", "NT$", "元"],
}
DATE_STYLES = ["iso", "iso_time", "dmy_dot", "dmy_slash", "mdy_slash", "ymd_slash", "ja", "month_name", "serial", "tz"]


def encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def date_cell(d: dt.datetime, style: str) -> str:
    return {
        "iso": f"{d:%Y-%m-%d}", "iso_time": f"{d:%Y-%m-%d %H:%M:%S}", "dmy_dot": f"{d:%d.%m.%Y}",
        "dmy_slash": f"{d:%d/%m/%Y}", "mdy_slash": f"{d.month}/{d.day}/{d.year}", "ymd_slash": f"{d:%Y/%m/%d}",
        "ja": f"{d.year}年{d.month}月{d.day}日", "month_name": f"{d:%B} {d.day}, {d.year}",
        "serial": str((d.date() - dt.date(1899, 12, 30)).days), "tz": f"{d:%Y-%m-%d %H:%M:%S} +0200",
    }[style]


def amount_cell(cents: int, decimal: str, thousands: str, currency: str, before: bool, negative: str) -> str:
    whole, frac = divmod(abs(cents), 100)
    digits = f"{whole:,}".replace(",", thousands)
    body = f"{digits}{decimal}{frac:02d}"
    body = f"{currency}{body}" if before else f"{body}{currency}"
    if cents >= 0:
        return body
    return {"minus": "-" + body, "parentheses": f"({body})", "trailing": body + "-"}[negative]


@st.composite
def tables(draw):
    language = draw(st.sampled_from(sorted(LETTERS)))
    encoding = draw(st.sampled_from(ENCODINGS[language]))
    ident = st.builds(lambda text, case: case(text),
                      st.text(st.sampled_from(LETTERS[language] + "0123456789"), min_size=2, max_size=8),
                      st.sampled_from([str.lower, str.capitalize, str.upper])).filter(
        lambda s: not s.isdigit() and not is_total_cell(s))
    customers = draw(st.lists(ident, min_size=1, max_size=6, unique=True))
    n = draw(st.integers(1, 25))
    rows = draw(st.lists(st.tuples(
        st.sampled_from(customers),
        st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 12, 31)).map(lambda d: d.replace(microsecond=0)),
        st.integers(-10_000_000, 1_000_000_000),
    ), min_size=n, max_size=n, unique_by=lambda r: (r[0], r[1].date(), r[2])))
    decimal = draw(st.sampled_from([".", ","]))
    thousands = draw(st.sampled_from(["", " ", "\u00a0", "'"] + ([","] if decimal == "." else ["."])))
    currency = draw(st.sampled_from(CURRENCIES[language]))
    if not encodable(currency, encoding):
        currency = ""
    if not encodable(thousands, encoding):
        thousands = " "
    style = draw(st.sampled_from([s for s in DATE_STYLES if s != "ja" or encodable("年月日", encoding)]))
    return {
        "language": language, "encoding": encoding, "rows": rows, "decimal": decimal, "thousands": thousands,
        "currency": currency, "before": draw(st.booleans()), "negative": draw(st.sampled_from(["minus", "parentheses", "trailing"])),
        "style": style, "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
        "titles": draw(st.integers(0, 2)), "crlf": draw(st.booleans()), "quote_all": draw(st.booleans()),
    }


def write(table: dict) -> bytes:
    out = io.StringIO()
    line_end = "\r\n" if table["crlf"] else "\n"
    for i in range(table["titles"]):
        out.write(["Report", "Exported by the shop"][i] + line_end)
    writer = csv.writer(out, delimiter=table["delimiter"], lineterminator=line_end,
                        quoting=csv.QUOTE_ALL if table["quote_all"] else csv.QUOTE_MINIMAL)
    writer.writerow(HEADERS[table["language"]])
    for customer, when, cents in table["rows"]:
        writer.writerow([customer, date_cell(when, table["style"]),
                         amount_cell(cents, table["decimal"], table["thousands"], table["currency"], table["before"],
                                     table["negative"])])
    return out.getvalue().encode(table["encoding"])


def expected(table: dict) -> list[tuple]:
    keep_time = table["style"] in ("iso_time", "tz")
    return [(c, w if keep_time else dt.datetime.combine(w.date(), dt.time()), cents / 100)
            for c, w, cents in table["rows"]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_tables_in_random_conventions_round_trip(table):
    data = write(table)
    ambiguous = table["style"] in ("dmy_slash", "mdy_slash") and all(w.day <= 12 for _, w, _ in table["rows"])
    order = ("dmy" if table["style"] == "dmy_slash" else "mdy") if ambiguous else None
    prepared = prepare(data, "random.csv", "purchases", date_order=order)
    with duckdb.connect() as con:
        sql.execute(con, "create_rejected")
        report = load_into(con, prepared, TODAY)
        got = con.execute("select row_no, customer_id, purchased_at, amount from purchases order by row_no").fetchall()
    assert report["problems"] == [], report
    assert [(c, w, round(a, 2)) for _, c, w, a in got] == expected(table)
    first_row = table["titles"] + 2
    rows = [(r,) for r, *_ in got]
    assert [r for (r,) in rows] == list(range(first_row, first_row + len(table["rows"])))
    assert report["dates"]["date"]["ambiguous"] == (ambiguous and table["style"] != "serial")
    assert report["summary"]["future_dated"] == sum(w.date() > TODAY for _, w, _ in table["rows"])
    assert report["summary"]["refunds"] == sum(c < 0 for *_, c in table["rows"])


@st.composite
def messy_text(draw):
    """Delimited text as exporters write it (every row as wide as the header), with quotes, embedded
    delimiters and line breaks, and blank rows."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    cell = st.text(st.sampled_from(list("ab1 é\"\n\r,;|\tŁ日")), max_size=6)
    width = draw(st.integers(2, 4))
    rows = draw(st.lists(st.one_of(st.just([]), st.lists(cell, min_size=width, max_size=width)), min_size=1, max_size=12))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow([f"h{i}" for i in range(width)])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None)
@given(messy_text())
def test_fast_reader_splits_messy_text_like_python_csv(data):
    try:
        slow = read_table(data, "messy.csv", fast=False)
    except Exception as exc:  # noqa: BLE001 - the two readers must fail alike
        try:
            read_table(data, "messy.csv")
        except Exception as fast_exc:  # noqa: BLE001
            assert str(fast_exc) == str(exc)
            return
        raise AssertionError(f"python reader failed ({exc}) but the fast reader did not")
    fast = read_table(data, "messy.csv")
    assert fast.columns == slow.columns
    assert fast.frame.astype(str).values.tolist() == slow.frame.astype(str).values.tolist()
