"""Passkeys (WebAuthn) as a second factor and for step-up (issue 18, docs/adr/0015).

django-otp-webauthn supplies the credential model (a django-otp ``Device``) and the two
ceremonies (py_webauthn underneath: challenge, origin, relying party id, signature and sign
count are checked there). Vern's own views (vern.accounts.passkey_views) call the functions
here, which keep the ceremony state in the session, name the passkey, mark the session verified
or stepped up, and write the audit event in the same transaction.

A passkey never replaces the password (``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False``) and
never replaces TOTP: an account still enrols TOTP first and keeps its backup codes, and the
API's ``X-Vern-OTP`` header takes a TOTP or backup code only (``vern.accounts.mfa.match_code``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from vern.accounts import sessions
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record

logger = logging.getLogger("vern.accounts.passkeys")

NAME_MAX_LENGTH = 64  # django-otp's Device.name
PASSKEYS_PER_PERSON = 10
METHOD = "passkey"
OBJECT_TYPE = "passkey"

_REGISTER_STATE = "vern_passkey_register_state"
_REGISTER_NAME = "vern_passkey_register_name"
_AUTH_STATE = "vern_passkey_auth_state"


class PasskeyError(Exception):
    """A ceremony that cannot go on; ``message`` is shown to the person (translated)."""

    def __init__(self, message: object, *, status: int = 400, code: str = "passkey_error") -> None:
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.code = code


_NOT_VERIFIED = _("Passnøkkelen kunne ikke bekreftes. Prøv igjen, eller bruk en engangskode.")


class VernWebAuthnHelper(WebAuthnHelper):  # type: ignore[misc]
    """The library's helper with Vern's names: the account's full name (Vern's users have no
    first and last name) and the username, both shown by the authenticator."""

    def get_credential_display_name(self, user: Any) -> str:
        if isinstance(user, User) and user.full_name:
            return f"{user.full_name} ({user.username})"
        return str(user.get_username())


def _helper(request: HttpRequest) -> VernWebAuthnHelper:
    return VernWebAuthnHelper(request=request)


def passkeys_of(user: User) -> QuerySet[Any]:
    """The person's own passkeys, newest first (every read here is scoped to one account)."""
    found: QuerySet[Any] = WebAuthnCredential.objects.filter(user=user, confirmed=True)
    return found.order_by("-created_at", "-pk")


def has_passkey(user: User) -> bool:
    return bool(passkeys_of(user).exists())


def clean_name(user: User, raw: str) -> str:
    """The name a person gives a passkey ("Nøkkel på kontoret"), or PasskeyError saying what
    is wrong with it."""
    name = " ".join(str(raw).split())
    if "\x00" in name:
        # Django's own refusal and its translated words (PostgreSQL cannot store a NUL).
        raise PasskeyError(ProhibitNullCharactersValidator.message)
    if not name:
        raise PasskeyError(_("Gi passnøkkelen et navn, for eksempel «Nøkkel på kontoret»."))
    if len(name) > NAME_MAX_LENGTH:
        raise PasskeyError(
            _("Navnet kan være høyst %(max)d tegn langt.") % {"max": NAME_MAX_LENGTH}
        )
    if passkeys_of(user).filter(name__iexact=name).exists():
        raise PasskeyError(_("Du har allerede en passnøkkel med dette navnet. Velg et annet."))
    if passkeys_of(user).count() >= PASSKEYS_PER_PERSON:
        raise PasskeyError(
            _("Du kan ha høyst %(max)d passnøkler. Fjern en før du legger til en ny.")
            % {"max": PASSKEYS_PER_PERSON}
        )
    return name


def _step_up_fresh_for_form(request: HttpRequest) -> bool:
    return sessions.step_up_fresh(request, within=settings.VERN_STEP_UP_FORM_SECONDS)


def registration_prepare(*, request: HttpRequest, user: User, raw_name: str) -> str:
    """Keep the chosen name for the ceremony that follows; returns the cleaned name."""
    name = clean_name(user, raw_name)
    request.session[_REGISTER_NAME] = name
    request.session.pop(_REGISTER_STATE, None)
    return name


def pending_name(request: HttpRequest) -> str | None:
    value = request.session.get(_REGISTER_NAME)
    return value if isinstance(value, str) and value else None


def registration_begin(request: HttpRequest, user: User) -> dict[str, Any]:
    """The options for ``navigator.credentials.create()``; the state stays in the session.

    Needs a name chosen on the page (``registration_prepare``) and a fresh code: adding a
    factor is a sensitive action (someone at an open session must not add their own key)."""
    if pending_name(request) is None:
        raise PasskeyError(_("Velg et navn på passnøkkelen først."), code="no_name")
    if not _step_up_fresh_for_form(request):
        raise PasskeyError(
            _("Bekreft med en ny kode før du legger til en passnøkkel."),
            status=403,
            code="step_up_required",
        )
    options, state = _helper(request).register_begin(user=user)
    request.session[_REGISTER_STATE] = state
    return dict(options)


