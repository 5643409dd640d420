"""The logged-in staff member of a request, typed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vern.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """``request.user`` as a Vern ``User``; PermissionDenied for anonymous requests (the
    access middleware has already sent those to the login page)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def case_worker(request: HttpRequest) -> User:
    """The staff member of a request to case data: ansatt or leder of a centre.
    Administrators (and anyone without a centre) get PermissionDenied: they see no cases."""
    user = request_user(request)
    if not user.works_with_cases:
        raise PermissionDenied
    return user
