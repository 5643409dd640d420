"""Retention: ``vern purge`` deletes closed cases whose retention period has run out.

A case is expired when it is closed and ``closed_at`` is at least ``VERN_RETENTION_DAYS``
days ago (0 = never purge). Purging a case deletes, in one transaction per case:

- the case and every row that belongs to it, found by following every foreign key that
  points at the case or at one of its rows, recursively (children, timeline, triggers,
  mappings, assessments, information, consents, refusals, signed files, police contacts,
  deviations, relocations, and whatever a later model hangs off them);
  the bytes of signed consent forms are such rows (``SignedConsentFileContent``, issue 20), so
  they go in the same transaction;
- then, after the commit, any file those rows still name on this node's disk (a signed
  consent form uploaded before issue 20 and not yet imported, and any FileField).

It writes one ``case_purged`` audit event per case (ids and counts only). The audit log itself
is kept: by construction it holds no case content, only codes and ids, and those ids point at
nothing once the case is gone.

Safety: every row found must belong to the case's centre and, where it has a ``case``
column, to the case itself, else nothing of that case is deleted. The database's own foreign
keys are checked at commit, so a row of an unknown table still pointing at a deleted row
makes the whole case's transaction fail rather than leave a dangling reference.
On SQLite the purge turns ``secure_delete`` on (deleted content is overwritten with zeros)
and checkpoints the write-ahead log afterwards, so the bytes leave the database files too.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from django.conf import settings
from django.db import IntegrityError, connection, models
from django.db.models import ForeignObjectRel

from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case, CaseStatus
from vern.centres.tenancy import system_scope
from vern.core import clock
from vern.stats import summary as stats_summary

CHUNK: Final = 500
# Columns that name a stored file relative to MEDIA_ROOT without being a FileField.
STORED_FILE_COLUMNS: Final = {"consent.signedconsentfile": "stored_name"}
# Of those, the ones whose bytes are rows of a related table (the reverse relation's name):
# deleted with the case's rows, they count as deleted files (issue 20).
STORED_IN_DATABASE: Final = {"consent.signedconsentfile": "stored_content"}


class PurgeError(Exception):
    """A case could not be purged safely; nothing of it was deleted."""


def retention_days() -> int:
    return int(getattr(settings, "VERN_RETENTION_DAYS", 0))


def cutoff(*, now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def expired_cases(*, now: dt.datetime, days: int) -> models.QuerySet[Case]:
    """Closed cases whose retention has run out, oldest first (call inside system_scope)."""
    return Case.objects.filter(
        status=CaseStatus.CLOSED,
        closed_at__isnull=False,
        closed_at__lte=cutoff(now=now, days=days),
    ).order_by("closed_at", "pk")


def _dependents(model: type[models.Model]) -> Iterable[tuple[type[models.Model], str]]:
    """(model, column) pairs whose foreign key points at ``model``, including the hidden ones
    (``related_name="+"``) and the through tables of many-to-many fields."""
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        assert isinstance(rel, ForeignObjectRel)  # noqa: S101
        related = rel.related_model
        assert isinstance(related, type)  # noqa: S101
        yield related, rel.field.attname


def case_models() -> list[type[models.Model]]:
    """Every model reachable from Case through foreign keys pointing at it, Case first."""
    seen: list[type[models.Model]] = [Case]
    queue: deque[type[models.Model]] = deque([Case])
    while queue:
        model = queue.popleft()
        for related, _column in _dependents(model):
            if related not in seen:
                seen.append(related)
                queue.append(related)
    return seen


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


@dataclass
class CasePlan:
    case_id: int
    centre_id: int
    closed_at: dt.datetime
    rows: dict[type[models.Model], set[int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # Of ``files``, those whose bytes are rows of the plan (deleted in its transaction).
    in_database: set[str] = field(default_factory=set)

    @property
    def row_count(self) -> int:
        return sum(len(ids) for ids in self.rows.values())

    def counts(self) -> dict[str, int]:
        return {_label(m): len(ids) for m, ids in self.rows.items() if ids}


def _chunks(values: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for value in sorted(values):
        batch.append(value)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def collect_rows(case_id: int) -> dict[type[models.Model], set[int]]:
    """Primary keys of every row that belongs to the case, by model, Case first (follows
    every foreign key pointing at the case or at one of its rows, to a fixed point)."""
    rows: dict[type[models.Model], set[int]] = {Case: {case_id}}
    queue: deque[tuple[type[models.Model], set[int]]] = deque([(Case, {case_id})])
    while queue:
        model, new_ids = queue.popleft()
        for related, column in _dependents(model):
            found: set[int] = set()
            for batch in _chunks(new_ids):
                found.update(
                    related._base_manager.filter(**{f"{column}__in": batch}).values_list(
                        "pk", flat=True
                    )
                )
            known = rows.setdefault(related, set())
            fresh = found - known
            if fresh:
                known |= fresh
                queue.append((related, fresh))
    return rows


def plan_case(case: Case) -> CasePlan:
    """Find every row and stored file that belongs to ``case`` (call inside system_scope)."""
    assert case.closed_at is not None  # noqa: S101
    plan = CasePlan(
        case_id=case.pk,
        centre_id=case.centre_id,
        closed_at=case.closed_at,
        rows=collect_rows(case.pk),
    )
    _check_ownership(plan)
    _collect_files(plan)
    return plan


def _check_ownership(plan: CasePlan) -> None:
    for model, ids in plan.rows.items():
        if not ids:
            continue
        names = {f.attname for f in model._meta.concrete_fields}
        for batch in _chunks(ids):
            rows = model._base_manager.filter(pk__in=batch)
            if "centre_id" in names and rows.exclude(centre_id=plan.centre_id).exists():
                msg = f"{_label(model)} rows of case {plan.case_id} belong to another centre"
                raise PurgeError(msg)
            if (
                model is not Case
                and "case_id" in names
                and rows.exclude(case_id=plan.case_id).exists()
            ):
                msg = (
                    f"{_label(model)} rows reached from case {plan.case_id} belong to another case"
                )
                raise PurgeError(msg)


def _collect_files(plan: CasePlan) -> None:
    for model, ids in plan.rows.items():
        columns = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        extra = STORED_FILE_COLUMNS.get(_label(model))
        if extra:
            columns.append(extra)
            relation = STORED_IN_DATABASE.get(_label(model))
            for batch in _chunks(ids) if relation else ():
                plan.in_database.update(
                    model._base_manager.filter(
                        pk__in=batch, **{f"{relation}__isnull": False}
                    ).values_list(extra, flat=True)
                )
        for column in columns:
            for batch in _chunks(ids):
                plan.files.extend(
                    name
                    for name in model._base_manager.filter(pk__in=batch).values_list(
                        column, flat=True
                    )
                    if name
                )


def _delete_rows(plan: CasePlan) -> None:
    """Plain DELETEs, children first. Foreign keys are deferred to the commit, where the
    database checks that nothing still points at a deleted row."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in reversed(list(plan.rows)):
            table = qn(model._meta.db_table)
            pk_field = model._meta.pk
            assert pk_field is not None  # noqa: S101
            pk = qn(str(pk_field.column))
            for batch in _chunks(plan.rows[model]):
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({marks})", batch)  # noqa: S608


