"""System checks for what ``check --deploy`` does not cover (run by ``vern check``)."""

from __future__ import annotations

import hmac
import zlib
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning

from vern.rules import check_rulebook as problems_of_rulebook

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
    return [
        Error(f"Rulebook: {problem}", hint="See docs/rulebook.md.", id="vern.E010")
        for problem in problems_of_rulebook()
    ]


# --- Key strength (issue 15 point 4) -------------------------------------------------------
#: The secrets Vern reads from the environment (or NAME_FILE), by variable name.
SECRET_SETTINGS = {
    "VERN_SECRET_KEY": "SECRET_KEY",
    "VERN_AUDIT_KEY": "VERN_AUDIT_KEY",
    "VERN_OTP_KEY": "VERN_OTP_KEY",
    "VERN_BACKUP_KEY": "VERN_BACKUP_KEY",
}
#: 32 random bytes written as base64url (``secrets.token_urlsafe(32)``) are 43 characters.
MIN_KEY_CHARACTERS = 43
MIN_KEY_DISTINCT = 12
#: Random text barely compresses; a repeated pattern does (compressed / original length).
MIN_KEY_INCOMPRESSIBILITY = 0.8


def key_weakness(value: str) -> str | None:
    """Why ``value`` cannot be at least 32 random bytes, or None.

    A key is used as the UTF-8 bytes of its text, never decoded (base64url, hex or any other
    random text works the same). Randomness cannot be measured; what is refused is what
    certainly is not random: too short, too few different characters, a repeated pattern."""
    if len(value) < MIN_KEY_CHARACTERS:
        return (
            f"it is {len(value)} characters long; at least {MIN_KEY_CHARACTERS} are needed "
            "(32 random bytes in base64url, or 64 hex digits)"
        )
    if len(set(value)) < MIN_KEY_DISTINCT:
        return f"it uses only {len(set(value))} different characters"
    raw = value.encode("utf-8")
    if len(zlib.compress(raw, 9)) < MIN_KEY_INCOMPRESSIBILITY * len(raw):
        return "it repeats a pattern (it compresses well, so it is not random)"
    return None


@register(Tags.security, deploy=True)
def check_key_strength(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Every secret at least 32 random bytes, and no secret used twice (vern.E020, vern.E021)."""
    hint = (
        "Generate one per key: python3 -c 'import secrets; print(secrets.token_urlsafe(48))' "
        "(docs/operations.md, Keys)."
    )
    problems: list[CheckMessage] = []
    present: dict[str, str] = {}
    for variable, setting in SECRET_SETTINGS.items():
        value = getattr(settings, setting, None)
        if not value:
            continue  # missing secrets are refused at start (or, for backups, ops.W001)
        present[variable] = str(value)
        weakness = key_weakness(str(value))
        if weakness:
            problems.append(
                Error(
                    f"{variable} is too weak: {weakness}.",
                    hint=hint,
                    id="vern.E020",
                )
            )
    names = list(present)
    problems.extend(
        Error(
            f"{first} and {second} are the same secret: each key must be distinct, "
            "so one leaked key does not open the others.",
            hint=hint,
            id="vern.E021",
        )
        for i, first in enumerate(names)
        for second in names[i + 1 :]
        if hmac.compare_digest(present[first].encode(), present[second].encode())
    )
    return problems


# Backends that keep their state in one process or on one machine (issue 20).
_PER_NODE_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.dummy.DummyCache",
)
_PER_NODE_SESSIONS = (
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.file",
    "django.contrib.sessions.backends.signed_cookies",
)


@register(Tags.security)
def check_shared_state(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Sessions, lockouts and the cache must be in the database every app server shares
    (docs/operations.md, "Two or more nodes")."""
    problems: list[CheckMessage] = []
    hint = "Every app server must see the same state: see docs/operations.md (two or more nodes)."
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    if backend in _PER_NODE_CACHES:
        problems.append(
            Error(
                f"The cache backend {backend} keeps its state per node.", hint=hint, id="vern.E030"
            )
        )
    if settings.SESSION_ENGINE in _PER_NODE_SESSIONS:
        problems.append(
            Error(
                f"The session engine {settings.SESSION_ENGINE} is not shared by every node "
                "(or cannot be ended server-side).",
                hint=hint,
                id="vern.E031",
            )
        )
    axes_handler = str(getattr(settings, "AXES_HANDLER", ""))
    if axes_handler != "axes.handlers.database.AxesDatabaseHandler":
        problems.append(
            Error(
                f"django-axes must count failed logins in the database, not with {axes_handler!r}.",
                hint=hint,
                id="vern.E032",
            )
        )
    return problems
