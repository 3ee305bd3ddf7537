"""The translation catalogs (locale/): every string the code marks for translation is translated in every
language, placeholders match between the English source and each translation, plural forms follow each
language's grammar, and the committed .mo files are the compiled .po files (the app reads the .mo)."""

from __future__ import annotations

import re
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from retention import i18n

ROOT = Path(__file__).resolve().parents[2]
LANGS = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
NPLURALS = {"pl": 3, "ru": 3, "zh": 1, "ja": 1}  # CLDR / gettext: one, few, many · a single form


def _catalog(lang: str):
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def _extracted() -> set:
    """The msgids the code marks now (babel.cfg, keywords _, ngettext, L), as scripts/i18n extracts them."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = dict(DEFAULT_KEYWORDS, L=None)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map, keywords):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.fixture(scope="module")
def extracted():
    return _extracted()


def _placeholders(text: str) -> tuple[set, set]:
    """({name} fields, %(name)s fields) of a message."""
    braces = {field.split(".")[0].split("[")[0].split("!")[0] for _, field, _, _ in string.Formatter().parse(text)
              if field is not None}
    return braces, set(re.findall(r"%\((\w+)\)", text))


def test_the_frame_is_marked(extracted):
    for wanted in ("Overview", "Dataset", "Sign in", "Copy link", "Customers kept per month", "Language",
                   ("{n} customer", "{n} customers")):
        assert wanted in extracted


@pytest.mark.parametrize("lang", LANGS)
def test_every_marked_string_is_translated(lang, extracted):
    catalog = _catalog(lang)
    untranslated = []
    for msgid in sorted(extracted, key=str):
        message = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = (message.string if isinstance(message.string, tuple) else (message.string,)) if message else ()
        if message is None or message.fuzzy or not strings or not all(strings):
            untranslated.append(msgid)
    assert not untranslated, f"{lang}: not translated (run scripts/i18n, then fill in the .po): {untranslated}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_the_source(lang):
    for message in _catalog(lang):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = _placeholders(sources[-1])
        assert all(_placeholders(s) == wanted for s in sources), sources
        for text in translations:
            assert _placeholders(text) == wanted, f"{lang}: {text!r} has other placeholders than {sources[-1]!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_per_language(lang):
    catalog = _catalog(lang)
    assert catalog.num_plurals == NPLURALS[lang]
    plurals = [m for m in catalog if isinstance(m.id, tuple)]
    assert plurals
    for message in plurals:
        assert len(message.string) == NPLURALS[lang] and all(message.string), message.id


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_mo_is_the_po(lang):
    def plain(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    po = {plain(m.id): plain(m.string) for m in _catalog(lang) if m.id and not m.fuzzy}
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        mo = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}
    assert mo == po, f"{lang}: messages.mo is stale: run `scripts/i18n compile` and commit both files"


def test_the_glossary_names_every_language():
    glossary = (ROOT / "locale" / "GLOSSARY.md").read_text(encoding="utf-8")
    for term in ("churn", "retention", "cohort", "CRR", "CLV", "win-back", "P(alive)"):
        assert term in glossary
    for word in ("odejścia", "отток", "流失", "離脱", "kohorta", "когорта", "同期群", "コホート"):
        assert word in glossary


# The names of the figures and models in formulas and definitions: every language writes them as the English does.
FORMULA_TOKENS = re.compile(r"(?<![\w/])(CRR|CS|CN|CE|NRR|GRR|sBG|BG/NBD|P\(alive\)|CLV|LTV|CAC|ARPU)(?![\w/])")
OPERATORS = "×÷−"
# Written another way on purpose: the Japanese CRR definition names the ratio 保持率 in the formula and the worked
# examples, as Japanese retention articles do (docs/languages.md); CRR stays in its heading.
OWN_WAY = {("ja", "**Customer retention rate (CRR)**"): {"CRR"}}


def _formula_shape(text: str) -> dict:
    """What a translation keeps from its source: Markdown bold and code marks, lines, the formula tokens."""
    return {"**": text.count("**"), "`": text.count("`"), "lines": text.count("\n"),
            "tokens": Counter(FORMULA_TOKENS.findall(text))}


@pytest.mark.parametrize("lang", LANGS)
def test_formulas_and_markup_match_the_source(lang):
    """Each translation has the source's **bold** and `code` marks, its line structure, the same formula tokens
    (CRR, CS, CN, CE, NRR, GRR, sBG, BG/NBD, P(alive), CLV, LTV, CAC, ARPU) as often, and every ×, ÷ and − of the
    source (a translation may write a word of the source as a symbol: "over" as ÷)."""
    wrong = []
    for message in _catalog(lang):
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        excused = next((tokens for (code, start), tokens in OWN_WAY.items() if code == lang and source.startswith(start)),
                       set())
        wanted = _formula_shape(source)
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            got = _formula_shape(text)
            for token in excused:  # still named at least once
                assert got["tokens"][token] >= 1, (lang, token, text)
                wanted["tokens"].pop(token, None), got["tokens"].pop(token, None)
            missing = [op for op in OPERATORS if text.count(op) < source.count(op)]
            if got != wanted or missing:
                wrong.append((source[:60], {k: (wanted[k], got[k]) for k in wanted if wanted[k] != got[k]}, missing))
    assert not wrong, f"{lang}: translations that lost markup, lines or formula symbols: {wrong}"
