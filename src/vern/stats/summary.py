"""The statistics summary kept exact in the transaction of every write (ADR 0019).

Each counted source row has its *contributions*: a set of (local day, metric) pairs, computed
here from the row alone (each ``Source`` of ``SOURCES``), plus the case's time to police
(``ttp``: from its first assessment and first done contact). On every write of such a row:

1. the audit chain's lock is taken (PostgreSQL advisory lock; SQLite's write lock is already
   held): summary writers are serialised, so neither a deadlock on ``StatDay`` rows nor a race
   on a case's ``ttp`` contribution is possible;
2. the row's new contributions are computed (from the saved instance, or read back for a
   queryset ``update``), its old ones read from ``StatContribution``;
3. when they differ, the old are deleted, the new inserted and the difference added to
   ``StatDay`` with one upsert (``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n``).

The hooks (``connect``, called from ``StatsConfig.ready``) are Django's ``post_save`` and
``post_delete`` (every ``save()``/``create()``/``delete()``, cascades included) and
``TenantQuerySet``'s ``rows_updated``/``rows_created`` (queryset ``update`` and
``bulk_create``, which send no Django signal). ``vern purge`` deletes with plain SQL and calls
``forget_case``. ``rebuild`` recomputes everything from the rows; ``vern stats verify`` compares
the summary with the full computation (``vern.stats.selectors.statistics_from_rows``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Min, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from vern.assessments.models import Assessment
from vern.audit.services import ADVISORY_LOCK_KEY
from vern.cases.models import Case
from vern.centres.tenancy import rows_created, rows_updated, system_scope, watch_updates
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.consent.models import Consent, ConsentRefusal
from vern.police.models import ContactStatus, Deviation, PoliceContact
from vern.relocation.models import Relocation
from vern.stats.models import StatContribution, StatDay, SummaryState
from vern.stats.period import OSLO

# Longer times are counted as "more than a year" (the histogram stays bounded).
DAYS_CAP = 366
_ONE_DAY = dt.timedelta(days=1)

Pair = tuple[dt.date, str]  # (local day, metric)
Key = tuple[str, int]  # (source, source id)


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(OSLO).date()


def _case_opened(row: Mapping[str, Any]) -> set[Pair]:
    return {(_day(row["opened_at"]), "case:opened")}


def _assessment(row: Mapping[str, Any]) -> set[Pair]:
    if row["cause"] != "":  # a re-derivation, not a joint assessment
        return set()
    day = _day(row["assessed_at"])
    pairs = {(day, f"outcome:{row['police_involvement']}"), (day, f"step:{row['next_step']}")}
    if row["supersedes_id"] is not None:
        # G8: late when the assessment's local (Oslo) date is after the superseded one's date.
        late = day > row["supersedes__next_reassessment_on"]
        pairs.add((day, "reassessed:late" if late else "reassessed:on_time"))
    return pairs


def _consent(row: Mapping[str, Any]) -> set[Pair]:
    pairs = set()
    if row["given_at"] is not None:
        pairs.add((_day(row["given_at"]), f"consent:given:{row['form']}"))
    if row["withdrawn_at"] is not None:
        pairs.add((_day(row["withdrawn_at"]), f"consent:withdrawn:{row['form']}"))
    return pairs


def _refusal(row: Mapping[str, Any]) -> set[Pair]:
    return {(_day(row["refused_at"]), "refusal")}


def _contact(row: Mapping[str, Any]) -> set[Pair]:
    if row["status"] != ContactStatus.DONE:
        return set()
    return {(_day(row["contact_at"]), f"contact:{row['legal_ground']}")}


def _deviation(row: Mapping[str, Any]) -> set[Pair]:
    pairs = {(_day(row["opened_at"]), "deviation:opened")}
    if row["closed_at"] is not None:
        pairs.add((_day(row["closed_at"]), "deviation:closed"))
    return pairs


def _relocation(row: Mapping[str, Any]) -> set[Pair]:
    pairs = {(_day(row["created_at"]), "relocation:planned")}
    if row["completed_at"] is not None:
        pairs.add((_day(row["completed_at"]), "relocation:completed"))
    return pairs


def _concern(row: Mapping[str, Any]) -> set[Pair]:
    return {(_day(row["recorded_at"]), "concern:recorded")}


def _notification(row: Mapping[str, Any]) -> set[Pair]:
    return {(row["sent_on"], "notification:sent")}


def time_to_police_pairs(first_a: dt.datetime | None, first_c: dt.datetime | None) -> set[Pair]:
    """A case's time to police: whole days from its first assessment to its first done
    contact (capped), on the day of that contact; nothing without both or when the contact
    came first."""
    if first_a is None or first_c is None or first_a > first_c:
        return set()
    days = min((first_c - first_a) // _ONE_DAY, DAYS_CAP)
    return {(_day(first_c), f"ttp:{days}")}


@dataclass(frozen=True)
class Source:
    name: str
    model: type[models.Model]
    fields: tuple[str, ...]  # read back for an update and by rebuild
    contributions: Callable[[Mapping[str, Any]], set[Pair]]
    case_field: str = "case_id"


SOURCES: tuple[Source, ...] = (
    Source("case", Case, ("opened_at",), _case_opened, case_field="pk"),
    Source(
        "assessment",
        Assessment,
        (
            "cause",
            "assessed_at",
            "police_involvement",
            "next_step",
            "supersedes_id",
            "supersedes__next_reassessment_on",
        ),
        _assessment,
    ),
    Source("consent", Consent, ("given_at", "withdrawn_at", "form"), _consent),
    Source("refusal", ConsentRefusal, ("refused_at",), _refusal),
    Source("contact", PoliceContact, ("status", "contact_at", "legal_ground"), _contact),
    Source("deviation", Deviation, ("opened_at", "closed_at"), _deviation),
    Source("relocation", Relocation, ("created_at", "completed_at"), _relocation),
    Source("concern", ChildWelfareConcern, ("recorded_at",), _concern),
    Source("notification", ChildWelfareNotification, ("sent_on",), _notification),
)
BY_MODEL: dict[type[models.Model], Source] = {s.model: s for s in SOURCES}
TTP = "ttp"
# The time to police of a case changes with its assessments and its police contacts.
_TTP_MODELS = (Assessment, PoliceContact)


@dataclass(frozen=True)
class Change:
    """The contributions a source row has now (empty: deleted, or counts nothing)."""

    key: Key
    centre_id: int
    case_id: int
    pairs: frozenset[Pair]


def _lock() -> None:
    """The audit chain's lock (vern.audit.services._lock_chain): every writer of the summary
    takes it before reading the summary, and holds it until its transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _from_instance(source: Source, obj: models.Model) -> Change:
    row: dict[str, Any] = {}
    for name in source.fields:
        if name == "supersedes__next_reassessment_on":
            superseded = getattr(obj, "supersedes", None)
            row[name] = superseded.next_reassessment_on if superseded is not None else None
            continue
        value = getattr(obj, name)
        if isinstance(value, str):  # a date or time assigned as text, as Django accepts
            field = obj._meta.get_field(name)
            value = field.to_python(value) if isinstance(field, models.Field) else value
        row[name] = value
    case_id = obj.pk if source.case_field == "pk" else getattr(obj, source.case_field)
    pairs = source.contributions(row) if obj.pk is not None else set()
    return Change((source.name, obj.pk), obj.centre_id, case_id, frozenset(pairs))  # type: ignore[attr-defined]


