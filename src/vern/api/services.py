"""Creating, revoking and checking API tokens (issue 8).

Tokens are per staff member, shown once, stored as SHA-256, expiring (at most ``MAX_DAYS``)
and revocable. A token of a deactivated account, a revoked or an expired token authenticates
nobody. Creating and revoking are audited; checking a token records when it was last used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vern.accounts.models import Role, User
from vern.api.models import MAX_DAYS, PREFIX_LENGTH, ApiToken
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.core import clock

TOKEN_PREFIX = "vern_"  # noqa: S105 (a prefix, not a secret)
# Writing last_used_at on every request would serialise the API on one row; once a minute
# is precise enough for the owner's list.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MAX_NAME = 80


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def may_hold_tokens(user: User) -> bool:
    """Active staff with a role: ansatt/leder of a centre, or an administrator."""
    return bool(user.is_active) and (user.works_with_cases or user.role == Role.ADMINISTRATOR)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown once, never stored


@transaction.atomic
def api_token_create(*, acting_user: User, name: str, days: int) -> NewToken:
    """A new token for ``acting_user`` valid for ``days`` days (1 to MAX_DAYS)."""
    if not may_hold_tokens(acting_user):
        raise PermissionDenied
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Gi nøkkelen et navn, for eksempel systemet den skal brukes i.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Navnet kan ha høyst %(n)s tegn.") % {"n": MAX_NAME}
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        errors["days"] = _("Velg en gyldighet fra 1 til %(n)s dager.") % {"n": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=acting_user,
        name=name,
        prefix=raw[:PREFIX_LENGTH],
        token_hash=token_hash(raw),
        expires_at=clock.now() + dt.timedelta(days=days),
    )
    audit_record(
        action=AuditAction.API_TOKEN_CREATED,
        actor=acting_user,
        centre=acting_user.centre,
        object_type="api_token",
        object_id=token.pk,
        details={"days": days},
    )
    return NewToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, acting_user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once. Revoking twice is a no-op."""
    if token.user_id != acting_user.pk:
        raise PermissionDenied
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = clock.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditAction.API_TOKEN_REVOKED,
        actor=acting_user,
        centre=acting_user.centre,
        object_type="api_token",
        object_id=locked.pk,
    )
    return locked


# Why every token of an account was revoked at once (the audit event's reason code).
REVOKED_PASSWORD_RESET = "password_reset"  # noqa: S105 (a reason code, not a secret)
REVOKED_USER_DEACTIVATED = "user_deactivated"
REVOKE_ALL_REASONS = frozenset({REVOKED_PASSWORD_RESET, REVOKED_USER_DEACTIVATED})


@transaction.atomic
def api_tokens_revoke_all(*, user: User, acting_user: User | None, reason: str) -> int:
    """Revoke every token of ``user`` that is not yet revoked (a password reset, a
    deactivation: whoever held the account may have made a token). One ``api_token_revoked``
    event per token, with ``reason``; returns how many were revoked."""
    if reason not in REVOKE_ALL_REASONS:
        msg = f"unknown revocation reason {reason!r}"
        raise ValueError(msg)
    now = clock.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.API_TOKEN_REVOKED,
            actor=acting_user,
            centre=user.centre,
            object_type="api_token",
            object_id=token.pk,
            reason=reason,
            details={"owner_id": user.pk},
        )
    return len(tokens)


def api_token_authenticate(raw: str) -> User | None:
    """The owner of a usable token, else None (unknown, revoked, expired, inactive owner)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__centre")
        .filter(token_hash=token_hash(raw))
        .first()
    )
    now = clock.now()
    if token is None or not token.is_usable(now) or not may_hold_tokens(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(*, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens, else ApiToken.DoesNotExist (the view answers 404)."""
    return ApiToken.objects.get(user=user, pk=pk)
