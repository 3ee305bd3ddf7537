"""The language of a session (retention/i18n.py), lazy strings, local formats (retention/fmt.py, expected strings
written by hand from CLDR: pl/ru group with a no-break space U+00A0 and use a decimal comma), charts' separators,
and the frame in Polish (AppTest)."""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from retention import fmt, i18n, ui_text
from retention.charts import theme
from retention.i18n import L, _, ngettext
from tests.conftest import APP

NBSP = "\u00a0"


# ---------------------------------------------------------------- choosing and holding the language

def test_normalize_reads_browser_and_link_codes():
    assert [i18n.normalize(c) for c in ("pl-PL", "zh-Hans-CN", "JA", "ru_RU", "en-US", "de-DE", "", None, 3)] == \
        ["pl", "zh", "ja", "ru", "en", None, None, None, None]


def test_choose_prefers_the_link_then_the_session_then_the_browser():
    assert i18n.choose("ja", "pl", "ru-RU") == "ja"
    assert i18n.choose("xx", "pl", "ru-RU") == "pl"  # an unknown code in a link is ignored
    assert i18n.choose(None, None, "ru-RU") == "ru"
    assert i18n.choose(None, None, "de-DE") == "en"


def test_the_link_carries_the_language_a_receiver_would_not_get_anyway():
    assert i18n.in_link("pl", None, "pl-PL")  # a receiver with an English browser must still see Polish
    assert not i18n.in_link("en", None, "en-US")  # English from an English browser: links stay as they were
    assert i18n.in_link("en", None, "pl-PL")  # chose English over the browser's Polish
    assert i18n.in_link("en", "en", None)


def test_language_is_per_context_not_per_process():
    i18n.set_language("pl")
    seen = []
    thread = threading.Thread(target=lambda: seen.append((i18n.language(), _("Overview"))))
    thread.start()
    thread.join()
    assert seen == [("en", "Overview")] and _("Overview") == "Przegląd"  # another session's thread: English
    with i18n.using("ja"):
        assert _("Overview") == "概要"
    assert i18n.language() == "pl"
    i18n.set_language(None)
    assert i18n.language() == "en" and _("Overview") == "Overview"


@pytest.mark.parametrize("lang, forms", [
    ("pl", {1: "1 klient", 2: "2 klientów", 5: "5 klientów", 22: "22 klientów", 112: "112 klientów"}),
    ("ru", {1: "1 клиент", 2: "2 клиента", 5: "5 клиентов", 21: "21 клиент", 112: "112 клиентов"}),
    ("ja", {1: "顧客 1 人", 5: "顧客 5 人"}),
])
def test_plural_forms_follow_the_language(lang, forms):
    with i18n.using(lang):
        for n, wanted in forms.items():
            assert ngettext("{n} customer", "{n} customers", n).format(n=n) == wanted


def test_polish_days_and_orders_take_their_three_forms():
    with i18n.using("pl"):
        assert [ui_text.days(n) for n in (1, 3, 5)] == ["1 dzień", "3 dni", "5 dni"]
        assert [ui_text.count_of("orders", n) for n in (1, 3, 5, 1235)] == \
            ["1 zamówienie", "3 zamówienia", "5 zamówień", f"1{NBSP}235 zamówień"]


# ---------------------------------------------------------------- lazy strings

def test_lazy_string_translates_at_use_time():
    label = L("Customers")
    with i18n.using("pl"):
        assert str(label) == "Klienci" and f"{label}" == "Klienci" and f"{label:>9}" == "  Klienci"
        assert "{}".format(label) == "Klienci" and "%s" % label == "Klienci"
        assert label + " (2)" == "Klienci (2)" and "— " + label == "— Klienci"
        assert label == "Klienci" and label.upper() == "KLIENCI" and label[:3] == "Kli" and len(label) == 7
        assert ui_text.ENGINE_SETTING_PROBLEM.format(problem="x").startswith("Ustawienie silnika")
    assert str(label) == "Customers" and label == "Customers"


def _lazy_page():
    import streamlit as st

    from retention import i18n as i
    from retention import ui_text as t

    i.set_language(st.query_params.get("lang"))
    st.markdown(t.SHARE["copy"])
    st.metric(t.HEADLINE["customer_retention_month"][0], "1", help=t.HEADLINE["customer_retention_month"][1])
    st.caption(f"{t.SHARE['copied']}!")


def test_lazy_strings_in_streamlit_elements():
    at = AppTest.from_function(_lazy_page)
    at.query_params["lang"] = "pl"
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "Kopiuj link"
    assert at.metric[0].label == "Klienci utrzymani w miesiącu"
    assert at.metric[0].proto.help.startswith("Spośród klientów aktywnych")
    assert at.caption[0].value == "Link skopiowany!"


# ---------------------------------------------------------------- local formats

@pytest.mark.parametrize("lang, wanted", [
    ("en", "1,234.5"), ("zh", "1,234.5"), ("ja", "1,234.5"), ("pl", f"1{NBSP}234,5"), ("ru", f"1{NBSP}234,5")])
def test_number(lang, wanted):
    with i18n.using(lang):
        assert fmt.number(1234.5, 1) == wanted
        assert fmt.number(None) == "–"


