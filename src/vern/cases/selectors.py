"""Reads for cases, always scoped to the requesting user's centre (404 for anything else)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent, CaseStatus, ReassessmentTrigger, TriggerKind
from vern.core import clock

_Cases = TypeVar("_Cases", bound=QuerySet[Case])

FLAGS = ("due", "pending_consent", "open_deviation", "trigger")


def case_get(*, user: User, pk: int) -> Case:
    """The case with ``pk`` of the user's centre, else Http404 (never 403)."""
    return Case.objects.select_related("centre", "responsible").get_for_user_or_404(user, pk=pk)


def cases_responsible_for(user: User, cases: _Cases) -> _Cases:
    """``cases`` narrowed to those ``user`` is responsible for ("Mine saker", ``?mine=1``).

    The one definition behind the case list's filter and the home page's count; call it on
    any queryset of cases already scoped to the user's centre."""
    return cases.filter(responsible_id=user.pk)


def case_list(
    *, user: User, query: str = "", status: str = "", flag: str = "", mine: bool = False
) -> QuerySet[Case]:
    """The centre's cases with their flags annotated, filtered by reference, status, flag and
    (``mine``) the cases the user is responsible for."""
    from vern.assessments.models import Assessment
    from vern.police.models import Deviation

    today = clock.today()
    latest_assessment = Assessment.objects.filter(case=OuterRef("pk")).order_by(
        "-assessed_at", "-id"
    )
    cases = (
        Case.objects.for_user(user)
        .annotate(
            has_open_deviation=Exists(
                Deviation.objects.filter(case=OuterRef("pk"), closed_at__isnull=True)
            ),
            has_open_trigger=_open_trigger(),
            pending_consent=Exists(
                latest_assessment.filter(
                    next_step__in=["obtain_consent", "inform_about_public_prosecution"]
                )[:1].values("pk")
            ),
        )
        .select_related("responsible")
        .order_by("-opened_at", "-id")
    )
    if mine:
        cases = cases_responsible_for(user, cases)
    query = query.strip()
    if query:
        cases = cases.filter(reference__icontains=query)
    if status in {CaseStatus.OPEN, CaseStatus.CLOSED}:
        cases = cases.filter(status=status)
    if flag == "due":
        cases = cases.filter(status=CaseStatus.OPEN, next_reassessment_on__lte=today)
    elif flag == "pending_consent":
        cases = cases.filter(pending_consent=True)
    elif flag == "open_deviation":
        cases = cases.filter(has_open_deviation=True)
    elif flag == "trigger":
        cases = triggered_cases(cases)
    return cases


def _open_trigger() -> Exists:
    """The case has a reassessment trigger (a new event) no assessment has resolved yet (G8)."""
    return Exists(ReassessmentTrigger.objects.filter(case=OuterRef("pk"), resolved_by__isnull=True))


def triggered_cases(cases: _Cases) -> _Cases:
    """Open cases with an unresolved trigger: "Ny hendelse krever revurdering" (G8).

    The one definition behind the home card's count, the dashboard list and ``?flag=trigger``.
    A case without any trigger is not triggered (finding 6: a join on ``triggers`` with
    ``resolved_by__isnull`` also matched cases with no trigger at all)."""
    return cases.filter(status=CaseStatus.OPEN).filter(_open_trigger())


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")


def reassessment_dashboard(
    *, user: User
) -> dict[str, QuerySet[Case] | Sequence[Case] | Sequence[ComingUp] | int]:
    """Open cases due or overdue for reassessment, and cases with an event calling for one."""
    today = clock.today()
    open_cases = Case.objects.for_user(user).filter(status=CaseStatus.OPEN)
    return {
        "overdue": open_cases.filter(next_reassessment_on__lt=today).order_by(
            "next_reassessment_on"
        ),
        "due_today": open_cases.filter(next_reassessment_on=today),
        "never_assessed": open_cases.filter(next_reassessment_on__isnull=True),
        "triggered": triggered_cases(open_cases),
        "consent_expiring": consent_expiring(cases=open_cases),
        "coming_up": coming_up(cases=open_cases),
        "rules_changed": (
            rules_changed_triggers(user=user).values("case").distinct().count()
            if user.is_leader
            else 0
        ),
    }


CONSENT_EXPIRY_WINDOW = dt.timedelta(days=14)


