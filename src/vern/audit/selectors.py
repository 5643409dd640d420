"""Reads of the audit log for the centre's leader (issue 6 point 4). Computed in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from django.apps import apps
from django.db.models import Count, Model, QuerySet
from django.db.models.functions import TruncHour
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.checkpoints import Checkpoint, all_checkpoints
from vern.audit.models import AuditEvent
from vern.core import clock

# A staff member opening this many different cases within one clock hour is shown to the
# leader as unusual access (a "snooping" pattern); the leader judges whether it had a reason.
UNUSUAL_CASES_PER_HOUR = 15
REVIEW_DAYS = 14
# This many refused lookups (another centre's id, or no such id) by one user within this many
# minutes is shown to the leader as a burst: someone probing ids (issue 15 point 7).
REFUSED_LOOKUP_BURST = 20
REFUSED_LOOKUP_MINUTES = 10
_MAX_REFUSED_ROWS = 100_000


@dataclass(frozen=True)
class UnusualAccess:
    actor: User
    hour: dt.datetime
    cases: int


def centre_events(
    *,
    leader: User,
    actor_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Events of the leader's centre, newest first; nothing for anyone but a leader."""
    if not leader.is_leader or leader.centre_id is None:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(centre_id=leader.centre_id).select_related("actor")
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events.order_by("-seq")


def unusual_access(
    *, leader: User, threshold: int = UNUSUAL_CASES_PER_HOUR, days: int = REVIEW_DAYS
) -> list[UnusualAccess]:
    """Hours in which one staff member viewed ``threshold`` or more different cases."""
    if not leader.is_leader or leader.centre_id is None:
        return []
    rows = (
        AuditEvent.objects.filter(
            centre_id=leader.centre_id,
            action=AuditAction.CASE_VIEWED,
            at__gte=clock.now() - dt.timedelta(days=days),
            actor__isnull=False,
        )
        .annotate(hour=TruncHour("at"))
        .values("actor_id", "hour")
        .annotate(cases=Count("object_id", distinct=True))
        .filter(cases__gte=threshold)
        .order_by("-hour")
    )
    found = list(rows)
    actors = User.objects.in_bulk([row["actor_id"] for row in found])
    return [
        UnusualAccess(actor=actors[row["actor_id"]], hour=row["hour"], cases=row["cases"])
        for row in found
        if row["actor_id"] in actors
    ]


@dataclass(frozen=True)
class RefusedLookupBurst:
    actor: User
    start: dt.datetime
    end: dt.datetime
    lookups: int


def refused_lookup_bursts(
    *,
    leader: User,
    threshold: int = REFUSED_LOOKUP_BURST,
    minutes: int = REFUSED_LOOKUP_MINUTES,
    days: int = REVIEW_DAYS,
) -> list[RefusedLookupBurst]:
    """Runs of refused lookups by one user of the centre in which some ``minutes``-long window
    holds ``threshold`` or more; each run from its first to its last refusal, newest first."""
    if not leader.is_leader or leader.centre_id is None:
        return []
    rows = (
        AuditEvent.objects.filter(
            centre_id=leader.centre_id,
            action=AuditAction.LOOKUP_REFUSED,
            at__gte=clock.now() - dt.timedelta(days=days),
            actor__isnull=False,
        )
        .order_by("actor_id", "at")
        .values_list("actor_id", "at")[:_MAX_REFUSED_ROWS]
    )
    by_actor: dict[int, list[dt.datetime]] = {}
    for actor_id, at in rows:
        by_actor.setdefault(actor_id, []).append(at)
    window = dt.timedelta(minutes=minutes)
    found: list[tuple[int, dt.datetime, dt.datetime, int]] = []
    for actor_id, times in by_actor.items():
        marked = [False] * len(times)
        start = 0
        for end, at in enumerate(times):
            while at - times[start] > window:
                start += 1
            if end - start + 1 >= threshold:
                for index in range(start, end + 1):
                    marked[index] = True
        run: list[dt.datetime] = []
        for index, at in enumerate(times):
            if marked[index] and run and at - run[-1] > window:
                found.append((actor_id, run[0], run[-1], len(run)))
                run = []
            if marked[index]:
                run.append(at)
        if run:
            found.append((actor_id, run[0], run[-1], len(run)))
    actors = User.objects.in_bulk([row[0] for row in found])
    return sorted(
        (
            RefusedLookupBurst(actor=actors[a], start=s, end=e, lookups=n)
            for a, s, e, n in found
            if a in actors
        ),
        key=lambda burst: burst.start,
        reverse=True,
    )


