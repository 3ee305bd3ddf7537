"""In a real browser: the demo opens with no upload; upload → mapping → validation → save works; bad files
get a clear message and no traceback.

Expected numbers come from how the test files are generated (e2e_helpers.purchases_csv), never from the app.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e_helpers import (DATASET_IN_URL, WAIT_TIMEOUT_MS, WARM_UP_TIMEOUT_MS, assert_clean, choose, combobox,
                         fill_text, frames_received, metric_value, open_page, purchases_csv, rerun, screenshot, upload)

DEMO_NAME = "Demo shop (generated)"
DEMO_CUSTOMERS = 20_000  # data/generate_demo.py: 20k customers


def test_demo_opens_with_no_upload(page, app_url):
    open_page(page, app_url)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=DEMO_NAME)).to_be_visible()
    expect(metric_value(page, "Customers")).to_have_text(f"{DEMO_CUSTOMERS:,}")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    expect(combobox(page.get_by_test_id("stSidebar"), "Dataset")).to_have_value(DEMO_NAME)
    assert_clean(page)


def test_upload_map_validate_save(page, app_url):
    shop = purchases_csv(rows=1200, customers=150, bad_alt_every=7)
    frames = frames_received(page)
    open_page(page, f"{app_url}/data")
    expect(page.get_by_text("Upload a purchases file")).to_be_visible()

    upload(page, shop.data, "shop_a.csv")
    expect(metric_value(page, "Rows read")).to_have_text(f"{shop.rows:,}", timeout=WAIT_TIMEOUT_MS)
    expect(metric_value(page, "Rows used")).to_have_text(f"{shop.rows:,}")
    expect(metric_value(page, "Rows rejected")).to_have_text("0")
    expect(metric_value(page, "Customers")).to_have_text(f"{shop.customers:,}")
    # before Save, a first look: the Cohorts page's heatmap, drawn by plotly in the page (ui/data/first_look.py)
    expect(page.locator(".st-key-data_first_look .js-plotly-plot .heatmaplayer")).to_be_attached()
    screenshot(page, "upload-1-detected")

    # The detected amount column is order_total; switch to alt_total, which has "n/a" in every 7th row.
    choose(page, page.get_by_test_id("stMain"), "Amount", "alt_total")
    expect(metric_value(page, "Rows used")).to_have_text(f"{shop.rows_used_with_alt:,}")
    expect(metric_value(page, "Rows rejected")).to_have_text(f"{shop.bad_alt_rows:,}")
    expect(metric_value(page, "Customers")).to_have_text(f"{shop.customers_with_alt:,}")
    screenshot(page, "upload-2-remapped")

    fill_text(page, "Dataset name", "E2E shop A")
    with rerun(page):
        page.get_by_role("button", name="Save dataset").click()
    expect(page.get_by_text("Saved “E2E shop A”")).to_be_visible(timeout=WAIT_TIMEOUT_MS)
    expect(page).to_have_url(DATASET_IN_URL)
    expect(combobox(page.get_by_test_id("stSidebar"), "Dataset")).to_have_value("E2E shop A")
    assert_clean(page)
    screenshot(page, "upload-3-saved")

    before = len(frames)
    with rerun(page):
        page.get_by_role("link", name="Go to the overview").click()
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="E2E shop A")).to_be_visible()
    expect(metric_value(page, "Customers")).to_have_text(f"{shop.customers_with_alt:,}")
    expect(metric_value(page, "Orders")).to_have_text(f"{shop.rows_used_with_alt:,}")  # one row per order id
    # A new dataset's Overview is drawn before the purchase model is fitted, its first card saying so under a
    # spinner; the page runs again, with the model's verdict, when the fits are done (pages/overview.py)
    sent = b"".join(frames[before:])
    assert "is being fitted to these customers".encode() in sent, "the first draw did not say the model is fitted"
    assert "Fitting the purchase model…".encode() in sent, "no spinner while the model was fitted"
    expect(page.get_by_text("purchase model (BG/NBD)").first).to_be_visible()
    expect(page.get_by_text("is being fitted to these customers")).to_have_count(0)
    expect(page.get_by_text("Fitting the purchase model…")).to_have_count(0)
    assert_clean(page)
    # once fitted, the model's figures come from the cache: the page is drawn with them at once
    before = len(frames)
    with rerun(page):
        page.reload()
    expect(page.get_by_text("purchase model (BG/NBD)").first).to_be_visible()
    sent = b"".join(frames[before:])
    assert b"Are we keeping customers?" in sent and "is being fitted to these customers".encode() not in sent


def png_bytes() -> bytes:
    """A real 1×1 PNG image."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def error_box(page, text: str):
    return page.get_by_test_id("stAlertContainer").filter(has_text=text)


def assert_plain_message(box) -> None:
    """One error box, naming the file, in words: no exception class, SQL engine or stack frame in it."""
    expect(box).to_have_count(1, timeout=WAIT_TIMEOUT_MS)
    text = box.inner_text()
    for technical in ("Traceback", "Exception", "Error:", "duckdb", "Binder", 'File "'):
        assert technical not in text, text


