"""The Churn page, the upload page and the ingest messages in the reader's language (issue 19): the pages in
Polish and Japanese (AppTest), the ingest errors worded when shown (English on the command line), the app's own
reason labels and date words translated while the data keeps its codes."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from retention import i18n, ui_text
from retention.ingest.errors import IngestError
from tests.conftest import APP

NBSP = "\u00a0"
MESSY = b"client;date;total\nA;2024-01-05;10,5\nB;2024-01-06;7\nA;2024-02-01;oops\n"


def _in(lang: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> list[str]:
    return ([e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.error)]
            + [m.label for m in at.metric] + [e.label for e in (*at.selectbox, *at.radio, *at.number_input)])


def test_churn_page_in_polish(demo_warm):
    at = _in("pl", "pages/churn.py")
    labels = [m.label for m in at.metric]
    assert "Zatrzymani miesięcznie (aktywni na początku i na końcu)" in labels, labels
    assert "Odejścia miesięcznie (wzór standardowy)" in labels, labels
    shown = _texts(at)
    assert not any("Kept per" in t or "Churn per" in t or "How it is counted" in t for t in shown), shown
    assert {"Zbiór danych", "Język", "Okres", "Kto liczy się jako aktywny"} <= {s.label for s in at.selectbox}
    assert at.selectbox(key="churn_period").options == ["Tydzień", "Miesiąc", "Kwartał", "Rok"]
    # numbers in the Polish way: a decimal comma, the percent sign as CLDR places it
    kept = next(m.value for m in at.metric if m.label.startswith("Zatrzymani miesięcznie"))
    assert "," in kept and "." not in kept, kept


def test_churn_win_back_tab_in_japanese(demo_warm):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "ja"
    at.query_params["tab"] = "winback"
    at.run()
    at.switch_page("pages/churn.py").run()
    assert not at.exception, at.exception
    assert at.number_input(key="churn_recent").label == "離脱から（日以内）"
    assert at.multiselect(key="churn_list_reasons").proto.placeholder == "選択してください"
    assert any("人中最初の" in c.value or "人の顧客" in c.value or "顧客" in c.value for c in at.caption)


def test_upload_page_validation_in_japanese(demo_env):
    at = _in("ja", "pages/data.py")
    assert at.title[0].value == "データをアップロード"
    at.file_uploader(key="data_purchases_file").set_value(("orders.csv", MESSY, "text/csv")).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["読み込んだ行"] == "3" and metrics["使用した行"] == "2" and metrics["却下した行"] == "1"
    problems = next(d.value for d in at.dataframe if "問題" in d.value.columns)
    assert problems["問題"].tolist() == ["金額が数値ではない"]
    assert at.button(key="data_save").label == "データセットを保存"


def test_ingest_error_is_worded_when_shown():
    err = IngestError("orders.csv", "too_wide", width=1200, limit=1000)
    assert str(err) == ("file 'orders.csv': the table has 1,200 columns, more than the limit of 1,000; remove the "
                        "columns that are not needed, or check the separator.")
    with i18n.using("pl"):
        assert str(err) == (f"plik 'orders.csv': tabela ma 1{NBSP}200 kolumn, więcej niż limit 1{NBSP}000; usuń "
                            "niepotrzebne kolumny lub sprawdź separator.")
    with i18n.using("ru"):
        assert str(IngestError("x.csv", "empty", row=4)) == "файл 'x.csv', строка 4: файл пуст."
    assert str(err).startswith("file 'orders.csv'")  # back in English: the command line's words
    assert str(IngestError("x.csv", "a sentence that is no code")) == "file 'x.csv': a sentence that is no code."


def test_every_ingest_code_has_words_and_fills_in():
    values = dict(size="12 MB", limit=10, n=7, shown="a.csv, b.csv", more=2, what="a PDF document", name="Sheet1",
                  columns=3, cells=10, sheet="Data", sheets="'Data'", kb=512, error="bad", width=2000, order="ymd",
                  role="x", roles="customer", seconds=60)
    for lang in ("en", "pl", "ru", "zh", "ja"):
        with i18n.using(lang):
            for code in ui_text.INGEST_PROBLEMS:
                text = ui_text.ingest_problem(code, values)
                assert text and "{" not in text, (lang, code, text)


def test_reason_labels_and_date_words_in_the_language():
    with i18n.using("pl"):
        assert ui_text.reason_label("(no reason given)") == "(nie podano przyczyny)"
        assert ui_text.reason_label("Too expensive") == "Too expensive"  # the file's own reasons as written
        assert ui_text.spelled_date("05/01/2024", "dmy") == "5 stycznia"
        assert ui_text.spelled_date("05/01/2024", "mdy") == "1 maja"
        assert ui_text.complete_periods(5, "month") == "5 pełnych miesięcy"
    with i18n.using("ru"):
        assert ui_text.complete_periods(2, "quarter") == "2 полных квартала"
    assert ui_text.spelled_date("05/01/2024", "mdy") == "May 1"  # English unchanged


def test_validation_notes_take_plural_forms():
    entry = {"flag": "refund", "rows": 3, "examples": [4, 9]}
    assert ui_text.flag_note(entry) == "3 refunds: negative amounts (kept; not counted as activity); e.g. rows 4, 9."
    with i18n.using("pl"):
        assert ui_text.flag_note(entry).startswith("3 zwroty: ujemne kwoty")
        assert ui_text.flag_note(entry | {"rows": 5}).startswith("5 zwrotów")
        assert ui_text.flag_note(entry | {"rows": 1234}).startswith(f"1{NBSP}234 zwroty")


def test_chart_titles_never_break_at_a_no_break_space():
    """Seen on the Russian Churn page: the Pareto title broke between '24' and '%' (CLDR writes '24 %' with a
    no-break space, which the title wrapping treated as a place to break)."""
    from retention.charts.theme import title_lines

    with i18n.using("ru"):
        title = "«Too expensive» — самая частая причина: " + ui_text.fmt.percent(24, 0) + " из 10 821 ушедших клиентов"
        assert ui_text.fmt.percent(24, 0) == f"24{NBSP}%"
    lines = title_lines(title, 40)
    assert not any(line.endswith("24") for line in lines), lines
    assert any(f"24{NBSP}%" in line for line in lines), lines


def test_driver_figures_are_named_in_the_language():
    with i18n.using("pl"):
        assert ui_text.driver_attribute("Revenue to date") == "Przychód do dziś"
        assert ui_text.driver_attribute("Tenure") == "Staż klienta"
        assert ui_text.driver_attribute("Contract") == "Contract"  # a column of the file, as written
    assert ui_text.driver_attribute("Revenue to date") == "Revenue to date"
