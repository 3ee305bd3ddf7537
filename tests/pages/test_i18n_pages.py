"""#19, part 1: the marking mode that finds untranslated text (RETENTION_I18N_MARK), the Overview, Cohorts,
Benchmarks and What-if pages fully translated (AppTest in the marking mode: every text element is made of marked
parts, numbers and data), the CRR definition with its worked examples in every language, the benchmark
catalog's industry names, and the locale-aware helpers these pages use (retention/fmt.py compact, the report)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from retention import fmt, i18n, report, ui_text
from retention.ui_text import benchmarks as bench_text
from tests.conftest import APP, ROOT

START, END = i18n.INVISIBLE_MARKS
LANGS = list(i18n.LANGUAGES)


# ---------------------------------------------------------------- the marking mode

def test_marking_mode_wraps_every_translated_string(monkeypatch):
    monkeypatch.delenv("RETENTION_I18N_MARK", raising=False)
    assert i18n.gettext("Overview") == "Overview" and i18n.marks() is None
    monkeypatch.setenv("RETENTION_I18N_MARK", "1")
    with i18n.using("pl"):
        assert i18n.gettext("Overview") == f"{START}Przegląd{END}"
        assert i18n.ngettext("{n} customer", "{n} customers", 5).format(n=5) == f"{START}5 klientów{END}"
        assert str(ui_text.SHARE["copy"]) == f"{START}Kopiuj link{END}"
        assert fmt.month_year(pd.Timestamp("2025-03-01")) == f"{START}marzec 2025{END}"  # CLDR text counts as done
        assert fmt.number(1234.5, 1) == "1\u00a0234,5"  # numbers carry no words: never marked
    monkeypatch.setenv("RETENTION_I18N_MARK", "visible")
    assert i18n.gettext("Overview") == "⟦Overview⟧"
    assert i18n.unmark(f"⟦a⟧ {START}b{END}") == "a b"


def unmarked(text: str) -> str:
    """What is left of `text` outside every (nested) pair of markers."""
    inner = re.compile(f"{START}[^{START}{END}]*{END}")
    while True:
        text, n = inner.subn(" ", text)
        if not n:
            return text


# Not words to translate: symbols every language writes in Latin letters, and the demo's own data.
SYMBOLS = {"CRR", "CE", "CN", "CS", "CLV", "LTV", "P", "alive", "BG", "NBD", "k", "n", "ISO", "CSV", "HTML", "Excel",
           "AUC", "Kaplan", "Meier", "Wilson", "Greenwood", "sBG", "EUR", "USD", "PLN", "zł", "x", "Q", "CI", "ДИ", "α",
           "β", "p", "GRR", "NRR", "ACV", "ARPA", "SaaS", "B2B", "B2C", "DTC", "CBD", "OTT", "SVOD", "Recurly", "Demo",
           "shop", "generated", "email", "paid", "search", "organic", "social", "referral", "affiliate", "direct",
           "Too", "expensive", "Found", "better", "alternative", "No", "longer", "needed", "Moved", "away", "Other",
           "Poor", "service", "Switched", "competitor", "Subscription", "all", "c", "HVAC", "IT", "iOS", "Netflix",
           "Shopify", "MBNA", "America", "AT", "T", "Mobile", "Verizon", "KBCM", "Pacific", "Crest", "ProfitWell",
           "ARPU", "CAC", "Gupta", "Lehmann", "Fader", "Hardie", "Beta", "B", "S", "m", "r", "d", "q", "g", "N", "A",
           "t", "k", "T", "N_t", "N_0", "Σ_", "X"}


def words_left(text: str) -> list[str]:
    found = re.findall(r"[^\W\d_]+", unmarked(text))
    return [w for w in found if w not in SYMBOLS]


def _texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [e.value for e in getattr(at, kind)]
    out += [m.label for m in at.metric] + [m.value for m in at.metric] + [m.proto.delta for m in at.metric]
    out += [m.proto.help for m in at.metric if m.proto.help]
    for kind in ("selectbox", "multiselect", "radio", "number_input", "date_input", "slider", "button", "expander",
                 "tabs"):
        out += [getattr(e, "label", "") for e in getattr(at, kind)]
    return [str(t) for t in out if t]


PAGES = {"overview": None, "cohorts": "pages/cohorts.py", "benchmarks": "pages/benchmarks.py",
         "whatif": "pages/whatif.py"}


@pytest.mark.parametrize("lang", ["pl", "ja"])
def test_my_pages_have_no_untranslated_text(demo_warm, monkeypatch, lang):
    """Every text element of the Overview, Cohorts, Benchmarks and What-if pages is translated text, numbers or
    the dataset's own data (the browser test, tests/e2e/test_translated_pages.py, also reads charts and tables)."""
    monkeypatch.setenv("RETENTION_I18N_MARK", "1")
    problems = {}
    for name, path in PAGES.items():
        at = AppTest.from_file(APP, default_timeout=180)
        at.query_params["lang"] = lang
        if path:
            at.switch_page(path)
        at.run()
        assert not at.exception, (name, at.exception)
        main = [t for t in _texts(at) if "DuckDB" not in t]  # the engine caption: retention/ui/ (house helper)
        left = {w for t in main for w in words_left(t)}
        if left:
            problems[name] = sorted(left)
    assert not problems, problems


