"""Reads for cases, always scoped to the requesting user's centre (404 for anything else)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent, CaseStatus, ReassessmentTrigger, TriggerKind
from vern.core import clock

_Cases = TypeVar("_Cases", bound=QuerySet[Case])

FLAGS = ("due", "pending_consent", "open_deviation", "trigger")


def case_get(*, user: User, pk: int) -> Case:
    """The case with ``pk`` of the user's centre, else Http404 (never 403)."""
    return Case.objects.select_related("centre").get_for_user_or_404(user, pk=pk)


def case_list(*, user: User, query: str = "", status: str = "", flag: str = "") -> QuerySet[Case]:
    """The centre's cases with their flags annotated, filtered by reference, status and flag."""
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
        .order_by("-opened_at", "-id")
    )
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


def reassessment_dashboard(*, user: User) -> dict[str, QuerySet[Case] | Sequence[Case] | int]:
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
