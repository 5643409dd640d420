"""OpenID Connect sign-in for staff (issue 18 point 1), with mozilla-django-oidc (ADR 0014).

Off unless ``VERN_OIDC_ISSUER`` is set. The provider's endpoints come from its discovery
document, whose ``issuer`` must be exactly the configured one. The library does the protocol
work: the authorization request with ``state``, ``nonce`` and a PKCE S256 challenge kept in the
session (``OIDCAuthenticationRequestView``), the code exchange at the token endpoint and the
signature check against the provider's JWKS (``OIDCAuthenticationBackend``). Vern adds what the
library leaves out or decides differently:

- the ID token's ``iss``, ``aud`` (and ``azp``), ``exp`` and ``iat`` are checked (the library
  turns the audience check off and checks no issuer), against Vern's clock;
- accounts are never created by signing in: an identity (issuer + the subject claim) signs in
  only when it is linked to an account (``OIDCIdentity``), by an invitation or an administrator;
- the provider's MFA counts only when the token says so (``amr``/``acr`` values configured),
  otherwise Vern asks its own second factor.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from vern.accounts.models import OIDCIdentity
from vern.core import clock

logger = logging.getLogger(__name__)

#: Session key: what a started sign-in is for, by its ``state`` (login, invitation, step-up).
INTENTS = "vern_oidc_intents"
#: Session key: the raw ID token of an OIDC session, for the provider's logout (id_token_hint).
ID_TOKEN = "vern_oidc_id_token"  # noqa: S105  (a session key, not a secret)
#: Seconds of clock difference tolerated between Vern and the provider.
LEEWAY_SECONDS = 60
DISCOVERY_CACHE_SECONDS = 3600


class OIDCRefusedError(Exception):
    """A sign-in that Vern refuses; ``reason`` is the audited code, the message is for the log."""

    def __init__(self, reason: str, message: str, *, subject: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.subject = subject


@dataclasses.dataclass(frozen=True)
class OIDCConfig:
    issuer: str
    client_id: str
    client_secret: str = dataclasses.field(repr=False)
    scopes: str
    subject_claim: str
    mfa_amr: frozenset[str]
    mfa_acr: frozenset[str]
    require_mfa: bool
    sign_algo: str
    timeout: int


def config() -> OIDCConfig | None:
    """The deployment's OIDC configuration, or None when OIDC sign-in is off."""
    issuer = getattr(settings, "VERN_OIDC_ISSUER", "")
    if not issuer:
        return None
    return OIDCConfig(
        issuer=issuer,
        client_id=settings.VERN_OIDC_CLIENT_ID,
        client_secret=settings.VERN_OIDC_CLIENT_SECRET,
        scopes=settings.VERN_OIDC_SCOPES,
        subject_claim=settings.VERN_OIDC_SUBJECT_CLAIM,
        mfa_amr=frozenset(settings.VERN_OIDC_MFA_AMR),
        mfa_acr=frozenset(settings.VERN_OIDC_MFA_ACR),
        require_mfa=settings.VERN_OIDC_REQUIRE_MFA,
        sign_algo=settings.VERN_OIDC_SIGN_ALGO,
        timeout=settings.VERN_OIDC_TIMEOUT,
    )


def enabled() -> bool:
    return config() is not None


def password_login_enabled() -> bool:
    return bool(getattr(settings, "VERN_PASSWORD_LOGIN", True))


# --- Discovery -----------------------------------------------------------------------------

_metadata_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def clear_metadata_cache() -> None:
    _metadata_cache.clear()


