"""The address of a view: the page's controls kept in the URL (page_state), the share link in the sidebar with
its Copy button, and pages always run through app.py, also when a deep link is the first request."""

from __future__ import annotations

from typing import Any

import streamlit as st

from retention import i18n
from retention.ui.connections import CURRENT
from retention.ui.language import LANGUAGE


def share_link() -> str:
    """The address of this exact view: page, dataset and the page's controls (see page_state)."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return base + ("?" + urlencode(params, doseq=True) if params else "")


FRAME_PARAMS = ("dataset", "lang")  # query parameters of the frame, kept by every page's own


def to_view(dataset_id: str, page: type, **chosen: Any) -> dict[str, list[str]]:
    """The query parameters of a link (st.page_link) to `page`'s view of this dataset with these controls set
    (fields of the retention.state dataclass `page`, see state.link); the other controls keep their defaults."""
    from retention import state

    return {"dataset": [dataset_id]} | state.link(page, **chosen)


_VIEW = "_view_in_url"  # ((page, dataset id), state) of the last run that wrote the URL


_LINK_SLOT = "_share_link_slot"


_FITTED = "_fitted_widgets"  # widget key → (value the state asked for, value keep_within() narrowed it to), this run


def page_state(page: type, limits: dict | None = None) -> Any:
    """The page's controls (a retention.state dataclass), kept in the URL. Call once at the top of a
    page, before its widgets, which take the keys state.widget_key(page, field) and no default values.

    The URL wins when the page is opened (a link, a reload, another page or dataset before) and on
    the browser's back/forward; otherwise the widgets win (the viewer just changed one). Either way
    the widgets are seeded with the state and the URL is rewritten when it differs; Streamlit adds a
    browser history entry for each change of st.query_params, so back/forward step through views."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from retention import state

    query = {k: st.query_params.get_all(k) for k in st.query_params}
    where = (page.__name__, st.session_state.get(CURRENT))
    ctx = get_script_run_ctx()
    previous = st.session_state.get(_VIEW)
    if previous is None or previous[0] != where or (ctx is not None and ctx.is_history_navigation):
        view = state.from_query(page, query, limits)
    else:
        keys = [state.widget_key(page, f) for f in page.__dataclass_fields__]
        # A control not drawn in the last run (it sits in a tab that was not open) keeps its value.
        values = state.to_widgets(previous[1]) | {k: st.session_state[k] for k in keys if k in st.session_state}
        for key, (asked, shown) in st.session_state.get(_FITTED, {}).items():
            if values.get(key) == shown:  # untouched since keep_within() narrowed it: keep what the state asked for
                values[key] = asked
        view = state.from_widgets(page, values, limits, before=previous[1])
    st.session_state[_FITTED] = {}
    st.session_state.update(state.to_widgets(view))
    wanted = {k: v for k, v in query.items() if k in FRAME_PARAMS} | state.to_query(view, limits)
    if wanted != query:
        st.query_params.from_dict(wanted)
    st.session_state[_VIEW] = (where, view)
    show_share_link()
    return view


def keep_within(key: str, lo: int, hi: int) -> None:
    """Keep a widget's seeded value within bounds known only after the data is read (e.g. periods shown).
    The link keeps the value asked for (often the default) unless the viewer moves the widget."""
    if key in st.session_state:
        asked = st.session_state[key]
        st.session_state[key] = min(max(asked, lo), hi)
        st.session_state.setdefault(_FITTED, {})[key] = (asked, st.session_state[key])


def share_link_slot(slot) -> None:
    """Where the sidebar shows this view's link (an st.empty); filled now and again by page_state."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    # Held with this run's cursor table, which Streamlit replaces at every run: a page run without
    # app.py (AppTest's switch_page) finds no slot rather than last run's.
    st.session_state[_LINK_SLOT] = [get_script_run_ctx().cursors, slot, 0]
    show_share_link()


def show_share_link() -> None:
    """The link to this view in the sidebar: a Copy link button, and the link itself (st.code, copyable too)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from retention import ui_text

    held = st.session_state.get(_LINK_SLOT)
    if held is None or held[0] is not get_script_run_ctx().cursors:
        return
    held[2] += 1  # app.py fills the slot, then page_state again: the second copy replaces the first
    link = share_link()
    with held[1].container():
        _copy_button()(data={"url": link, "label": str(ui_text.SHARE["copy"]), "copied": str(ui_text.SHARE["copied"]),
                             "failed": str(ui_text.SHARE["failed"])}, key=f"share_copy_link_{held[2]}", width="stretch")
        st.code(link, language=None, wrap_lines=True)


_COPY_JS = """
export default function ({ data, parentElement }) {
  const button = parentElement.querySelector("button");
  const said = parentElement.querySelector("output");
  button.querySelector("span").textContent = data.label;
  button.onclick = async () => {
    try {
      await navigator.clipboard.writeText(data.url);
      said.textContent = data.copied;
    } catch (err) {
      said.textContent = data.failed;
    }
  };
}
"""


_COPY_HTML = '<button type="button" data-testid="copyLink"><span></span></button><output aria-live="polite"></output>'


_COPY_CSS = """
button { font: inherit; width: 100%; padding: .4rem .75rem; border-radius: .5rem; cursor: pointer;
         border: 1px solid var(--st-border-color, rgba(49,51,63,.2)); background: var(--st-background-color, #fff);
         color: var(--st-text-color, inherit); }
button:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
output { display: block; font-size: .8rem; min-height: 1.1rem; color: var(--st-text-color); opacity: .7; }
"""


@st.cache_resource(show_spinner=False)
def _copy_button():
    """A real button that copies the link (our own fixed HTML/JS; the link is passed as data and only
    ever handed to the clipboard, never put into HTML)."""
    return st.components.v2.component("retention_copy_link", html=_COPY_HTML, css=_COPY_CSS, js=_COPY_JS)


def route_through_app() -> None:
    """Run pages through app.py. When a deep link (/data) is the first request a fresh server gets,
    Streamlit's legacy runner for a folder named pages/ executes the page without app.py (and lists
    app.py itself as a page); it stays in that mode until st.navigation is called. Leave that mode and
    run again, through app.py."""
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if st.session_state.get(LANGUAGE):  # a run of the page alone (AppTest's legacy mode) keeps the session's language
        i18n.set_language(st.session_state[LANGUAGE])
    if not (PagesManager.uses_pages_directory and ctx) or st.session_state.get("_left_legacy_pages"):
        return  # once per session: AppTest re-enters the legacy mode on every run of a switched page
    main = Path(ctx.main_script_path).resolve()
    if any(Path(p["script_path"]).resolve() == main for p in ctx.pages_manager.get_pages().values()):
        st.session_state["_left_legacy_pages"] = True
        PagesManager.uses_pages_directory = False
        st.rerun()
