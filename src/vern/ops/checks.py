"""System checks for operations: a production deployment must be able to make backups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

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
