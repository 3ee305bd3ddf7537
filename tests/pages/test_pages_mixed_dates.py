"""The upload page and a mixed date column (issue #16, points 1 and 3), through AppTest: the page asks how
to read 05/01/2024 when nothing in the upload tells, waits for the answer before validating, says which
order another file proved, and warns about repeated header names."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import APP

MIXED = b"customer,date,amount\na,2024-01-05,10\na,05/01/2024,20\nb,Jan 5 2024,5\n"


def _data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    return at


def _question(at: AppTest):
    return next(r for r in at.radio if r.label.startswith("Does "))


def test_a_mixed_column_without_evidence_is_asked_about_before_validation(demo_env):
    at = _data_page()
    at.file_uploader(key="data_purchases_file").set_value(("mixed.csv", MIXED, "text/csv")).run()
    assert not at.exception, at.exception
    radio = _question(at)
    assert radio.label == "Does 05/01/2024 mean" and radio.value is None
    assert list(radio.options) == ["5 January (day first)", "May 1 (month first)"]
    assert any("mixes date forms" in w.value and "05/01/2024" in w.value for w in at.warning)
    assert not any(m.label == "Rows read" for m in at.metric)  # no validation, no save button yet
    assert any("Answer the question about dates" in i.value for i in at.info)
    radio.set_value("dmy").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows used"] == "3"
    notes = " ".join(c.value for c in at.caption)
    assert "mixes date forms: 1 like 2024-01-05, 1 like 05/01/2024, 1 with a month name like Jan 5 2024" in notes
    assert "read day first (5 January): you chose it" in notes


def test_the_customers_file_decides_and_the_page_says_so(demo_env):
    at = _data_page()
    at.file_uploader(key="data_purchases_file").set_value(("orders.csv", MIXED, "text/csv")).run()
    at.file_uploader(key="data_customers_file").set_value(
        ("people.csv", b"customer,signup\na,13/02/2023\nb,2023-01-01\n", "text/csv")).run()
    assert not at.exception, at.exception
    radio = _question(at)
    assert radio.value == "dmy"
    assert {m.label for m in at.metric} >= {"Rows read"}
    notes = " ".join(c.value for c in at.caption)
    assert "read day first (5 January): people.csv, column “signup”, has dates that can only be day first" in notes


def test_repeated_header_names_are_warned_about_and_either_can_be_chosen(demo_env):
    at = _data_page()
    csv = b"customer,note,date,amount,channel,date\na,x,2024-01-05,10,web,2024-03-01\nb,y,2024-01-06,5,shop,2024-03-02\n"
    at.file_uploader(key="data_purchases_file").set_value(("two.csv", csv, "text/csv")).run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert ("Columns C and F are both called “date”: C (shown as “date”) is used as the purchase date; F (shown as "
            "“date (2)”) is kept as an attribute.") in " ".join(warnings)
    picker = next(s for s in at.selectbox if s.label == "Purchase date")
    assert "date (2) — column F" in picker.options and "date — column C" in picker.options
    picker.set_value("date (2)").run()
    assert not at.exception, at.exception
    assert "F (shown as “date (2)”) is used as the purchase date" in " ".join(w.value for w in at.warning)
