"""The "Did it work?" page in a real browser (issue 22): the demo's before/after effect with its interval and
trend chart, then the one-click scenario into What if (the link carries the view)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e_helpers import WAIT_TIMEOUT_MS, assert_clean, metric_value, open_page, screenshot, wait_for_app


def test_launch_effect_and_use_as_scenario(page, app_url):
    open_page(page, f"{app_url}/impact?launch=2024-07-01&cost=1.5")
    expect(page.get_by_role("heading", name="Did it work?")).to_be_visible()
    expect(metric_value(page, "Effect on month-3 retention")).to_have_text(re.compile(r"^[+-]\d+\.\d points$"))
    page.wait_for_selector(".st-key-impact_trend_chart .js-plotly-plot .main-svg", timeout=WAIT_TIMEOUT_MS)
    expect(page.get_by_text("Nobody was assigned at random", exact=False)).to_be_visible()
    assert_clean(page)
    screenshot(page, "impact-launch")
    page.get_by_role("link", name=re.compile("Use as scenario in What if")).click()
    page.wait_for_url(re.compile(r"/whatif\?.*scenario=churn_cut"), timeout=WAIT_TIMEOUT_MS)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="What if customers stayed longer?")).to_be_visible()
    assert "programme=1.5" in page.url
    assert_clean(page)
    screenshot(page, "impact-to-whatif")