def test_bad_file_gets_a_clear_message(page, app_url):
    open_page(page, f"{app_url}/data")
    upload(page, png_bytes(), "logo.csv")
    assert_plain_message(error_box(page, "logo.csv"))
    expect(page.get_by_role("button", name="Save dataset")).to_have_count(0)
    assert_clean(page)
    screenshot(page, "bad-file-png")

    # An empty file in the customers slot: its own message, the purchases one stays.
    upload(page, b"", "customers.csv", which=1)
    assert_plain_message(error_box(page, "customers.csv"))
    expect(error_box(page, "logo.csv")).to_be_visible()
    assert_clean(page)

    # Nothing stored was touched: the demo is still the dataset in view.
    with rerun(page):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=DEMO_NAME)).to_be_visible()
    expect(metric_value(page, "Customers")).to_have_text(f"{DEMO_CUSTOMERS:,}")
    assert_clean(page)


# ---------------------------------------------------------------- known app bugs (strict: they fail once fixed)


def upload_table(page, app_url: str, filename: str, header: str, rows: list[str]) -> None:
    """Open the data page and upload a small CSV made of `header` and `rows` as the purchases file."""
    open_page(page, f"{app_url}/data")
    upload(page, "\n".join([header, *rows, ""]).encode(), filename)


def test_deep_link_is_the_first_request_on_a_fresh_server(page, own_server):
    open_page(page, f"{own_server.url}/data", timeout_ms=WARM_UP_TIMEOUT_MS)  # a fresh process imports everything
    expect(page.get_by_role("heading", name="Upload your data")).to_be_visible()
    screenshot(page, "bug-deep-link-first")
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload data")).to_be_visible(timeout=3_000)
    expect(combobox(page.get_by_test_id("stSidebar"), "Dataset")).to_have_value(DEMO_NAME, timeout=3_000)


def test_share_link_keeps_the_dataset_after_moving_between_pages(page, app_url, server, monkeypatch):
    from retention import store
    from retention.ingest.canonical import prepare

    monkeypatch.setenv("RETENTION_DATA_DIR", str(server.data_dir))
    shop = purchases_csv(rows=300, customers=40, prefix="L")
    dataset_id, _ = store.create_dataset(prepare(shop.data, "linked.csv", "purchases"), None, "Linked shop")
    open_page(page, f"{app_url}/?dataset={dataset_id}")
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="Linked shop")).to_be_visible()
    link = page.get_by_test_id("stSidebar").get_by_test_id("stCode")
    expect(link).to_contain_text(f"dataset={dataset_id}")
    with rerun(page):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Upload data").click()
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="Upload your data")).to_be_visible()
    expect(combobox(page.get_by_test_id("stSidebar"), "Dataset")).to_have_value("Linked shop")
    screenshot(page, "bug-share-link")
    expect(link).to_contain_text(f"dataset={dataset_id}", timeout=3_000)


def test_unrecognised_customer_column_can_be_chosen(page, app_url):
    # 20 first purchases by 20 customers under the header 'who': neither the header nor the values
    # (all distinct, so not a repeat-buyer id) say "customer id"; the person has to pick the column.
    upload_table(page, app_url, "no_customer_header.csv", "who,when,paid",
                 [f"K{7000 + i},2024-01-{1 + i:02d},{10 + i}.50" for i in range(20)])
    assert_clean(page)
    screenshot(page, "bug-unrecognised-customer")
    main = page.get_by_test_id("stMain")
    expect(combobox(main, "Customer id")).to_be_visible(timeout=3_000)
    if combobox(main, "Customer id").input_value() != "who":  # detection may learn to find it one day
        choose(page, main, "Customer id", "who")
    expect(metric_value(page, "Rows used")).to_have_text("20", timeout=WAIT_TIMEOUT_MS)
    expect(metric_value(page, "Customers")).to_have_text("20")


def test_remap_amount_when_file_has_a_column_named_amount(page, app_url):
    upload_table(page, app_url, "gross_and_net.csv", "customer_id,order_date,amount,net_amount",
                 [f"C{i % 9},2024-02-{1 + i:02d},{20 + i}.00,{18 + i}.00" for i in range(24)])
    expect(metric_value(page, "Rows used")).to_have_text("24", timeout=WAIT_TIMEOUT_MS)
    choose(page, page.get_by_test_id("stMain"), "Amount", "net_amount")
    screenshot(page, "bug-amount-name-clash")
    assert_clean(page)
    expect(metric_value(page, "Rows used")).to_have_text("24")


def test_identical_rows_are_reported_and_an_unusable_file_cannot_be_saved(page, app_url):
    # a log without order ids: the repeated row is kept and reported as a possible duplicate
    upload_table(page, app_url, "log.csv", "customer,date,amount",
                 [f"K{i % 5},2024-03-{1 + i:02d},{10 + i}.00" for i in range(10)] + ["K0,2024-03-01,10.00"])
    expect(metric_value(page, "Rows used")).to_have_text("11", timeout=WAIT_TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"^1 possible duplicate:.*\(10\.00 of revenue\); e\.g\. rows 12\."))).to_be_visible()
    expect(page.get_by_role("button", name="Save dataset")).to_be_enabled()
    screenshot(page, "possible-duplicates")
    # every amount rejected: the page says why and offers no Save
    upload_table(page, app_url, "shop_totals.csv", "customer,date,Total",
                 [f"K{i},2024-03-{1 + i:02d},{v}" for i, v in enumerate(["abc", "n/a", ""] * 4)])
    expect(page.get_by_text("shop_totals.csv: every amount in column 'Total' was rejected")).to_be_visible(
        timeout=WAIT_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Save dataset")).to_be_disabled()
    screenshot(page, "refused-to-save")
    assert_clean(page)
