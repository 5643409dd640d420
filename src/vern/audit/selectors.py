"""Reads of the audit log for the centre's leader (issue 6 point 4). Computed in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncHour

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.core import clock

# A staff member opening this many different cases within one clock hour is shown to the
# leader as unusual access (a "snooping" pattern); the leader judges whether it had a reason.
UNUSUAL_CASES_PER_HOUR = 15
REVIEW_DAYS = 14


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
