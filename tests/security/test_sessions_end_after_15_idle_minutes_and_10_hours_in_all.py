"""Session timeouts on Vern's clock: 15 idle minutes log out, activity keeps the session
alive, and 10 hours end even an active session; both limits are settings."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from tests.factories import PASSWORD, login_verified
from tests.security.conftest import Clock
from vern.accounts.models import User

HOME = "/"


def _logged_out(client: Client) -> bool:
    """The session was ended: the request goes to the login page and the next is anonymous."""
    response = client.get(HOME)
    if response.status_code != 302 or not response["Location"].startswith(
        reverse("accounts:login")
    ):
        return False
    return bool(client.get(HOME).wsgi_request.user.is_anonymous)


@pytest.fixture
def session(client: Client, ansatt: User, frozen_clock: Clock) -> Client:
    login_verified(client, ansatt)
    assert client.get(HOME).status_code == 200
    return client


def test_the_defaults_are_15_minutes_and_10_hours(settings: Settings) -> None:
    assert settings.VERN_SESSION_IDLE_MINUTES == 15
    assert settings.VERN_SESSION_MAX_HOURS == 10


def test_just_under_15_idle_minutes_the_session_lives(session: Client, frozen_clock: Clock) -> None:
    frozen_clock.advance(minutes=14, seconds=59)

    assert session.get(HOME).status_code == 200


def test_after_15_idle_minutes_the_session_is_ended(session: Client, frozen_clock: Clock) -> None:
    frozen_clock.advance(minutes=15, seconds=1)

    assert _logged_out(session)


def test_the_expiry_ends_the_server_session_not_only_the_redirect(
    session: Client, frozen_clock: Clock, ansatt: User
) -> None:
    frozen_clock.advance(minutes=16)
    session.get(HOME)
    frozen_clock.advance(seconds=-60 * 16)  # even back in time, the old session is gone

    assert session.get(HOME).status_code == 302
    assert "_auth_user_id" not in session.session


def test_activity_keeps_the_session_alive(session: Client, frozen_clock: Clock) -> None:
    for _ in range(12):  # two hours, one request every ten minutes
        frozen_clock.advance(minutes=10)
        assert session.get(HOME).status_code == 200


def test_after_10_hours_even_an_active_session_is_ended(
    session: Client, frozen_clock: Clock
) -> None:
    for _ in range(59):  # 9 h 50 min of requests every ten minutes
        frozen_clock.advance(minutes=10)
        assert session.get(HOME).status_code == 200
    frozen_clock.advance(minutes=10, seconds=1)

    assert _logged_out(session)


def test_the_idle_limit_follows_the_setting(
    session: Client, frozen_clock: Clock, settings: Settings
) -> None:
    settings.VERN_SESSION_IDLE_MINUTES = 5
    frozen_clock.advance(minutes=4)
    assert session.get(HOME).status_code == 200

    frozen_clock.advance(minutes=5, seconds=1)

    assert _logged_out(session)


def test_the_absolute_limit_follows_the_setting(
    session: Client, frozen_clock: Clock, settings: Settings
) -> None:
    settings.VERN_SESSION_MAX_HOURS = 1
    for _ in range(6):
        frozen_clock.advance(minutes=10)
    frozen_clock.advance(seconds=1)

    assert _logged_out(session)


def test_a_password_only_session_times_out_too(
    client: Client, ansatt: User, frozen_clock: Clock
) -> None:
    client.post(reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD})
    assert client.get(reverse("accounts:mfa")).status_code == 200
    frozen_clock.advance(minutes=15, seconds=1)

    response = client.get(reverse("accounts:mfa"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_login_page_says_why_after_an_expiry(session: Client, frozen_clock: Clock) -> None:
    frozen_clock.advance(minutes=16)

    response = session.get(HOME, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "Økten din er utløpt" in response.content.decode()
