"""django-axes: the username a lockout is keyed on, bounded to the username column's length.

A login form posted with a 10,000-character username must get the ordinary answer, not a
database error from axes' access-attempt table (found by the bad-input fuzz test)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

USERNAME_MAX_LENGTH = 150


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return str(raw or "")[:USERNAME_MAX_LENGTH]
