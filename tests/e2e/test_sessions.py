"""Two browser sessions (separate contexts = separate cookies and websockets) upload different files at the
same time; each sees only its own data, and a third, fresh session sees only the demo."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e_helpers import (WAIT_TIMEOUT_MS, combobox, fill_text, metric_value, open_page, options, purchases_csv,
                         rerun)

DEMO_NAME = "Demo shop (generated)"


def _start_upload(page, data: bytes, filename: str) -> None:
    """Hand the file to the uploader without waiting, so the other session's upload overlaps with it. The box is
    found by its label (by position, a render still in progress can send it to the customers box)."""
    box = page.get_by_test_id("stFileUploader").filter(has_text="Purchases file")
    expect(box).to_be_visible(timeout=WAIT_TIMEOUT_MS)
    box.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": filename, "mimeType": "text/csv", "buffer": data}])


def test_two_sessions_uploading_at_once_see_only_their_own_data(open_session, app_url):
    files = {
        "alice": (purchases_csv(rows=1500, customers=120, prefix="A"), "alice_orders.csv", "Alice's shop"),
        "bob": (purchases_csv(rows=900, customers=75, prefix="B"), "bob_orders.csv", "Bob's shop"),
    }
    pages = {who: open_session(who) for who in files}
    for page in pages.values():
        open_page(page, f"{app_url}/data")

    for who, page in pages.items():
        _start_upload(page, files[who][0].data, files[who][1])
    for who, page in pages.items():
        shop, filename, _ = files[who]
        expect(metric_value(page, "Rows read")).to_have_text(f"{shop.rows:,}", timeout=WAIT_TIMEOUT_MS)
        expect(metric_value(page, "Customers")).to_have_text(f"{shop.customers:,}")
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(filename)
        other = files["bob" if who == "alice" else "alice"][1]
        expect(main).not_to_contain_text(other)
        fill_text(page, "Dataset name", files[who][2])

    for page in pages.values():  # both saves in flight together
        page.get_by_role("button", name="Save dataset").click()
    for who, page in pages.items():
        expect(page.get_by_text(f"Saved “{files[who][2]}”")).to_be_visible(timeout=WAIT_TIMEOUT_MS)

    for who, page in pages.items():
        shop, _, name = files[who]
        other_name = files["bob" if who == "alice" else "alice"][2]
        sidebar = page.get_by_test_id("stSidebar")
        expect(combobox(sidebar, "Dataset")).to_have_value(name)
        picker = options(page, sidebar, "Dataset")
        assert name in picker and DEMO_NAME in picker and other_name not in picker, picker
        with rerun(page):
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
        expect(page.get_by_test_id("stMain").get_by_role("heading", name=name)).to_be_visible()
        expect(metric_value(page, "Customers")).to_have_text(f"{shop.customers:,}")
        expect(metric_value(page, "Orders")).to_have_text(f"{shop.rows:,}")  # one row per order id
        assert other_name not in page.content()

    newcomer = open_session("newcomer")
    open_page(newcomer, app_url)
    expect(newcomer.get_by_test_id("stMain").get_by_role("heading", name=DEMO_NAME)).to_be_visible()
    assert options(newcomer, newcomer.get_by_test_id("stSidebar"), "Dataset") == [DEMO_NAME]


def test_a_click_carrying_the_pickers_old_value_does_not_switch_back(app_url):
    """A busy browser can send its next click (here: a page switch) with the dataset picker's value as it
    last drew it, before drawing the run that put the newly saved dataset in view. That stale value must not
    count as the person choosing the old dataset again (with one picker widget whose value the app set on
    every run, it did: this test put the session back on the demo). Sent through Streamlit's protocol
    (streamlit_client), the way the browser sends it."""
    from streamlit_client import Session, WidgetState, run

    shop = purchases_csv(rows=300, customers=40, prefix="P")

    async def scenario() -> None:
        async with Session(app_url, timeout=60) as session:
            await session.open("/data")
            _, picker = session.page.widgets["Dataset"]  # as drawn before the save: the demo in view
            await session.upload("Purchases file", shop.data, "pickerrace.csv")
            page = await session.click("Save dataset")
            assert page.has("Saved “pickerrace”"), page.texts
            stale = WidgetState(id=picker, string_value=DEMO_NAME)
            page = await session._rerun([stale], query_string="", page_hash=session.pages[""])
            assert page.has("pickerrace") and not page.has(DEMO_NAME), page.texts[:8]

    run(scenario())
