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


# Two currencies in one column: 3 rows of 10.00 USD, 1 row of 100.00 EUR. EUR has the most revenue: the default.
TWO_CURRENCIES = b"""Customer,Date,Amount,Currency
x,2024-01-05,10.00,USD
y,2024-01-06,10.00,USD
z,2024-01-07,10.00,USD
w,2024-01-08,100.00,EUR
"""


def test_the_currency_can_be_chosen_when_a_file_holds_several(page, app_url):
    """The judgement call "the currency with most revenue wins" is visible and overridable."""
    open_page(page, f"{app_url}/data")
    upload(page, TWO_CURRENCIES, "payments.csv")
    expect(metric_value(page, "Rows used")).to_have_text("1", timeout=WAIT_TIMEOUT_MS)  # the EUR row
    main = page.get_by_test_id("stMain")
    box = main.get_by_role("combobox", name="Currency of this dataset", exact=True)
    expect(box).to_be_visible()
    box.click()
    with rerun(page):
        page.get_by_role("option", name="USD (3 rows)", exact=True).click()
    expect(metric_value(page, "Rows used")).to_have_text("3", timeout=WAIT_TIMEOUT_MS)
    expect(main.get_by_text("You chose USD; EUR has more revenue in this file and is set aside.")).to_be_visible()
    assert_clean(page)
    screenshot(page, "money-choose-currency")
