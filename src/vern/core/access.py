"""Deny by default: every view needs login and MFA unless it is marked here.

``AccessPolicyMiddleware`` (vern.accounts.middleware) reads the mark. The allowlist is
``PUBLIC`` (no login at all: login page, quick exit, health, language) and ``PASSWORD_ONLY``
(after the password, before MFA: the MFA pages and logout). A test lists every URL with its mark.
``PAIRED`` (the screens of "Assess together", issue 17) needs login and MFA like any view, or a
browser paired to the mode by a staff member's short code: ``vern.together.middleware`` then
sets ``PAIRED_STAFF_ATTRIBUTE`` on the request to the staff member who made the pairing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

AccessLevel = Literal["public", "password_only", "paired"]
ATTRIBUTE = "vern_access"
# The staff member of a paired second screen (a User), set by vern.together.middleware.
PAIRED_STAFF_ATTRIBUTE = "vern_paired_staff"

F = TypeVar("F", bound=Callable[..., object])


def _mark(level: AccessLevel) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        setattr(view, ATTRIBUTE, level)
        return view

    return decorator


public = _mark("public")
password_only = _mark("password_only")
paired = _mark("paired")


def access_level(view: object) -> AccessLevel | Literal["mfa"]:
    level = getattr(view, ATTRIBUTE, None)
    if level is None:
        # Class-based views: as_view() keeps the class on view_class.
        view_class = getattr(view, "view_class", None)
        level = getattr(view_class, ATTRIBUTE, None)
    if level in {"public", "password_only", "paired"}:
        return level  # type: ignore[no-any-return]
    return "mfa"
