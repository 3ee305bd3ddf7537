"""Browser: a Telco-shaped customers file (the IBM workbook's counts of Contract, Payment Method and Internet
Service by churn, fixtures/telco_drivers) uploaded, saved, and its churn drivers read on the Churn page: the top
driver in words, the ranked list, the bar chart with intervals, the combinations. Screenshot in test-artifacts/e2e/."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import expect

from e2e_helpers import WAIT_TIMEOUT_MS, assert_clean, metric_value, open_page, rerun, save_dataset, screenshot, upload

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.metrics.test_drivers import telco_rows  # noqa: E402


def test_telco_drivers_on_the_churn_page(page, app_url):
    open_page(page, f"{app_url}/data")
    upload(page, telco_rows().to_csv(index=False).encode(), "Telco_customer_churn.csv", which=1)
    expect(metric_value(page, "Rows read")).to_have_text("7,043", timeout=WAIT_TIMEOUT_MS)
    save_dataset(page, "Telco drivers")
    with rerun(page):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Churn", exact=True).click()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Drivers")).to_be_visible(timeout=WAIT_TIMEOUT_MS)
    expect(main.get_by_text("customers with “Month-to-month” churn at 42.7% (3,875 customers)")).to_be_visible(
        timeout=WAIT_TIMEOUT_MS)
    expect(main.get_by_text("1,869 of 7,043 customers churned (26.5%)")).to_be_visible()
    expect(main.get_by_text("Contract: “Month-to-month” churns at 42.7%")).to_be_visible()  # the chart's title
    expect(main.get_by_text("54.6% churn")).to_be_visible()  # month-to-month on fibre, the top combination
    expect(main.get_by_text("AUC", exact=False).first).to_be_visible()
    main.get_by_text("Contract: “Month-to-month” churns at 42.7%").scroll_into_view_if_needed()
    assert_clean(page)
    screenshot(page, "drivers-telco")