# ---------------------------------------------------------------- the definitions

@pytest.mark.parametrize("lang", LANGS)
def test_crr_definition_carries_the_formula_and_both_worked_examples(lang):
    with i18n.using(lang):
        text = str(ui_text.CRR_DEFINITION)
    assert "((CE − CN) / CS) × 100" in text
    assert "((450 − 50) / 500) × 100 = 80" in text and "((105 − 15) / 100) × 100 = 90" in text
    assert "500 + 50 − 100 = 450" in text
    word = {"en": "Customer retention rate", "pl": "Wskaźnik utrzymania klientów", "ru": "Коэффициент удержания",
            "zh": "客户保留率", "ja": "保持率 = ((CE − CN) / CS) × 100"}[lang]
    assert word in text


def test_the_worked_examples_are_right():
    """The definitions' numbers, from the formula itself."""
    def crr(cs, cn, lost):
        ce = cs + cn - lost
        return (ce - cn) / cs * 100

    assert crr(500, 50, 100) == 80 and crr(100, 15, 10) == 90


# ---------------------------------------------------------------- benchmarks: names and sentences

def test_every_industry_and_sector_of_the_catalog_has_a_name_in_every_language():
    catalog = pd.read_csv(ROOT / "data" / "benchmarks.csv")
    names = set(catalog["industry"]) | set(catalog["sector"])
    assert names <= set(bench_text.INDUSTRY_NAMES)
    for lang in ("pl", "ru", "zh", "ja"):
        with i18n.using(lang):
            same = [n for n in names if bench_text.industry_name(n) == n and any(c.islower() for c in n)
                    and n not in ("B2B SaaS", "Media", "E-commerce")]
            assert not same, (lang, same)
    assert bench_text.industry_name("My niche") == "My niche"  # a user's own file: as written


def test_benchmark_sentences_in_polish_use_local_numbers_and_names():
    row = {"sources": 5, "value": 41.94, "months": 12, "above": 0, "below": 4, "within_noise": 1,
           "low_pct": 41.8, "high_pct": 75.0}
    with i18n.using("pl"):
        line = bench_text.context(row)
        assert line.startswith("Twój wskaźnik (roczne utrzymanie klientów) wynoszący 41,9%")
        assert "poniżej 4 i w granicach szumu 1" in line and "(41,8%–75,0%)" in line
        assert bench_text.industry_name("E-commerce - all (avg)") == "E-commerce – ogółem (średnia)"
    with i18n.using("ja"):
        # "pt" (ポイント) is how Japanese writes percentage points in short; the Did it work? tiles need it short
        assert bench_text.points(3.25) in ("+3.2 pt", "+3.3 pt")


# ---------------------------------------------------------------- formats the pages use

@pytest.mark.parametrize("lang, wanted", [("en", "12.3K"), ("pl", "12,3\u00a0tys."), ("ru", "12,3\u00a0тыс."),
                                          ("zh", "1.2万"), ("ja", "1.2万")])
def test_compact_numbers_follow_the_locale(lang, wanted):
    with i18n.using(lang):
        assert fmt.compact(12_345.6) == wanted


def test_report_is_written_in_the_language_with_a_cjk_font_stack():
    frame = pd.DataFrame({"a": [1234.5]})
    with i18n.using("ja"):
        text = report.build("コホート", "データセット：デモ", [("表", frame)], footer="フッター")
    assert "<html lang='ja'>" in text and "Noto Sans CJK JP" in text
    assert "<td>1,234.50</td>" in text and "作成日時：" in text
    with i18n.using("pl"):
        assert "<td>1\u00a0234,50</td>" in report.build("t", "s", [("rows", frame)])
