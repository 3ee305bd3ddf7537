"""Ingest rules one by one, on small hand-written files whose right answers are written out here:
encodings of short files, numbers, dates (day/month order from the whole column), header words in
eight languages, roles from content, totals rows, row numbers as the user's spreadsheet shows them,
rejections by reason, refunds and future dates."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from retention import sql
from retention.ingest.canonical import load_into, prepare
from retention.ingest.encoding import detect
from retention.ingest.errors import IngestError
from retention.ingest.read import read_table
from retention.ingest.values import connection

TODAY = dt.date(2025, 6, 1)


def load(text: str | bytes, kind: str = "purchases", name: str = "file.csv", **options):
    data = text.encode("utf-8") if isinstance(text, str) else text
    prepared = prepare(data, name, kind, **options)
    con = duckdb.connect()
    sql.execute(con, "create_rejected")
    return con, load_into(con, prepared, TODAY)


# --- encodings: short, realistic files (what general detectors get wrong) ------------------------------
SHORT_FILES = [
    ("cp1250", "Klient;Data;Kwota\nŁukasz Wójcik;05.01.2024;1 234,56 zł\nZofia Żółkiewska;06.01.2024;99,00 zł\n"),
    ("cp1250", "id;nazwisko;miasto\n1;Kowalski;Kraków\n2;Nowak;Łódź\n3;Wiśniewski;Gdańsk\n"),
    ("cp1250", "klient,kwota\nAnna Dąbrowska,12\n"),
    ("cp1250", "zakaznik;mesto\nJiří Dvořák;Plzeň\nČerná;Brno\n"),
    ("cp1250", "ugyfel;varos\nMüller Ödön;Győr\nSzőke;Pécs\n"),
    ("cp1251", "Клиент;Дата;Сумма\nИванов Иван;05.01.2024;1 234,56 руб.\nПетрова Мария;06.01.2024;99,00\n"),
    ("cp1251", "клиент,сумма\nОля,1\n"),
    ("cp1251", "Шевченко Тарас;Київ;Україна\n"),
    ("cp1252", "Client;Date;Montant\nFrançois Dupré;05/01/2024;1 234,56 €\nJosé Muñoz;06/01/2024;99,00 €\n"),
    ("cp1252", "Kunde;Datum;Betrag\nMüller;05.01.2024;12,50\nSchäfer;06.01.2024;3,00\n"),
    ("cp1252", "cliente,fecha,importe\nPeña,2024-01-05,12\nNúñez,2024-01-06,3\n"),
    ("cp1252", "name,city\nRenée,Besançon\nAïcha,Orléans\n"),
    ("cp1252", "kunde,by\nSøren Kierkegaard,København\nÅsa,Malmö\n"),
    ("cp1252", "item,price\nCafé,€12\n"),
    ("cp932", "顧客,日付,金額\n山田太郎,2024/01/05,1234\n佐藤花子,2024/01/06,99\n"),
    ("cp932", "顧客ID,注文日,合計\nさとう,2024年1月5日,￥1,200\n"),
    ("cp932", "名前,金額\nｶﾀｶﾅ 太郎,5\n"),
    ("gb18030", "客户,日期,金额\n张伟,2024-01-05,1234.56\n王芳,2024-01-06,99.00\n"),
    ("gb18030", "客户编号,订单日期,金额\n刘洋,2024-01-05,1234.56\n陈静,2024-01-06,99.00\n"),
    ("gb18030", "顾客,城市\n李娜,北京\n"),
    ("cp950", "客戶,日期,金額\n陳大文,2024-01-05,1234.56\n林美玲,2024-01-06,99.00\n"),
    ("cp950", "會員,訂單日期\n張偉,2024-01-05\n"),
]


@pytest.mark.parametrize("encoding,text", SHORT_FILES)
def test_short_files_decode_without_mojibake(encoding, text):
    data = text.encode(encoding)
    assert data.decode(detect(data)) == text


@pytest.mark.parametrize("text", ["customer\tdate\namount\n", "klient;kwota\nŁódź;1\n", "顧客,金額\n山田,1\n"])
@pytest.mark.parametrize("bom,codec", [(b"\xef\xbb\xbf", "utf-8"), (b"", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                       (b"\xfe\xff", "utf-16-be"), (b"", "utf-16-le")])
def test_unicode_encodings_with_and_without_bom(text, bom, codec):
    data = bom + text.encode(codec)
    decoded = data.decode(detect(data))
    assert decoded.lstrip("\ufeff") == text


# --- numbers ------------------------------------------------------------------------------------------
NUMBERS = [  # (cell, decimal comma decided for the column, value)
    ("1 234,56 zł", True, 1234.56), ("1.234,56", True, 1234.56), ("1,234.56", False, 1234.56),
    ("1'234.50", False, 1234.5), ("CHF 1’234.50", False, 1234.5), ("(1,234.56)", False, -1234.56),
    ("-$12.50", False, -12.5), ("$-12.50", False, -12.5), ("12.50-", False, -12.5), ("€1.234,56", True, 1234.56),
    ("руб. 1 234", True, 1234.0), ("1234.56 USD", False, 1234.56), ("¥1,200", False, 1200.0),
    ("1\u00a0234,5", True, 1234.5), ("1\u202f234,5 €", True, 1234.5), ("12,5", True, 12.5),
    ("1.234.567", False, 1234567.0), ("1,234", False, 1234.0), ("1.234", True, 1234.0), ("−5", False, -5.0),
    ("R$ 1.234,56", True, 1234.56), ("1 234,56 ₽", True, 1234.56), ("PLN 12,00", True, 12.0), ("1,234.56", True, 1234.56),
    ("￥1,200", False, 1200.0), ("1,200円", False, 1200.0), ("abc", False, None), ("", False, None), ("12 apples", False, None),
]


@pytest.mark.parametrize("cell,decimal_comma,value", NUMBERS)
def test_number_conventions(cell, decimal_comma, value):
    con = connection()
    assert con.execute("select parse_number(?, ?)", [cell, decimal_comma]).fetchone()[0] == value


def test_decimal_comma_is_decided_from_the_whole_column():
    # the first 6,000 amounts are whole numbers; only later rows show the decimal comma
    rows = [f"c{i % 50};2024-01-{i % 28 + 1:02d};{i % 90 + 1}" for i in range(6000)] + ["c1;2024-02-01;12,50"] * 3
    con, report = load("klient;data;kwota\n" + "\n".join(rows) + "\n")
    assert report["decimal_comma"]
    assert con.execute("select amount from purchases where row_no = 6002").fetchone() == (12.5,)


# --- dates --------------------------------------------------------------------------------------------
def dates_file(cells: list[str], header: str = "customer,date,amount") -> str:
    quoted = (f'"{cell}"' if "," in cell else cell for cell in cells)
    return header + "\n" + "".join(f"c{i % 7},{cell},1.00\n" for i, cell in enumerate(quoted))


def test_day_month_order_comes_from_the_whole_column_not_a_sample():
    cells = [f"{m:02d}/{d:02d}/2024" for m in range(1, 13) for d in range(1, 13)] * 60  # 8,640 ambiguous cells
    cells.append("03/25/2024")  # the only cell that says month-first, last in the file
    con, report = load(dates_file(cells))
    assert report["dates"]["date"]["order"] == "mdy" and not report["dates"]["date"]["ambiguous"]
    assert con.execute("select purchased_at from purchases where row_no = 2").fetchone() == (dt.datetime(2024, 1, 1),)
    assert con.execute("select purchased_at from purchases where row_no = 8642").fetchone() == (dt.datetime(2024, 3, 25),)


def test_genuinely_ambiguous_dates_are_reported_and_the_user_can_switch():
    cells = ["03/04/2024", "05/06/2024", "11/12/2024"]
    con, report = load(dates_file(cells))
    assert report["dates"]["date"] == {**report["dates"]["date"], "order": "mdy", "ambiguous": True}
    assert con.execute("select month(purchased_at) from purchases order by row_no").fetchall() == [(3,), (5,), (11,)]
    con, report = load(dates_file(cells), date_order="dmy")
    assert report["dates"]["date"]["order"] == "dmy" and report["dates"]["date"]["ambiguous"]
    assert con.execute("select month(purchased_at) from purchases order by row_no").fetchall() == [(4,), (6,), (12,)]


def test_ambiguous_dates_in_a_european_file_default_to_day_first():
    con, report = load("klient;data;kwota\na;03/04/2024;1,50\nb;05/06/2024;2,00\n")
    assert report["dates"]["date"]["order"] == "dmy" and report["dates"]["date"]["ambiguous"]


def test_dotted_dates_are_day_first_and_not_ambiguous():
    _, report = load(dates_file(["03.04.2024", "05.06.2024"]))
    assert report["dates"]["date"]["order"] == "dmy" and not report["dates"]["date"]["ambiguous"]


def test_mixed_day_month_orders_reject_the_minority():
    cells = ["25/01/2024", "26/01/2024", "27/01/2024", "01/30/2024"]
    _, report = load(dates_file(cells))
    assert report["dates"]["date"]["order"] == "dmy" and report["dates"]["date"]["mixed"]
    assert report["problems"] == [{"reason": "bad_date", "column": "date", "rows": 1, "examples": [5]}]


@pytest.mark.parametrize("cell,expected", [
    ("2024-01-05", dt.datetime(2024, 1, 5)), ("2024/01/05", dt.datetime(2024, 1, 5)),
    ("2024年1月5日", dt.datetime(2024, 1, 5)), ("5 Jan 2024", dt.datetime(2024, 1, 5)),
    ("January 5, 2024", dt.datetime(2024, 1, 5)), ("Friday, January 5th, 2024", dt.datetime(2024, 1, 5)),
    ("05-Jan-24", dt.datetime(2024, 1, 5)), ("45296", dt.datetime(2024, 1, 5)),
    ("45296.5", dt.datetime(2024, 1, 5, 12)), ("2024-01-05 10:23:11 -0500", dt.datetime(2024, 1, 5, 10, 23, 11)),
    ("2024-01-05T10:23:11Z", dt.datetime(2024, 1, 5, 10, 23, 11)),
    ("2024-01-05T10:23:11.250+01:00", dt.datetime(2024, 1, 5, 10, 23, 11, 250000)),
    ("1/5/2024 2:30 PM", dt.datetime(2024, 1, 5, 14, 30)), ("20240105", dt.datetime(2024, 1, 5)),
])
def test_date_conventions(cell, expected):
    con, report = load(dates_file([cell, cell]))
    assert con.execute("select purchased_at from purchases order by row_no").fetchall() == [(expected,)] * 2


# --- header roles in eight languages, and from content ----------------------------------------------------
HEADERS = [
    ("Customer ID,Order Date,Total", "en"), ("Klient,Data zakupu,Kwota", "pl"), ("Kundennummer,Datum,Betrag", "de"),
    ("Numéro client,Date d'achat,Montant", "fr"), ("Cliente,Fecha,Importe", "es"), ("Покупатель,Дата,Сумма", "ru"),
    ("客户,日期,金额", "zh"), ("顧客,日付,金額", "ja"), ("客戶編號,訂單日期,總金額", "zh-tw"),
]


@pytest.mark.parametrize("header,language", HEADERS)
def test_header_roles_in_many_languages(header, language):
    con, report = load(header + "\nc1,2024-01-15,10.50\nc2,2024-01-16,3.00\n")
    names = header.split(",")
    assert report["roles"] == {"customer": names[0], "date": names[1], "amount": names[2]}


@pytest.mark.parametrize("header", ["Kunde,Anmeldedatum,Kündigungsdatum,Kündigungsgrund",
                                    "Клиент,Дата регистрации,Дата отказа,Причина ухода",
                                    "顧客,登録日,解約日,解約理由"])
def test_customer_roles_in_other_languages(header):
    _, report = load(header + "\nc1,2024-01-15,2024-03-01,zu teuer\nc2,2024-01-16,,\n", kind="customers")
    names = header.split(",")
    assert report["roles"] == {"customer": names[0], "signup": names[1], "churn_date": names[2], "churn_reason": names[3]}
    assert report["summary"]["churned"] == 1 and report["summary"]["active"] == 1


def test_roles_from_content_when_headers_say_nothing():
    rows = "".join(f"{['A17', 'B22', 'C9'][i % 3]},x{i},2024-02-{i + 1:02d},{i * 3 + 0.25:.2f}\n" for i in range(12))
    _, report = load("f1,f2,f3,f4\n" + rows)
    assert report["roles"] == {"customer": "f1", "date": "f3", "amount": "f4"}


def test_missing_role_is_one_sentence_naming_the_option():
    with pytest.raises(IngestError, match=r"^File 'x.csv': no column was recognised as the purchase date; name it with "
                                          r"--map date=COLUMN\. The file's columns: 'customer', 'colour'\.$"):
        prepare(b"customer,colour\na,red\nb,blue\n", "x.csv", "purchases")


# --- title rows, blank rows, totals, and the user's row numbers ---------------------------------------------
@pytest.mark.parametrize("word", ["Total", "TOTAL:", "Grand total", "Suma", "Razem", "Summe", "Итого", "Всего",
                                  "合計", "合计", "总计", "Total (EUR)"])
def test_trailing_total_rows_are_not_customers(word):
    text = "customer,date,amount\na,2024-01-15,10\nb,2024-01-16,20\n" + f"{word},,30\n"
    con, report = load(text)
    assert con.execute("select customer_id from purchases order by row_no").fetchall() == [("a",), ("b",)]
    assert report["skipped"] == [{"reason": "total_row", "rows": 1, "examples": [4]}]
    assert report["summary"]["rows_skipped"] == 1 and report["summary"]["rows_read"] == 3


def test_row_numbers_are_those_the_spreadsheet_shows():
    text = ('Sales report\n'
            'exported 2025-01-02\n'
            '\n'
            'customer,date,amount,note\n'             # row 4: header
            'a,2024-01-15,10,"two\nlines"\n'           # row 5 (one spreadsheet row, two text lines)
            '\n'                                        # row 6: blank
            ',2024-01-16,20,\n'                         # row 7: no customer
            'b,2024-13-45,5,"x, y"\n'                   # row 8: bad date
            'c,2024-01-17,ten,\n'                       # row 9: bad amount
            'a,2024-01-15,10,"two\nlines"\n'            # row 10: exact copy of row 5 (no order id: kept, flagged)
            'd,2026-01-01,7,\n'                         # row 11: after today
            'e,2024-01-18,-3,\n')                       # row 12: refund
    con, report = load(text)
    assert report["read"]["header_row"] == 4 and report["read"]["title_rows"] == 3
    assert {p["reason"]: p["examples"] for p in report["problems"]} == {
        "missing_customer": [7], "bad_date": [8], "bad_amount": [9]}
    assert {p["reason"]: p["column"] for p in report["problems"]} == {
        "missing_customer": "customer", "bad_date": "date", "bad_amount": "amount"}
    assert con.execute("select row_no from purchases order by row_no").fetchall() == [(5,), (10,), (11,), (12,)]
    assert {f["flag"]: f["examples"] for f in report["flags"]} == {"future_date": [11], "refund": [12],
                                                                   "possible_duplicate": [10]}
    assert con.execute("select is_future, is_refund from purchases order by row_no").fetchall() == [
        (False, False), (False, False), (True, False), (False, True)]
    rejected = con.execute("select row_no, reason, raw_json from rejected order by row_no").fetchall()
    assert [(r, reason) for r, reason, _ in rejected] == [(7, "missing_customer"), (8, "bad_date"), (9, "bad_amount")]
    assert json.loads(rejected[1][2]) == {"__row": 8, "customer": "b", "date": "2024-13-45", "amount": "5", "note": "x, y"}


def test_problem_report_names_the_column():
    _, report = load("Kunde,Datum,Betrag\na,2024-01-15,zehn\n")
    assert report["problems"] == [{"reason": "bad_amount", "column": "Betrag", "rows": 1, "examples": [2]}]


def test_quoted_delimiters_and_newlines_in_every_delimiter():
    for delimiter in [",", ";", "\t", "|"]:
        text = delimiter.join(["customer", "date", "amount", "note"]) + "\n" + \
            delimiter.join(["a", "2024-01-15", "10", f'"x{delimiter}y\nz"']) + "\n" + \
            delimiter.join(["b", "2024-01-16", "20", "plain"]) + "\n"
        raw = read_table(text.encode(), "x.csv")
        assert raw.info["delimiter"] == delimiter
        assert raw.frame["note"].tolist() == [f"x{delimiter}y\nz", "plain"]
        assert raw.frame["__row"].tolist() == [2, 3]


def test_refunds_are_kept_and_marked_not_rejected():
    con, report = load("customer,date,amount\na,2024-01-15,10\na,2024-01-20,(10)\n")
    assert con.execute("select amount, is_refund from purchases order by row_no").fetchall() == [(10.0, False), (-10.0, True)]
    assert report["summary"]["refunds"] == 1 and report["problems"] == []


# --- identical rows (issue #16.2) ---------------------------------------------------------------------------
def test_identical_rows_without_an_order_id_are_kept_and_flagged():
    text = ("customer,date,amount\n"
            "a,2024-01-15,10.50\n"     # row 2
            "a,2024-01-15,10.50\n"     # row 3: same customer, day and amount → a second purchase, flagged
            "b,2024-01-16,4\n"         # row 4
            "a,2024-01-15,10.50\n"     # row 5: a third one
            "b,2024-01-16,5\n")        # row 6: differs in the amount: not a copy
    con, report = load(text)
    assert con.execute("select count(*), sum(amount) from purchases").fetchone() == (5, 40.5)
    assert report["problems"] == [] and report["skipped"] == []
    assert report["flags"] == [{"flag": "possible_duplicate", "rows": 2, "examples": [3, 5], "revenue": 21.0}]
    listed = con.execute("select row_no, same_as_row, raw_json from possible_duplicates order by row_no").fetchall()
    assert [(r, s) for r, s, _ in listed] == [(3, 2), (5, 2)]
    assert json.loads(listed[0][2]) == {"__row": 3, "customer": "a", "date": "2024-01-15", "amount": "10.50"}


def test_identical_lines_of_one_order_are_merged_and_reported():
    text = ("order,customer,date,amount\n"
            "1001,a,2024-01-15,10.50\n"    # row 2
            "1001,a,2024-01-15,10.50\n"    # row 3: the same line again in one order → merged (skipped)
            "1001,a,2024-01-15,3.00\n"     # row 4: another line of the order
            "1002,b,2024-01-16,7\n"        # row 5
            ",c,2024-01-17,2\n"            # row 6: no order id …
            ",c,2024-01-17,2\n")           # row 7: … so its copy is kept and flagged
    con, report = load(text)
    assert report["roles"]["order"] == "order"
    assert con.execute("select row_no from purchases order by row_no").fetchall() == [(2,), (4,), (5,), (6,), (7,)]
    assert report["skipped"] == [{"reason": "duplicate_line", "rows": 1, "examples": [3], "revenue": 10.5}]
    assert report["flags"] == [{"flag": "possible_duplicate", "rows": 1, "examples": [7], "revenue": 2.0}]
    assert report["summary"]["revenue"] == 10.5 + 3 + 7 + 2 + 2 and report["summary"]["rows_skipped"] == 1
    assert report["problems"] == []


def test_identical_customer_rows_are_still_rejected():
    _, report = load("customer,plan\na,gold\na,gold\n", kind="customers")
    assert [(p["reason"], p["examples"]) for p in report["problems"]] == [("duplicate_row", [3])]