# The audit log's object codes (``AuditEvent.object_type``) as the leader reads them.
OBJECT_LABELS: Final[dict[str, Promise]] = {
    "case": _("Sak"),
    "assessment": _("Vurdering"),
    "risk_mapping": _("Kartlegging"),
    "consent": _("Samtykke"),
    "consent_refusal": _("Nei til samtykke"),
    "information_record": _("Informasjon til brukeren"),
    "signed_consent_file": _("Signert samtykkeskjema"),
    "police_contact": _("Politikontakt"),
    "deviation": _("Avvik"),
    "relocation": _("Flytting"),
    "child_welfare_concern": _("Bekymring for barn (barnevernet)"),
    "child_welfare_notification": _("Melding til barnevernet"),
    "case_child": _("Medfølgende barn"),
    "reassessment_trigger": _("Ny hendelse (ny vurdering)"),
    "case_list": _("Saksliste"),
    "centre": _("Krisesenter"),
    "centre_settings": _("Innstillinger for senteret"),
    "user": _("Brukerkonto"),
    "invitation": _("Invitasjon"),
    "api_token": _("API-nøkkel"),
    "statistics": _("Statistikk"),
    "rulebook": _("Regelboken"),
}

# Objects that belong to a case, and the path from the object to its case.
_CASE_PATHS: Final = {
    "case": ("cases", "Case", ""),
    "assessment": ("assessments", "Assessment", "case__"),
    "risk_mapping": ("assessments", "RiskMapping", "case__"),
    "consent": ("consent", "Consent", "case__"),
    "consent_refusal": ("consent", "ConsentRefusal", "case__"),
    "information_record": ("consent", "InformationRecord", "case__"),
    "signed_consent_file": ("consent", "SignedConsentFile", "consent__case__"),
    "police_contact": ("police", "PoliceContact", "case__"),
    "deviation": ("police", "Deviation", "case__"),
    "relocation": ("relocation", "Relocation", "case__"),
    "child_welfare_concern": ("childwelfare", "ChildWelfareConcern", "case__"),
    "child_welfare_notification": ("childwelfare", "ChildWelfareNotification", "case__"),
    "case_child": ("cases", "CaseChild", "case__"),
    "reassessment_trigger": ("cases", "ReassessmentTrigger", "case__"),
}


def object_type_of(model: type[Model]) -> str:
    """The object code of a model: the ``_CASE_PATHS`` entry naming it, else its model name."""
    meta = model._meta
    for object_type, (app_label, model_name, _path) in _CASE_PATHS.items():
        if meta.app_label == app_label and meta.object_name == model_name:
            return object_type
    return str(meta.model_name)[:40]


@dataclass(frozen=True)
class EventRow:
    """One line of the leader's audit log: the event, its object named in words, and the
    reference of the case it belongs to (None: not a case object, or no longer there)."""

    event: AuditEvent
    object_label: str
    case_pk: int | None
    case_reference: str | None


def object_label(object_type: str) -> str:
    """The object code in words; an unknown code is "other object", never the raw code."""
    if not object_type:
        return ""
    return str(OBJECT_LABELS.get(object_type, _("Annet objekt")))


def event_rows(*, leader: User, events: Iterable[AuditEvent]) -> list[EventRow]:
    """The events with object names and case references, looked up only among the leader's
    own centre's records (``for_user``): another centre's case is never named (issue 6 point 4).
    One query per object type on the page."""
    events = list(events)
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_type in _CASE_PATHS and event.object_id.isdigit():
            wanted.setdefault(event.object_type, set()).add(int(event.object_id))
    found: dict[tuple[str, str], tuple[int, str]] = {}
    if leader.is_leader and leader.centre_id is not None:
        for object_type, pks in wanted.items():
            app_label, model_name, path = _CASE_PATHS[object_type]
            model = apps.get_model(app_label, model_name)
            rows = (
                model.objects.for_user(leader)
                .filter(pk__in=pks, **{f"{path}centre_id": leader.centre_id})
                .values_list("pk", f"{path}pk", f"{path}reference")
            )
            for pk, case_pk, reference in rows:
                found[(object_type, str(pk))] = (case_pk, reference)
    result = []
    for event in events:
        case_pk, reference = found.get((event.object_type, event.object_id), (None, None))
        result.append(
            EventRow(
                event=event,
                object_label=object_label(event.object_type),
                case_pk=case_pk,
                case_reference=reference,
            )
        )
    return result


@dataclass(frozen=True)
class CheckpointStatus:
    """The last signed checkpoint of the audit log, as the leader sees it (issue 15 point 5).

    ``holds``: the event the checkpoint names is still in the log with the hash it had, and
    no checkpoint line is forged or edited; None when there is no checkpoint yet. The full
    walk of the chain is `vern audit verify` (operations, docs/audit.md)."""

    last: Checkpoint | None
    holds: bool | None
    events: int  # events in the log now

    @property
    def taken_at(self) -> dt.datetime | None:
        return self.last.taken_at if self.last is not None else None


def checkpoint_status(*, leader: User) -> CheckpointStatus | None:
    if not leader.is_leader or leader.centre_id is None:
        return None
    found = all_checkpoints()
    head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    last = found.last
    if last is None:
        return CheckpointStatus(last=None, holds=None if not found.problems else False, events=head)
    if last.seq == 0:
        holds = True
    else:
        stored = AuditEvent.objects.filter(seq=last.seq).values_list("hash", flat=True).first()
        holds = stored == last.hash
    return CheckpointStatus(last=last, holds=holds and not found.problems, events=head)
