"""OpenID Connect sign-in against a real provider on 127.0.0.1 (tests/oidc/conftest.py).

The authorization-code flow with PKCE through Vern's own pages, and every refusal the issue
names: wrong issuer, wrong audience, expired token, replayed state, unlinked identity,
deactivated account, missing MFA claim (Vern's second factor is asked)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import urllib.parse
from typing import Any

import pytest
import requests
from django.test import Client

from tests.factories import backup_code, make_user
from tests.oidc.conftest import (
    CLIENT_ID,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    Provider,
    arrive,
    local,
    sign_in_at_provider,
    start_sign_in,
)
from vern.accounts import oidc
from vern.accounts.models import OIDCIdentity, Role, User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.centres.models import Centre
from vern.core import clock

pytestmark = pytest.mark.django_db


def _link(user: User, issuer: str, subject: str) -> OIDCIdentity:
    return OIDCIdentity.objects.create(
        user=user, name="oidc", confirmed=True, issuer=issuer, subject=subject
    )


@pytest.fixture
def worker(centre: Centre, oidc_on: Provider) -> User:
    user = make_user(Role.ANSATT, centre)
    _link(user, oidc_on.a, "kari")
    return user


def _refusals() -> list[str]:
    return [
        str((e.details or {}).get("reason"))
        for e in AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("seq")
    ]


def test_a_linked_identity_with_mfa_signs_in_by_the_code_flow_with_pkce(
    client: Client, worker: User, oidc_on: Provider
) -> None:
    authorization = start_sign_in(client, "/konto/kommune/logg-inn/?next=/saker/")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorization).query))
    assert authorization.startswith(oidc_on.a + "/auth?")
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # BASE64URL(SHA-256(verifier))
    assert query["state"]
    assert query["nonce"]
    assert query["redirect_uri"] == "http://testserver/konto/kommune/retur/"

    back = sign_in_at_provider(authorization, sub="kari", amr="pwd,mfa")
    response = client.get(local(back))

    assert response.status_code == 302
    assert response["Location"] == "/saker/"
    assert client.get("/saker/").status_code == 200  # past the MFA policy: verified
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert login.actor_id == worker.pk
    assert login.details == {"via": "oidc"}
    verified = AuditEvent.objects.get(action=AuditAction.MFA_VERIFIED)
    assert verified.details == {"method": "oidc", "claims": "mfa"}
    assert client.session[oidc.ID_TOKEN].count(".") == 2


def test_the_same_callback_again_is_a_replayed_state_and_refused(
    client: Client, worker: User
) -> None:
    back = sign_in_at_provider(start_sign_in(client), sub="kari", amr="mfa")
    assert client.get(local(back)).status_code == 302

    again = client.get(local(back))
    elsewhere = arrive(Client(), back)  # another browser with the stolen redirect

    for response in (again, elsewhere):
        assert response.status_code == 400
        assert "allerede brukt" in response.content.decode()
    assert _refusals() == ["state", "state"]
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN).count() == 1


def test_an_unlinked_identity_is_refused_and_told_which_identity_to_give_the_leader(
    client: Client, worker: User
) -> None:
    back = sign_in_at_provider(start_sign_in(client), sub="stranger", amr="mfa")
    response = client.get(local(back))

    assert response.status_code == 403
    page = response.content.decode()
    assert "ikke koblet til en konto" in page
    assert "<code>stranger</code>" in page
    assert 'href="/konto/forlat/"' in page  # the quick exit, as on every page
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "_auth_user_id" not in client.session
    assert _refusals() == ["unlinked"]
    assert not User.objects.filter(username="stranger").exists()  # never created by signing in


def test_a_deactivated_account_is_refused(client: Client, worker: User) -> None:
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    back = sign_in_at_provider(start_sign_in(client), sub="kari", amr="mfa")
    response = client.get(local(back))

    assert response.status_code == 403
    assert "deaktivert" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _refusals() == ["inactive"]


def test_without_an_mfa_claim_vern_asks_its_own_second_factor(client: Client, worker: User) -> None:
    back = sign_in_at_provider(start_sign_in(client), sub="kari", amr="pwd")
    response = client.get(local(back))

    assert response.status_code == 302
    assert response["Location"] == "/konto/mfa/"
    assert client.get("/saker/")["Location"] == "/konto/mfa/"  # not verified yet
    assert not AuditEvent.objects.filter(action=AuditAction.MFA_VERIFIED).exists()
    assert client.post("/konto/mfa/", {"code": backup_code(worker)}).status_code == 302
    assert client.get("/saker/").status_code == 200


def test_an_acr_value_configured_as_mfa_counts(client: Client, worker: User, settings: Any) -> None:
    settings.VERN_OIDC_MFA_AMR = []
    settings.VERN_OIDC_MFA_ACR = ["urn:vern:test:mfa"]
    back = sign_in_at_provider(
        start_sign_in(client), sub="kari", amr="pwd", acr="urn:vern:test:mfa"
    )
    assert client.get(local(back))["Location"] == "/"
    assert client.get("/saker/").status_code == 200


def test_where_mfa_is_required_a_sign_in_without_it_is_refused(
    client: Client, worker: User, settings: Any
) -> None:
    settings.VERN_OIDC_REQUIRE_MFA = True
    back = sign_in_at_provider(start_sign_in(client), sub="kari", amr="pwd")
    response = client.get(local(back))

    assert response.status_code == 403
    assert "tofaktor" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _refusals() == ["mfa_missing"]


def test_a_token_that_expired_before_it_reached_vern_is_refused(
    client: Client, worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    back = sign_in_at_provider(start_sign_in(client), sub="kari", amr="mfa")
    later = clock.now() + dt.timedelta(hours=1, minutes=2)  # the provider's ID token: 1 hour
    monkeypatch.setattr(clock, "now", lambda: later)

    response = client.get(local(back))

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert _refusals() == ["token_expired"]


def _mixed_up(provider: Provider) -> None:
    """Vern's cached discovery of issuer a with issuer b's endpoints: a mix-up, where the code
    goes to, and the token comes from, another provider than the configured one."""
    cfg = oidc.config()
    assert cfg is not None
    metadata = dict(oidc.provider_metadata(cfg))
    other = requests.get(provider.b + "/.well-known/openid-configuration", timeout=5).json()
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        metadata[name] = other[name]
    oidc._metadata_cache[cfg.issuer] = (oidc.time.monotonic(), metadata)


def test_a_response_or_token_of_another_issuer_is_refused(
    client: Client, worker: User, oidc_on: Provider
) -> None:
    _link(make_user(Role.ANSATT, worker.centre), oidc_on.b, "kari")
    _mixed_up(oidc_on)
    back = sign_in_at_provider(start_sign_in(client), sub="kari", amr="mfa")
    assert f"iss={urllib.parse.quote(oidc_on.b, safe='')}" in back

    by_parameter = client.get(local(back))  # RFC 9207: the response names its issuer
    # A provider without RFC 9207 sends no iss: then the ID token's own iss (b's) is checked.
    parts = urllib.parse.urlsplit(sign_in_at_provider(start_sign_in(client), sub="kari", amr="mfa"))
    without_iss = urllib.parse.urlencode(
        [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "iss"]
    )
    by_token = client.get(f"{parts.path}?{without_iss}")

    assert by_parameter.status_code == 400
    assert by_token.status_code == 400
    assert "_auth_user_id" not in client.session
    assert _refusals() == ["wrong_issuer", "wrong_issuer"]


def test_a_discovery_document_of_another_issuer_is_refused(
    client: Client, worker: User, settings: Any, oidc_on: Provider
) -> None:
    settings.VERN_OIDC_ISSUER = oidc_on.a + "/"  # the document says: without the slash
    response = client.get("/konto/kommune/logg-inn/")

    assert response.status_code == 400
    assert _refusals() == ["discovery"]


def _token_for(issuer: str, client_id: str, client_secret: str, sub: str) -> str:
    """An ID token straight from the provider, by the code flow with PKCE, for another client."""
    metadata = requests.get(issuer + "/.well-known/openid-configuration", timeout=5).json()
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    redirect_uri = "http://testserver/konto/kommune/retur/"
    authorization = (
        metadata["authorization_endpoint"]
        + "?"
        + urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "scope": "openid",
                "state": "s",
                "nonce": "n",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
    )
    back = sign_in_at_provider(authorization, sub=sub, amr="mfa")
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))["code"]
    answer = requests.post(
        metadata["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
            "code_verifier": verifier,
        },
        timeout=5,
    )
    answer.raise_for_status()
    token: str = answer.json()["id_token"]
    return token


def test_a_token_issued_to_another_client_is_refused_for_its_audience(
    oidc_on: Provider, db: None
) -> None:
    cfg = oidc.config()
    assert cfg is not None
    token = _token_for(oidc_on.a, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, "kari")
    client = oidc.VernOIDCClient(cfg, oidc.provider_metadata(cfg))

    with pytest.raises(oidc.OIDCRefusedError) as refused:
        client.verify_token(token, nonce="n")  # the real signature checks out; aud does not

    assert refused.value.reason == "wrong_audience"


def test_without_vern_s_cookie_the_callback_first_continues_same_site_and_uses_nothing(
    client: Client, worker: User
) -> None:
    """The provider's redirect is cross-site: the browser withholds the SameSite=Strict session
    cookie. Vern answers with a page that continues to the same URL from its own page."""
    back = sign_in_at_provider(start_sign_in(client), sub="kari", amr="mfa")
    stranger = Client()

    response = stranger.get(local(back))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="0;url=/konto/kommune/retur/?' in page
    assert "vern_same_site=1" in page
    assert not AuditEvent.objects.exists()  # nothing read, nothing used
    assert arrive(client, back).status_code == 302  # the state was not used up by the bounce