def _file_path(name: str) -> Path | None:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    return path if root in path.parents else None


@dataclass
class PurgeReport:
    days: int
    cutoff: dt.datetime | None
    dry_run: bool
    plans: list[CasePlan] = field(default_factory=list)
    files_deleted: int = 0
    files_missing: int = 0
    errors: list[str] = field(default_factory=list)
    checkpoint_busy: bool = False

    @property
    def rows(self) -> int:
        return sum(p.row_count for p in self.plans)


def _delete_files(plan: CasePlan, report: PurgeReport) -> None:
    """After the case's commit: the files its rows named on this node's disk."""
    for name in plan.files:
        path = _file_path(name)
        on_disk = path is not None and path.exists()
        if on_disk and path is not None:
            path.unlink()
        if on_disk or name in plan.in_database:
            report.files_deleted += 1
        else:
            report.files_missing += 1


def _purge_one(case_id: int, *, now: dt.datetime, days: int) -> CasePlan:
    with system_scope():
        case = Case.objects.select_for_update().select_related("centre").get(pk=case_id)
        if case.closed_at is None or case.closed_at > cutoff(now=now, days=days):
            msg = f"case {case_id} is no longer expired"
            raise PurgeError(msg)
        plan = plan_case(case)
        _delete_rows(plan)
        # The plain DELETEs send no signal: the statistics summary forgets the case here.
        stats_summary.forget_case(case_id)
        audit_record(
            action=AuditAction.CASE_PURGED,
            centre=case.centre,
            object_type="case",
            object_id=case.pk,
            reason="retention_expired",
            details={
                "retention_days": days,
                "closed_days_ago": (now - plan.closed_at).days,
                "rows": plan.row_count,
                "files": len(plan.files),
            },
        )
    return plan


def purge_expired(
    *, now: dt.datetime | None = None, days: int | None = None, dry_run: bool = False
) -> PurgeReport:
    """Purge every expired case (each in its own transaction), across all centres."""
    now = now or clock.now()
    days = retention_days() if days is None else days
    report = PurgeReport(days=days, cutoff=None, dry_run=dry_run)
    if days <= 0:
        return report
    report.cutoff = cutoff(now=now, days=days)
    with system_scope():
        case_ids = list(expired_cases(now=now, days=days).values_list("pk", flat=True))
    if dry_run:
        with system_scope():
            for case in Case.objects.filter(pk__in=case_ids).order_by("closed_at", "pk"):
                try:
                    report.plans.append(plan_case(case))
                except PurgeError as exc:
                    report.errors.append(str(exc))
        return report

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    for case_id in case_ids:
        try:
            plan = _purge_one(case_id, now=now, days=days)
        except (PurgeError, Case.DoesNotExist) as exc:
            report.errors.append(str(exc))
            continue
        except IntegrityError as exc:
            # A row of a table the purge does not know still points into the case.
            report.errors.append(f"case {case_id}: kept, a reference would dangle ({exc})")
            continue
        report.plans.append(plan)
        _delete_files(plan, report)
    if connection.vendor == "sqlite" and report.plans and not connection.in_atomic_block:
        # Copy the zeroed pages into the database file and empty the write-ahead log, which
        # still holds the deleted rows' older page images.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            row = cursor.fetchone()
        report.checkpoint_busy = bool(row and row[0])
    return report


def vacuum() -> None:
    """Rewrite the tables so that no deleted row survives in free space (maintenance window:
    SQLite VACUUM locks the database; PostgreSQL VACUUM FULL locks each case table)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with connection.cursor() as cursor:
        for model in case_models():
            cursor.execute(f"VACUUM FULL {connection.ops.quote_name(model._meta.db_table)}")
