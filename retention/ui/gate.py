"""Who may open a linked dataset: the password prompt, and the rate limit on wrong ids and passwords per client
address. Each of the show_/ask_ functions draws its page and stops the run."""

from __future__ import annotations

import threading
import time

import streamlit as st

from retention import access
from retention.i18n import _

UNLOCKED = "unlocked_datasets"  # session key: ids whose password this session gave
MAX_FAILURES, FAILURE_WINDOW_S = 20, 600  # wrong ids / passwords per client before we slow them down




_FAILURES: dict[str, list[float]] = {}  # recent failed look-ups (unknown id, wrong password) per client, this process


_FAILURES_LOCK = threading.Lock()


def _client() -> str:
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "unknown"


def throttled() -> bool:
    with _FAILURES_LOCK:
        recent = [t for t in _FAILURES.get(_client(), []) if time.time() - t < FAILURE_WINDOW_S]
        _FAILURES[_client()] = recent
        return len(recent) >= MAX_FAILURES


def record_failure() -> None:
    with _FAILURES_LOCK:
        _FAILURES.setdefault(_client(), []).append(time.time())


def show_gone(dataset_id: str) -> None:
    """The page for a link whose dataset does not exist (never did, deleted, or expired). Stops the run."""
    st.title(_("This dataset is gone"))
    st.write(_("The link points to a dataset that does not exist: it may have been deleted by the person who "
               "uploaded it, or it expired. Ask them for a new link, or explore the demo."))
    clicked = st.button(_("Open the demo"), type="primary", key="gone_demo")
    if clicked:
        st.session_state["ignored_link"] = dataset_id
        st.query_params.clear()
        st.rerun()
    st.stop()


def show_too_many() -> None:
    st.title(_("Too many attempts"))
    st.write(_("This browser asked for too many unknown datasets or wrong passwords. Wait ten minutes and try "
               "again."))
    st.stop()


def ask_password(dataset_id: str) -> None:
    """Ask for the dataset's password; stops the run until it is given."""
    st.title(_("This dataset is protected"))
    with st.form("password_gate"):
        attempt = st.text_input(_("Password"), type="password", key="gate_password")
        submitted = st.form_submit_button(_("Open"), type="primary")
    if submitted:
        if throttled():
            show_too_many()
        if access.check_password(dataset_id, attempt):
            st.session_state.setdefault(UNLOCKED, set()).add(dataset_id)
            st.rerun()
        record_failure()
        st.error(_("That password is not right."))
    st.stop()
