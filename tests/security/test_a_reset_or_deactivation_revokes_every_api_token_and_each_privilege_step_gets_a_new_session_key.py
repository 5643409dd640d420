"""Issue 15 point 6: a password reset and a deactivation revoke every API token of the
account (one ``api_token_revoked`` event per token, with the reason code); the session key is
replaced at every privilege step (login, MFA completed, MFA enrolled, step-up), and the old key
is worth nothing afterwards, while deactivation still ends the session under its new key."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, backup_code, current_totp, login_verified, make_user
from tests.security.conftest import Clock
from vern.accounts.models import Role, User, UserSession
from vern.accounts.services import user_deactivate
from vern.api.models import ApiToken
from vern.api.services import (
    REVOKED_PASSWORD_RESET,
    REVOKED_USER_DEACTIVATED,
    api_token_create,
    api_tokens_revoke_all,
)
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.centres.models import Centre

NEW_PASSWORD = "en-helt-ny-og-lang-setning"
LINK = re.compile(r"https?://\S+")


def _api_status(raw: str) -> int:
    response = Client().get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    return int(response.status_code)


def _revocations(reason: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED, reason=reason))


@pytest.fixture
def tokens(ansatt: User) -> list[str]:
    return [api_token_create(acting_user=ansatt, name=f"System {n}", days=30).raw for n in (1, 2)]


def _reset_password(user: User) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    response = client.get("/" + found.group(0).split("://", 1)[1].split("/", 1)[1])
    response = client.post(
        response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")


# ----------------------------------------------------------------------------- API tokens


def test_a_password_reset_revokes_every_token_of_the_account(
    ansatt: User, tokens: list[str]
) -> None:
    assert [_api_status(raw) for raw in tokens] == [200, 200]

    _reset_password(ansatt)

    assert [_api_status(raw) for raw in tokens] == [401, 401]
    assert not ApiToken.objects.filter(user=ansatt, revoked_at__isnull=True).exists()
    events = _revocations(REVOKED_PASSWORD_RESET)
    assert sorted(e.object_id for e in events) == sorted(
        str(pk) for pk in ApiToken.objects.filter(user=ansatt).values_list("pk", flat=True)
    )
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_DONE).count() == 1


def test_a_deactivation_revokes_every_token_for_good(
    ansatt: User, leder: User, tokens: list[str]
) -> None:
    user_deactivate(acting_user=leder, user=ansatt)
    User.objects.filter(pk=ansatt.pk).update(is_active=True)  # even if reactivated later

    assert [_api_status(raw) for raw in tokens] == [401, 401]
    events = _revocations(REVOKED_USER_DEACTIVATED)
    assert len(events) == 2
    assert {e.actor_id for e in events} == {leder.pk}
    deactivated = AuditEvent.objects.get(action=AuditAction.USER_DEACTIVATED)
    assert deactivated.details["api_tokens_revoked"] == 2


def test_other_accounts_keep_their_tokens(ansatt: User, leder: User, centre: Centre) -> None:
    colleague = make_user(Role.ANSATT, centre)
    raw = api_token_create(acting_user=colleague, name="Egen", days=30).raw

    user_deactivate(acting_user=leder, user=ansatt)
    _reset_password(leder)

    assert _api_status(raw) == 200


def test_a_token_revoked_before_is_not_revoked_twice(ansatt: User, tokens: list[str]) -> None:
    first = api_tokens_revoke_all(user=ansatt, acting_user=ansatt, reason=REVOKED_PASSWORD_RESET)
    second = api_tokens_revoke_all(user=ansatt, acting_user=ansatt, reason=REVOKED_PASSWORD_RESET)

    assert (first, second) == (2, 0)
    assert len(_revocations(REVOKED_PASSWORD_RESET)) == 2


def test_only_known_reason_codes_are_written(ansatt: User) -> None:
    with pytest.raises(ValueError, match="reason"):
        api_tokens_revoke_all(user=ansatt, acting_user=ansatt, reason="because")


# ----------------------------------------------------------------------------- session keys


def _key(client: Client) -> str:
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _works_with(key: str) -> bool:
    """Whether a browser holding only the session cookie ``key`` gets in."""
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    return int(replay.get("/").status_code) == 200


def test_login_gives_a_new_session_key(client: Client, ansatt: User) -> None:
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key

    client.post(reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD})

    assert _key(client) != before


def test_completing_mfa_gives_a_new_session_key_and_the_old_one_is_worthless(
    client: Client, ansatt: User
) -> None:
    client.post(reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD})
    password_only_key = _key(client)

    response = client.post(reverse("accounts:mfa"), {"code": backup_code(ansatt)})

    assert response.status_code == 302
    assert _key(client) != password_only_key
    assert not Session.objects.filter(session_key=password_only_key).exists()
    assert not _works_with(password_only_key)
    assert client.get("/").status_code == 200


def test_enrolling_mfa_gives_a_new_session_key(client: Client, centre: Centre) -> None:
    from django_otp.oath import totp

    from vern.accounts.models import VernTOTPDevice as TOTPDevice

    newcomer = make_user(Role.ANSATT, centre)
    TOTPDevice.objects.filter(user=newcomer).delete()
    client.post(reverse("accounts:login"), {"username": newcomer.username, "password": PASSWORD})
    client.get(reverse("accounts:mfa_setup"))
    before = _key(client)
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

    response = client.post(reverse("accounts:mfa_setup"), {"code": code})

    assert response.status_code == 200
    assert _key(client) != before
    assert not _works_with(before)


def test_a_step_up_gives_a_new_session_key(
    client: Client, ansatt: User, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)
    before = _key(client)
    frozen_clock.advance(seconds=120)

    response = client.post(reverse("accounts:step_up"), {"code": current_totp(ansatt)})

    assert response.status_code == 302
    assert _key(client) != before
    assert not _works_with(before)
    assert client.get("/").status_code == 200


def test_a_wrong_code_keeps_the_session_key(client: Client, ansatt: User) -> None:
    login_verified(client, ansatt)
    before = _key(client)

    client.post(reverse("accounts:step_up"), {"code": "000000"})

    assert _key(client) == before


def test_deactivation_still_ends_a_session_whose_key_was_cycled(
    client: Client, ansatt: User, leder: User
) -> None:
    login_verified(client, ansatt)  # login, then MFA: two new keys
    client.post(reverse("accounts:step_up"), {"code": current_totp(ansatt)})  # a third
    assert UserSession.objects.filter(user=ansatt, session_key=_key(client)).exists()

    user_deactivate(acting_user=leder, user=ansatt)

    assert client.get("/").wsgi_request.user.is_anonymous
