"""System check of the audit log: every stored action is one the code knows (``AuditAction``).

The column has no ``choices`` (a new action needs no migration), so this check is what stops an
action code from being renamed or removed while events with it are stored. It reads the
database, so Django runs it only when asked for database checks (``vern check --database
default``, which ``make test`` and the deploy notes run)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError

from vern.audit.actions import AuditAction
from vern.audit.checkpoints import all_checkpoints, checkpoint_path
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


def _writable_dir(path: Path) -> bool:
    """The directory exists and is writable, or could be created (nearest parent writable)."""
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return False
        probe = probe.parent
    return probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)


@register()
def check_checkpoint_dir(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The signed checkpoints of the chain head must be writable (docs/audit.md)."""
    path = Path(settings.VERN_AUDIT_CHECKPOINT_DIR)
    if _writable_dir(path):
        return []
    return [
        CheckWarning(
            f"The audit checkpoint directory {path} is not writable: checkpoints of the "
            "audit chain will not be written, and a deleted tail of the log will not be found.",
            hint="Set VERN_AUDIT_CHECKPOINT_DIR to a directory the server user can write "
            "(default VERN_DATA_DIR/audit-checkpoints).",
            id="audit.W001",
        )
    ]


@register(Tags.database)
def check_checkpoints_current(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Checkpoints fall behind when their writes fail (the events are still written)."""
    every = int(settings.VERN_AUDIT_CHECKPOINT_EVERY)
    if not kwargs.get("databases") or every <= 0:
        return []
    try:
        head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    except DatabaseError:
        return []
    try:
        found = all_checkpoints()
    except DatabaseError:
        return []
    last = found.last.seq if found.last is not None else 0
    problems: list[CheckMessage] = []
    if head - last >= every:
        problems.append(
            CheckWarning(
                f"The last signed audit checkpoint names event #{last}, but the log is at "
                f"#{head}: checkpoints are not being written (the database's table "
                f"audit_auditcheckpoint and {checkpoint_path()}).",
                hint="See the server log for the reason, fix it, and run "
                "`vern audit checkpoint` (docs/audit.md).",
                id="audit.W002",
            )
        )
    if found.problems:
        problems.append(
            CheckWarning(
                "Stored audit checkpoints are not validly signed: " + "; ".join(found.problems[:3]),
                hint="`vern audit verify` fails until this is explained (docs/audit.md).",
                id="audit.W003",
            )
        )
    return problems
