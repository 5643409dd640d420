"""Step-up: a view behind ``step_up_required`` (export, print, police sharing, relocation
destination) runs only with a one-time code entered within VERN_STEP_UP_SECONDS (300 s)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from tests.factories import backup_code, current_totp, login_verified
from tests.security.conftest import Clock
from tests.security.urls import SENSITIVE_BODY
from vern.accounts.models import User

pytestmark = pytest.mark.urls("tests.security.urls")

SENSITIVE = "/test-only/step-up/"


def _step_up_redirect() -> str:
    return reverse("accounts:step_up") + "?" + urlencode({"next": SENSITIVE})


@pytest.fixture
def verified(client: Client, ansatt: User, frozen_clock: Clock) -> Client:
    """Logged in with password and a code at the clock's start (the code counts as step-up)."""
    login_verified(client, ansatt)
    return client


def _keep_alive_until(client: Client, frozen_clock: Clock, *, seconds: int) -> None:
    """Move the clock on by ``seconds`` in steps that keep the session from idling out."""
    while seconds > 0:
        step = min(seconds, 240)
        frozen_clock.advance(seconds=step)
        seconds -= step
        assert client.get("/").status_code == 200


def test_the_window_is_300_seconds(settings: Settings) -> None:
    assert settings.VERN_STEP_UP_SECONDS == 300


def test_a_fresh_code_lets_the_action_through(verified: Client, frozen_clock: Clock) -> None:
    frozen_clock.advance(seconds=299)

    response = verified.get(SENSITIVE)

    assert response.status_code == 200
    assert response.content.decode() == SENSITIVE_BODY


def test_a_code_older_than_5_minutes_sends_to_step_up(
    verified: Client, frozen_clock: Clock
) -> None:
    _keep_alive_until(verified, frozen_clock, seconds=301)

    response = verified.get(SENSITIVE)

    assert response.status_code == 302
    assert response["Location"] == _step_up_redirect()


def test_entering_a_new_code_lets_the_action_through_again(
    verified: Client, frozen_clock: Clock, ansatt: User
) -> None:
    _keep_alive_until(verified, frozen_clock, seconds=600)
    assert verified.get(SENSITIVE).status_code == 302

    response = verified.post(_step_up_redirect(), {"code": backup_code(ansatt), "next": SENSITIVE})

    assert response.status_code == 302
    assert response["Location"] == SENSITIVE
    assert verified.get(SENSITIVE).content.decode() == SENSITIVE_BODY


def test_a_totp_code_works_for_step_up(verified: Client, frozen_clock: Clock, ansatt: User) -> None:
    _keep_alive_until(verified, frozen_clock, seconds=600)

    verified.post(_step_up_redirect(), {"code": current_totp(ansatt), "next": SENSITIVE})

    assert verified.get(SENSITIVE).status_code == 200


def test_a_wrong_code_keeps_the_action_closed(verified: Client, frozen_clock: Clock) -> None:
    _keep_alive_until(verified, frozen_clock, seconds=600)

    response = verified.post(_step_up_redirect(), {"code": "000000", "next": SENSITIVE})

    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.content.decode()
    assert verified.get(SENSITIVE).status_code == 302


def test_a_step_up_expires_again_after_5_minutes(
    verified: Client, frozen_clock: Clock, ansatt: User
) -> None:
    _keep_alive_until(verified, frozen_clock, seconds=600)
    verified.post(_step_up_redirect(), {"code": backup_code(ansatt), "next": SENSITIVE})
    assert verified.get(SENSITIVE).status_code == 200

    _keep_alive_until(verified, frozen_clock, seconds=301)

    assert verified.get(SENSITIVE).status_code == 302


def test_the_window_follows_the_setting(
    verified: Client, frozen_clock: Clock, settings: Settings
) -> None:
    settings.VERN_STEP_UP_SECONDS = 60
    frozen_clock.advance(seconds=61)

    assert verified.get(SENSITIVE).status_code == 302


def test_step_up_is_no_way_around_mfa(client: Client, ansatt: User) -> None:
    """The step-up page itself needs a verified session: a password alone is sent to MFA."""
    from tests.factories import PASSWORD

    client.post(reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD})

    for response in (
        client.get(SENSITIVE),
        client.post(reverse("accounts:step_up"), {"code": backup_code(ansatt)}),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:mfa")
    assert client.get(SENSITIVE)["Location"] == reverse("accounts:mfa")


def test_step_up_does_not_redirect_to_another_site(
    verified: Client, frozen_clock: Clock, ansatt: User
) -> None:
    _keep_alive_until(verified, frozen_clock, seconds=600)

    response = verified.post(
        reverse("accounts:step_up"), {"code": backup_code(ansatt), "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("desk:home")


def test_the_form_of_a_protected_page_may_be_submitted_within_the_form_window(
    verified: Client, frozen_clock: Clock, settings: Settings
) -> None:
    """A long form opened after step-up is not lost: its POST is accepted for
    VERN_STEP_UP_FORM_SECONDS, while opening the page again needs a fresh code."""
    _keep_alive_until(verified, frozen_clock, seconds=600)

    assert verified.get(SENSITIVE).status_code == 302
    assert verified.post(SENSITIVE).status_code == 200

    _keep_alive_until(verified, frozen_clock, seconds=settings.VERN_STEP_UP_FORM_SECONDS)

    assert verified.post(SENSITIVE)["Location"] == _step_up_redirect()


def test_the_step_up_redirect_keeps_the_query_string(verified: Client, frozen_clock: Clock) -> None:
    _keep_alive_until(verified, frozen_clock, seconds=301)

    response = verified.get(SENSITIVE + "?grunnlag=duty_to_avert")

    assert response["Location"] == reverse("accounts:step_up") + "?" + urlencode(
        {"next": SENSITIVE + "?grunnlag=duty_to_avert"}
    )
