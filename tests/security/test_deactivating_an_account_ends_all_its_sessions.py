"""Deactivation ends every session of the account at once: its next request is anonymous."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, login_verified
from vern.accounts.models import User, UserSession
from vern.accounts.services import user_deactivate


def _sessions(user: User) -> int:
    keys = UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    return Session.objects.filter(session_key__in=list(keys)).count()


def test_user_deactivate_deletes_every_session_and_the_next_request_is_anonymous(
    ansatt: User, leder: User
) -> None:
    laptop, phone = Client(), Client()
    login_verified(laptop, ansatt)
    login_verified(phone, ansatt)
    assert _sessions(ansatt) == 2

    ended = user_deactivate(acting_user=leder, user=ansatt)

    assert ended == 2
    assert _sessions(ansatt) == 0
    for client in (laptop, phone):
        response = client.get("/")
        assert response.wsgi_request.user.is_anonymous
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_other_accounts_keep_their_sessions(ansatt: User, leder: User) -> None:
    staff, leader = Client(), Client()
    login_verified(staff, ansatt)
    login_verified(leader, leder)

    user_deactivate(acting_user=leder, user=ansatt)

    assert leader.get("/").status_code == 200


def test_deactivating_through_the_staff_page_ends_the_sessions(ansatt: User, leder: User) -> None:
    staff, leader = Client(), Client()
    login_verified(staff, ansatt)
    login_verified(leader, leder)

    response = leader.post(reverse("centres:deactivate", args=[ansatt.pk]))

    assert response.status_code == 302
    assert staff.get("/").wsgi_request.user.is_anonymous


def test_a_deactivated_account_cannot_log_in_again(
    client: Client, ansatt: User, leder: User
) -> None:
    user_deactivate(acting_user=leder, user=ansatt)

    response = client.post(
        reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sessions_of_a_password_only_login_are_ended_too(ansatt: User, leder: User) -> None:
    client = Client()
    client.post(reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD})

    user_deactivate(acting_user=leder, user=ansatt)

    assert client.get(reverse("accounts:mfa")).wsgi_request.user.is_anonymous
