"""Who may see a shared dataset, in a real browser: the password prompt, deletion, expiry (and the purge at
a restart), and an ended session letting go of its cursor and its uploaded bytes.

The owner uploads and saves a small generated file, then uses "Manage this dataset"; every viewer is a fresh
browser context (its own cookies, so its own Streamlit session) opening the share link. Expected numbers come
from how the file was generated. One server for the module, with Streamlit's debug log on (the cursor
release is seen there) and the /_stcore/metrics endpoint (uploaded bytes are seen there).
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from e2e_helpers import (WAIT_TIMEOUT_MS, WARM_UP_TIMEOUT_MS, StreamlitServer, assert_clean, combobox,
                         data_dir_with_demo, dataset_files_of, dataset_id_in_url, fill_text, metric_value,
                         open_files_under, open_page, poll, purchases_csv, rerun, screenshot, tick, upload,
                         wait_for_app)

PASSWORD = "correct horse ⚡ battery"
RELEASED = "closed a session's cursor"  # retention.ui's debug line when a session's cursor is released


@pytest.fixture(scope="module")
def access_server(tmp_path_factory, demo_file, log_dir, browser):
    data_dir = data_dir_with_demo(tmp_path_factory.mktemp("e2e-access"), demo_file)
    running = StreamlitServer(data_dir, log_dir, env={"STREAMLIT_LOGGER_LEVEL": "debug"}).start()
    context = browser.new_context()  # run app.py once before any deep link (see conftest.warm_up)
    open_page(context.new_page(), running.url, timeout_ms=WARM_UP_TIMEOUT_MS)  # a fresh process imports everything
    context.close()
    yield running
    running.stop()


@pytest.fixture
def url(access_server, monkeypatch):
    """The server's URL; retention.access/store in this process read the server's data directory."""
    monkeypatch.setenv("RETENTION_DATA_DIR", str(access_server.data_dir))
    access_server.assert_alive()
    yield access_server.url
    access_server.assert_alive()


def save_as_owner(page, url: str, shop, name: str) -> str:
    """Upload and save `shop` under `name` in this page's session (which becomes its owner); its id."""
    open_page(page, f"{url}/data")
    upload(page, shop.data, "owner_upload.csv")  # named other than `name`, so typing the name reruns
    expect(metric_value(page, "Rows used")).to_have_text(f"{shop.rows:,}", timeout=WAIT_TIMEOUT_MS)
    fill_text(page, "Dataset name", name)
    with rerun(page):
        page.get_by_role("button", name="Save dataset").click()
    expect(page.get_by_text(f"Saved “{name}”")).to_be_visible(timeout=WAIT_TIMEOUT_MS)
    return dataset_id_in_url(page)


def manage_panel(page):
    """The sidebar's "Manage this dataset" expander, opened (opening it does not rerun the script)."""
    sidebar = page.get_by_test_id("stSidebar")
    panel = sidebar.get_by_test_id("stExpander").filter(has_text="Manage this dataset")
    if not panel.get_by_role("button", name="Delete dataset").is_visible():
        panel.get_by_text("Manage this dataset").click()
    expect(panel.get_by_role("button", name="Delete dataset")).to_be_visible()
    return panel


def shows_dataset(page, name: str, shop) -> None:
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=name)).to_be_visible()
    expect(metric_value(page, "Customers")).to_have_text(f"{shop.customers:,}")
    expect(metric_value(page, "Orders")).to_have_text(f"{shop.rows:,}")  # one row per order id
    assert_clean(page)


def shows_gone(page) -> None:
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="This dataset is gone")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    assert_clean(page)


