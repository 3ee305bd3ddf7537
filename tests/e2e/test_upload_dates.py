"""In a real browser: a purchases file whose date column mixes 2024-01-05, 05/01/2024 and Jan 5 2024
(issue #16, point 1). The page asks how to read 05/01/2024 before validating; once answered, every
row lands on 5 January and the validation says which forms were found and why the order was chosen."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e_helpers import WAIT_TIMEOUT_MS, assert_clean, metric_value, open_page, rerun, screenshot, upload

MIXED = ("customer,date,amount\n" + "".join(f"a,2024-01-05,{10 + i}\n" for i in range(4))
         + "a,05/01/2024,20\nb,Jan 5 2024,5\nb,05/01/2024,7\nc,2024-01-20,3\n").encode()


def test_mixed_date_column_is_asked_about_then_read_as_answered(page, app_url):
    open_page(page, f"{app_url}/data")
    upload(page, MIXED, "mixed_dates.csv", which="Purchases file")
    main = page.get_by_test_id("stMain")
    question = main.get_by_role("radiogroup")
    expect(main.get_by_text("Does 05/01/2024 mean")).to_be_visible(timeout=WAIT_TIMEOUT_MS)
    expect(main.get_by_text("mixes date forms (5 like 2024-01-05, 2 like 05/01/2024, 1 with a month name")).to_be_visible()
    expect(main.get_by_text("Answer the question about dates above")).to_be_visible()
    expect(metric_value(page, "Rows read")).to_have_count(0)  # no validation (and no save) before the answer
    assert_clean(page)
    screenshot(page, "mixed-dates-1-question")

    with rerun(page):
        question.get_by_text("5 January (day first)").click()
    expect(metric_value(page, "Rows read")).to_have_text("8", timeout=WAIT_TIMEOUT_MS)
    expect(metric_value(page, "Rows used")).to_have_text("8")
    expect(main.get_by_text("Dates like 05/01/2024 were read day first (5 January): you chose it")).to_be_visible()
    assert_clean(page)
    screenshot(page, "mixed-dates-2-answered")
