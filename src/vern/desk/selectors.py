"""Reads of the desk: the case list with its tags, the home counts and the reassessment
dashboard, all from one derivation (``desk.state``), scoped to the user's centre."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from vern.accounts.models import User
from vern.cases.models import Case, CaseStatus
from vern.cases.selectors import cases_responsible_for, rules_changed_triggers, triggered_cases
from vern.consent.models import Consent, last_day_of
from vern.core import clock
from vern.desk import state as st
from vern.desk.state import CaseState, case_states
from vern.police.selectors import open_deviations

# The list's filters (``?flag=``): each is a tag of ``CaseState.tags``; "due" is overdue or
# due today.
FLAGS = (
    "due",
    "pending_consent",
    "open_deviation",
    "trigger",
    "contact_without_ground",
    "refused",
)


def case_queryset(
    *, user: User, query: str = "", status: str = "", mine: bool = False
) -> QuerySet[Case]:
    """The centre's cases, newest first, filtered by reference, status and (``mine``) the
    cases the user is responsible for (no state)."""
    cases = Case.objects.for_user(user).select_related("responsible").order_by("-opened_at", "-id")
    if mine:
        cases = cases_responsible_for(user, cases)
    query = query.strip()
    if query:
        cases = cases.filter(reference__icontains=query)
    if status in {CaseStatus.OPEN, CaseStatus.CLOSED}:
        cases = cases.filter(status=status)
    return cases


def _has_flag(state: CaseState, flag: str) -> bool:
    if flag == "due":
        return st.TAG_OVERDUE in state.tags or st.TAG_DUE in state.tags
    return flag in state.tags


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: the case and its state (tags from ``CaseState.tags``)."""

    case: Case
    state: CaseState

    @property
    def pk(self) -> int:
        return self.case.pk

    @property
    def tags(self) -> list[dict[str, str]]:
        return st.tag_list(self.state)


def case_list(
    *, user: User, query: str = "", status: str = "", flag: str = "", mine: bool = False
) -> Sequence[Case] | QuerySet[Case]:
    """The centre's cases filtered by reference, status and a flag of the case state.

    Without a flag: the queryset (paginate it, then ``case_rows`` for the page). With a flag:
    the matching cases, derived from the state (a flag is a state tag; a closed case has none)."""
    cases = case_queryset(user=user, query=query, status=status, mine=mine)
    if flag not in FLAGS:
        return cases
    candidates = list(cases.filter(status=CaseStatus.OPEN))
    states = case_states(cases=candidates)
    return [case for case in candidates if _has_flag(states[case.pk], flag)]


def case_rows(cases: Sequence[Case]) -> list[CaseRow]:
    """The list rows of one page of cases (a constant number of queries)."""
    rows = list(cases)
    states = case_states(cases=rows)
    return [CaseRow(case=case, state=states[case.pk]) for case in rows]


def _open_states(user: User) -> list[tuple[Case, CaseState]]:
    cases = list(Case.objects.for_user(user).filter(status=CaseStatus.OPEN).order_by("reference"))
    states = case_states(cases=cases)
    return [(case, states[case.pk]) for case in cases]


def home_counts(*, user: User) -> dict[str, int]:
    """Counts for the overview page, from the same states as the list and the dashboard."""
    rows = _open_states(user)
    counts = {
        "open": len(rows),
        "overdue": sum(1 for _, s in rows if s.due == st.DUE_OVERDUE),
        "due_today": sum(1 for _, s in rows if s.due == st.DUE_TODAY),
        "never_assessed": sum(1 for _, s in rows if s.due == st.DUE_NEVER_ASSESSED),
        "triggered": sum(1 for _, s in rows if s.open_triggers),
        "refused": sum(1 for _, s in rows if s.refused),
        "contacts_without_ground": sum(1 for _, s in rows if s.contacts_without_ground),
        "mine": sum(1 for c, _ in rows if c.responsible_id == user.pk),
    }
    counts["open_deviations"] = open_deviations(user=user).count() if user.is_leader else 0
    return counts


def reassessment_dashboard(*, user: User) -> dict[str, object]:
    """Open cases due or overdue for reassessment, with an event calling for one, or with a
    consent expiring (14 days either side, G8, C1): each list from the case state."""
    rows = _open_states(user)
    overdue = sorted(
        ((c, s) for c, s in rows if s.due == st.DUE_OVERDUE),
        key=lambda row: (row[0].next_reassessment_on, row[0].reference),
    )
    return {
        "overdue": [c for c, _ in overdue],
        "due_today": [c for c, s in rows if s.due == st.DUE_TODAY],
        "never_assessed": [c for c, s in rows if s.due == st.DUE_NEVER_ASSESSED],
        "triggered": [c for c, s in rows if s.open_triggers],
        "consent_expiring": consent_expiring(rows),
        "coming_up": coming_up(
            cases=Case.objects.for_user(user).filter(status=CaseStatus.OPEN).order_by("reference")
        ),
        "rules_changed": (
            rules_changed_triggers(user=user).values("case").distinct().count()
            if user.is_leader
            else 0
        ),
    }


def consent_expiring(rows: Sequence[tuple[Case, CaseState]]) -> list[Case]:
    """Open cases with a consent to the police (not withdrawn) that ends within the next 14
    days or ended in the last 14 (``CaseState.consent_expiry_near``). Each carries
    ``consent_last_day`` (the inclusive last day, C1) and ``consent_expired``."""
    found: list[Case] = []
    for case, state in rows:
        end = state.consent_expiry_near
        if end is None:
            continue
        case.consent_last_day = last_day_of(end)  # type: ignore[attr-defined]
        case.consent_expired = end <= state.at  # type: ignore[attr-defined]
        found.append(case)
    return found


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


__all__ = [
    "COMING_UP_DAYS",
    "FLAGS",
    "CaseRow",
    "ComingUp",
    "case_list",
    "case_queryset",
    "case_rows",
    "coming_up",
    "consent_expiring",
    "home_counts",
    "reassessment_dashboard",
    "rules_changed_triggers",
    "triggered_cases",
]
