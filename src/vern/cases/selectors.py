"""Reads for cases, always scoped to the requesting user's centre (404 for anything else).

The case list, its tags, the home counts and the reassessment dashboard are the desk's
(``vern.desk.selectors``, from the one case state ``vern.desk.state``)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Exists, OuterRef, QuerySet

from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent, CaseStatus, ReassessmentTrigger, TriggerKind

_Cases = TypeVar("_Cases", bound=QuerySet[Case])


def case_get(*, user: User, pk: int) -> Case:
    """The case with ``pk`` of the user's centre, else Http404 (never 403)."""
    return Case.objects.select_related("centre", "responsible").get_for_user_or_404(user, pk=pk)


def cases_responsible_for(user: User, cases: _Cases) -> _Cases:
    """``cases`` narrowed to those ``user`` is responsible for ("Mine saker", ``?mine=1``).

    The one definition behind the case list's filter and the home page's count; call it on
    any queryset of cases already scoped to the user's centre."""
    return cases.filter(responsible_id=user.pk)


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
