"""Browser: the upload page says which orders were not counted, per status value (a Shopify orders export
with voided, pending, authorized and refunded orders), and never offers an outcome column as a segment (a
Telco-shaped customers file), naming the columns it left out. Screenshots in test-artifacts/e2e/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from e2e_helpers import WAIT_TIMEOUT_MS, assert_clean, metric_value, open_page, screenshot, upload

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# (financial status, orders): 30 counted (paid, partially refunded), 12 not purchases, 3 refunded in full
ORDERS = [("paid", 28), ("partially_refunded", 2), ("voided", 6), ("pending", 4), ("authorized", 2), ("refunded", 3)]


def shopify_orders() -> bytes:
    """A Shopify orders export (the real header, from the corpus fixture), one line item per order."""
    header = next(csv.reader((FIXTURES / "ingest" / "exports" / "shopify_orders_export.csv").open(encoding="utf-8")))
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    n = 0
    for status, count in ORDERS:
        for _ in range(count):
            n += 1
            when = f"2024-{1 + n % 12:02d}-{1 + n % 27:02d} 10:00:00 +0100"
            writer.writerow({"Name": f"#{1000 + n}", "Email": f"c{n % 17}@example.com", "Financial Status": status,
                             "Created at": when, "Total": f"{10 + n}.00", "Lineitem quantity": "1",
                             "Lineitem name": "Mug", "Lineitem price": f"{10 + n}.00", "Currency": "EUR",
                             "Id": str(6791841087000 + n)})
    return out.getvalue().encode()


def test_orders_not_counted_are_listed_per_status(page, app_url):
    open_page(page, f"{app_url}/data")
    upload(page, shopify_orders(), "orders_export_1.csv")
    expect(metric_value(page, "Rows read")).to_have_text("45", timeout=WAIT_TIMEOUT_MS)
    expect(metric_value(page, "Rows used")).to_have_text("30")
    expect(metric_value(page, "Rows rejected")).to_have_text("0")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("12 rows not counted — not a purchase")).to_contain_text(
        ": 6 voided, 4 pending, 2 authorized;")
    expect(main.get_by_text("3 rows not counted — refunded in full")).to_contain_text(": 3 refunded;")
    expect(main.get_by_text("recognised: Shopify orders export")).to_be_visible()
    assert_clean(page)
    screenshot(page, "upload-statuses-shopify")


def test_telco_file_offers_no_outcome_column_as_a_segment(page, app_url):
    open_page(page, f"{app_url}/data")
    upload(page, (FIXTURES / "telco" / "telco_customer_churn.csv").read_bytes(), "Telco_customer_churn.csv", which=1)
    expect(metric_value(page, "Rows read")).to_have_text("60", timeout=WAIT_TIMEOUT_MS)
    main = page.get_by_test_id("stMain")
    note = main.get_by_text("Not offered as segments:")
    expect(note).to_contain_text("Churn Value, Churn Score, CLTV (they restate the outcome")
    chosen = main.get_by_role("group", name="Selected values").get_by_role("button", name=re.compile("^Remove "))
    expect(chosen.first).to_be_visible()
    texts = [b.get_attribute("aria-label") or b.inner_text() for b in chosen.all()]
    texts = [re.sub("^Remove ", "", t).strip() for t in texts]
    assert 1 <= len(texts) <= 4, texts
    assert not {t for t in texts if "Churn" in t or t in {"CLTV", "Customer Status"}}, texts
    assert_clean(page)
    screenshot(page, "upload-segments-telco")


def test_pending_orders_can_be_counted_when_the_person_asks(page, app_url):
    """The judgement call is overridable: pick 'pending' in 'Count these statuses as purchases anyway'."""
    from e2e_helpers import rerun

    open_page(page, f"{app_url}/data")
    upload(page, shopify_orders(), "orders_export_1.csv")
    expect(metric_value(page, "Rows used")).to_have_text("30", timeout=WAIT_TIMEOUT_MS)
    main = page.get_by_test_id("stMain")
    choice = main.get_by_test_id("stMultiSelect").filter(has_text="Count these statuses as purchases anyway")
    expect(choice).to_be_visible()
    choice.get_by_role("combobox").click()
    with rerun(page):
        page.get_by_role("option", name="pending", exact=True).click()
    expect(metric_value(page, "Rows used")).to_have_text("34", timeout=WAIT_TIMEOUT_MS)  # 30 + 4 pending
    expect(main.get_by_text("8 rows not counted — not a purchase")).to_contain_text(": 6 voided, 2 authorized;")
    expect(main.get_by_text("Counted as purchases at your request: “pending”.")).to_be_visible()
    assert_clean(page)
    screenshot(page, "upload-statuses-count-pending")
