"""Password reset: the new password does not log in, the next login still needs MFA, old
sessions end, and the e-mail (subject, body, sender) says nothing about crisis centres."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import login_verified
from tests.security.conftest import assert_neutral
from vern.accounts.models import User
from vern.accounts.services import NEUTRAL_RESET_SUBJECT

NEW_PASSWORD = "en-helt-ny-og-lang-setning"
LINK = re.compile(r"https?://\S+")


def _request_reset(client: Client, email: str) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")


def _choose_new_password(client: Client, link: str) -> None:
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302  # the token moves into the session
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")


@pytest.fixture
def reset_link(client: Client, ansatt: User) -> str:
    _request_reset(client, ansatt.email)
    assert len(mail.outbox) == 1
    found = LINK.search(str(mail.outbox[0].body))
    assert found is not None
    return found.group(0)


def test_the_email_has_the_neutral_subject_and_reveals_nothing(
    reset_link: str, ansatt: User
) -> None:
    message = mail.outbox[0]

    assert message.subject == NEUTRAL_RESET_SUBJECT
    assert message.to == [ansatt.email]
    assert_neutral(message)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client: Client, db: None) -> None:
    _request_reset(client, "ingen@example.invalid")

    assert mail.outbox == []


def test_choosing_a_new_password_does_not_log_in(client: Client, reset_link: str) -> None:
    _choose_new_password(client, reset_link)

    response = client.get("/")

    assert response.wsgi_request.user.is_anonymous
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_new_password_alone_leads_to_mfa_not_in(
    client: Client, reset_link: str, ansatt: User
) -> None:
    _choose_new_password(client, reset_link)

    response = client.post(
        reverse("accounts:login"), {"username": ansatt.username, "password": NEW_PASSWORD}
    )

    assert response["Location"].startswith(reverse("accounts:mfa"))
    assert client.get("/")["Location"] == reverse("accounts:mfa")


def test_the_link_works_once(client: Client, reset_link: str) -> None:
    _choose_new_password(client, reset_link)
    path = "/" + reset_link.split("://", 1)[1].split("/", 1)[1]

    response = Client().get(path, follow=True)

    assert response.status_code == 200
    assert 'name="new_password1"' not in response.content.decode()


def test_a_reset_ends_the_sessions_that_used_the_old_password(client: Client, ansatt: User) -> None:
    """Someone who logged in with a stolen password is thrown out by the reset."""
    intruder = Client()
    login_verified(intruder, ansatt)
    assert intruder.get("/").status_code == 200
    _request_reset(client, ansatt.email)  # (a login voids links sent before it)
    found = LINK.search(str(mail.outbox[0].body))
    assert found is not None

    _choose_new_password(client, found.group(0))

    assert intruder.get("/").wsgi_request.user.is_anonymous


def test_a_reset_started_by_a_leader_sends_a_neutral_email(
    client: Client, leder: User, ansatt: User
) -> None:
    login_verified(client, leder)

    response = client.post(reverse("centres:reset", args=[ansatt.pk]))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == NEUTRAL_RESET_SUBJECT
    assert_neutral(mail.outbox[0])
    assert ansatt.password == User.objects.get(pk=ansatt.pk).password  # nobody set it
