"""#15.12/#15.14 in a real browser: at phone width (390 px) the cohort heatmap keeps readable cells inside a box that
scrolls sideways, its cohort sizes are whole, and the finding comes before the controls; on the upload page the role
drop-downs show whole column names ("Financial Status", not "Financial Statu")."""

from __future__ import annotations

import pytest

from e2e_helpers import WAIT_TIMEOUT_MS, open_page, screenshot, upload

PHONE = {"width": 390, "height": 844}

HEATMAP = """() => {
    const box = document.querySelector('.st-key-cohorts_heatmap_scroll');
    const chart = box && box.querySelector('.st-key-cohorts_heatmap .js-plotly-plot');
    if (!chart) return null;
    const ticks = axis => [...chart.querySelectorAll('.' + axis + 'tick text')];
    const columns = ticks('x').length;                     // k = 0, 1, … (the side column has no tick labels)
    const cells = chart.querySelector('.xy .heatmaplayer, .cartesianlayer .xy');
    const plot = chart.querySelector('.cartesianlayer .xy .bg, .cartesianlayer .xy rect.nsewdrag')
        || chart.querySelector('.nsewdrag');
    const svg = chart.querySelector('svg.main-svg').getBoundingClientRect();
    const sizes = ticks('y2').map(t => ({text: t.textContent, right: t.getBoundingClientRect().right}));
    return {boxWidth: box.clientWidth, boxScroll: box.scrollWidth, overflow: getComputedStyle(box).overflowX,
            columns, plotWidth: plot.getBoundingClientRect().width, svgRight: svg.right, svgLeft: svg.left,
            sizes};
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="UTC")
    yield context.new_page()
    context.close()


def test_heatmap_scrolls_with_readable_cells_on_a_phone(phone, app_url):
    open_page(phone, f"{app_url}/cohorts")
    phone.wait_for_selector(".st-key-cohorts_heatmap .js-plotly-plot .xtick", timeout=WAIT_TIMEOUT_MS)
    found = phone.evaluate(HEATMAP)
    screenshot(phone, "phone-cohorts")
    assert found is not None
    assert found["overflow"] == "auto" and found["boxScroll"] > found["boxWidth"] + 100  # it scrolls sideways
    assert found["columns"] >= 10
    assert found["plotWidth"] / found["columns"] >= 40, found  # each period column at least 40 px wide
    # every cohort size is drawn whole, inside the figure (a cut label read "22" for 227)
    assert found["sizes"] and all(s["text"].replace(",", "").isdigit() for s in found["sizes"])
    assert max(s["right"] for s in found["sizes"]) <= found["svgRight"] + 0.5
    # the finding is above the controls on a phone
    finding = phone.get_by_text("bought again the next month").first.bounding_box()
    period = phone.get_by_test_id("stSelectbox").filter(has_text="Period").first.bounding_box()
    assert finding["y"] < period["y"]


def test_role_dropdowns_show_whole_column_names(page, app_url):
    """A Shopify orders export (research/export_headers.md): the picked column names fit their drop-downs."""
    header = "Name,Email,Financial Status,Paid at,Created at,Total,Lineitem quantity,Lineitem name,Billing Country"
    rows = [f"#10{i:02d},c{i % 7}@example.com,paid,2024-0{1 + i % 9}-05 10:00:00 +0100,2024-0{1 + i % 9}-05 "
            f"10:00:00 +0100,{10 + i}.50,1,Thing,FR" for i in range(30)]
    open_page(page, f"{app_url}/data")
    upload(page, "\n".join([header, *rows, ""]).encode(), "orders_export.csv")
    page.wait_for_selector("[data-testid='stSelectbox'] input", timeout=WAIT_TIMEOUT_MS)
    cut = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stSelectbox']")]
        .map(box => {
            const input = box.querySelector('input');
            const shown = box.querySelector('[data-baseweb=select] [title]') || input;
            const text = (shown.getAttribute('title') || input.value || '');
            return {text, cut: shown.scrollWidth > shown.clientWidth + 1 || input.scrollWidth > input.clientWidth + 1};
        }).filter(x => x.text && x.cut)""")
    screenshot(page, "upload-roles")
    assert cut == [], cut


CARDS = """() => [...document.querySelectorAll("[data-testid='stMetric']")].map(m => {
    const box = m.getBoundingClientRect();
    const value = m.querySelector("[data-testid='stMetricValue']");
    return {label: (m.querySelector("[data-testid='stMetricLabel']") || m).innerText.trim(), width: box.width,
            left: box.left, cut: value ? value.scrollWidth > value.clientWidth + 1 : false,
            text: value ? value.innerText : ""};
})"""


def test_overview_cards_stack_and_their_figures_are_whole_on_a_phone(phone, app_url):
    """The Overview's cards ("Are we keeping customers?" beside "Do new customers come back?") each hold a row of
    two figures. The phone rule "figures two per line" matched the row of cards too (it holds figures), so at
    390 px the two cards stayed side by side and their figures read "6…", "8…" under labels broken letter by
    letter (seen on the real-files screenshots). A row of cards now stacks; the figures in a card stay two a line."""
    open_page(phone, app_url)
    phone.wait_for_selector("[data-testid='stMetric']", timeout=WAIT_TIMEOUT_MS)
    phone.wait_for_timeout(500)
    metrics = phone.evaluate(CARDS)
    screenshot(phone, "phone-overview")
    assert len(metrics) >= 6
    assert not [m for m in metrics if m["cut"]], metrics  # every value drawn whole
    assert min(m["width"] for m in metrics) >= 120, metrics  # two per line at most: about 170 px each
