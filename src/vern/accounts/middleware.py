"""Session timeouts and the deny-by-default access policy (login + MFA everywhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vern.accounts import sessions
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.core.access import PAIRED_STAFF_ATTRIBUTE, access_level


class SessionPolicyMiddleware:
    """Logs out sessions that were idle for VERN_SESSION_IDLE_MINUTES or are older than
    VERN_SESSION_MAX_HOURS, and records activity on every other request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if sessions.session_expired(request):
                audit_record(
                    action=AuditAction.SESSION_EXPIRED,
                    actor=user,
                    centre=getattr(user, "centre", None),
                    request=request,
                )
                logout(request)
                messages.info(request, _("Økten din er utløpt. Logg inn på nytt."))
                return HttpResponseRedirect(reverse("accounts:login"))
            sessions.touch(request)
        return self.get_response(request)


class AccessPolicyMiddleware:
    """Every view needs a logged-in, MFA-verified user unless marked public/password_only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        level = access_level(view_func)
        if level == "public":
            return None
        if level == "paired" and getattr(request, PAIRED_STAFF_ATTRIBUTE, None) is not None:
            return None
        user = request.user
        if not user.is_authenticated:
            login_url = reverse("accounts:login")
            return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.path})}")
        if level == "password_only":
            return None
        if not user.is_verified():  # type: ignore[attr-defined]
            return HttpResponseRedirect(reverse("accounts:mfa"))
        return None
