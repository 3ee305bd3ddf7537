"""#19 in a real browser: a link with ?lang=ja or ?lang=ru opens the Overview in that language, with the locale's
number format; Chinese/Japanese glyphs render (Debian fonts-noto-cjk, installed by scripts/test). Screenshots
(test-artifacts/e2e/languages_*.png) are for looking at: labels not cut, CJK not boxes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e_helpers import metric_value, open_page, screenshot

SLOW = 120_000  # ms: the first run of a page on a busy machine

CASES = {
    "ja": {"nav": "概要", "metric": "顧客", "heading": "顧客を維持できているか？", "number": r"^20,000$"},
    "ru": {"nav": "Обзор", "metric": "Клиенты", "heading": "Удерживаем ли мы клиентов?", "number": r"^20\u00a0000$"},
}

@pytest.fixture
def lang_url(app_url):
    """The shared server (conftest.app_url, warmed up with a patient first run): the language is per session."""
    return app_url


# Whether the glyph of a character comes from a real font: a missing glyph is drawn as the same box for every
# character, so two different CJK characters measuring exactly like two boxes of the fallback means no font.
GLYPHS_DIFFER = """() => {
    const c = document.createElement('canvas').getContext('2d');
    c.font = '32px sans-serif';
    const a = c.measureText('概').width, b = c.measureText('顧').width, tofu = c.measureText('\\uFFFF').width;
    return {a, b, tofu};
}"""


@pytest.mark.parametrize("lang", list(CASES))
def test_shared_link_opens_overview_in_its_language(page, lang_url, lang):
    want = CASES[lang]
    open_page(page, f"{lang_url}/?lang={lang}", timeout_ms=SLOW)
    expect(page.get_by_role("heading", name=want["heading"])).to_be_visible(timeout=SLOW)
    expect(metric_value(page, want["metric"])).to_have_text(re.compile(want["number"]), timeout=SLOW)
    expect(page.get_by_test_id("stSidebarNav").get_by_text(want["nav"], exact=True)).to_be_visible(timeout=SLOW)
    expect(page.get_by_test_id("stSidebar").get_by_text({"ja": "言語", "ru": "Язык"}[lang], exact=True)).to_be_visible()
    assert f"lang={lang}" in page.url
    if lang == "ja":
        glyphs = page.evaluate(GLYPHS_DIFFER)
        assert glyphs["a"] > 0 and glyphs["a"] != glyphs["tofu"], glyphs  # a CJK font is installed and used
    screenshot(page, f"languages_overview_{lang}")


def test_switching_language_keeps_the_page_and_its_controls(page, lang_url):
    open_page(page, f"{lang_url}/churn?window=60", timeout_ms=SLOW)
    box = page.get_by_test_id("stSidebar").get_by_role("combobox").last  # the language picker, last in the sidebar
    box.click()
    page.get_by_role("option", name="Polski", exact=True).click()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Przegląd", exact=True)).to_be_visible(timeout=SLOW)
    page.wait_for_url(re.compile(r"lang=pl"), timeout=SLOW)
    assert "/churn" in page.url and "window=60" in page.url
    screenshot(page, "languages_churn_pl")