def test_password_prompt_hides_everything_until_the_right_password(open_session, url):
    shop = purchases_csv(rows=1237, customers=83, prefix="W")
    name = "Protected shop"
    owner = open_session("owner")
    dataset_id = save_as_owner(owner, url, shop, name)
    panel = manage_panel(owner)
    box = panel.get_by_label("Password for the link (optional)", exact=True)
    box.fill(PASSWORD)
    box.press("Enter")  # committed (on Enter, or already while typing): the button then offers to set it
    expect(panel.get_by_role("button", name="Set password")).to_be_visible()
    wait_for_app(owner)
    with rerun(owner):
        panel.get_by_role("button", name="Set password").click()
    expect(owner.get_by_text("Password set.")).to_be_visible()
    with rerun(owner):
        owner.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
    shows_dataset(owner, name, shop)  # the owner is never asked

    viewer = open_session("viewer")
    open_page(viewer, f"{url}/?dataset={dataset_id}")
    expect(viewer.get_by_role("heading", name="This dataset is protected")).to_be_visible()
    text = viewer.locator("body").inner_text()
    for secret in (name, f"{shop.rows:,}", f"{shop.customers:,}", f"{shop.revenue:,.0f}", "W000001"):
        assert secret not in text, f"{secret!r} is visible before the password"
    expect(viewer.get_by_test_id("stMetric")).to_have_count(0)
    expect(viewer.get_by_test_id("stPlotlyChart")).to_have_count(0)
    expect(viewer.get_by_test_id("stSidebar").get_by_role("combobox")).to_have_count(0)
    screenshot(viewer, "access-password-prompt")

    box = viewer.get_by_label("Password", exact=True)
    box.fill(PASSWORD[:-1])
    with rerun(viewer):
        viewer.get_by_role("button", name="Open").click()
    expect(viewer.get_by_text("That password is not right.")).to_be_visible()
    assert name not in viewer.locator("body").inner_text()

    box.fill(PASSWORD)
    with rerun(viewer):
        viewer.get_by_role("button", name="Open").click()
    shows_dataset(viewer, name, shop)
    expect(viewer.get_by_text("Manage this dataset")).to_have_count(0)  # a viewer cannot manage it
    from retention import store

    assert PASSWORD not in store.dataset_path(dataset_id).with_suffix(".json").read_text()  # only its scrypt hash


def test_deleting_removes_the_files_and_the_link_shows_gone(open_session, url, access_server):
    shop = purchases_csv(rows=700, customers=55, prefix="D")
    name = "Shop to delete"
    owner = open_session("owner")
    dataset_id = save_as_owner(owner, url, shop, name)
    viewer = open_session("viewer-before")  # a second session holding a cursor on it
    open_page(viewer, f"{url}/?dataset={dataset_id}")
    shows_dataset(viewer, name, shop)
    data_dir = access_server.data_dir
    assert {p.suffix for p in dataset_files_of(data_dir, dataset_id)} >= {".duckdb", ".json"}

    tick(owner, manage_panel(owner), "Yes, delete this dataset for everyone")
    with rerun(owner):
        manage_panel(owner).get_by_role("button", name="Delete dataset").click()
    expect(combobox(owner.get_by_test_id("stSidebar"), "Dataset")).to_have_value("Demo shop (generated)")
    assert dataset_files_of(data_dir, dataset_id) == []
    # Really gone: no process of the server keeps the deleted file open (its space is freed).
    assert [p for p in open_files_under(access_server.proc.pid, data_dir) if dataset_id in p] == []

    fresh = open_session("viewer-after")
    open_page(fresh, f"{url}/?dataset={dataset_id}")
    shows_gone(fresh)
    screenshot(fresh, "access-deleted-link")


def test_expiry_removes_the_dataset_and_a_restart_purges_unopened_ones(open_session, url, access_server):
    from retention import access, fmt, store
    from retention.ingest.canonical import prepare

    shop = purchases_csv(rows=640, customers=40, prefix="E")
    name = "Shop that expires"
    owner = open_session("owner")
    dataset_id = save_as_owner(owner, url, shop, name)
    keep = combobox(manage_panel(owner), "Keep it for")
    keep.click()
    keep.fill("7 days")  # a selectbox filters its options as one types
    with rerun(owner):  # the option clicked once shown: an Enter pressed before it was shown picked nothing (seen once)
        owner.get_by_role("option", name="7 days", exact=True).click()
    expect(keep).to_have_value("7 days")
    with rerun(owner):
        manage_panel(owner).get_by_role("button", name="Set expiry").click()
    set_at = dt.datetime.now(dt.timezone.utc)
    when = access.expires_at(dataset_id)
    assert dt.timedelta(days=7, seconds=-60) < when - set_at <= dt.timedelta(days=7), when
    expect(manage_panel(owner).get_by_text(f"Deleted automatically on {fmt.date(when)}.")).to_be_visible()  # 6 May 2027

    # Seven days pass (as the server's clock would see it): the stored expiry is now in the past.
    settings = access.read(dataset_id)
    settings.expires_at = (set_at - dt.timedelta(minutes=1)).isoformat(timespec="seconds")
    access.write(dataset_id, settings)
    viewer = open_session("viewer")
    open_page(viewer, f"{url}/?dataset={dataset_id}")
    shows_gone(viewer)
    assert dataset_files_of(access_server.data_dir, dataset_id) == []

    # A dataset that expires while nobody opens it is removed when the server starts again.
    quiet = purchases_csv(rows=300, customers=30, prefix="Q")
    quiet_id, _ = store.create_dataset(prepare(quiet.data, "quiet.csv", "purchases"), None, "Nobody opens me")
    access.set_expiry(quiet_id, 1, now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2))
    kept_id, _ = store.create_dataset(prepare(quiet.data, "kept.csv", "purchases"), None, "Still valid")
    access.set_expiry(kept_id, 30)
    access_server.restart()
    first = open_session("after-restart")
    open_page(first, access_server.url)  # any first visit starts the purge; nobody asks for quiet_id
    expect(first.get_by_test_id("stMain").get_by_role("heading", name="Demo shop (generated)")).to_be_visible()
    poll(lambda: dataset_files_of(access_server.data_dir, quiet_id) == [], 10, "the purge of the expired dataset")
    assert {p.suffix for p in dataset_files_of(access_server.data_dir, kept_id)} >= {".duckdb", ".json"}


