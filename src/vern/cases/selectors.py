"""Reads for cases, always scoped to the requesting user's centre (404 for anything else)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent, CaseStatus, ReassessmentTrigger
from vern.core import clock

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
            has_open_trigger=Exists(
                ReassessmentTrigger.objects.filter(case=OuterRef("pk"), resolved_by__isnull=True)
            ),
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
        cases = cases.filter(has_open_trigger=True)
    return cases


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")


def reassessment_dashboard(*, user: User) -> dict[str, QuerySet[Case]]:
    """Open cases due or overdue for reassessment, and cases with an event calling for one."""
    today = clock.today()
    open_cases = Case.objects.for_user(user).filter(status=CaseStatus.OPEN)
    return {
        "overdue": open_cases.filter(next_reassessment_on__lt=today).order_by(
            "next_reassessment_on"
        ),
        "due_today": open_cases.filter(next_reassessment_on=today),
        "never_assessed": open_cases.filter(next_reassessment_on__isnull=True),
        "triggered": open_cases.filter(
            Q(triggers__resolved_by__isnull=True) & Q(triggers__isnull=False)
        ).distinct(),
        "consent_expiring": consent_expiring(cases=open_cases),
    }


CONSENT_EXPIRY_WINDOW = dt.timedelta(days=14)


def consent_expiring(*, cases: QuerySet[Case]) -> QuerySet[Case]:
    """Open cases with a consent (not withdrawn) that expires within the next 14 days or has
    expired in the last 14: an event that calls for a new assessment now (G8, C1)."""
    from vern.consent.models import Consent

    now = clock.now()
    expiring = Consent.objects.filter(
        case=OuterRef("pk"),
        withdrawn_at__isnull=True,
        expires_at__gte=now - CONSENT_EXPIRY_WINDOW,
        expires_at__lte=now + CONSENT_EXPIRY_WINDOW,
    )
    return cases.filter(Exists(expiring)).order_by("reference")


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
    counts["triggered"] = open_cases.filter(triggers__resolved_by__isnull=True).distinct().count()
    counts["open_deviations"] = (
        Deviation.objects.for_user(user).filter(closed_at__isnull=True).count()
        if user.is_leader
        else 0
    )
    return counts
