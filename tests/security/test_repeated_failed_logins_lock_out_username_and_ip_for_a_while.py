"""Lockout (django-axes): five failures lock (username, IP) for a finite cool-off; the login
page answers unknown, known and deactivated usernames identically, locked or not."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.conftest import normalise
from vern.accounts.models import User

LOGIN = "/konto/logg-inn/"
WRONG = "feil-passord-helt-sikkert"
IP_A = "192.0.2.10"
IP_B = "192.0.2.20"


def _attempt(client: Client, username: str, password: str, ip: str = IP_A) -> tuple[int, str]:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response.status_code, normalise(response.content, username)


def _fail_until_locked(client: Client, username: str, ip: str = IP_A) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, username, WRONG, ip)


def _end_cool_off() -> None:
    """Move every recorded failure back past the cool-off (axes reads Django's clock)."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )


def test_the_cool_off_is_finite_and_lockout_is_on_username_and_ip() -> None:
    assert isinstance(settings.AXES_COOLOFF_TIME, dt.timedelta)
    assert dt.timedelta(0) < settings.AXES_COOLOFF_TIME <= dt.timedelta(hours=1)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(
    client: Client, ansatt: User
) -> None:
    known = _attempt(client, ansatt.username, WRONG)
    unknown = _attempt(client, "finnes-ikke-her", WRONG)

    assert known[0] == 200
    assert known == unknown


def test_a_deactivated_account_with_its_right_password_gets_the_same_answer(
    client: Client, ansatt: User
) -> None:
    unknown = _attempt(client, "finnes-ikke-her", WRONG)
    ansatt.is_active = False
    ansatt.save(update_fields=["is_active"])

    assert _attempt(client, ansatt.username, PASSWORD) == unknown


def test_after_five_failures_even_the_right_password_is_refused(
    client: Client, ansatt: User
) -> None:
    _fail_until_locked(client, ansatt.username)

    status, body = _attempt(client, ansatt.username, PASSWORD)

    assert status == 429
    assert "_auth_user_id" not in client.session
    assert "For mange forsøk" in body


def test_the_lockout_answer_is_the_same_for_known_and_unknown_usernames(
    client: Client, ansatt: User
) -> None:
    _fail_until_locked(client, ansatt.username)
    _fail_until_locked(client, "finnes-ikke-her")

    assert _attempt(client, ansatt.username, PASSWORD) == _attempt(
        client, "finnes-ikke-her", PASSWORD
    )


def test_the_lock_holds_the_pair_not_the_account_from_everywhere(
    client: Client, ansatt: User
) -> None:
    _fail_until_locked(client, ansatt.username, IP_A)

    response = client.post(
        LOGIN, {"username": ansatt.username, "password": PASSWORD}, REMOTE_ADDR=IP_B
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))


def test_after_the_cool_off_the_right_password_works_again(client: Client, ansatt: User) -> None:
    _fail_until_locked(client, ansatt.username)
    assert _attempt(client, ansatt.username, PASSWORD)[0] == 429

    _end_cool_off()
    response = client.post(
        LOGIN, {"username": ansatt.username, "password": PASSWORD}, REMOTE_ADDR=IP_A
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa"))


@pytest.mark.parametrize("failures", [1, 4])
def test_fewer_than_five_failures_do_not_lock(client: Client, ansatt: User, failures: int) -> None:
    for _ in range(failures):
        _attempt(client, ansatt.username, WRONG)

    response = client.post(
        LOGIN, {"username": ansatt.username, "password": PASSWORD}, REMOTE_ADDR=IP_A
    )

    assert response.status_code == 302
