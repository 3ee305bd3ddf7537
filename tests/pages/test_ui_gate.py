"""The gate of retention/ui/gate.py through the app (AppTest): a protected dataset shows only the password
prompt, an unknown link shows 'gone' and counts a failure, and a client past the limit sees 'Too many attempts'.
(Submitting the password form is covered by the browser test tests/e2e/test_access_flows.py: AppTest does not
deliver a form submitted on a run that stopped.)"""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from retention import access, store
from retention.ingest.canonical import prepare
from retention.ui import gate
from tests.conftest import APP

UNKNOWN = "0" * 48


def _opened(dataset_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["dataset"] = dataset_id
    return at.run()


def test_a_protected_dataset_shows_only_the_prompt(demo_env, monkeypatch):
    monkeypatch.setattr(gate, "_FAILURES", {})
    dataset_id, _ = store.create_dataset(
        prepare(b"customer,date,amount\na,2024-01-01,5\nb,2024-01-02,6\n", "mine.csv", "purchases"), None, "mine",
        owner_token=access.new_token())
    access.set_password(dataset_id, "s3cret")
    at = _opened(dataset_id)
    assert [t.value for t in at.title] == ["This dataset is protected"]
    assert at.text_input(key="gate_password").label == "Password"
    assert not at.metric and not at.selectbox and not at.exception
    assert not any(gate._FAILURES.values())  # opening is not a failure


def test_an_unknown_link_is_gone_and_counted(demo_env, monkeypatch):
    monkeypatch.setattr(gate, "_FAILURES", {})
    at = _opened(UNKNOWN)
    assert [t.value for t in at.title] == ["This dataset is gone"]
    assert at.button(key="gone_demo").label == "Open the demo"
    assert sum(len(v) for v in gate._FAILURES.values()) == 1
    assert "dataset_id" not in at.session_state  # the dataset in view was forgotten


def test_past_the_limit_every_link_says_too_many_attempts(demo_env, monkeypatch):
    # AppTest has no client address: its failures are counted under "unknown"
    monkeypatch.setattr(gate, "_FAILURES", {"unknown": [time.time()] * gate.MAX_FAILURES})
    at = _opened(UNKNOWN)
    assert [t.value for t in at.title] == ["Too many attempts"]
    monkeypatch.setattr(gate, "_FAILURES", {"unknown": [time.time() - gate.FAILURE_WINDOW_S - 1] * gate.MAX_FAILURES})
    assert [t.value for t in _opened(UNKNOWN).title] == ["This dataset is gone"]  # old failures expire
