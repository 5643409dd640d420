"""System checks for operations: a production deployment must be able to make backups and
serve its static files (issue 15 point 8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from vern.ops.crypto import MIN_SECRET_LENGTH


@register(Tags.security, deploy=True)
def check_backup_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    key = getattr(settings, "VERN_BACKUP_KEY", None)
    if not key:
        return [
            CheckWarning(
                "VERN_BACKUP_KEY is not set: `vern backup` will refuse to run.",
                hint="Set VERN_BACKUP_KEY or VERN_BACKUP_KEY_FILE on the host that makes "
                "backups (docs/operations.md).",
                id="ops.W001",
            )
        ]
    if len(key) < MIN_SECRET_LENGTH:
        return [
            CheckWarning(
                f"VERN_BACKUP_KEY is shorter than {MIN_SECRET_LENGTH} characters: "
                "`vern backup` will refuse it.",
                hint="Use a random secret (secrets.token_urlsafe(48)).",
                id="ops.W002",
            )
        ]
    return []


def static_manifest_problem() -> str | None:
    """Why the hashed static files cannot be served, or None.

    In production static files are served from VERN_STATIC_ROOT through WhiteNoise's
    manifest storage: without ``staticfiles.json`` (``vern collectstatic`` never run, or run
    into another directory) every page that links a stylesheet fails with a 500."""
    storage: object = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return None  # development and tests: served by the finders, no manifest
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except OSError:
        return f"the static files manifest {manifest} does not exist"
    except ValueError:
        return f"the static files manifest {manifest} is not valid JSON"
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, dict) or not paths:
        return f"the static files manifest {manifest} lists no files"
    missing = sorted(
        name for name in paths.values() if not (Path(settings.STATIC_ROOT) / name).is_file()
    )
    if missing:
        return f"{len(missing)} files named in {manifest} are missing (e.g. {missing[0]})"
    return None


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problem = static_manifest_problem()
    if problem is None:
        return []
    return [
        Error(
            f"Static files are not collected: {problem}; every page would fail with a 500.",
            hint="Run `vern collectstatic --noinput` with the same VERN_STATIC_ROOT (or "
            "VERN_DATA_DIR) as the server, after every upgrade (docs/operations.md).",
            id="ops.E001",
        )
    ]


def require_static_manifest() -> None:
    """At start-up of the web server in production: refuse to serve without static files."""
    if not settings.PRODUCTION:
        return
    problem = static_manifest_problem()
    if problem is not None:
        msg = f"{problem}: run `vern collectstatic --noinput` before `vern serve`"
        raise ImproperlyConfigured(msg)
