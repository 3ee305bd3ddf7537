"""The language in use and translated text. No Streamlit: app.py decides the language once per run
(retention/ui_i18n.py) and everything below reads it.

The current language lives in a context variable, so it is per session, never per process: Streamlit runs
each session's script in its own thread, and a new thread starts with a fresh context (the default, English).

    _("Customers")                          → the text in the current language (gettext catalogs in locale/)
    ngettext("{n} customer", "{n} customers", n).format(n=n)   → the right plural form (pl/ru have three)
    L("Customers")                          → a lazy string for module-level constants (retention/ui_text/):
                                              translated each time it is used (str(), f-strings, .format, %, +)

Catalogs: locale/<lang>/LC_MESSAGES/messages.po (what translators edit) and the compiled messages.mo next to
it (what gettext reads); `scripts/i18n` extracts the strings, updates the .po files and compiles them.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
# Code → the language's own name, as the picker shows it (a reader looks for the name they can read).
LANGUAGES = {"en": "English", "pl": "Polski", "ru": "Русский", "zh": "中文", "ja": "日本語"}
# Babel/CLDR locale behind each code, for number, money and date formats (retention/fmt.py). English is British
# English, as the rest of the text: day-first dates ("6 January 2027"), the week starting on Monday.
CLDR = {"en": "en_GB", "pl": "pl_PL", "ru": "ru_RU", "zh": "zh_Hans_CN", "ja": "ja_JP"}

_current: contextvars.ContextVar[str] = contextvars.ContextVar("retention_language", default=DEFAULT)


def normalize(code: object) -> str | None:
    """A language code we offer from anything a browser or a link says ('pl-PL', 'zh-Hans-CN', 'JA', 'ru_RU'),
    else None."""
    if not isinstance(code, str) or not code.strip():
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def choose(linked: object, chosen: object, browser: object) -> str:
    """The language of a run: the link's (?lang=, so a shared view opens in the sender's language), else the
    one this session chose before, else the browser's (Streamlit's st.context.locale), else English."""
    return normalize(linked) or normalize(chosen) or normalize(browser) or DEFAULT


def in_link(code: str, linked: object, browser: object) -> bool:
    """Whether the link should say lang=code: always once a link said a language, and whenever the view is not
    in the English a receiver's browser would give without it (so a receiver opens it in the same language)."""
    return linked is not None or code != DEFAULT or code != (normalize(browser) or DEFAULT)


def set_language(code: str | None) -> str:
    """Make `code` the language of this context (this session's run); unknown codes mean English.
    Returns the code set."""
    code = normalize(code) or DEFAULT
    _current.set(code)
    return code


def language() -> str:
    """The current language code ('en', 'pl', 'ru', 'zh', 'ja')."""
    return _current.get()


def cldr_locale() -> str:
    """The Babel locale of the current language (e.g. 'pl_PL')."""
    return CLDR[language()]


@contextlib.contextmanager
def using(code: str | None) -> Iterator[str]:
    """Run a block in another language (tests, a report written in a given language), then restore."""
    token = _current.set(normalize(code) or DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@lru_cache(maxsize=None)
def translations(code: str) -> _gettext.NullTranslations:
    """The compiled catalog of a language (English, or a language without a catalog: the source text)."""
    if code == DEFAULT:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True)


# Acceptance mode (tests/e2e/test_translated_pages.py): with RETENTION_I18N_MARK set, every string that went
# through the catalogs is wrapped in markers, so any text on screen outside a pair of markers was never marked
# for translation. "1" (or any value): invisible marks (U+2063 … U+2064, default-ignorable, the layout does not
# change); "visible": ⟦ … ⟧ for a person looking at the page.
MARKS = {"visible": ("\u27e6", "\u27e7")}
INVISIBLE_MARKS = ("\u2063", "\u2064")


def marks() -> tuple[str, str] | None:
    """The (start, end) markers of the acceptance mode, or None when it is off (the default)."""
    mode = os.environ.get("RETENTION_I18N_MARK", "").strip().lower()
    if mode in ("", "0", "false", "no"):
        return None
    return MARKS.get(mode, INVISIBLE_MARKS)


def marked(text: str) -> str:
    """`text` between the acceptance mode's markers when the mode is on (text already in the current language
    that did not come from a catalog: month names and dates from CLDR, retention/fmt.py); else unchanged."""
    pair = marks()
    return f"{pair[0]}{text}{pair[1]}" if pair and text else text


def gettext(message: str) -> str:
    return marked(translations(language()).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` by the language's own plural rule (the catalog's Plural-Forms header):
    Polish and Russian have three forms, Chinese and Japanese one."""
    return marked(translations(language()).ngettext(singular, plural, n))


def unmark(text: str) -> str:
    """Text without the acceptance mode's markers (for code that compares or parses translated text)."""
    for pair in (INVISIBLE_MARKS, *MARKS.values()):
        for mark in pair:
            text = text.replace(mark, "")
    return text


_ = gettext


class L:
    """A lazy translatable string for module-level constants: the English source is kept, and every use
    (str(), f-strings, format(), .format(), %, +, ==) translates it into the language current at that moment.

    Not a str subclass on purpose: a str subclass carries its English value into every C-level use (joins,
    protobuf fields, json), silently untranslated. Code that needs a real string calls str() on it; Streamlit
    does so for labels, markdown and help texts."""

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    def __str__(self) -> str:
        return gettext(self.source)

    def __repr__(self) -> str:
        return f"L({self.source!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str(self).format(*args, **kwargs)

    def __mod__(self, values: Any) -> str:
        return str(self) % values

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, (str, L)) else other)

    def __hash__(self) -> int:
        return hash(self.source)

    def __len__(self) -> int:
        return len(str(self))

    def __getitem__(self, index: Any) -> str:
        return str(self)[index]

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def __getattr__(self, name: str) -> Any:  # .lower(), .split(), .strip() …: on the translated text
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(str(self), name)


def text(value: object) -> str:
    """A plain str from a str or an L (for code that must hand a real str on, e.g. to json or a file)."""
    return str(value)
