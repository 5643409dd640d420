"""System checks for what ``check --deploy`` does not cover (run by ``vern check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
MAX_IDLE_MINUTES = 60
MAX_SESSION_HOURS = 12


@register(Tags.security)
def check_no_error_mail(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.ADMINS or settings.MANAGERS:
        problems.append(
            Error(
                "ADMINS and MANAGERS must be empty: Django e-mails them error reports with "
                "request data, and case data must never leave by e-mail.",
                hint="Use the server log and monitoring instead.",
                id="vern.E001",
            )
        )
    return problems


@register(Tags.security)
def check_password_hashers(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PASSWORD_HASHERS or settings.PASSWORD_HASHERS[0] != ARGON2:
        return [
            Error(
                "The first password hasher must be Argon2 (Argon2id).",
                hint=f"Put {ARGON2} first in PASSWORD_HASHERS.",
                id="vern.E002",
            )
        ]
    return []


@register(Tags.security)
def check_session_policy(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.VERN_SESSION_IDLE_MINUTES > MAX_IDLE_MINUTES:
        problems.append(
            CheckWarning(
                f"The idle session timeout is {settings.VERN_SESSION_IDLE_MINUTES} minutes; "
                f"more than {MAX_IDLE_MINUTES} leaves unattended screens open.",
                hint="Lower VERN_SESSION_IDLE_MINUTES (default 15).",
                id="vern.W001",
            )
        )
    if settings.SESSION_COOKIE_AGE > MAX_SESSION_HOURS * 3600:
        problems.append(
            CheckWarning(
                f"Sessions may last {settings.SESSION_COOKIE_AGE // 3600} hours; "
                f"more than {MAX_SESSION_HOURS} outlives a working shift.",
                hint="Lower VERN_SESSION_MAX_HOURS (default 10).",
                id="vern.W002",
            )
        )
    if not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        problems.append(
            CheckWarning(
                "Session cookies outlive the browser.",
                hint="Set SESSION_EXPIRE_AT_BROWSER_CLOSE = True.",
                id="vern.W003",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_production_cookies(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.PRODUCTION and not (
        settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    ):
        problems.append(Error("Session and CSRF cookies must be HttpOnly.", id="vern.E003"))
    if settings.PRODUCTION and settings.SESSION_COOKIE_SAMESITE not in {"Strict", "Lax"}:
        problems.append(Error("The session cookie must be SameSite.", id="vern.E004"))
    return problems


@register()
def check_rulebook(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A broken rulebook (unknown reference, missing source, missing language…) fails
    ``vern check`` instead of the first assessment."""
    from vern.rules import check_rulebook as problems_of_rulebook

    return [
        Error(f"Rulebook: {problem}", hint="See docs/rulebook.md.", id="vern.E010")
        for problem in problems_of_rulebook()
    ]
