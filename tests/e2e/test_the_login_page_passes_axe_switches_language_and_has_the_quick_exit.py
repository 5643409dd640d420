"""The login page: Designsystemet look, language switch, 0 axe violations, screenshots (issue 2)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import assert_no_axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_in_bokmal_has_no_axe_violations(page: Any) -> None:
    page.goto("/konto/logg-inn/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", name="Logg inn").is_visible()
    # Designsystemet is applied: the primary button gets the accent background, not the default.
    background = page.locator("button[type=submit][data-variant=primary]").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert background not in {"rgba(0, 0, 0, 0)", "rgb(239, 239, 239)", "rgb(240, 240, 240)"}
    assert page.vern_console_errors == []  # no CSP violations or script errors
    assert_no_axe_violations(page)
    screenshot(page, "login-nb")


def test_language_switch_to_english_and_back(page: Any) -> None:
    page.goto("/konto/logg-inn/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Log in").is_visible()
    assert_no_axe_violations(page)
    screenshot(page, "login-en")
    page.get_by_role("button", name="Norsk (nynorsk)").click()
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("heading", name="Logg inn").is_visible()
    assert_no_axe_violations(page)
    screenshot(page, "login-nn")


def test_quick_exit_three_shift_presses_leave_and_replace_history(page: Any) -> None:
    page.goto("/konto/logg-inn/")
    page.goto("/konto/passord/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/healthz")
    # The Vern page it left is gone from history: Back goes to the page before it.
    page.go_back()
    assert page.url.endswith("/konto/logg-inn/")


def test_quick_exit_is_a_plain_link_without_javascript_to_the_configured_site(
    browser: Any, live_server: Any, settings: Any
) -> None:
    settings.VERN_QUICK_EXIT_URL = live_server.url + "/healthz"
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/konto/logg-inn/")
    link = page.locator("#quick-exit")
    assert link.is_visible()
    # Followed without JavaScript, the link ends on the configured site (directly, or through
    # a page of Vern that redirects there).
    link.click()
    page.wait_for_url(settings.VERN_QUICK_EXIT_URL)
    assert page.url == settings.VERN_QUICK_EXIT_URL
    context.close()
