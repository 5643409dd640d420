"""Linking identities (the invitation, the leader's page), unlinking, the provider's logout,
step-up at the provider and a deployment without password sign-in; against the real provider."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
import requests
from django.test import Client

from tests.factories import PASSWORD, login_verified, make_user
from tests.oidc.conftest import (
    AFTER_LOGOUT,
    Provider,
    arrive,
    local,
    sign_in_at_provider,
    start_sign_in,
)
from vern.accounts import oidc, sessions
from vern.accounts.models import Invitation, OIDCIdentity, Role, User
from vern.accounts.services import invitation_create
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.centres.models import Centre
from vern.core import clock

pytestmark = pytest.mark.django_db


def _invite(leder: User) -> str:
    _invitation, link = invitation_create(
        acting_user=leder,
        email="ny@example.invalid",
        username="ny-ansatt",
        full_name="Ny Ansatt",
        role=Role.ANSATT,
        centre=None,
        accept_url_base="http://testserver/",
    )
    return link.removeprefix("http://testserver")


def _token(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def test_an_invited_person_links_their_identity_and_gets_the_invitations_role_and_centre(
    client: Client, leder: User, oidc_on: Provider
) -> None:
    path = _invite(leder)
    page = client.get(path).content.decode()
    assert "Logg inn med kommunen" in page

    back = sign_in_at_provider(
        start_sign_in(client, f"/konto/kommune/invitasjon/{_token(path)}/"), sub="ny", amr="mfa"
    )
    response = client.get(local(back))

    assert response.status_code == 302
    user = User.objects.get(username="ny-ansatt")
    assert (user.role, user.centre_id) == (Role.ANSATT, leder.centre_id)  # Vern's, not the token's
    assert not user.has_usable_password()
    identity = OIDCIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (oidc_on.a, "ny")
    assert client.get("/saker/").status_code == 200
    accepted = AuditEvent.objects.get(action=AuditAction.INVITATION_ACCEPTED)
    linked = AuditEvent.objects.get(action=AuditAction.OIDC_LINKED)
    assert accepted.details == {"via": "oidc"}
    assert linked.details == {"via": "invitation", "identity": identity.pk}
    assert client.get(path).status_code == 404  # used once
    assert Client().get(f"/konto/kommune/invitasjon/{_token(path)}/").status_code == 404


def test_an_invited_person_without_a_provider_factor_enrols_vern_s_own(
    client: Client, leder: User, oidc_on: Provider
) -> None:
    path = _invite(leder)
    back = sign_in_at_provider(
        start_sign_in(client, f"/konto/kommune/invitasjon/{_token(path)}/"), sub="ny", amr="pwd"
    )
    assert client.get(local(back))["Location"] == "/konto/mfa/"
    assert client.get("/konto/mfa/")["Location"] == "/konto/mfa/oppsett/"


def test_an_identity_linked_to_someone_else_does_not_accept_an_invitation(
    client: Client, leder: User, ansatt: User, oidc_on: Provider
) -> None:
    OIDCIdentity.objects.create(user=ansatt, name="oidc", issuer=oidc_on.a, subject="kari")
    path = _invite(leder)
    back = sign_in_at_provider(
        start_sign_in(client, f"/konto/kommune/invitasjon/{_token(path)}/"), sub="kari", amr="mfa"
    )
    response = client.get(local(back))

    assert response.status_code == 409
    assert not User.objects.filter(username="ny-ansatt").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_leader_links_and_unlinks_a_staff_member_and_each_is_audited(
    leder_client: Client, leder: User, ansatt: User, oidc_on: Provider
) -> None:
    page = f"/konto/kommune/brukere/{ansatt.pk}/"
    assert leder_client.get("/senter/ansatte/").content.decode().count(page) == 1
    assert leder_client.get(page).status_code == 200
    response = leder_client.post(page, {"subject": " kari "})
    assert response.status_code == 302
    identity = OIDCIdentity.objects.get(user=ansatt)
    assert (identity.issuer, identity.subject) == (oidc_on.a, "kari")

    person = Client()
    back = sign_in_at_provider(start_sign_in(person), sub="kari", amr="mfa")
    assert person.get(local(back))["Location"] == "/"
    assert person.get("/saker/").status_code == 200

    response = leder_client.post(f"{page}fjern/{identity.pk}/")
    assert response.status_code == 302
    assert not OIDCIdentity.objects.filter(user=ansatt).exists()
    # The session verified by the identity is no longer verified; signing in is refused.
    assert person.get("/saker/")["Location"] == "/konto/mfa/"
    back = sign_in_at_provider(start_sign_in(Client()), sub="kari", amr="mfa")
    assert arrive(Client(), back).status_code == 400  # another browser: no state
    second = Client()
    back = sign_in_at_provider(start_sign_in(second), sub="kari", amr="mfa")
    assert second.get(local(back)).status_code == 403

    linked = AuditEvent.objects.get(action=AuditAction.OIDC_LINKED)
    unlinked = AuditEvent.objects.get(action=AuditAction.OIDC_UNLINKED)
    assert linked.actor_id == unlinked.actor_id == leder.pk
    assert (linked.object_id, unlinked.object_id) == (str(ansatt.pk), str(ansatt.pk))


def test_a_subject_already_linked_is_refused_on_the_form(
    leder_client: Client, ansatt: User, leder: User, oidc_on: Provider
) -> None:
    other = make_user(Role.ANSATT, leder.centre)
    OIDCIdentity.objects.create(user=other, name="oidc", issuer=oidc_on.a, subject="kari")
    response = leder_client.post(f"/konto/kommune/brukere/{ansatt.pk}/", {"subject": "kari"})

    assert response.status_code == 200
    assert "allerede koblet" in response.content.decode()
    assert not OIDCIdentity.objects.filter(user=ansatt).exists()


def test_nobody_links_an_account_they_do_not_manage(
    client: Client, leder: User, ansatt: User, other_centre: Centre, oidc_on: Provider
) -> None:
    stranger = make_user(Role.ANSATT, other_centre)
    login_verified(client, leder)
    assert client.get(f"/konto/kommune/brukere/{stranger.pk}/").status_code == 404
    assert (
        client.post(f"/konto/kommune/brukere/{stranger.pk}/", {"subject": "x"}).status_code == 404
    )
    worker = Client()
    login_verified(worker, ansatt)
    assert worker.get(f"/konto/kommune/brukere/{leder.pk}/").status_code == 403
    assert not OIDCIdentity.objects.exists()


def _signed_in(client: Client, user: User, provider: Provider, sub: str = "kari") -> None:
    OIDCIdentity.objects.create(user=user, name="oidc", issuer=provider.a, subject=sub)
    back = sign_in_at_provider(start_sign_in(client), sub=sub, amr="mfa")
    assert client.get(local(back)).status_code == 302


def test_logout_ends_the_vern_session_and_offers_the_provider_s_logout(
    client: Client, ansatt: User, oidc_on: Provider
) -> None:
    _signed_in(client, ansatt, oidc_on)
    id_token = client.session[oidc.ID_TOKEN]

    response = client.post("/konto/logg-ut/")

    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/saker/")["Location"].startswith("/konto/logg-inn/")
    link = next(
        part.split('"', 1)[0]
        for part in response.content.decode().split('href="')
        if part.startswith(oidc_on.a)
    ).replace("&amp;", "&")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    assert link.startswith(oidc_on.a + "/session/end?")
    assert query == {
        "id_token_hint": id_token,
        "client_id": "vern",
        "post_logout_redirect_uri": AFTER_LOGOUT,
    }
    # The provider accepts it (a wrong hint or redirect would be a 400 there).
    assert requests.get(link, timeout=5).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).count() == 1


def test_a_step_up_can_be_a_new_sign_in_at_the_provider_of_the_same_identity(
    client: Client, ansatt: User, oidc_on: Provider
) -> None:
    _signed_in(client, ansatt, oidc_on)
    session = client.session
    session[sessions.STEP_UP_AT] = clock.now().timestamp() - 3600
    session.save()
    page = client.get("/konto/bekreft/?next=/saker/").content.decode()
    assert "/konto/kommune/bekreft/" in page

    authorization = start_sign_in(client, "/konto/kommune/bekreft/?next=/saker/")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorization).query))
    assert (query["prompt"], query["max_age"]) == ("login", "0")
    other = sign_in_at_provider(authorization, sub="mallory", amr="mfa")
    assert client.get(local(other)).status_code == 403  # another identity
    assert not sessions.step_up_fresh(_request_of(client))

    back = sign_in_at_provider(
        start_sign_in(client, "/konto/kommune/bekreft/?next=/saker/"), sub="kari", amr="mfa"
    )
    response = client.get(local(back))

    assert response["Location"] == "/saker/"
    assert sessions.step_up_fresh(_request_of(client))
    assert AuditEvent.objects.get(action=AuditAction.STEP_UP).details == {
        "via": "oidc",
        "claims": "mfa",
    }
    assert AuditEvent.objects.get(action=AuditAction.STEP_UP_FAILED).details == {
        "via": "oidc",
        "reason": "step_up_other",
    }


def _request_of(client: Client) -> Any:
    class _Request:
        session = client.session

    return _Request()


def test_with_password_sign_in_off_only_the_provider_signs_in(
    client: Client, ansatt: User, settings: Any, oidc_on: Provider
) -> None:
    settings.VERN_PASSWORD_LOGIN = False
    page = client.get("/konto/logg-inn/").content.decode()
    assert "Logg inn med kommunen" in page
    assert 'name="password"' not in page

    refused = client.post("/konto/logg-inn/", {"username": ansatt.username, "password": PASSWORD})

    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/konto/passord/").status_code == 404
    _signed_in(client, ansatt, oidc_on)
    assert client.get("/saker/").status_code == 200


def test_with_oidc_off_its_pages_are_not_there_and_the_login_page_has_no_button(
    client: Client, ansatt: User, settings: Any
) -> None:
    settings.VERN_OIDC_ISSUER = ""
    assert "Logg inn med kommunen" not in client.get("/konto/logg-inn/").content.decode()
    assert client.get("/konto/kommune/logg-inn/").status_code == 404
    assert client.get("/konto/kommune/retur/?code=x&state=y").status_code == 404


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nb", ["Logg inn med kommunen", "Eller logg inn med brukernavn og passord"]),
        ("nn", ["Logg inn med kommunen", "Eller logg inn med brukarnamn og passord"]),
        ("en", ["Sign in with the municipality", "Or sign in with username and password"]),
    ],
)
def test_the_button_is_a_plain_link_in_the_reader_s_language(
    client: Client, oidc_on: Provider, language: str, texts: list[str]
) -> None:
    page = client.get("/konto/logg-inn/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in texts:
        assert text in page
    # A plain link (no script; a form would be stopped by CSP form-action on the redirect).
    assert '<a class="ds-button" data-variant="primary" href="/konto/kommune/logg-inn/">' in page