def test_percent_money_dates_per_locale():
    march = dt.date(2025, 3, 5)
    cases = {  # percent(12.34), money(1234.5 EUR), money(-9876 PLN, 0), month_year, date, week start
        # (CLDR: ru writes a narrow no-break space U+202F before "г.")
        "en": ("12.3%", "1,234.50 EUR", "-9,876 PLN", "March 2025", "5 March 2025", 0),
        "pl": ("12,3%", f"1{NBSP}234,50{NBSP}€", f"-9{NBSP}876{NBSP}zł", "marzec 2025", "5 marca 2025", 0),
        "ru": (f"12,3{NBSP}%", f"1{NBSP}234,50{NBSP}€", f"-9{NBSP}876{NBSP}PLN", "март 2025", "5 марта 2025\u202fг.", 0),
        "zh": ("12.3%", "€1,234.50", "-PLN9,876", "2025年3月", "2025年3月5日", 0),
        "ja": ("12.3%", "€1,234.50", "-PLN9,876", "2025年3月", "2025年3月5日", 6),
    }
    for lang, (pct, eur, pln, month, day, week) in cases.items():
        with i18n.using(lang):
            got = (fmt.percent(12.34), fmt.money(1234.5, "EUR"), fmt.money(-9876, "PLN", decimals=0),
                   fmt.month_year(pd.Timestamp(march)), fmt.date(march), fmt.week_start())
            assert got == (pct, eur, pln, month, day, week), lang


def test_money_without_currency_and_with_sign():
    with i18n.using("pl"):
        assert fmt.money(1234.5, None) == f"1{NBSP}234,50"
        assert fmt.money(12.5, "EUR", sign=True) == f"+12,50{NBSP}€"
    assert fmt.money(12.5, "USD", sign=True) == "+12.50 USD"


def test_headline_window_and_value_in_the_language():
    row = {"window_start": dt.date(2025, 1, 1), "window_end": dt.date(2025, 12, 31)}
    assert ui_text.headline_window(row) == "Jan 2025 – Dec 2025"
    with i18n.using("pl"):
        assert ui_text.headline_window(row) == "sty 2025 – gru 2025"
        assert ui_text.headline_value("customer_retention_month", 80.0) == "80,0%"
        assert ui_text.headline_label({"figure": "customer_retention_span", "period": "5 months"}) == \
            "Klienci utrzymani w ciągu 5 miesięcy"


def test_chart_separators_and_date_ticks_follow_the_locale():
    months = pd.date_range("2025-01-01", periods=3, freq="MS")

    def build():
        fig = go.Figure(go.Scatter(x=months, y=[1200.5, 1300.25, 1250.0]))
        return theme.style(fig, "t")

    english = build()
    assert english.layout.separators == ".," and english.layout.xaxis.tickformat is None
    with i18n.using("pl"):
        polish = build()
    assert polish.layout.separators == "," + NBSP
    assert polish.layout.xaxis.tickformat == "%m.%Y" and polish.layout.yaxis.tickformat is None
    with i18n.using("ja"):
        assert build().layout.xaxis.tickformat == "%Y年%-m月"


# ---------------------------------------------------------------- the frame in a language (AppTest)

def _app(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if lang:
        at.query_params["lang"] = lang
    return at


def test_link_with_lang_opens_the_frame_and_overview_in_polish(demo_env):
    at = _app("pl").run()
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric]
    assert "Klienci" in labels and "Przychód" in labels
    assert dict((m.label, m.value) for m in at.metric)["Klienci"] == f"20{NBSP}000"
    assert [s.label for s in at.sidebar.selectbox] == ["Zbiór danych", "Język"]
    assert "Czy utrzymujemy klientów?" in [h.value for h in at.subheader]
    assert at.query_params["lang"] == "pl"


def test_switching_language_keeps_the_dataset_and_the_link(demo_env):
    at = _app().run()
    assert [m.label for m in at.metric][0] == "Customers"
    at.sidebar.selectbox(key="frame_language").set_value("ru").run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric][0] == "Клиенты"
    assert at.query_params["lang"] == "ru"
    assert at.session_state["dataset_id"] == "demo"


def test_overview_sparkline_follows_the_locale():
    """Seen on the Russian screenshot: the sparkline (built without theme.style) kept English month ticks."""
    from retention.charts import overview as overview_charts

    done = pd.DataFrame({"period_start": pd.date_range("2025-01-01", periods=4, freq="MS"),
                         "crr_pct": [91.5, 92.25, 90.0, 93.0]})
    with i18n.using("ru"):
        fig = overview_charts.kept_sparkline(done, "Kept (%)")
    assert fig.layout.separators == "," + NBSP and fig.layout.xaxis.tickformat == "%m.%Y"


@pytest.mark.parametrize("lang, zero, pct", [("en", "0.00", "0.0%"), ("pl", "0,00", "0,0%")])
def test_a_value_that_rounds_to_zero_is_written_without_a_sign(lang, zero, pct):
    from retention import fmt

    with i18n.using(lang):
        assert fmt.number(-0.0, 2, sign=True) == zero
        assert fmt.number(-0.004, 2, sign=True) == zero and fmt.number(0.004, 2, sign=True) == zero
        assert fmt.percent(-0.04, 1).replace("\u00a0", "") == pct
        assert fmt.number(0.006, 2, sign=True) == ("+0.01" if lang == "en" else "+0,01")
