"""#17 in a real browser: the Customers page on the demo and on an uploaded purchases file (the CDNOW sample of
tests/fixtures/real), at 1440 and 390 px: headline figures, the fit verdict and the charts, no error box.
Screenshots: test-artifacts/e2e/customers-<dataset>-<width>.png."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from e2e_helpers import metric_value, open_page, screenshot
from test_real_files import PAGE_TIMEOUT_MS, Upload, upload_and_save

CDNOW = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "i_cdnow_sample_1997.txt"
WIDTHS = {1440: 2200, 390: 3600}
SLOW_MS = 240_000  # the first fit of a dataset takes a while when 9 agents share 2 cores


def check(page, url: str, name: str) -> None:
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        open_page(page, url, SLOW_MS)
        main = page.get_by_test_id("stMain")
        expect(metric_value(page, "Expected still active (Σ P(alive))")).to_be_visible(timeout=SLOW_MS)
        expect(main.get_by_test_id("stAlertContentError")).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(main.get_by_text("repeat purchases from then to").first).to_be_visible()
        page.wait_for_selector(".st-key-customers_alive_map .js-plotly-plot .main-svg", timeout=SLOW_MS)
        screenshot(page, f"customers-{name}-{width}")


def test_customers_page_on_the_demo_and_an_upload(page, app_url):
    check(page, f"{app_url}/customers", "demo")
    dataset_id = upload_and_save(page, app_url, Upload(CDNOW, "purchases"), PAGE_TIMEOUT_MS)
    check(page, f"{app_url}/customers?dataset={dataset_id}", "cdnow")