def _from_rows(source: Source, pks: Iterable[int]) -> list[Change]:
    """Read back (after an update): present rows with their contributions, absent ones empty."""
    wanted = set(pks)
    rows = source.model._base_manager.filter(pk__in=wanted).values(
        "pk", "centre_id", source.case_field, *source.fields
    )
    changes = []
    for row in rows:
        case_id = row["pk"] if source.case_field == "pk" else row[source.case_field]
        changes.append(
            Change(
                (source.name, row["pk"]),
                row["centre_id"],
                case_id,
                frozenset(source.contributions(row)),
            )
        )
        wanted.discard(row["pk"])
    changes.extend(Change((source.name, pk), 0, 0, frozenset()) for pk in wanted)
    return changes


def _ttp_changes(case_ids: Iterable[int]) -> list[Change]:
    wanted = set(case_ids)
    if not wanted:
        return []
    first_a = (
        Assessment.objects.filter(case=OuterRef("pk"))
        .order_by("assessed_at")
        .values("assessed_at")[:1]
    )
    first_c = (
        PoliceContact.objects.filter(case=OuterRef("pk"), status=ContactStatus.DONE)
        .order_by("contact_at")
        .values("contact_at")[:1]
    )
    rows = (
        Case._base_manager.filter(pk__in=wanted)
        .annotate(first_a=Subquery(first_a), first_c=Subquery(first_c))
        .values("pk", "centre_id", "first_a", "first_c")
    )
    changes = []
    for row in rows:
        pairs = time_to_police_pairs(row["first_a"], row["first_c"])
        changes.append(Change((TTP, row["pk"]), row["centre_id"], row["pk"], frozenset(pairs)))
        wanted.discard(row["pk"])
    changes.extend(Change((TTP, pk), 0, pk, frozenset()) for pk in wanted)
    return changes


