"""Files uploaded in this browser tab: their bytes are dropped from server memory once saved, and when the tab
disconnects."""

from __future__ import annotations

import streamlit as st
from streamlit.logger import get_logger

_LOG = get_logger(__name__)


def _drop_session_uploads(session_id: str) -> None:
    from streamlit import runtime

    if runtime.exists():
        runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)
    _LOG.debug("dropped an ended session's uploaded files")


@st.cache_resource(scope="session", show_spinner=False, on_release=_drop_session_uploads)
def _uploads_of_this_session(session_id: str) -> str:
    return session_id


def release_uploads_when_session_ends() -> None:
    """Drop this session's uploaded files from server memory when its tab disconnects.

    Streamlit keeps uploaded bytes per session until the session is shut down, and a disconnected session
    that expires from its reconnect store (server.disconnectedSessionTTL) is never shut down, so without
    this its uploads would stay in memory until the server restarts. A tab that reconnects after a network
    blip has to upload its file again."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None and ctx.uploaded_file_mgr is not None:
        _uploads_of_this_session(ctx.session_id)


def drop_uploads(files: list) -> None:
    """Free the bytes of these st.file_uploader files on the server now (e.g. once they are saved)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or ctx.uploaded_file_mgr is None:
        return
    for uploaded in files:
        if uploaded is not None and getattr(uploaded, "file_id", None):
            ctx.uploaded_file_mgr.remove_file(ctx.session_id, uploaded.file_id)
