"""Chromium, with JavaScript off, signs in with the municipality and out again.

Vern's live server is on ``localhost`` and the provider on ``127.0.0.1``: two sites, as Vern
and a municipality's provider are. So the browser really withholds Vern's SameSite=Strict
session cookie on the provider's redirect back, and Vern's CSP (``form-action 'self'``)
really applies. The client is registered at the provider by dynamic client registration
(RFC 7591) for the live server's address."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.factories import make_centre, make_user
from tests.oidc.conftest import Provider, unavailable
from vern.accounts import oidc
from vern.accounts.models import OIDCIdentity, Role
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, launched as the browser tests launch it (tests/e2e/conftest.py)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_sign_in_and_out_across_sites_in_chromium_without_javascript(
    chromium: Any, live_server: Any, provider: Provider, settings: Any
) -> None:
    assert live_server.url.startswith("http://localhost:")
    registered = requests.post(
        provider.a + "/reg",
        json={
            "redirect_uris": [live_server.url + "/konto/kommune/retur/"],
            "post_logout_redirect_uris": [live_server.url + "/konto/logg-inn/"],
            "token_endpoint_auth_method": "client_secret_post",
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        },
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    client = registered.json()
    settings.VERN_OIDC_ISSUER = provider.a
    settings.VERN_OIDC_CLIENT_ID = client["client_id"]
    settings.VERN_OIDC_CLIENT_SECRET = client["client_secret"]
    settings.VERN_OIDC_SCOPES = "openid email profile"
    settings.VERN_OIDC_SUBJECT_CLAIM = "sub"
    settings.VERN_OIDC_MFA_AMR = ["mfa"]
    settings.VERN_OIDC_MFA_ACR = []
    settings.VERN_OIDC_REQUIRE_MFA = False
    settings.VERN_OIDC_SIGN_ALGO = "RS256"
    settings.VERN_OIDC_TIMEOUT = 5
    settings.VERN_QUICK_EXIT_URL = live_server.url + "/healthz"
    oidc.clear_metadata_cache()
    user = make_user(Role.ANSATT, make_centre())
    OIDCIdentity.objects.create(user=user, name="oidc", issuer=provider.a, subject="kari")

    context = chromium.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False
    )
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if "Refused" in msg.text else None)
    callbacks: list[str] = []
    page.on(
        "request", lambda r: callbacks.append(r.url) if "/konto/kommune/retur/" in r.url else None
    )
    try:
        page.goto("/konto/logg-inn/")
        page.get_by_role("link", name="Logg inn med kommunen").click()
        assert page.url.startswith(provider.a + "/interaction/")
        page.fill("input[name=sub]", "kari")
        page.fill("input[name=amr]", "pwd,mfa")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
        screenshot(page, "oidc-01-signed-in")
        assert page.get_by_role("button", name="Logg ut").is_visible()
        assert AuditEvent.objects.filter(action=AuditAction.MFA_VERIFIED).count() == 1
        # The cross-site arrival came without the Strict cookie; the same-site one used it.
        assert len(callbacks) == 2
        assert "vern_same_site=1" not in callbacks[0]
        assert "vern_same_site=1" in callbacks[1]

        page.get_by_role("button", name="Logg ut").click()
        page.get_by_role("link", name="Logg ut hos kommunen").click()
        assert page.url.startswith(provider.a + "/session/end")
        page.get_by_role("button", name="Yes, sign me out").click()
        page.wait_for_url(live_server.url + "/konto/logg-inn/")
        screenshot(page, "oidc-02-signed-out-at-the-provider")
        assert refused == []  # no CSP refusal on the way
    finally:
        context.close()
        oidc.clear_metadata_cache()
