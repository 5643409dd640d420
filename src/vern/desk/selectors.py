"""Reads of the desk: the case list with its tags, the home counts and the reassessment
dashboard, all from one derivation (``desk.state``), scoped to the user's centre."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from vern.accounts.models import User
from vern.cases.models import Case, CaseStatus
from vern.cases.selectors import rules_changed_triggers, triggered_cases
from vern.consent.models import last_day_of
from vern.desk import state as st
from vern.desk.state import CaseState, case_states

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


def case_queryset(*, user: User, query: str = "", status: str = "") -> QuerySet[Case]:
    """The centre's cases, newest first, filtered by reference and status (no state)."""
    cases = Case.objects.for_user(user).order_by("-opened_at", "-id")
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
    *, user: User, query: str = "", status: str = "", flag: str = ""
) -> Sequence[Case] | QuerySet[Case]:
    """The centre's cases filtered by reference, status and a flag of the case state.

    Without a flag: the queryset (paginate it, then ``case_rows`` for the page). With a flag:
    the matching cases, derived from the state (a flag is a state tag; a closed case has none)."""
    cases = case_queryset(user=user, query=query, status=status)
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
    from vern.police.models import Deviation

    rows = _open_states(user)
    counts = {
        "open": len(rows),
        "overdue": sum(1 for _, s in rows if s.due == st.DUE_OVERDUE),
        "due_today": sum(1 for _, s in rows if s.due == st.DUE_TODAY),
        "never_assessed": sum(1 for _, s in rows if s.due == st.DUE_NEVER_ASSESSED),
        "triggered": sum(1 for _, s in rows if s.open_triggers),
        "refused": sum(1 for _, s in rows if s.refused),
        "contacts_without_ground": sum(1 for _, s in rows if s.contacts_without_ground),
    }
    counts["open_deviations"] = (
        Deviation.objects.for_user(user).filter(closed_at__isnull=True).count()
        if user.is_leader
        else 0
    )
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


__all__ = [
    "FLAGS",
    "CaseRow",
    "case_list",
    "case_queryset",
    "case_rows",
    "consent_expiring",
    "home_counts",
    "reassessment_dashboard",
    "rules_changed_triggers",
    "triggered_cases",
]