def registration_complete(*, request: HttpRequest, user: User, data: dict[str, Any]) -> Any:
    """Verify the authenticator's answer, save the passkey under its name, audit it."""
    state = request.session.pop(_REGISTER_STATE, None)
    name = request.session.pop(_REGISTER_NAME, None)
    request.session.save()  # the state is never usable twice, whatever happens next
    if not state or not isinstance(name, str):
        raise PasskeyError(_("Start på nytt: velg et navn og trykk på knappen."), code="no_state")
    if not _step_up_fresh_for_form(request):
        raise PasskeyError(
            _("Bekreft med en ny kode før du legger til en passnøkkel."),
            status=403,
            code="step_up_required",
        )
    name = clean_name(user, name)  # again: another tab may have used the name meanwhile
    try:
        with transaction.atomic(), rewrite_exceptions(logger=logger):
            device = _helper(request).register_complete(user=user, state=state, data=data)
            device.name = name
            device.save(update_fields=["name"])
            audit_record(
                action=AuditAction.PASSKEY_ENROLLED,
                actor=user,
                centre=user.centre,
                object_type=OBJECT_TYPE,
                object_id=device.pk,
                request=request,
                details={"discoverable": device.discoverable},
            )
    except (webauthn_exceptions.OTPWebAuthnApiError, ValueError, KeyError, TypeError) as exc:
        logger.info("passkey registration refused: %s", exc)
        raise PasskeyError(
            _("Passnøkkelen kunne ikke registreres. Prøv igjen."), status=422
        ) from exc
    return device


def authentication_begin(request: HttpRequest, user: User) -> dict[str, Any]:
    """The options for ``navigator.credentials.get()`` listing the person's own passkeys."""
    if not has_passkey(user):
        raise PasskeyError(_("Du har ingen passnøkkel. Bruk en engangskode."), code="none")
    options, state = _helper(request).authenticate_begin(user=user, require_user_verification=False)
    request.session[_AUTH_STATE] = state
    return dict(options)


def _verified_device(request: HttpRequest, user: User, data: dict[str, Any]) -> Any:
    """The person's own passkey that signed this challenge, else PasskeyError."""
    state = request.session.pop(_AUTH_STATE, None)
    request.session.save()  # a challenge is answered once
    if not state:
        raise PasskeyError(_NOT_VERIFIED, code="no_state")
    try:
        with transaction.atomic(), rewrite_exceptions(logger=logger):
            device = _helper(request).authenticate_complete(user=user, state=state, data=data)
    except (webauthn_exceptions.OTPWebAuthnApiError, ValueError, KeyError, TypeError) as exc:
        logger.info("passkey assertion refused: %s", exc)
        raise PasskeyError(_NOT_VERIFIED, status=403, code="not_verified") from exc
    if not device.confirmed or device.user_id != user.pk or not user.is_active:
        raise PasskeyError(_NOT_VERIFIED, status=403, code="not_verified")
    return device


def _failed(request: HttpRequest, user: User, action: AuditAction) -> None:
    audit_record(
        action=action, actor=user, centre=user.centre, request=request, details={"method": METHOD}
    )


def verify_for_login(*, request: HttpRequest, user: User, data: dict[str, Any]) -> Any:
    """The second factor at login: the session becomes verified (django-otp), gets a new key,
    and counts as a fresh code for step-up, exactly as a TOTP code does."""
    try:
        device = _verified_device(request, user, data)
    except PasskeyError:
        _failed(request, user, AuditAction.MFA_FAILED)
        raise
    with transaction.atomic():
        sessions.second_factor_passed(
            request, user=user, action=AuditAction.MFA_VERIFIED, device=device,
            object_type=OBJECT_TYPE, object_id=device.pk, details={"method": METHOD},
        )  # fmt: skip
    return device


def verify_for_step_up(*, request: HttpRequest, user: User, data: dict[str, Any]) -> Any:
    """A step-up with a passkey: the same freshness as a new code (VERN_STEP_UP_SECONDS)."""
    try:
        device = _verified_device(request, user, data)
    except PasskeyError:
        _failed(request, user, AuditAction.STEP_UP_FAILED)
        raise
    with transaction.atomic():
        sessions.second_factor_passed(
            request, user=user, action=AuditAction.STEP_UP,
            object_type=OBJECT_TYPE, object_id=device.pk, details={"method": METHOD},
        )  # fmt: skip
    return device


def own_passkey(user: User, pk: int) -> Any:
    """One of the person's own passkeys; WebAuthnCredential.DoesNotExist for anyone else's."""
    return passkeys_of(user).get(pk=pk)


@transaction.atomic
def remove(*, request: HttpRequest, user: User, pk: int) -> None:
    """Remove one of the person's own passkeys. A session that was verified with it is no
    longer verified (django-otp finds no device) and asks for a code again."""
    device = own_passkey(user, pk)
    device_pk = device.pk
    device.delete()
    audit_record(
        action=AuditAction.PASSKEY_REMOVED,
        actor=user,
        centre=user.centre,
        object_type=OBJECT_TYPE,
        object_id=device_pk,
        request=request,
    )
