"""MFA bypass attempts: after the password alone every URL outside the allowlist goes to the
MFA page; wrong and reused codes are refused; enrolment closes once a TOTP device is
confirmed; the session key changes at login."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, backup_code, current_totp, login_verified, make_user
from tests.security import matrix
from tests.security.objects import World
from vern.accounts import mfa
from vern.accounts.models import Role, User, UserSession
from vern.centres.models import Centre

MFA_CELLS = [(row, method) for row in matrix.rows() if row.access in {"mfa", "paired"}
             for method in row.expect]  # fmt: skip


def _password_only(client: Client, user: User) -> Client:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))
    return client


@pytest.mark.parametrize(("row", "method"), MFA_CELLS, ids=[f"{r.name}-{m}" for r, m in MFA_CELLS])
@pytest.mark.parametrize("role", ["ansatt", "leder", "administrator"])
def test_every_url_outside_the_allowlist_sends_a_password_only_session_to_mfa(
    row: matrix.Row,
    method: str,
    role: str,
    *,
    client: Client,
    world: World,
    requesters: dict[str, User | None],
) -> None:
    user = requesters[role]
    assert user is not None
    _password_only(client, user)
    url = matrix.build_url(row, world)

    response = getattr(client, method.lower())(url)

    assert response.status_code == 302, f"{method} {url}: {response.status_code}"
    assert response["Location"] == reverse("accounts:mfa")


def test_a_wrong_code_is_refused(client: Client, ansatt: User) -> None:
    _password_only(client, ansatt)

    response = client.post(reverse("accounts:mfa"), {"code": "000000"})

    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.content.decode()
    assert client.get("/")["Location"] == reverse("accounts:mfa")


def test_a_used_backup_code_cannot_be_used_again(ansatt: User) -> None:
    code = backup_code(ansatt)
    first = _password_only(Client(), ansatt)
    assert first.post(reverse("accounts:mfa"), {"code": code}).status_code == 302
    assert first.get("/").status_code == 200

    second = _password_only(Client(), ansatt)
    response = second.post(reverse("accounts:mfa"), {"code": code})

    assert response.status_code == 200
    assert second.get("/")["Location"] == reverse("accounts:mfa")


def test_a_used_totp_code_cannot_be_replayed(ansatt: User) -> None:
    code = current_totp(ansatt)
    first = _password_only(Client(), ansatt)
    assert first.post(reverse("accounts:mfa"), {"code": code}).status_code == 302

    second = _password_only(Client(), ansatt)
    response = second.post(reverse("accounts:mfa"), {"code": code})

    assert response.status_code == 200
    assert second.get("/")["Location"] == reverse("accounts:mfa")


def test_a_code_of_another_account_is_refused(client: Client, ansatt: User, leder: User) -> None:
    _password_only(client, ansatt)

    response = client.post(reverse("accounts:mfa"), {"code": backup_code(leder)})

    assert response.status_code == 200
    assert client.get("/")["Location"] == reverse("accounts:mfa")


def test_the_setup_page_is_closed_once_a_totp_device_is_confirmed(
    client: Client, ansatt: User
) -> None:
    """Otherwise someone with the password alone could enrol a new phone and get in."""
    _password_only(client, ansatt)
    devices_before = list(TOTPDevice.objects.filter(user=ansatt).values_list("pk", flat=True))

    get = client.get(reverse("accounts:mfa_setup"))
    post = client.post(reverse("accounts:mfa_setup"), {"code": "123456"})

    assert get.status_code == post.status_code == 302
    assert get["Location"] == post["Location"] == reverse("accounts:mfa")
    assert list(TOTPDevice.objects.filter(user=ansatt).values_list("pk", flat=True)) == (
        devices_before
    )
    assert client.get("/")["Location"] == reverse("accounts:mfa")


def test_a_new_account_may_enrol_and_is_verified_only_by_a_right_code(
    client: Client, centre: Centre
) -> None:
    user = make_user(Role.ANSATT, centre)
    TOTPDevice.objects.filter(user=user).delete()  # as after accepting an invitation
    _password_only(client, user)
    assert client.get(reverse("accounts:mfa"))["Location"] == reverse("accounts:mfa_setup")
    assert client.get(reverse("accounts:mfa_setup")).status_code == 200

    wrong = client.post(reverse("accounts:mfa_setup"), {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/")["Location"] == reverse("accounts:mfa")

    device = mfa.pending_totp_device(user)
    device.confirmed = True  # only so that current_totp finds it; the view confirms for real
    device.save()
    code = current_totp(user)
    device.confirmed = False
    device.throttle_reset(commit=False)  # django-otp delays the next try after a failure
    device.save()
    right = client.post(reverse("accounts:mfa_setup"), {"code": code})

    assert right.status_code == 200
    assert "accounts/backup_codes.html" in [t.name for t in right.templates]
    assert client.get("/").status_code == 200


def test_the_session_key_changes_at_login(client: Client, ansatt: User) -> None:
    """Session fixation: a key planted before login is worth nothing after it."""
    planted = SessionStore()
    planted["planted"] = True
    planted.save()
    client.cookies["vern_session"] = str(planted.session_key)

    _password_only(client, ansatt)
    after_password = client.cookies["vern_session"].value

    assert after_password != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()


def test_the_session_being_tracked_is_the_current_one(client: Client, ansatt: User) -> None:
    """Deactivation ends sessions by the keys recorded at login; they must be the live ones."""
    login_verified(client, ansatt)

    tracked = set(UserSession.objects.filter(user=ansatt).values_list("session_key", flat=True))

    assert client.cookies["vern_session"].value in tracked


def test_logging_in_with_a_backup_code_does_not_throttle_the_app(
    client: Client, ansatt: User
) -> None:
    """A backup code is not offered to the TOTP device as a failed code (and vice versa)."""
    login_verified(client, ansatt)  # with a backup code

    device = TOTPDevice.objects.get(user=ansatt)
    assert device.throttling_failure_count == 0
    assert device.verify_is_allowed()[0]
