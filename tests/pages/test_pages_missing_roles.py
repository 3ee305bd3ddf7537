"""The upload page words a role no column was recognised as like the CLI does (issue 21, point 6): one
sentence per role naming the file, from ui_text.missing_roles, with the page's remedy instead of --map."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from retention import ui_text
from tests.conftest import APP


def test_each_missing_role_is_one_sentence_on_the_upload_page(demo_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_purchases_file").set_value(("colours.csv", b"colour,size\nred,1\nblue,2\n",
                                                           "text/csv")).run()
    assert not at.exception, at.exception
    shown = [e.value for e in at.error]
    expected = ui_text.missing_roles("colours.csv", "purchases", ["customer", "date"], "page")
    assert shown == [expected]
    assert expected.count("no column was recognised as the") == 2 and "--map" not in expected