def provider_metadata(cfg: OIDCConfig) -> dict[str, Any]:
    """The provider's discovery document (cached for an hour), checked: its ``issuer`` is
    exactly the configured one (OpenID Connect Discovery 1.0, section 4.3) and it names the
    endpoints Vern needs. Raises OIDCRefusedError("discovery", …) when it cannot be used."""
    cached = _metadata_cache.get(cfg.issuer)
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_CACHE_SECONDS:
        return cached[1]
    url = cfg.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=cfg.timeout)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        msg = f"the discovery document {url} could not be read: {exc}"
        raise OIDCRefusedError("discovery", msg) from None
    if not isinstance(metadata, dict):
        raise OIDCRefusedError("discovery", f"the discovery document {url} is not a JSON object")
    if metadata.get("issuer") != cfg.issuer:
        msg = (
            f"the discovery document names the issuer {metadata.get('issuer')!r}, "
            f"not VERN_OIDC_ISSUER={cfg.issuer!r}"
        )
        raise OIDCRefusedError("discovery", msg)
    missing = [
        name
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(metadata.get(name), str)
    ]
    if missing:
        raise OIDCRefusedError("discovery", f"the discovery document lacks {', '.join(missing)}")
    methods = metadata.get("code_challenge_methods_supported")
    if isinstance(methods, list) and "S256" not in methods:
        raise OIDCRefusedError("discovery", "the provider does not offer PKCE with S256")
    _metadata_cache[cfg.issuer] = (time.monotonic(), metadata)
    return metadata


def library_settings(cfg: OIDCConfig, metadata: dict[str, Any]) -> dict[str, Any]:
    """mozilla-django-oidc's settings for this deployment (it reads them by name)."""
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": metadata["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": metadata["token_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": metadata["jwks_uri"],
        "OIDC_OP_USER_ENDPOINT": metadata.get("userinfo_endpoint", ""),
        "OIDC_RP_CLIENT_ID": cfg.client_id,
        "OIDC_RP_CLIENT_SECRET": cfg.client_secret,
        "OIDC_RP_SIGN_ALGO": cfg.sign_algo,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_RP_SCOPES": cfg.scopes,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_PKCE_CODE_VERIFIER_SIZE": 64,
        "OIDC_STATE_SIZE": 32,
        "OIDC_NONCE_SIZE": 32,
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ID_TOKEN": False,  # Vern keeps it itself (ID_TOKEN), after its own checks
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_VERIFY_SSL": True,
        "OIDC_TIMEOUT": cfg.timeout,
        "OIDC_PROXY": None,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc:callback",
        "OIDC_REDIRECT_FIELD_NAME": "next",
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
    }


# --- The token -----------------------------------------------------------------------------


