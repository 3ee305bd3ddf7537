"""#19 acceptance: every page of the demo in Polish, Japanese and Russian, and of one saved fixture in Polish and
Chinese (the fixture's pages in all five languages in AppTest), with the marking mode on
(RETENTION_I18N_MARK=1: each string that went through the catalogs is wrapped in invisible markers U+2063 …
U+2064, retention/i18n.py). On each page:

- no error box, no traceback;
- no untranslated text in the main area: what is left of its text after removing every marked part, the data
  (dataset name, segment values, cohort labels) and numbers, must hold no word, in any language (an English
  word left in a Japanese page is as wrong as one in the English page: the English page is marked too);
- numbers in the locale's format (pl/ru: no "1,234" or "12.5"; en/zh/ja: no "1 234");
- no text cut off: no label, metric or button whose text is clipped (scrollWidth beyond its box).

One server, one browser page reused for all runs (a run is a goto, a new session of the same server).
tests/languages/test_translated_upload.py holds the uploaded file to the same rule in AppTest, where the charts'
hover texts and the upload page's validation are reachable too.
Screenshots of Overview, Cohorts and Churn in the five languages at 1440 px: test-artifacts/e2e/lang-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from e2e_helpers import ARTIFACTS, StreamlitServer, assert_clean, data_dir_with_demo, open_page, screenshot

SLOW = 180_000  # ms: a page's first run on a busy machine
# English is the catalogs' source: a string that skips them shows in English in every language, so the
# translations catch it; English pages are what every other browser test reads. Chinese is drawn on the uploaded
# file below, and every page of that file goes through all five languages in AppTest
# (tests/languages/test_translated_upload.py).
LANGS = ["pl", "ja", "ru"]
PAGES = {"overview": "", "cohorts": "cohorts", "churn": "churn", "customers": "customers",
         "benchmarks": "benchmarks", "whatif": "whatif", "impact": "impact", "data": "data"}
# Translated on other branches this session (lang2: churn, data; model: customers; impact: impact).
# EMPTY THIS after merging them: then every page is held to "no untranslated text".
OWNED_ELSEWHERE: set[str] = set()  # every page is translated now
SCREENSHOTS = {"overview", "cohorts", "churn"}
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "h_woocommerce_orders_14_months.csv"

START, END = "\u2063", "\u2064"
# Not words: the product's and metrics' own symbols, which every language writes in Latin letters.
SYMBOLS = {"CRR", "CE", "CN", "CS", "CLV", "LTV", "P", "alive", "BG", "NBD", "k", "n", "Q", "ISO", "CSV", "HTML",
           "PNG", "Excel", "AUC", "Kaplan", "Meier", "Wilson", "Greenwood", "EUR", "USD", "PLN", "GBP", "RUB", "CNY",
           "JPY", "zł", "x", "e", "g"}

DRAWN = """() => !document.querySelector("[data-testid='stMain'] [data-testid='stSkeleton']")
    && [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(chart => chart.querySelector(".main-svg"))"""

MAIN_TEXT = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    const out = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        // icons are ligature names in text ("description", "keyboard_arrow_down"), not words
        // chart ticks: plotly writes them from the locale's tick formats (retention/fmt.py plotly_formats)
        if (!parent || parent.closest("style, script, [data-testid='stTooltipContent'], .hoverlayer, "
                                      + "[data-testid='stIconMaterial'], [data-testid='stExpanderIcon'], "
                                      + ".xtick, .ytick, .x2tick, .y2tick")) continue;
        if (getComputedStyle(parent).fontFamily.includes("Material")) continue;  // an icon's ligature name
        const box = parent.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;  // collapsed expanders, hidden tabs
        out.push(node.nodeValue);
    }
    return out.join("\\n");
}"""

# Elements whose text is clipped: a label, metric, button or tab narrower than its text.
CLIPPED = """() => {
    const sel = "[data-testid='stMetricLabel'], [data-testid='stMetricValue'], [data-testid='stWidgetLabel'], "
              + "button p, [data-baseweb='tab'] p, [data-testid='stPageLink'] p, [data-testid='stMarkdownContainer'] p";
    const out = [];
    for (const el of document.querySelectorAll("[data-testid='stMain'] " + sel.split(", ").join(", [data-testid='stMain'] "))) {
        const style = getComputedStyle(el);
        if (el.getBoundingClientRect().width === 0) continue;
        if (el.scrollWidth > el.clientWidth + 2 && (style.overflow === "hidden" || style.textOverflow === "ellipsis"
            || style.overflowX === "hidden")) out.push(el.innerText.slice(0, 80));
        for (const child of el.querySelectorAll("*")) {
            const s = getComputedStyle(child);
            if (s.textOverflow === "ellipsis" && child.scrollWidth > child.clientWidth + 2) out.push(child.innerText.slice(0, 80));
        }
    }
    return out;
}"""


def unmarked(text: str) -> str:
    """The text outside every pair of markers (marked strings nest when one is put into another)."""
    inner = re.compile(f"{START}[^{START}{END}]*{END}")
    while True:
        text, n = inner.subn(" ", text)
        if not n:
            return text.replace(START, " ").replace(END, " ")


def words(text: str, data: set[str]) -> list[str]:
    """Words (letters of any script) in unmarked text that are neither data nor symbols."""
    for value in sorted(data, key=len, reverse=True):  # multi-word data values first
        if value:
            text = text.replace(value, " ")
    found = re.findall(r"[^\W\d_]+", text)
    return [w for w in found if w not in SYMBOLS and len(w) > 1 or re.match(r"[^\x00-\u024f]", w)]


def bad_numbers(text: str, lang: str) -> list[str]:
    """Numbers written another locale's way (text outside markers and inside: formatted values are never marked,
    but a sentence's {n} is filled in after translating, so look at the whole text)."""
    plain = text.replace(START, "").replace(END, "")
    for pattern in OWNED_ELSEWHERE_TEXT + [r"p [=<] \d[.,]\d{3}"]:  # a p-value of 1 in Polish is "p = 1,000"
        plain = re.sub(pattern, " ", plain)
    if lang in ("pl", "ru"):  # "1,234" grouped the English way ("0,001" is a Polish decimal), "12.5"
        return re.findall(r"(?<![\d.,])[1-9]\d{0,2},\d{3}(?![\d,])|(?<![\d.])\d+\.\d+(?![\d.])", plain)
    return re.findall(r"(?<!\d)\d{1,3}[\u00a0\u202f ]\d{3}(?!\d)", plain)


@pytest.fixture(scope="module")
def marked_server(browser, tmp_path_factory, demo_file, log_dir):
    data_dir = data_dir_with_demo(tmp_path_factory.mktemp("translated"), demo_file)
    running = StreamlitServer(data_dir, log_dir, env={"RETENTION_I18N_MARK": "1"}).start()
    context = browser.new_context()
    try:
        open_page(context.new_page(), running.url, timeout_ms=SLOW)
    finally:
        context.close()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def fixture_dataset(marked_server) -> str:
    """The fixture saved as an upload is (the same preparation and store), into the server's data directory."""
    import os

    from retention import store
    from retention.ingest.canonical import prepare

    before = os.environ.get("RETENTION_DATA_DIR")
    os.environ["RETENTION_DATA_DIR"] = str(marked_server.data_dir)
    try:
        dataset_id, _ = store.create_dataset(prepare(FIXTURE.read_bytes(), FIXTURE.name, "purchases"), None,
                                             "Woo shop")
    finally:
        if before is None:
            del os.environ["RETENTION_DATA_DIR"]
        else:
            os.environ["RETENTION_DATA_DIR"] = before
    return dataset_id


def check_page(page, url: str, name: str, lang: str, data: set[str]) -> list[str]:
    """Open one page in one language; the problems found (an empty list when it passes)."""
    open_page(page, url, timeout_ms=SLOW)
    # the run is over, but the browser may still be drawing: wait until no element is a loading placeholder
    page.wait_for_function(DRAWN, timeout=SLOW)
    assert_clean(page)
    text = page.evaluate(MAIN_TEXT)
    problems = []
    if name in OWNED_ELSEWHERE:  # only "no error" until its branch is merged
        return problems
    rest = unmarked(text)
    for pattern in OWNED_ELSEWHERE_TEXT + STREAMLIT_OWN_TEXT:
        rest = re.sub(pattern, " ", rest)
    left = [w for w in words(rest, data | PUBLISHERS) if not (lang == "en" and w in ENGLISH_MONTHS)]
    if left:
        problems.append(f"{name} [{lang}] untranslated: {sorted(set(left))[:40]}")
    clipped = page.evaluate(CLIPPED)
    if clipped:
        problems.append(f"{name} [{lang}] text cut off: {clipped[:10]}")
    numbers = bad_numbers(text, lang)
    if numbers:
        problems.append(f"{name} [{lang}] numbers not in the locale's format: {numbers[:10]}")
    if problems:  # as they are found: a long run can be read while it goes on
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with open(ARTIFACTS / "translation-problems.txt", "a") as out:
            out.write("\n".join(problems) + "\n")
    return problems


# Data shown as it is in the file: the demo's name, its segment names and values, churn reasons, the fixture's
# name, and the benchmark catalog's publishers (names of sources are not translated).
DEMO_DATA = {"Demo shop (generated)", "Demo shop", "Woo shop", "channel", "plan", "country", "Too expensive",
             "Found a better alternative", "No longer needed", "Moved away", "Poor service", "Other",
             *(v for s in ("email", "paid search", "organic", "social", "referral", "affiliate", "direct", "paid social")
               for v in (s, s.capitalize(), s.title()))}
PUBLISHERS = set(pd.read_csv(Path(__file__).resolve().parents[2] / "data" / "benchmarks.csv")["publisher"])
# Names that are not words to translate (the engine's name and version); Streamlit's own widget texts cannot be
# translated from here.
OWNED_ELSEWHERE_TEXT = [r"DuckDB \d[\d.]*"]
STREAMLIT_OWN_TEXT = [r"Drag and drop files? here", r"(Limit )?\d+MB per file[^\n]*", r"Browse files", r"\bUpload\b",
                      r"\b(yyyy|mm|dd|YYYY|MM|DD)\b",  # the uploader's own words; a date box's placeholder
                      r"\b(CSV|TSV|TXT|XLSX|XLSM|XLSB|XLS|ODS|PARQUET|GZ|ZIP)\b"]  # the file box's accepted types
# English pages: plotly names months itself on date axes and in hover text.
ENGLISH_MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_of_the_demo_is_translated(page, marked_server, lang):
    page.set_viewport_size({"width": 1440, "height": 2200})
    problems = []
    for name, path in PAGES.items():
        problems += check_page(page, f"{marked_server.url}/{path}?lang={lang}", name, lang, DEMO_DATA)
        if name in SCREENSHOTS:
            screenshot(page, f"lang-{name}-{lang}")
    assert not problems, "\n".join(problems)


# The fixture's own column names and values (data, shown as written).
FIXTURE_DATA = {"Attribution", "Customer type", "Organic: Google", "Direct", "Unknown", "Referral: Facebook.com",
                "Organic", "Google", "Referral", "Facebook", "com", "new", "returning"}


# In the browser: one language with a comma decimal and one written without spaces between words. The uploaded
# file goes through every page in all five languages in AppTest (tests/languages/test_translated_upload.py),
# under the same rule; the browser adds what only a browser shows (clipped text, the drawn page).
UPLOAD_LANGS = ["pl", "zh"]


@pytest.mark.parametrize("lang", UPLOAD_LANGS)
def test_every_page_of_an_uploaded_file_is_translated(page, marked_server, fixture_dataset, lang):
    page.set_viewport_size({"width": 1440, "height": 2200})
    problems = []
    for name, path in PAGES.items():
        if name == "data":
            continue
        problems += check_page(page, f"{marked_server.url}/{path}?dataset={fixture_dataset}&lang={lang}", name,
                               lang, DEMO_DATA | FIXTURE_DATA)
    assert not problems, "\n".join(problems)
