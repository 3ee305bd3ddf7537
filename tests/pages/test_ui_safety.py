"""Downloads cannot smuggle spreadsheet formulas; wrong ids and passwords are rate-limited per client."""

from __future__ import annotations

import io

import pandas as pd
from streamlit.testing.v1 import AppTest

from retention.ui import downloads, gate, widgets
from tests.conftest import APP


def test_formula_cells_are_escaped_in_csv_and_xlsx():
    frame = pd.DataFrame({"reason": ["=HYPERLINK(\"http://x\")", "+1", "-2 days", "@SUM(A1)", "fine", None],
                          "amount": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0],
                          "=cmd": ["a", "b", "c", "d", "e", "f"]})
    safe = downloads.safe_for_spreadsheets(frame)
    assert safe["reason"].tolist()[:5] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2 days", "'@SUM(A1)", "fine"]
    assert safe["amount"].tolist() == frame["amount"].tolist()  # numbers, negative ones included, untouched
    assert list(safe.columns) == ["reason", "amount", "'=cmd"]
    back = pd.read_excel(io.BytesIO(downloads.to_xlsx(frame)), engine="openpyxl")
    assert back["reason"].iloc[0] == "'=HYPERLINK(\"http://x\")" and back["amount"].iloc[0] == -5.0


def test_unknown_ids_are_rate_limited(demo_env, monkeypatch):
    monkeypatch.setattr(gate, "_FAILURES", {})
    at = AppTest.from_file(APP, default_timeout=60)
    for i in range(gate.MAX_FAILURES):
        at.query_params["dataset"] = f"{i:032d}"
        at.run()
        assert at.title[0].value == "This dataset is gone"
    at.query_params["dataset"] = "Z" * 32
    at.run()
    assert at.title[0].value == "Too many attempts"


def test_untrusted_text_is_inert_in_markdown():
    assert widgets.md("[win](javascript:alert(1))") == "\\[win\\](javascript:alert(1))"      # no link
    assert widgets.md("![x](http://tracker/x.png)") == "!\\[x\\](http://tracker/x.png)"    # no image
    assert widgets.md("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert(1)\\>"
    assert widgets.md(":red[loud] **bold** $x$") == ":red\\[loud\\] \\*\\*bold\\*\\* \\$x\\$"
    assert widgets.md("- not a list") == "\\- not a list"
    assert widgets.md("Demo shop (generated)") == "Demo shop (generated)"


def test_dataset_picker_labels_are_distinct():
    from retention.ui.datasets import distinct_labels

    labels = distinct_labels([("a", "shop"), ("b", "Demo shop"), ("c", "shop"), ("d", "shop (2)"), ("e", "shop")])
    assert labels == {"a": "shop", "b": "Demo shop", "c": "shop (2)", "d": "shop (2) (2)", "e": "shop (3)"}
    assert distinct_labels([]) == {}
