"""Session policy: idle and absolute timeouts, tracking, ending every session of an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django_otp import login as otp_login

from vern.accounts.models import User, UserSession
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.core import clock

LOGIN_AT = "vern_login_at"
LAST_SEEN = "vern_last_seen"
STEP_UP_AT = "vern_step_up_at"


def session_started(*, request: HttpRequest, user: User) -> None:
    """Called right after login (the session key has been rotated by ``login()``)."""
    stamp = clock.now().timestamp()
    request.session[LOGIN_AT] = stamp
    request.session[LAST_SEEN] = stamp
    request.session.save()
    key = request.session.session_key
    if key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user": user})


def session_expired(request: HttpRequest) -> bool:
    """True when the session has been idle too long or has reached its absolute age."""
    now = clock.now().timestamp()
    login_at = request.session.get(LOGIN_AT)
    last_seen = request.session.get(LAST_SEEN)
    if login_at is None or last_seen is None:
        return True
    if now - float(last_seen) > settings.VERN_SESSION_IDLE_MINUTES * 60:
        return True
    return now - float(login_at) > settings.VERN_SESSION_MAX_HOURS * 3600


def touch(request: HttpRequest) -> None:
    request.session[LAST_SEEN] = clock.now().timestamp()


def end_all_sessions(user: User) -> int:
    """Delete every server session of ``user``; returns how many were ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def step_up_fresh(request: HttpRequest, *, within: int | None = None) -> bool:
    """True when the last one-time code was entered at most ``within`` seconds ago
    (default VERN_STEP_UP_SECONDS)."""
    stamp = request.session.get(STEP_UP_AT)
    if stamp is None:
        return False
    limit = settings.VERN_STEP_UP_SECONDS if within is None else within
    return clock.now().timestamp() - float(stamp) <= limit


def mark_step_up(request: HttpRequest) -> None:
    request.session[STEP_UP_AT] = clock.now().timestamp()


def cycle_key(request: HttpRequest) -> None:
    """Give the session a new key at a privilege step (MFA completed, step-up), keeping its
    data: a key seen before the step (a fixated or leaked cookie) is worth nothing after it.
    The account's session list follows the new key, so deactivation still ends it."""
    old = request.session.session_key
    request.session.cycle_key()
    new = request.session.session_key
    if old and new and old != new:
        UserSession.objects.filter(session_key=old).update(session_key=new)


def second_factor_passed(
    request: HttpRequest,
    *,
    user: User,
    action: AuditAction,
    device: Any = None,
    object_type: str = "",
    object_id: str | int | None = None,
    details: dict[str, object] | None = None,
) -> None:
    """A second factor was accepted, at login or for a step-up (a code, a passkey, the
    municipality's login). With ``device`` the session becomes verified (django-otp's login
    with that device); then it gets a new key and the step-up time (it counts as a fresh
    code), and the audit event ``action`` is written in the caller's transaction."""
    if device is not None:
        otp_login(request, device)
    cycle_key(request)
    mark_step_up(request)
    audit_record(
        action=action,
        actor=user,
        centre=user.centre,
        object_type=object_type,
        object_id=object_id,
        request=request,
        details=details,
    )