def consent_expiring(*, cases: QuerySet[Case]) -> Sequence[Case]:
    """Open cases with a consent (not withdrawn) that expires within the next 14 days or has
    expired in the last 14: an event that calls for a new assessment now (G8, C1).

    Each case carries the soonest such consent's ``consent_last_day`` (the inclusive last
    day, as staff typed it, C1) and ``consent_expired`` (True when it has already ended)."""
    from vern.consent.models import Consent, last_day_of

    now = clock.now()
    expiring = Consent.objects.filter(
        case=OuterRef("pk"),
        withdrawn_at__isnull=True,
        expires_at__gte=now - CONSENT_EXPIRY_WINDOW,
        expires_at__lte=now + CONSENT_EXPIRY_WINDOW,
    )
    rows = list(
        cases.filter(Exists(expiring))
        .annotate(
            consent_expires_at=Subquery(expiring.order_by("expires_at").values("expires_at")[:1])
        )
        .order_by("reference")
    )
    for case in rows:
        expires_at = case.consent_expires_at
        case.consent_last_day = last_day_of(expires_at)  # type: ignore[attr-defined]
        case.consent_expired = expires_at is not None and expires_at <= now  # type: ignore[attr-defined]
    return rows


COMING_UP_DAYS = 7


@dataclass(frozen=True)
class ComingUp:
    """One thing due in the coming week: a case's next reassessment (G8) or the last day of a
    consent (C1). ``kind`` is ``"reassessment"`` or ``"consent_expiry"``."""

    on: dt.date
    kind: str
    case: Case


def coming_up(*, cases: QuerySet[Case], days: int = COMING_UP_DAYS) -> list[ComingUp]:
    """ "Kommer denne uken": in the ``days`` days after today (today itself is on the lists
    above it), the open cases' next reassessments and the last days of their consents that
    are not withdrawn, sorted by date (then reassessment before consent, then reference).

    A consent's last day is ``last_day_of(expires_at)`` (C1), the day staff typed."""
    from vern.consent.models import Consent, last_day_of

    today = clock.today()
    first, last = today + dt.timedelta(days=1), today + dt.timedelta(days=days)
    open_cases = cases.filter(status=CaseStatus.OPEN)
    rows = [
        ComingUp(on=case.next_reassessment_on, kind="reassessment", case=case)
        for case in open_cases.filter(next_reassessment_on__range=(first, last))
        if case.next_reassessment_on is not None
    ]
    # The exclusive end of the consent lies after the first day's midnight and at the latest
    # at the midnight after the last day (local time), so its last day is in the window.
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    consents = Consent.objects.filter(
        case__in=open_cases,
        withdrawn_at__isnull=True,
        expires_at__gt=start,
        expires_at__lte=end,
    ).select_related("case")
    for consent in consents:
        day = last_day_of(consent.expires_at)
        if day is not None:
            rows.append(ComingUp(on=day, kind="consent_expiry", case=consent.case))
    order = {"reassessment": 0, "consent_expiry": 1}
    rows.sort(key=lambda row: (row.on, order[row.kind], row.case.reference, row.case.pk))
    return rows


def home_counts(*, user: User) -> dict[str, int]:
    """Counts for the overview page, each one aggregate query."""
    from vern.police.models import Deviation

    today = clock.today()
    open_cases = Case.objects.for_user(user).filter(status=CaseStatus.OPEN)
    counts = open_cases.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(next_reassessment_on__lt=today)),
        due_today=Count("pk", filter=Q(next_reassessment_on=today)),
        never_assessed=Count("pk", filter=Q(next_reassessment_on__isnull=True)),
    )
    counts["triggered"] = triggered_cases(open_cases).count()
    counts["mine"] = cases_responsible_for(user, open_cases).count()
    counts["open_deviations"] = (
        Deviation.objects.for_user(user).filter(closed_at__isnull=True).count()
        if user.is_leader
        else 0
    )
    return counts


def rules_changed_triggers(*, user: User) -> QuerySet[ReassessmentTrigger]:
    """Open ``rules_changed`` triggers of the user's centre: open cases whose latest assessment
    gets another outcome under a new rulebook version and that no joint assessment has answered
    yet (issue 13 point 6). Newest first."""
    return (
        ReassessmentTrigger.objects.for_user(user)
        .filter(
            kind=TriggerKind.RULES_CHANGED,
            resolved_by__isnull=True,
            case__status=CaseStatus.OPEN,
        )
        .select_related("case")
        .order_by("-recorded_at", "-id")
    )
