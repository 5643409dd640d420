"""Issue 15 point 9, end to end through the views: a leader invites a new staff member, who
sets a password through the link, enrols the authenticator app, sees the backup codes, logs out
and logs in again with password and code; then the leader deactivates the account, and at the
very next request the browser session is anonymous and the API token answers 401. The absolute
session limit (VERN_SESSION_MAX_HOURS) is not reset by the session-key changes of MFA and
step-up."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from tests.factories import current_totp, login_verified
from tests.security.conftest import Clock
from vern.accounts.models import Role, User
from vern.accounts.models import VernTOTPDevice as TOTPDevice
from vern.api.models import ApiToken
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent

PASSWORD = "en-lang-og-hemmelig-setning-for-nykommeren"
LINK = re.compile(r"https?://\S+")


def _device_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def _onboard(leader: Client) -> tuple[Client, User]:
    """Invite → accept → enrol MFA → log out → log in again; returns the newcomer's browser."""
    invited = leader.post(
        reverse("centres:invite"),
        {"full_name": "Ny Kollega", "username": "ny-kollega", "email": "ny@example.invalid",
         "role": Role.ANSATT},
    )  # fmt: skip
    assert invited.status_code == 200
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    path = "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]

    newcomer = Client()
    accepted = newcomer.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert accepted["Location"] == reverse("accounts:mfa_setup")
    assert newcomer.get("/")["Location"] == reverse("accounts:mfa")  # no way in without MFA
    setup = newcomer.get(reverse("accounts:mfa_setup"))
    assert setup.status_code == 200
    user = User.objects.get(username="ny-kollega")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    enrolled = newcomer.post(reverse("accounts:mfa_setup"), {"code": _device_code(device)})
    assert enrolled.status_code == 200
    assert "accounts/backup_codes.html" in [t.name for t in enrolled.templates]
    assert newcomer.get("/").status_code == 200

    assert newcomer.post(reverse("accounts:logout")).status_code == 302
    assert newcomer.get("/").wsgi_request.user.is_anonymous
    again = newcomer.post(
        reverse("accounts:login"), {"username": "ny-kollega", "password": PASSWORD}
    )
    assert again["Location"].startswith(reverse("accounts:mfa"))
    device.refresh_from_db()
    # The enrolment used this time step's code (django-otp refuses a code twice): next step.
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=1):06d}"
    TOTPDevice.objects.filter(pk=device.pk).update(tolerance=2)
    verified = newcomer.post(reverse("accounts:mfa"), {"code": code})
    assert verified.status_code == 302, verified.content[:300]
    assert newcomer.get("/").status_code == 200
    return newcomer, user


def test_invite_accept_enrol_and_log_in_through_the_pages(client: Client, leder: User) -> None:
    login_verified(client, leder)

    newcomer, user = _onboard(client)

    assert user.role == Role.ANSATT
    assert user.centre_id == leder.centre_id
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    actions = set(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert {
        AuditAction.INVITATION_ACCEPTED,
        AuditAction.MFA_ENROLLED,
        AuditAction.LOGOUT,
        AuditAction.LOGIN,
        AuditAction.MFA_VERIFIED,
    } <= actions
    assert newcomer.get(reverse("cases:list")).status_code == 200


def test_a_deactivated_account_is_out_at_the_next_request_in_browser_and_api(
    client: Client, leder: User
) -> None:
    login_verified(client, leder)
    newcomer, user = _onboard(client)
    created = newcomer.post(reverse("api_tokens:create"), {"name": "Journal", "days": "30"})
    assert created.status_code == 200
    raw = re.search(r"vern_[A-Za-z0-9_-]{43}", created.content.decode())
    assert raw is not None
    api = Client()
    bearer = {"Authorization": f"Bearer {raw.group(0)}"}
    assert api.get("/api/v1/cases", headers=bearer).status_code == 200

    response = client.post(reverse("centres:deactivate", args=[user.pk]))

    assert response.status_code == 302
    next_page = newcomer.get(reverse("cases:list"))
    assert next_page.status_code == 302
    assert next_page["Location"].startswith(reverse("accounts:login"))
    assert newcomer.get("/").wsgi_request.user.is_anonymous
    assert api.get("/api/v1/cases", headers=bearer).status_code == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None
    relogin = Client().post(
        reverse("accounts:login"), {"username": "ny-kollega", "password": PASSWORD}
    )
    assert relogin.status_code == 200  # the ordinary "wrong username or password"


@pytest.fixture
def ten_hour_session(client: Client, ansatt: User, frozen_clock: Clock) -> Client:
    login_verified(client, ansatt)
    return client


def test_step_ups_and_new_session_keys_do_not_extend_the_10_hours(
    ten_hour_session: Client, ansatt: User, frozen_clock: Clock
) -> None:
    """A step-up every hour (each gives a new session key) keeps the login time: the session
    still ends 10 hours after the login, not after the last code."""
    client = ten_hour_session
    assert settings.VERN_SESSION_MAX_HOURS == 10
    for minute in range(10, 600, 10):
        frozen_clock.advance(minutes=10)
        if minute % 60 == 0:
            TOTPDevice.objects.filter(user=ansatt).update(last_t=-1)  # the clock is moved
            stepped = client.post(reverse("accounts:step_up"), {"code": current_totp(ansatt)})
            assert stepped.status_code == 302
        assert client.get("/").status_code == 200, minute
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    frozen_clock.advance(minutes=10, seconds=1)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action=AuditAction.SESSION_EXPIRED, actor=ansatt).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/").status_code == 302  # the server session is gone, not only hidden


def test_the_session_cookie_does_not_outlive_the_absolute_limit(db: None) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.VERN_SESSION_MAX_HOURS * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
