"""Writes for accounts and centres. Each writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from vern.accounts import sessions
from vern.accounts.models import Invitation, Role, User
from vern.api import services as api_services
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.centres.models import Centre
from vern.core import clock

INVITATION_VALID_FOR = dt.timedelta(days=7)
# Neutral subject lines: an e-mail may be read by someone else (issue 4).
NEUTRAL_INVITATION_SUBJECT = "Invitasjon til ny brukerkonto"
NEUTRAL_RESET_SUBJECT = "Tilbakestilling av passord"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def can_manage(*, acting_user: User, target: User) -> bool:
    """Administrators manage leaders and administrators; leaders manage their centre's staff."""
    if acting_user.pk == target.pk:
        return False
    if acting_user.is_administrator:
        return target.role in {Role.LEDER, Role.ADMINISTRATOR}
    if acting_user.is_leader:
        return target.centre_id == acting_user.centre_id and target.role in {
            Role.ANSATT,
            Role.LEDER,
        }
    return False


@transaction.atomic
def centre_create(
    *, acting_user: User, name: str, municipality: str, police_district: str
) -> Centre:
    if not acting_user.is_administrator:
        raise PermissionDenied
    centre = Centre.objects.create(
        name=name, municipality=municipality, police_district=police_district
    )
    audit_record(
        action=AuditAction.CENTRE_CREATED,
        actor=acting_user,
        centre=centre,
        object_type="centre",
        object_id=centre.pk,
    )
    return centre


@transaction.atomic
def invitation_create(
    *,
    acting_user: User,
    email: str,
    username: str,
    full_name: str,
    role: str,
    centre: Centre | None,
    accept_url_base: str,
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link; returns it with the one-time link."""
    if acting_user.is_administrator:
        if role not in {Role.LEDER, Role.ADMINISTRATOR}:
            raise PermissionDenied
        if role == Role.LEDER and centre is None:
            raise ValidationError({"centre": _("En leder må høre til et krisesenter.")})
        if role == Role.ADMINISTRATOR:
            centre = None
    elif acting_user.is_leader:
        if role not in {Role.ANSATT, Role.LEDER}:
            raise PermissionDenied
        centre = acting_user.centre
    else:
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        username=username,
        full_name=full_name,
        role=role,
        centre=centre,
        token_hash=_hash_token(token),
        invited_by=acting_user,
        expires_at=clock.now() + INVITATION_VALID_FOR,
    )
    link = accept_url_base.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
    send_mail(
        NEUTRAL_INVITATION_SUBJECT,
        "Du er invitert til å opprette en brukerkonto.\n\n"
        f"Åpne lenken innen sju dager for å velge passord:\n{link}\n",
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    audit_record(
        action=AuditAction.USER_INVITED,
        actor=acting_user,
        centre=centre,
        object_type="invitation",
        object_id=invitation.pk,
        details={"role": role},
    )
    return invitation, link


def invitation_for_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.filter(token_hash=_hash_token(token)).first()
    if invitation is None or not invitation.is_open(clock.now()):
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open(clock.now()):
        raise ValidationError(_("Invitasjonen er brukt eller utløpt."))
    if User.objects.filter(username__iexact=invitation.username).exists():
        raise ValidationError(_("Brukernavnet er allerede i bruk."))
    user = User(
        username=invitation.username,
        email=invitation.email,
        full_name=invitation.full_name,
        role=invitation.role,
        centre=invitation.centre,
    )
    user.set_password(password)
    user.save()
    invitation.accepted_at = clock.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        action=AuditAction.INVITATION_ACCEPTED,
        actor=user,
        centre=user.centre,
        object_type="invitation",
        object_id=invitation.pk,
    )
    return user


@transaction.atomic
def user_deactivate(*, acting_user: User, user: User) -> int:
    """Deactivate an account, end all its sessions and revoke all its API tokens at once;
    returns sessions ended."""
    if not can_manage(acting_user=acting_user, target=user):
        raise PermissionDenied
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions.end_all_sessions(user)
    revoked = api_services.api_tokens_revoke_all(
        user=user, acting_user=acting_user, reason=api_services.REVOKED_USER_DEACTIVATED
    )
    audit_record(
        action=AuditAction.USER_DEACTIVATED,
        actor=acting_user,
        centre=user.centre,
        object_type="user",
        object_id=user.pk,
        details={"sessions_ended": ended, "api_tokens_revoked": revoked},
    )
    return ended


@transaction.atomic
def password_reset_completed(*, user: User, request: HttpRequest | None = None) -> int:
    """The user chose a new password through a reset link: every session that used the old
    one ends and every API token is revoked (whoever knew the old password may have made one);
    returns the tokens revoked."""
    ended = sessions.end_all_sessions(user)
    revoked = api_services.api_tokens_revoke_all(
        user=user, acting_user=user, reason=api_services.REVOKED_PASSWORD_RESET
    )
    audit_record(
        action=AuditAction.PASSWORD_RESET_DONE,
        actor=user,
        centre=user.centre,
        object_type="user",
        object_id=user.pk,
        request=request,
        details={"sessions_ended": ended, "api_tokens_revoked": revoked},
    )
    return revoked


def password_reset_link(user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", args=[uid, token])
    return base_url.rstrip("/") + path


@transaction.atomic
def password_reset_start(*, acting_user: User, user: User, request: HttpRequest) -> None:
    """An administrator or leader starts a reset: the user gets a link and chooses the
    password herself. Nobody sets another person's password; MFA still applies after it."""
    if not can_manage(acting_user=acting_user, target=user) or not user.is_active:
        raise PermissionDenied
    link = password_reset_link(user, request.build_absolute_uri("/"))
    send_mail(
        NEUTRAL_RESET_SUBJECT,
        f"Åpne lenken for å velge nytt passord:\n{link}\n\nLenken virker én gang og i en time.\n",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    audit_record(
        action=AuditAction.PASSWORD_RESET_REQUESTED,
        actor=acting_user,
        centre=user.centre,
        object_type="user",
        object_id=user.pk,
    )