def _key_filter(keys: Iterable[Key]) -> models.Q:
    by_source: dict[str, list[int]] = {}
    for source, source_id in keys:
        by_source.setdefault(source, []).append(source_id)
    condition = models.Q(pk__in=[])
    for source, ids in sorted(by_source.items()):
        condition |= models.Q(source=source, source_id__in=ids)
    return condition


def _apply(changes: list[Change]) -> None:
    """Store the rows' contributions and add the difference to StatDay (lock already held)."""
    # One change per row: an assessment can be both updated and the successor of one updated.
    changes = list({change.key: change for change in changes}.values())
    if not changes:
        return
    old: dict[Key, set[tuple[int, dt.date, str]]] = {}
    for c in StatContribution.objects.filter(_key_filter(ch.key for ch in changes)).values(
        "source", "source_id", "centre_id", "day", "metric"
    ):
        old.setdefault((c["source"], c["source_id"]), set()).add(
            (c["centre_id"], c["day"], c["metric"])
        )
    delta: Counter[tuple[int, dt.date, str]] = Counter()
    stale: list[Key] = []
    fresh: list[StatContribution] = []
    for change in changes:
        before = old.get(change.key, set())
        after = {(change.centre_id, day, metric) for day, metric in change.pairs}
        if before == after:
            continue
        if before:
            stale.append(change.key)
        for triple in before:
            delta[triple] -= 1
        for centre_id, day, metric in sorted(after):
            delta[centre_id, day, metric] += 1
            fresh.append(
                StatContribution(
                    centre_id=centre_id,
                    case_id=change.case_id,
                    source=change.key[0],
                    source_id=change.key[1],
                    day=day,
                    metric=metric,
                )
            )
    if stale:
        StatContribution.objects.filter(_key_filter(stale)).delete()
    if fresh:
        StatContribution.objects.bulk_create(fresh)
    _add(delta)


def _add(delta: Counter[tuple[int, dt.date, str]]) -> None:
    """Add the non-zero differences to StatDay in one upsert; drop the rows that reach 0."""
    items = sorted((key, n) for key, n in delta.items() if n)
    if not items:
        return
    table = connection.ops.quote_name(StatDay._meta.db_table)
    for start in range(0, len(items), 500):
        batch = items[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
        params: list[Any] = []
        for (centre_id, day, metric), n in batch:
            params += [centre_id, connection.ops.adapt_datefield_value(day), metric, n]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (centre_id, day, metric, n) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (centre_id, day, metric) DO UPDATE SET n = {table}.n + excluded.n",
                params,
            )
    if any(n < 0 for _key, n in items):
        StatDay.objects.filter(
            n=0,
            centre_id__in={key[0] for key, n in items if n < 0},
            day__in={key[1] for key, n in items if n < 0},
        ).delete()


def _refresh(source: Source, changes: list[Change], *, superseding_of: Iterable[int] = ()) -> None:
    """Apply one write's changes, with the time to police of the touched cases (and, for an
    assessment that changed, the assessments that supersede it: their lateness reads its
    date)."""
    if source.model in _TTP_MODELS:
        changes = changes + _ttp_changes({c.case_id for c in changes if c.case_id})
    ids = list(superseding_of)
    if ids:
        superseding = Assessment._base_manager.filter(supersedes_id__in=ids).values_list(
            "pk", flat=True
        )
        changes = changes + _from_rows(BY_MODEL[Assessment], list(superseding))
    _apply(changes)


def _counted_fields(source: Source) -> frozenset[str]:
    """The fields a ``save(update_fields=…)`` or a queryset ``update`` must set to change the
    row's contributions (names and attnames)."""
    names = {name.split("__")[0] for name in source.fields}
    if source.model is Assessment:
        names.add("next_reassessment_on")  # its successors' lateness reads the date
    names |= {"centre"} if source.case_field == "pk" else {"centre", "case"}
    return frozenset(names | {f"{n}_id" for n in names} | {n.removesuffix("_id") for n in names})


def _on_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **_: Any,
) -> None:
    source = BY_MODEL[sender]
    if update_fields is not None and not update_fields & _COUNTED[sender]:
        return  # nothing counted changed (a case's status, a contact's review …)
    with transaction.atomic(savepoint=False):
        _lock()
        change = _from_instance(source, instance)
        # A new assessment is superseded by nothing yet.
        again = [instance.pk] if sender is Assessment and not created else []
        _refresh(source, [change], superseding_of=again)


def _on_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    source = BY_MODEL[sender]
    with transaction.atomic(savepoint=False):
        _lock()
        case_id = instance.pk if source.case_field == "pk" else getattr(instance, source.case_field)
        change = Change((source.name, instance.pk), instance.centre_id, case_id, frozenset())  # type: ignore[attr-defined]
        _refresh(source, [change])


