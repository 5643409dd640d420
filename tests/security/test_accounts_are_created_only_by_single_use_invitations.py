"""Invitations: a leader invites staff of her centre, the link sets a password once and leads
to MFA enrolment; an administrator cannot invite staff; nobody manages another centre's
accounts (404)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.factories import login_verified, make_user
from tests.security.conftest import assert_neutral
from vern.accounts.models import Invitation, Role, User
from vern.accounts.services import NEUTRAL_INVITATION_SUBJECT, invitation_create
from vern.centres.models import Centre

PASSWORD = "en-lang-og-hemmelig-setning"
LINK = re.compile(r"https?://\S+")


def _invite(client: Client, **fields: str) -> str:
    data = {
        "full_name": "Ny Ansatt",
        "username": "ny-ansatt",
        "email": "ny@example.invalid",
        "role": Role.ANSATT,
        **fields,
    }
    response = client.post(reverse("centres:invite"), data)
    assert response.status_code == 200
    assert "centres/invited.html" in [t.name for t in response.templates], response.content
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    return "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]


def _accept(client: Client, path: str) -> int:
    return client.post(path, {"password1": PASSWORD, "password2": PASSWORD}).status_code


@pytest.fixture
def invitation_path(client: Client, leder: User) -> str:
    login_verified(client, leder)
    return _invite(client)


def test_a_leader_invites_staff_of_her_own_centre_by_a_neutral_email(
    invitation_path: str, leder: User
) -> None:
    invitation = Invitation.objects.get()

    assert invitation.centre_id == leder.centre_id
    assert invitation.role == Role.ANSATT
    assert mail.outbox[0].subject == NEUTRAL_INVITATION_SUBJECT
    assert_neutral(mail.outbox[0])


def test_the_link_sets_a_password_and_leads_to_mfa_setup_not_in(invitation_path: str) -> None:
    newcomer = Client()
    assert newcomer.get(invitation_path).status_code == 200

    response = newcomer.post(invitation_path, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_setup")
    assert newcomer.get(reverse("accounts:mfa_setup")).status_code == 200
    assert newcomer.get("/")["Location"] == reverse("accounts:mfa")
    user = User.objects.get(username="ny-ansatt")
    assert user.role == Role.ANSATT
    assert user.check_password(PASSWORD)


def test_the_link_works_once(invitation_path: str) -> None:
    assert _accept(Client(), invitation_path) == 302

    second = Client()

    assert second.get(invitation_path).status_code == 404
    assert _accept(second, invitation_path) == 404
    assert User.objects.filter(username="ny-ansatt").count() == 1


def test_a_made_up_token_is_not_found(client: Client, db: None) -> None:
    path = reverse("accounts:accept_invitation", args=["ikke-en-ekte-kode"])

    assert client.get(path).status_code == 404


def test_a_weak_password_is_refused(invitation_path: str) -> None:
    newcomer = Client()

    response = newcomer.post(invitation_path, {"password1": "kort", "password2": "kort"})

    assert response.status_code == 200
    assert not User.objects.filter(username="ny-ansatt").exists()


def test_an_administrator_cannot_invite_staff(client: Client, administrator: User) -> None:
    login_verified(client, administrator)

    response = client.post(
        reverse("centres:invite"),
        {
            "full_name": "X",
            "username": "x-ansatt",
            "email": "x@example.invalid",
            "role": Role.ANSATT,
        },
    )

    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_an_administrator_inviting_staff(
    administrator: User, centre: Centre
) -> None:
    with pytest.raises(PermissionDenied):
        invitation_create(
            acting_user=administrator,
            email="x@example.invalid",
            username="x",
            full_name="X",
            role=Role.ANSATT,
            centre=centre,
            accept_url_base="http://testserver/",
        )


def test_staff_cannot_invite_anyone(ansatt: User) -> None:
    with pytest.raises(PermissionDenied):
        invitation_create(
            acting_user=ansatt,
            email="x@example.invalid",
            username="x",
            full_name="X",
            role=Role.ANSATT,
            centre=None,
            accept_url_base="http://testserver/",
        )


def test_a_leader_invites_only_into_her_own_centre(leder: User, other_centre: Centre) -> None:
    invitation, _link = invitation_create(
        acting_user=leder,
        email="x@example.invalid",
        username="x",
        full_name="X",
        role=Role.ANSATT,
        centre=other_centre,
        accept_url_base="http://testserver/",
    )

    assert invitation.centre_id == leder.centre_id


@pytest.mark.parametrize("action", ["centres:deactivate", "centres:reset"])
def test_a_leader_cannot_manage_another_centres_account(
    client: Client, leder: User, other_centre: Centre, action: str
) -> None:
    stranger = make_user(Role.ANSATT, other_centre)
    login_verified(client, leder)

    response = client.post(reverse(action, args=[stranger.pk]))

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    assert mail.outbox == []


def test_an_administrator_manages_leaders_but_not_staff(
    client: Client, administrator: User, leder: User, ansatt: User
) -> None:
    login_verified(client, administrator)

    assert client.post(reverse("centres:deactivate", args=[ansatt.pk])).status_code == 404
    assert client.post(reverse("centres:deactivate", args=[leder.pk])).status_code == 302
    leder.refresh_from_db()
    ansatt.refresh_from_db()
    assert not leder.is_active
    assert ansatt.is_active
