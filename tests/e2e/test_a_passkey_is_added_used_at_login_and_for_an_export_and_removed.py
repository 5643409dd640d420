"""Issue 18 point 2 in Chromium, with a virtual authenticator (the DevTools WebAuthn domain
through Playwright's CDP session; a platform authenticator with user verification, as a
laptop's or phone's). One flow: a passkey is added under a name (right after the login code),
the person logs out and in again with password and passkey (offered before the code form),
six minutes later an export asks for a step-up and the passkey gives it (a GET download, then
a POST shown in place that the passkey completes with the input kept), and the passkey is
removed (a fresh code, which the passkey just was); the session it verified then asks for a
code again. Every page without axe violations and without a console error (CSP holds)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Walk, log_in, time_passes
from tests.factories import PASSWORD, make_centre, make_user
from vern.api.models import ApiToken
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Kontornøkkel"


def _virtual_authenticator(page: Any) -> tuple[Any, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def _add(page: Any, walk: Walk, cdp: Any, authenticator_id: str) -> None:
    """A name (no JavaScript needed), then the browser makes the passkey."""
    page.get_by_role("link", name="Passnøkler").click()
    expect(page.get_by_role("heading", level=1, name="Passnøkler")).to_be_visible()
    page.get_by_role("link", name="Legg til passnøkkel").click()
    page.get_by_label("Navn på passnøkkelen").fill(NAME)
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_role("heading", level=1, name="Lag passnøkkelen")).to_be_visible()
    walk.check("register")
    page.get_by_role("button", name="Lag passnøkkelen").click()
    expect(page.get_by_text(f"Passnøkkelen «{NAME}» er lagt til.")).to_be_visible()
    expect(page.get_by_role("cell", name=NAME, exact=True)).to_be_visible()
    walk.check("list")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1


def _log_out_and_in_with_the_passkey(page: Any, walk: Walk, user: Any) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    passkey_button = page.get_by_role("button", name="Bruk passnøkkel")
    expect(passkey_button).to_be_visible()
    walk.check("mfa-with-passkey")
    button_y = passkey_button.bounding_box()["y"]
    assert button_y < page.get_by_label("Engangskode").bounding_box()["y"]  # offered first
    passkey_button.click()
    expect(page.get_by_role("heading", level=1, name="Oversikt")).to_be_visible()


def _step_up_for_exports(page: Any, walk: Walk, user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Six minutes on, a GET export goes to the step-up page and the passkey gives it; then a
    POST export (a new API key) shows the step-up in place, and the passkey completes it with
    what was typed (static/vern/passkeys.js sends the waiting form again)."""
    time_passes(monkeypatch, 6)
    page.goto("/statistikk/csv/")
    expect(page.get_by_role("heading", level=1, name="Bekreft med engangskode")).to_be_visible()
    walk.check("step-up-with-passkey")
    with page.expect_download() as download:
        page.get_by_role("button", name="Bruk passnøkkel").click()
    assert download.value.suggested_filename.endswith(".csv")
    step_up = AuditEvent.objects.filter(action=AuditAction.STEP_UP).order_by("-seq").first()
    assert step_up is not None
    assert step_up.details == {"method": "passkey"}

    page.goto("/konto/api-nokler/ny/")
    page.get_by_label("Navn på nøkkelen").fill("Journalsystem")
    time_passes(monkeypatch, 6)
    page.get_by_role("button", name="Lag nøkkel").click()
    expect(page.get_by_text("Det du valgte, er tatt vare på.")).to_be_visible()
    page.get_by_role("button", name="Bruk passnøkkel").click()
    expect(page.locator("#new-token")).to_contain_text("vern_")
    assert ApiToken.objects.get(user=user).name == "Journalsystem"


def _remove(page: Any, walk: Walk, user: Any) -> None:
    """The passkey was a fresh code a moment ago; the session it verified then asks for a code
    again, and no passkey is offered."""
    page.goto("/konto/passnokler/")
    page.get_by_role("link", name=f"Fjern ({NAME})").click()
    expect(page.get_by_role("heading", level=1, name="Fjern passnøkkel")).to_be_visible()
    walk.check("remove")
    page.get_by_role("button", name="Fjern passnøkkelen").click()
    expect(page.get_by_role("heading", level=1, name="Skriv inn engangskode")).to_be_visible()
    expect(page.get_by_role("button", name="Bruk passnøkkel")).to_have_count(0)
    removed = AuditEvent.objects.filter(actor=user, action=AuditAction.PASSKEY_REMOVED)
    assert removed.count() == 1


def test_a_passkey_is_added_used_at_login_and_for_an_export_and_removed(
    page: Any, live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")  # an IP cannot be a relying party
    cdp, authenticator_id = _virtual_authenticator(page)
    user = make_user(centre=make_centre())
    walk = Walk(page, "passkey")
    log_in(walk, user)

    _add(page, walk, cdp, authenticator_id)
    _log_out_and_in_with_the_passkey(page, walk, user)
    _step_up_for_exports(page, walk, user, monkeypatch)
    _remove(page, walk, user)

    assert page.vern_console_errors == []  # type: ignore[attr-defined]
