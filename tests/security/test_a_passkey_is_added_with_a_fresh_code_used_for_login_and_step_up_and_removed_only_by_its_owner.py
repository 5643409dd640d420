"""Passkeys (issue 18, ADR 0015) through Vern's pages and JSON endpoints, with a software
authenticator (tests/security/passkey_authenticator.py) whose answers py_webauthn verifies
for real: adding one needs a fresh code and a name, several per person; one is a second factor
at login and a fresh code for step-up (the 5-minute rule); a wrong origin, another person's
passkey, a tampered signature or a replayed answer is refused and audited; removing one needs a
fresh code, and only its owner can; each step writes its audit event."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential
from pytest_django import Settings

from tests.factories import PASSWORD, login_verified
from tests.security.conftest import Clock
from tests.security.passkey_authenticator import SoftAuthenticator, b64url, unb64url
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent

EXPORT = "/statistikk/csv/"


@pytest.fixture(autouse=True)
def relying_party(settings: Settings) -> None:
    settings.OTP_WEBAUTHN_RP_ID = "testserver"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://testserver"]


@pytest.fixture
def authenticator() -> SoftAuthenticator:
    return SoftAuthenticator(origin="http://testserver")


def _post_json(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def add_passkey(client: Client, authenticator: SoftAuthenticator, name: str) -> Any:
    """The pages as the browser walks them: the name form, the two ceremony requests."""
    page = client.post(reverse("passkeys:add"), {"name": name})
    assert page.status_code == 200, page.content[:300]
    options = _post_json(client, reverse("passkeys:register_begin"))
    assert options.status_code == 200, options.content
    answer = authenticator.create(options.json())
    return _post_json(client, reverse("passkeys:register_complete"), answer)


def password_only(client: Client, user: User) -> None:
    response = client.post("/konto/logg-inn/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def use_passkey(
    client: Client, authenticator: SoftAuthenticator, complete: str, **kwargs: Any
) -> Any:
    options = _post_json(client, reverse("passkeys:auth_begin"))
    assert options.status_code == 200, options.content
    return _post_json(client, complete, authenticator.get(options.json(), **kwargs))


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


@pytest.fixture
def enrolled(
    client: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> Client:
    """ansatt with one passkey "Kontornøkkel", then logged out (a new client logs in)."""
    login_verified(client, ansatt)
    assert add_passkey(client, authenticator, "Kontornøkkel").status_code == 200
    client.logout()
    return Client()


# --- Adding ----------------------------------------------------------------------------------


def test_a_passkey_gets_its_name_its_owner_and_an_audit_event(
    client: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)

    response = add_passkey(client, authenticator, "  Kontornøkkel  ")

    assert response.status_code == 200, response.content
    device = WebAuthnCredential.objects.get(pk=response.json()["id"])
    assert (device.user_id, device.name, device.confirmed) == (ansatt.pk, "Kontornøkkel", True)
    assert response.json()["redirect_url"] == reverse("passkeys:list")
    enrolled = events(AuditAction.PASSKEY_ENROLLED)
    assert [(e.actor_id, e.object_type, e.object_id) for e in enrolled] == [
        (ansatt.pk, "passkey", str(device.pk))
    ]
    page = client.get(reverse("passkeys:list")).content.decode()
    assert "Kontornøkkel" in page


def test_a_person_can_have_several_and_the_browser_is_told_not_to_make_one_twice(
    client: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)
    first = add_passkey(client, authenticator, "Kontornøkkel").json()["id"]

    client.post(reverse("passkeys:add"), {"name": "Telefonen"})
    options = _post_json(client, reverse("passkeys:register_begin")).json()
    excluded = [unb64url(c["id"]) for c in options["excludeCredentials"]]
    second = _post_json(
        client, reverse("passkeys:register_complete"), authenticator.create(options)
    )

    assert excluded == [bytes(WebAuthnCredential.objects.get(pk=first).credential_id)]
    assert second.status_code == 200
    assert sorted(
        WebAuthnCredential.objects.filter(user=ansatt).values_list("name", flat=True)
    ) == [
        "Kontornøkkel",
        "Telefonen",
    ]
    assert options["rp"] == {"id": "testserver", "name": "Vern"}
    assert options["user"]["displayName"] == f"{ansatt.full_name} ({ansatt.username})"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Gi passnøkkelen et navn"),
        ("x" * 65, "høyst 64 tegn"),
        ("kontornøkkel", "allerede en passnøkkel med dette navnet"),
    ],
    ids=["empty", "too-long", "taken"],
)
def test_a_bad_name_is_refused_with_what_is_wrong_and_kept_in_the_form(
    client: Client, ansatt: User, authenticator: SoftAuthenticator, name: str, message: str
) -> None:
    login_verified(client, ansatt)
    add_passkey(client, authenticator, "Kontornøkkel")

    response = client.post(reverse("passkeys:add"), {"name": name})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'value="{name}"' in response.content.decode()
    assert _post_json(client, reverse("passkeys:register_begin")).status_code == 400
    assert WebAuthnCredential.objects.filter(user=ansatt).count() == 1


def test_a_name_with_a_nul_character_is_refused_and_nothing_is_kept(
    client: Client, ansatt: User
) -> None:
    # PostgreSQL cannot store a NUL: the name is refused before any query (found by the fuzz
    # test on PostgreSQL in CI, a 500 before).
    login_verified(client, ansatt)

    response = client.post(reverse("passkeys:add"), {"name": "Nøkkel\x00"})

    assert response.status_code == 400
    assert "Null-tegn er ikke tillatt." in response.content.decode()
    assert _post_json(client, reverse("passkeys:register_begin")).status_code == 400
    assert not WebAuthnCredential.objects.filter(user=ansatt).exists()


def test_adding_needs_a_fresh_code_and_an_old_one_sends_to_the_step_up_page(
    client: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)
    client.post(reverse("passkeys:add"), {"name": "Kontornøkkel"})
    for _ in range(8):  # 32 minutes, the session kept alive: past the form window (30 min)
        frozen_clock.advance(minutes=4)
        assert client.get("/").status_code == 200

    page = client.get(reverse("passkeys:add"))
    begin = _post_json(client, reverse("passkeys:register_begin"))

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:step_up"))
    assert begin.status_code == 403
    assert begin.json()["code"] == "step_up_required"
    assert not WebAuthnCredential.objects.filter(user=ansatt).exists()


def test_an_answer_for_another_origin_or_a_replayed_one_adds_nothing(
    client: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)
    client.post(reverse("passkeys:add"), {"name": "Kontornøkkel"})
    options = _post_json(client, reverse("passkeys:register_begin")).json()

    phished = _post_json(
        client,
        reverse("passkeys:register_complete"),
        authenticator.create(options, origin="http://evil.example"),
    )
    replayed = _post_json(
        client, reverse("passkeys:register_complete"), authenticator.create(options)
    )

    assert phished.status_code == 422
    assert replayed.status_code == 400  # the state was used up by the first answer
    assert not WebAuthnCredential.objects.exists()
    assert events(AuditAction.PASSKEY_ENROLLED) == []


def test_a_password_only_session_cannot_add_a_passkey(
    client: Client, ansatt: User, frozen_clock: Clock
) -> None:
    password_only(client, ansatt)

    for url in (reverse("passkeys:add"), reverse("passkeys:register_begin")):
        response = client.post(url, {"name": "Kontornøkkel"})
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:mfa")


# --- Using -----------------------------------------------------------------------------------


def test_a_passkey_is_the_second_factor_and_counts_as_a_fresh_code(
    enrolled: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    password_only(enrolled, ansatt)
    assert enrolled.get(reverse("desk:home")).status_code == 302
    before = enrolled.session.session_key
    mfa_page = enrolled.get(reverse("accounts:mfa")).content.decode()

    response = use_passkey(
        enrolled,
        authenticator,
        reverse("passkeys:login_complete") + "?next=" + EXPORT,
    )

    assert 'id="passkey-verification-available-template"' in mfa_page
    scripts = re.findall(r"<script\b[^>]*>", mfa_page)
    assert len(scripts) == 5  # vern.js, two data blocks, passkeys.js, the vendored script
    assert all("nonce=" in tag for tag in scripts), scripts  # like every script of Vern (CSP)
    assert mfa_page.index("passkey-verification-placeholder") < mfa_page.index('name="code"')
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == EXPORT
    assert enrolled.session.session_key != before
    assert enrolled.get(reverse("desk:home")).status_code == 200
    assert enrolled.get(EXPORT).status_code == 200  # the passkey was a fresh code
    verified = events(AuditAction.MFA_VERIFIED)[-1]
    assert (verified.actor_id, verified.details) == (ansatt.pk, {"method": "passkey"})


def test_no_passkey_offer_for_a_person_without_one(
    client: Client, ansatt: User, frozen_clock: Clock
) -> None:
    password_only(client, ansatt)

    page = client.get(reverse("accounts:mfa")).content.decode()
    begin = _post_json(client, reverse("passkeys:auth_begin"))

    assert "passkey-verification" not in page
    assert 'name="code"' in page
    assert begin.status_code == 400


def _refused_at_login(client: Client, response: Any) -> None:
    assert response.status_code == 403, response.content
    assert "engangskode" in response.json()["detail"]
    assert client.get(reverse("desk:home")).status_code == 302
    assert events(AuditAction.MFA_FAILED)[-1].details == {"method": "passkey"}


def test_an_answer_for_another_origin_is_refused_and_audited(
    enrolled: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    password_only(enrolled, ansatt)

    response = use_passkey(
        enrolled, authenticator, reverse("passkeys:login_complete"), origin="http://evil.example"
    )

    _refused_at_login(enrolled, response)


def test_a_tampered_signature_is_refused(
    enrolled: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    password_only(enrolled, ansatt)
    options = _post_json(enrolled, reverse("passkeys:auth_begin")).json()
    answer = authenticator.get(options)
    signature = bytearray(unb64url(answer["response"]["signature"]))
    signature[-1] ^= 0x01
    answer["response"]["signature"] = b64url(bytes(signature))

    _refused_at_login(enrolled, _post_json(enrolled, reverse("passkeys:login_complete"), answer))


def test_a_replayed_answer_is_refused(
    enrolled: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    password_only(enrolled, ansatt)
    options = _post_json(enrolled, reverse("passkeys:auth_begin")).json()
    answer = authenticator.get(options)
    assert _post_json(enrolled, reverse("passkeys:login_complete"), answer).status_code == 200
    enrolled.post(reverse("accounts:logout"))
    password_only(enrolled, ansatt)
    assert (
        _post_json(enrolled, reverse("passkeys:auth_begin")).status_code == 200
    )  # a new challenge

    _refused_at_login(enrolled, _post_json(enrolled, reverse("passkeys:login_complete"), answer))


def test_another_persons_passkey_does_not_verify_this_person(
    enrolled: Client,
    ansatt: User,
    leder: User,
    authenticator: SoftAuthenticator,
    frozen_clock: Clock,
) -> None:
    """leder has a passkey too; its answer to ansatt's challenge is refused."""
    leder_client = Client()
    login_verified(leder_client, leder)
    add_passkey(leder_client, authenticator, "Ledernøkkel")
    password_only(enrolled, ansatt)
    options = _post_json(enrolled, reverse("passkeys:auth_begin")).json()
    answer = authenticator.get(options, credential=authenticator.credentials[1])

    _refused_at_login(enrolled, _post_json(enrolled, reverse("passkeys:login_complete"), answer))


