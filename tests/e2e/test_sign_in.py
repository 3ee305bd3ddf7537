"""Team sign-in (RETENTION_REQUIRE_LOGIN=1) through Streamlit's built-in OIDC login, in a real browser, against
a real OpenID Connect provider on loopback (oidc-provider-mock: discovery, authorization form, token and
userinfo endpoints, signed ID tokens). Nothing of any dataset shows before signing in, on any page; after
the provider's form the person is back on the dashboard; a fresh browser context must sign in again."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from e2e_helpers import WAIT_TIMEOUT_MS, StreamlitServer, data_dir_with_demo, free_port, open_page, screenshot, \
    wait_for_app

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")  # in requirements-dev.txt
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated:DeprecationWarning")  # Authlib's own, inside the mock


def secrets_toml(app_port: int, issuer: str) -> str:
    return f"""[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{secrets.token_hex(16)}"
client_id = "retention-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
"""


@pytest.fixture
def signed_in_server(tmp_path, demo_file, log_dir, browser):
    """A server requiring sign-in, with the provider's settings in its user-level secrets.toml (HOME), so
    the checkout's own .streamlit/ is left alone."""
    with oidc_provider_mock.run_server_in_thread(port=0) as provider:
        issuer = f"http://127.0.0.1:{provider.server_port}"
        port = free_port()
        home = tmp_path / "home"
        (home / ".streamlit").mkdir(parents=True)
        (home / ".streamlit" / "secrets.toml").write_text(secrets_toml(port, issuer))
        server = StreamlitServer(data_dir_with_demo(tmp_path / "data", demo_file), log_dir, port=port,
                                 env={"RETENTION_REQUIRE_LOGIN": "1", "HOME": str(home)}).start()
        try:
            yield server, issuer
        finally:
            server.stop()


def assert_signed_out(page) -> None:
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=WAIT_TIMEOUT_MS)
    main = page.get_by_test_id("stMain").inner_text()
    assert "Demo shop" not in main and "Customers" not in main and "Cohort" not in main, main
    assert page.get_by_test_id("stSidebar").count() == 0 or "Demo shop" not in \
        page.get_by_test_id("stSidebar").inner_text()


def test_sign_in_with_the_teams_openid_provider(signed_in_server, new_context):
    server, issuer = signed_in_server
    page = new_context().new_page()
    open_page(page, server.url + "/")
    assert_signed_out(page)
    screenshot(page, "sign-in-prompt")
    deep = new_context().new_page()  # a deep link to a page shows the same prompt, not the page
    open_page(deep, server.url + "/cohorts?period=quarter")
    assert_signed_out(deep)

    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{issuer}/**", timeout=WAIT_TIMEOUT_MS)  # the provider's own authorization form
    page.locator("input[name=sub]").fill("alice@example.com")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}/**", timeout=WAIT_TIMEOUT_MS)
    wait_for_app(page)
    expect(page.get_by_text("Customers").first).to_be_visible(timeout=WAIT_TIMEOUT_MS)  # the Overview
    expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as alice@example.com")).to_be_visible()
    screenshot(page, "signed-in-overview")

    stranger = new_context().new_page()  # another browser: no session cookie, so no way in
    open_page(stranger, server.url + "/")
    assert_signed_out(stranger)

    page.get_by_role("button", name="Sign out").click()  # signs out at the provider too (its end-session form)
    page.wait_for_url(f"{issuer}/**", timeout=WAIT_TIMEOUT_MS)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{server.url}/**", timeout=WAIT_TIMEOUT_MS)
    wait_for_app(page)
    assert_signed_out(page)  # this browser is signed out again, on every page
    open_page(page, server.url + "/churn")
    assert_signed_out(page)