def _on_update(sender: type[models.Model], pks: list[int], **_: Any) -> None:
    source = BY_MODEL[sender]
    with transaction.atomic(savepoint=False):
        _lock()
        changes = _from_rows(source, pks)
        again = pks if sender is Assessment else []
        _refresh(source, changes, superseding_of=again)


def _on_bulk_create(sender: type[models.Model], objs: list[models.Model], **_: Any) -> None:
    source = BY_MODEL[sender]
    with transaction.atomic(savepoint=False):
        _lock()
        _refresh(source, [_from_instance(source, obj) for obj in objs])


_COUNTED: dict[type[models.Model], frozenset[str]] = {}


def connect() -> None:
    for source in SOURCES:
        _COUNTED[source.model] = _counted_fields(source)
        watch_updates(source.model, _COUNTED[source.model])
        uid = f"vern.stats.summary.{source.name}"
        post_save.connect(_on_save, sender=source.model, dispatch_uid=uid, weak=False)
        post_delete.connect(_on_delete, sender=source.model, dispatch_uid=uid, weak=False)
        rows_updated.connect(_on_update, sender=source.model, dispatch_uid=uid, weak=False)
        rows_created.connect(_on_bulk_create, sender=source.model, dispatch_uid=uid, weak=False)


def forget_case(case_id: int) -> None:
    """Subtract every contribution of a case whose rows were deleted with plain SQL (``vern
    purge``), in the purge's transaction."""
    _lock()
    rows = StatContribution.objects.filter(case_id=case_id)
    delta: Counter[tuple[int, dt.date, str]] = Counter()
    for centre_id, day, metric in rows.values_list("centre_id", "day", "metric"):
        delta[centre_id, day, metric] -= 1
    rows.delete()
    _add(delta)


# ---------------------------------------------------------------------------------------------
# Rebuild


def _all_contributions() -> Iterator[StatContribution]:
    for source in SOURCES:
        rows = source.model._base_manager.values(
            "pk", "centre_id", source.case_field, *source.fields
        ).order_by()
        for row in rows.iterator(chunk_size=5000):
            case_id = row["pk"] if source.case_field == "pk" else row[source.case_field]
            for day, metric in sorted(source.contributions(row)):
                yield StatContribution(
                    centre_id=row["centre_id"],
                    case_id=case_id,
                    source=source.name,
                    source_id=row["pk"],
                    day=day,
                    metric=metric,
                )
    firsts: dict[int, list[Any]] = {}
    for case_id, centre_id, first in (
        Assessment._base_manager.values("case_id")
        .annotate(first=Min("assessed_at"))
        .values_list("case_id", "centre_id", "first")
        .order_by()
    ):
        firsts[case_id] = [centre_id, first, None]
    for case_id, first in (
        PoliceContact._base_manager.filter(status=ContactStatus.DONE)
        .values("case_id")
        .annotate(first=Min("contact_at"))
        .values_list("case_id", "first")
        .order_by()
    ):
        if case_id in firsts:
            firsts[case_id][2] = first
    for case_id, (centre_id, first_a, first_c) in sorted(firsts.items()):
        for day, metric in time_to_police_pairs(first_a, first_c):
            yield StatContribution(
                centre_id=centre_id,
                case_id=case_id,
                source=TTP,
                source_id=case_id,
                day=day,
                metric=metric,
            )


@dataclass(frozen=True)
class RebuildReport:
    contributions: int
    days: int
    seconds: float


def rebuild() -> RebuildReport:
    """Recompute the whole summary from the rows, in one transaction (system scope)."""
    started = time.perf_counter()
    with system_scope(), transaction.atomic():
        _lock()
        StatContribution.objects.all().delete()
        StatDay.objects.all().delete()
        sums: Counter[tuple[int, dt.date, str]] = Counter()
        batch: list[StatContribution] = []
        count = 0
        for contribution in _all_contributions():
            sums[contribution.centre_id, contribution.day, contribution.metric] += 1
            batch.append(contribution)
            if len(batch) >= 5000:
                StatContribution.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        StatContribution.objects.bulk_create(batch)
        count += len(batch)
        StatDay.objects.bulk_create(
            [
                StatDay(centre_id=centre_id, day=day, metric=metric, n=n)
                for (centre_id, day, metric), n in sorted(sums.items())
            ],
            batch_size=5000,
        )
        SummaryState.objects.update_or_create(pk=1, defaults={"built_at": timezone.now()})
    return RebuildReport(contributions=count, days=len(sums), seconds=time.perf_counter() - started)
