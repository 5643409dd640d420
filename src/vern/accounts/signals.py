"""Connects Django's login signals to session tracking and the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from vern.accounts import sessions
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    sessions.session_started(request=request, user=user)
    via = getattr(request, "vern_login_via", None)  # set by OIDC sign-in (vern.accounts.oidc)
    audit_record(
        action=AuditAction.LOGIN,
        actor=user,
        centre=user.centre,
        request=request,
        details={"via": via} if via else None,
    )


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The username typed is not stored: it may be a mistyped password or a person's name.
    audit_record(action=AuditAction.LOGIN_FAILED, request=request)


@receiver(user_locked_out)
def on_lockout(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    audit_record(action=AuditAction.LOCKOUT, request=request)
