"""The currency on the pages (AppTest): the upload page says which currency and what was removed from the
amounts, and warns about rows in another currency; the Overview's revenue carries the currency."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from retention import store
from tests.conftest import APP, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "money"


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120)


def test_upload_page_shows_currency_removed_signs_and_rows_set_aside(demo_env):
    at = _app().run()
    at.switch_page("pages/data.py").run()
    data = (FIXTURES / "shopify_two_currencies.csv").read_bytes()
    at.file_uploader(key="data_purchases_file").set_value(("orders.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert any("Currency: EUR (from the column “Currency”)" in c for c in captions), captions
    assert any("1 row is in USD; this dataset is in EUR" in w.value and "separate dataset" in w.value
               for w in at.warning)
    at.file_uploader(key="data_purchases_file").set_value(
        ("hk.csv", (FIXTURES / "trailing_minus_hkd.csv").read_bytes(), "text/csv")).run()
    captions = [c.value for c in at.caption]
    assert any("Currency: HKD" in c for c in captions), captions
    assert any("HK\\$" in c and "removed before reading the number" in c for c in captions), captions
    at.file_uploader(key="data_purchases_file").set_value(
        ("bad.csv", (FIXTURES / "not_numbers.csv").read_bytes(), "text/csv")).run()
    assert any("Column “Amount”: 4 rows are not numbers" in w.value for w in at.warning), [w.value for w in at.warning]


def test_overview_revenue_carries_the_currency(demo_env):
    from retention.ingest.canonical import prepare

    prepared = prepare((FIXTURES / "euro_comma.csv").read_bytes(), "euro_comma.csv", "purchases")
    dataset_id, _ = store.create_dataset(prepared, None, name="Euro shop")
    try:
        at = _app()
        at.query_params["dataset"] = dataset_id
        at.run()
        assert not at.exception, at.exception
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Revenue"] == "3,834 EUR"  # 1234.50 + 99 + 12.50 − 12.50 + 2500 = 3833.50
    finally:
        store.delete_dataset(dataset_id)


def test_demo_without_currency_shows_plain_figures(demo_warm):
    at = _app().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Revenue"][-1].isdigit()
