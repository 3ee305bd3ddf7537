"""Browser tests: a real `streamlit run app.py` server driven by Debian's Chromium through Playwright.

Without Chromium these tests are skipped with the reason, except under CI=true, where they fail:
CI must never pass by silently not running them. Chromium path: $CHROMIUM_PATH, else /usr/bin/chromium
(`playwright install` is never used; apt-get install chromium).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e_helpers import (ARTIFACTS, SCREENSHOT_VIEWPORT, WARM_UP_TIMEOUT_MS, StreamlitServer, data_dir_with_demo,
                         open_page, screenshot)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
# Playwright's default of 5 s for expect() is shorter than one script run on a loaded 2-core CI machine
# (a page whose run had finished was still being drawn when a 5 s expect gave up). A wait, not a timing check.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason}. CI=true, so browser tests fail instead of skipping.", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- browser (overrides of pytest-playwright)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser(launch_browser):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        launched = launch_browser()
    except Exception as err:  # noqa: BLE001 - any launch failure means "no usable browser"
        _unavailable(f"Chromium at {CHROMIUM} did not start: {str(err).splitlines()[0]}")
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Tall: Streamlit's main area scrolls inside the page, so a full-page screenshot is only the viewport.
    return {**browser_context_args, "viewport": SCREENSHOT_VIEWPORT, "locale": "en-GB", "timezone_id": "UTC"}


@pytest.fixture(autouse=True)
def _final_screenshot(request):
    """A screenshot of the test's `page` when it ends (passed or failed), in test-artifacts/."""
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    yield
    if page is not None and not page.is_closed():
        try:
            screenshot(page, f"{test_name(request)}-end")
        except Exception:  # noqa: BLE001 - a dead page must not hide the test's own failure
            pass


@pytest.fixture
def open_session(new_context, request):
    """open_session(label) → a page in a new browser context (its own cookies, so its own Streamlit session).

    Each one is screenshotted when the test ends, as test-artifacts/e2e/<test>-<label>-end.png.
    """
    pages = {}

    def _open(label: str):
        pages[label] = new_context().new_page()
        return pages[label]

    yield _open
    for label, page in pages.items():
        if not page.is_closed():
            try:
                screenshot(page, f"{test_name(request)}-{label}-end")
            except Exception:  # noqa: BLE001
                pass


def test_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)


# ---------------------------------------------------------------- servers


@pytest.fixture(scope="session")
def demo_file(demo_data_dir) -> Path:
    """The demo dataset, built once per run (tests/conftest.py); each server gets a copy."""
    return demo_data_dir / "datasets" / "demo.duckdb"




@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts():
    """Screenshots and server logs of this run only (test-artifacts/e2e/ is ours alone).

    Under pytest-xdist the controller empties it before the workers start (tests/conftest.py); a worker
    emptying it would delete the other worker's server logs.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
    (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def log_dir(_fresh_artifacts) -> Path:
    return ARTIFACTS / "logs"


@pytest.fixture(scope="session")
def server(tmp_path_factory, demo_file, log_dir):
    """One server for the whole run (the demo is already built, so the first page is quick)."""
    data_dir = data_dir_with_demo(tmp_path_factory.mktemp("e2e-shared"), demo_file)
    running = StreamlitServer(data_dir, log_dir).start()
    yield running
    running.stop()



def warm_up(server: StreamlitServer, browser) -> None:
    """Run the entrypoint once (open "/"), so the process is in st.navigation mode before any deep link.

    Streamlit runs the first session's first script through its legacy pages/ auto-discovery when a
    folder named pages/ sits next to app.py, until some run calls st.navigation (a process-wide flag).
    test_upload.py::test_deep_link_is_the_first_request_on_a_fresh_server covers that case on its own.
    """
    context = browser.new_context()
    try:  # a fresh process's first run imports everything (pandas, plotly, scipy, the catalogs): give it time
        open_page(context.new_page(), server.url, timeout_ms=WARM_UP_TIMEOUT_MS)
    finally:
        context.close()


@pytest.fixture
def app_url(browser, server):  # browser first: no server start when the tests will be skipped
    """The shared server's URL; the test fails with the server's output if the server dies meanwhile."""
    if not server.warm:
        warm_up(server, browser)
        server.warm = True
    server.assert_alive()
    yield server.url
    server.assert_alive()


@pytest.fixture
def own_server(tmp_path, demo_file, log_dir):
    """A server of the test's own, on a fresh data directory holding the demo (for tests that kill it).

    Use .kill() and .start() (same data directory, new port); it is stopped at the end.
    """
    running = StreamlitServer(data_dir_with_demo(tmp_path / "data", demo_file), log_dir).start()
    yield running
    running.stop()