def metrics(server) -> str:
    with urllib.request.urlopen(f"{server.url}/_stcore/metrics", timeout=5) as response:
        return response.read().decode()


def uploaded_bytes(server) -> int:
    """Bytes Streamlit holds for uploaded files, all sessions (refreshed by the endpoint every few seconds)."""
    found = re.search(r'cache_memory_bytes\{cache_type="UploadedFileManager",cache=""\} (\d+)', metrics(server))
    return int(found.group(1)) if found else 0


def test_an_ended_session_closes_its_cursor_and_drops_its_upload(open_session, url, access_server):
    poll(lambda: uploaded_bytes(access_server) == 0, 30, "earlier sessions' uploads to be dropped", interval=1)
    shop = purchases_csv(rows=4000, customers=300, prefix="I")
    page = open_session("idle")
    open_page(page, f"{url}/data")
    upload(page, shop.data, "idle.csv")
    expect(metric_value(page, "Rows used")).to_have_text(f"{shop.rows:,}", timeout=WAIT_TIMEOUT_MS)
    held = poll(lambda: uploaded_bytes(access_server), 30, "the upload in the metrics", interval=1)
    assert held >= len(shop.data)
    released_before = access_server.output().count(RELEASED)

    page.context.close()  # the tab goes away
    poll(lambda: access_server.output().count(RELEASED) > released_before, 30, "the session's cursor to close")
    poll(lambda: uploaded_bytes(access_server) == 0, 30, "the session's upload to be dropped", interval=1)


async def guess_wrong(url: str, dataset_id: str, times: int) -> None:
    from streamlit_client import Session

    async with Session(url, timeout=60) as session:
        page = await session.open(f"/?dataset={dataset_id}")
        assert page.has("This dataset is protected"), page.texts
        for attempt in range(times):
            await session.set_text("Password", f"guess {attempt}")
            page = await session.click("Open")
            assert page.has("That password is not right."), (attempt, page.texts)
        await session.set_text("Password", PASSWORD)
        page = await session.click("Open")  # the right one, too late
        assert page.has("Too many attempts") and not page.has("Locked shop"), page.texts


def test_wrong_passwords_and_ids_are_rate_limited_per_client(open_session, own_server, monkeypatch):
    """20 wrong passwords from one client: the 21st attempt, even with the right password, and then any
    link (the dataset's, a wrong id) show "Too many attempts". A server of its own: the limit is per client
    address, and every client here is 127.0.0.1."""
    from streamlit_client import run as run_async

    from retention import access, store
    from retention.ingest.canonical import prepare

    monkeypatch.setenv("RETENTION_DATA_DIR", str(own_server.data_dir))
    shop = purchases_csv(rows=200, customers=20, prefix="L")
    dataset_id, _ = store.create_dataset(prepare(shop.data, "l.csv", "purchases"), None, "Locked shop")
    access.set_password(dataset_id, PASSWORD)
    # Twenty wrong guesses, each answered before the next (the protocol client waits for each run's end;
    # a browser gives no reliable signal for such short runs). Both clients are 127.0.0.1.
    run_async(guess_wrong(own_server.url, dataset_id, 20))
    page = open_session("same-client")  # a browser on the same address: its link is locked too
    open_page(page, own_server.url, timeout_ms=WARM_UP_TIMEOUT_MS)  # app.py once before the deep link (warm_up)
    open_page(page, f"{own_server.url}/?dataset={dataset_id}")
    expect(page.get_by_role("heading", name="Too many attempts")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_count(0)
    assert "Locked shop" not in page.locator("body").inner_text()

    other = open_session("wrong-id")
    open_page(other, f"{own_server.url}/?dataset={'Z' * 32}")
    expect(other.get_by_role("heading", name="Too many attempts")).to_be_visible()
    assert_clean(other)
