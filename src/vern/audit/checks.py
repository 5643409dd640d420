"""System check of the audit log: every stored action is one the code knows (``AuditAction``).

The column has no ``choices`` (a new action needs no migration), so this check is what stops an
action code from being renamed or removed while events with it are stored. It reads the
database, so Django runs it only when asked for database checks (``vern check --database
default``, which ``make test`` and the deploy notes run)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError

from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent


@register(Tags.database)
def check_stored_actions_known(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not kwargs.get("databases"):
        return []
    try:
        stored = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    except DatabaseError:  # not migrated yet: nothing stored to check
        return []
    unknown = sorted(stored - set(AuditAction.values))
    return [
        Error(
            f"audit events are stored with action {code!r}, which AuditAction does not define",
            hint="Action codes are stored and hashed: never rename or remove one.",
            id="audit.E001",
        )
        for code in unknown
    ]
