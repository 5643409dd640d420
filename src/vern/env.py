"""Typed helpers that read Vern's configuration from environment variables.

Every secret can also be read from a file: ``VERN_SECRET_KEY_FILE=/run/secrets/key`` is used
when ``VERN_SECRET_KEY`` is unset (the pattern of Docker/systemd credentials).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message names the variable."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    msg = f"{name} must be a boolean (true/false), got {raw!r}"
    raise ConfigError(msg)


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        msg = f"{name} must be an integer, got {raw!r}"
        raise ConfigError(msg) from None
    if value < minimum:
        msg = f"{name} must be at least {minimum}, got {value}"
        raise ConfigError(msg)
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """Return the secret from ``NAME`` or from the file named by ``NAME_FILE``, else None."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            content = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            msg = f"{name}_FILE points to {path!r}, which cannot be read: {exc.strerror}"
            raise ConfigError(msg) from None
        if not content:
            msg = f"{name}_FILE points to {path!r}, which is empty"
            raise ConfigError(msg)
        return content
    return None


def parse_database_url(url: str) -> dict[str, object]:
    """Turn ``postgres://user:pass@host:port/name`` into a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        msg = f"DATABASE_URL scheme must be postgres:// or postgresql://, got {parts.scheme!r}"
        raise ConfigError(msg)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        msg = "DATABASE_URL has no database name (postgres://user@host:5432/NAME)"
        raise ConfigError(msg)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }
