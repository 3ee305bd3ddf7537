"""In a real browser: the upload page says which currency a file is in and which sign was removed from its
amounts; the Overview shows revenue with that currency. Expected values come from the fixture's generator
(tests/fixtures/money/make_money_fixtures.py), not from the app."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from e2e_helpers import WAIT_TIMEOUT_MS, assert_clean, metric_value, open_page, rerun, save_dataset, screenshot, upload

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "money" / "euro_comma.csv"
REVENUE = "3,834 EUR"  # 1234.50 + 99.00 + 12.50 − 12.50 + 2500.00 = 3833.50, shown without decimals


def test_upload_shows_currency_and_overview_revenue_carries_it(page, app_url):
    open_page(page, f"{app_url}/data")
    upload(page, FIXTURE.read_bytes(), "euro_comma.csv")
    expect(metric_value(page, "Rows used")).to_have_text("5", timeout=WAIT_TIMEOUT_MS)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Currency: EUR (from the signs written in the amounts).")).to_be_visible()
    expect(main.get_by_text("Removed from the amounts: “€”.")).to_be_visible()
    assert_clean(page)
    screenshot(page, "money-1-upload-currency")

    save_dataset(page, "Euro shop")
    with rerun(page):
        page.get_by_role("link", name="Go to the overview").click()
    expect(main.get_by_role("heading", name="Euro shop")).to_be_visible()
    expect(metric_value(page, "Revenue")).to_have_text(REVENUE)
    assert_clean(page)
    screenshot(page, "money-2-overview-revenue")
