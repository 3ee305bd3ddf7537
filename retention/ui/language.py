"""The language of the session: chosen from the link, the session's pick or the browser, and the sidebar's
picker (retention/i18n.py does the translating)."""

from __future__ import annotations

import streamlit as st

from retention import i18n, ui_text

LANGUAGE = "language"  # session key: the language this session reads in
LANGUAGE_PICKER = "frame_language"


def apply_language() -> str:
    """Decide this run's language (?lang=, then this session's choice, then the browser's) and make it current;
    keep it in the link (see i18n.in_link). app.py calls this first, before any text is written."""
    linked = st.query_params.get("lang")
    browser = getattr(st.context, "locale", None)
    code = i18n.set_language(i18n.choose(linked, st.session_state.get(LANGUAGE), browser))
    st.session_state[LANGUAGE] = code
    if i18n.in_link(code, linked, browser) and linked != code:
        st.query_params["lang"] = code
    return code


def _language_picked() -> None:
    code = st.session_state[LANGUAGE_PICKER]
    st.session_state[LANGUAGE] = code
    st.query_params["lang"] = code  # the page, the dataset and the controls' parameters stay as they are


def language_picker() -> None:
    """The sidebar's language choice, each language named in itself."""
    st.session_state[LANGUAGE_PICKER] = i18n.language()
    st.selectbox(ui_text.LANGUAGE_LABEL, list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get,
                 key=LANGUAGE_PICKER, on_change=_language_picked)