def test_a_passkey_steps_up_for_an_export_for_5_minutes(
    enrolled: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    login_verified(enrolled, ansatt)
    for _ in range(2):  # 8 minutes: the login code is no longer fresh
        frozen_clock.advance(minutes=4)
        assert enrolled.get("/").status_code == 200
    assert enrolled.get(EXPORT).status_code == 302
    step_up_page = enrolled.get(reverse("accounts:step_up") + "?next=" + EXPORT).content.decode()

    response = use_passkey(
        enrolled, authenticator, reverse("passkeys:step_up_complete") + "?next=" + EXPORT
    )

    assert "passkey-verification-available-template" in step_up_page
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == EXPORT
    assert enrolled.get(EXPORT).status_code == 200
    assert events(AuditAction.STEP_UP)[-1].details == {"method": "passkey"}
    frozen_clock.advance(seconds=301)
    assert enrolled.get(EXPORT).status_code == 302


def test_a_failed_passkey_step_up_is_audited_and_leaves_the_session_as_it_was(
    enrolled: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    login_verified(enrolled, ansatt)
    frozen_clock.advance(minutes=4)
    enrolled.get("/")
    frozen_clock.advance(minutes=4)

    response = use_passkey(
        enrolled, authenticator, reverse("passkeys:step_up_complete"), origin="http://evil.example"
    )

    assert response.status_code == 403
    assert enrolled.get(EXPORT).status_code == 302
    assert events(AuditAction.STEP_UP_FAILED)[-1].details == {"method": "passkey"}


# --- Removing --------------------------------------------------------------------------------


def test_removing_needs_a_fresh_code_and_ends_what_the_passkey_verified(
    enrolled: Client, ansatt: User, authenticator: SoftAuthenticator, frozen_clock: Clock
) -> None:
    password_only(enrolled, ansatt)
    use_passkey(enrolled, authenticator, reverse("passkeys:login_complete"))
    device = WebAuthnCredential.objects.get(user=ansatt)
    url = reverse("passkeys:remove", args=[device.pk])
    for _ in range(2):
        frozen_clock.advance(minutes=4)
        assert enrolled.get("/").status_code == 200
    assert enrolled.get(url).status_code == 302  # to the step-up page
    use_passkey(enrolled, authenticator, reverse("passkeys:step_up_complete"))

    assert enrolled.get(url).status_code == 200
    response = enrolled.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("passkeys:list")
    assert not WebAuthnCredential.objects.filter(pk=device.pk).exists()
    removed = events(AuditAction.PASSKEY_REMOVED)
    assert [(e.actor_id, e.object_id) for e in removed] == [(ansatt.pk, str(device.pk))]
    # The session was verified with that passkey: it asks for a code again.
    assert enrolled.get(reverse("desk:home"))["Location"] == reverse("accounts:mfa")


def test_nobody_else_can_see_or_remove_a_persons_passkey(
    enrolled: Client, ansatt: User, leder: User, frozen_clock: Clock
) -> None:
    device = WebAuthnCredential.objects.get(user=ansatt)
    login_verified(enrolled, leder)  # ansatt's own leader, with a fresh code

    listing = enrolled.get(reverse("passkeys:list")).content.decode()
    page = enrolled.get(reverse("passkeys:remove", args=[device.pk]))
    post = enrolled.post(reverse("passkeys:remove", args=[device.pk]))

    assert "Kontornøkkel" not in listing
    assert (page.status_code, post.status_code) == (404, 404)
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()
    assert events(AuditAction.PASSKEY_REMOVED) == []