class VernOIDCClient(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend used as the relying party's client: the code exchange, the
    JWKS lookup and the signature check are the library's; the claims checks are Vern's.

    Not an entry of AUTHENTICATION_BACKENDS: it never creates or finds users (Vern looks the
    identity up itself) and is called only by the callback view."""

    def __init__(self, cfg: OIDCConfig, metadata: dict[str, Any]) -> None:
        self.cfg = cfg
        self._settings = library_settings(cfg, metadata)
        self.OIDC_OP_TOKEN_ENDPOINT = self._settings["OIDC_OP_TOKEN_ENDPOINT"]
        self.OIDC_OP_USER_ENDPOINT = self._settings["OIDC_OP_USER_ENDPOINT"]
        self.OIDC_OP_JWKS_ENDPOINT = self._settings["OIDC_OP_JWKS_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = cfg.client_id
        self.OIDC_RP_CLIENT_SECRET = cfg.client_secret
        self.OIDC_RP_SIGN_ALGO = cfg.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in self._settings:
            return self._settings[attr]
        return getattr(settings, attr, *args)

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The library's signature check (algorithm pinned), plus the claims it skips."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.cfg.sign_algo:
            msg = f"the token is signed with {header.get('alg')!r}, not {self.cfg.sign_algo}"
            raise OIDCRefusedError("token_invalid", msg)
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.cfg.sign_algo],
                audience=self.cfg.client_id,
                issuer=self.cfg.issuer,
                options={
                    # Expiry and issue time against Vern's clock below (tests move it).
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "require": ["iss", "aud", "exp", "iat", "sub"],
                },
            )
        except jwt.InvalidIssuerError:
            raise OIDCRefusedError("wrong_issuer", "the ID token's issuer is not ours") from None
        except jwt.InvalidAudienceError:
            raise OIDCRefusedError("wrong_audience", "the ID token is for another client") from None
        except jwt.PyJWTError as exc:
            raise OIDCRefusedError("token_invalid", f"the ID token is not valid: {exc}") from None
        now = clock.now().timestamp()
        if float(claims["exp"]) + LEEWAY_SECONDS < now:
            raise OIDCRefusedError("token_expired", "the ID token has expired")
        if float(claims["iat"]) - LEEWAY_SECONDS > now:
            raise OIDCRefusedError("token_invalid", "the ID token was issued in the future")
        audience = claims["aud"]
        if (
            isinstance(audience, list)
            and len(audience) > 1
            and claims.get("azp") != (self.cfg.client_id)
        ):
            raise OIDCRefusedError("wrong_audience", "the ID token's azp is not this client")
        return claims

    def id_token_claims(
        self, *, request: HttpRequest, code: str, nonce: str, code_verifier: str
    ) -> tuple[str, dict[str, Any]]:
        """Exchange the code (with the PKCE verifier) and return the ID token with its checked
        claims."""
        self.request = request
        payload = {
            "client_id": self.cfg.client_id,
            "client_secret": self.cfg.client_secret,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": callback_url(request),
            "code_verifier": code_verifier,
        }
        try:
            token_info = self.get_token(payload)
        except requests.RequestException as exc:
            raise OIDCRefusedError("token_request", f"the token request failed: {exc}") from None
        id_token = token_info.get("id_token")
        if not isinstance(id_token, str):
            raise OIDCRefusedError("token_invalid", "the token response has no ID token")
        try:
            claims = self.verify_token(id_token, nonce=nonce)
        except SuspiciousOperation as exc:  # the library's nonce, kid and signature checks
            raise OIDCRefusedError("token_invalid", str(exc)) from None
        except requests.RequestException as exc:
            raise OIDCRefusedError("token_request", f"the JWKS could not be read: {exc}") from None
        return id_token, claims


def callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("oidc:callback"))


def subject_of(cfg: OIDCConfig, claims: dict[str, Any]) -> str:
    """The identity's stable id in the token: ``sub``, or the configured claim (Entra: oid)."""
    value = claims.get(cfg.subject_claim)
    if not isinstance(value, str) or not value:
        msg = f"the ID token has no {cfg.subject_claim!r} claim"
        raise OIDCRefusedError("token_invalid", msg)
    return value


def mfa_claimed(cfg: OIDCConfig, claims: dict[str, Any]) -> list[str]:
    """The configured ``amr`` / ``acr`` values the token carries: non-empty when the provider
    says a second factor was used."""
    amr = claims.get("amr")
    found = sorted(cfg.mfa_amr.intersection(amr)) if isinstance(amr, list) else []
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in cfg.mfa_acr:
        found.append(f"acr:{acr}")
    return found


def identity_for(cfg: OIDCConfig, subject: str) -> OIDCIdentity | None:
    identity: OIDCIdentity | None = (
        OIDCIdentity.objects.select_related("user", "user__centre")
        .filter(issuer=cfg.issuer, subject=subject)
        .first()
    )
    return identity


def logout_url(request: HttpRequest, *, post_logout_redirect: str) -> str | None:
    """The provider's logout (RP-initiated logout) for an OIDC session, or None."""
    cfg = config()
    id_token = request.session.get(ID_TOKEN)
    if cfg is None or not id_token:
        return None
    try:
        endpoint = provider_metadata(cfg).get("end_session_endpoint")
    except OIDCRefusedError as exc:
        logger.warning("OIDC logout: %s", exc)
        return None
    if not isinstance(endpoint, str) or not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": cfg.client_id,
            "post_logout_redirect_uri": post_logout_redirect,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
