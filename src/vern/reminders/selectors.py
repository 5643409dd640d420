"""Each staff member's tasks: what is due now, from the one derivation of the case state.

``task_list(user=..)`` reads the user's own open cases (``cases_responsible_for``, the "Mine
saker" filter) and their states in one batch (``vern.desk.state.case_states``: a constant
number of queries for any number of cases), and takes from each state what is due:

* ``reassess_overdue``: the reassessment date has passed (``CaseState.overdue``, G8);
* ``reassess_today``: otherwise due now (``CaseState.reassess_now``: the date is today, a new
  event calls for a reassessment, or the case has not been assessed yet; G6, G8);
* ``consent_expiring``: the consent to the police in force ends within 14 days
  (``CONSENT_EXPIRING``, C1), with its last day;
* ``police_contact_today``: a planned police contact whose time is today (local time).

A leader also has the centre's rows only a leader handles: every open deviation
(``police.selectors.open_deviations``, also on closed cases) and every contact without
consent, under the duty to avert or on the danger ground, that the leader has not yet marked
as reviewed (``police.selectors.no_consent_contacts``; G11, L1, L2).

Everything is read through selectors that start from the user's centre, so another centre's
case is never a task. Nothing is stored: the list is derived on every read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import User
from vern.cases.models import Case, CaseStatus
from vern.cases.selectors import cases_responsible_for
from vern.core import clock
from vern.desk import state as st
from vern.desk.state import case_states
from vern.police.models import LegalGround
from vern.police.selectors import no_consent_contacts, open_deviations

REASSESS_OVERDUE: Final = "reassess_overdue"
REASSESS_TODAY: Final = "reassess_today"
CONSENT_EXPIRING: Final = "consent_expiring"
POLICE_CONTACT_TODAY: Final = "police_contact_today"
OPEN_DEVIATION: Final = "open_deviation"
NO_CONSENT_TO_REVIEW: Final = "no_consent_to_review"
# The order of the task page's sections.
KINDS: Final = (
    REASSESS_OVERDUE,
    REASSESS_TODAY,
    POLICE_CONTACT_TODAY,
    CONSENT_EXPIRING,
    OPEN_DEVIATION,
    NO_CONSENT_TO_REVIEW,
)
LEADER_KINDS: Final = frozenset({OPEN_DEVIATION, NO_CONSENT_TO_REVIEW})

KIND_TEXTS: Final[dict[str, Promise]] = {
    REASSESS_OVERDUE: _("Revurdering forfalt"),
    REASSESS_TODAY: _("Vurderes i dag"),
    POLICE_CONTACT_TODAY: _("Planlagt kontakt med politiet i dag"),
    CONSENT_EXPIRING: _("Samtykke til politiet utløper innen 14 dager"),
    OPEN_DEVIATION: _("Åpne avvik"),
    NO_CONSENT_TO_REVIEW: _("Kontakt uten samtykke som ikke er gjennomgått"),
}

# Why a case is due today (``Task.why``).
WHY_DATE: Final = "date"
WHY_NEW_EVENT: Final = "new_event"
WHY_NEVER_ASSESSED: Final = "never_assessed"
WHY_TEXTS: Final[dict[str, Promise]] = {
    WHY_DATE: _("Datoen for revurdering er i dag."),
    WHY_NEW_EVENT: _("En ny hendelse er registrert etter siste vurdering."),
    WHY_NEVER_ASSESSED: _("Saken er ikke vurdert ennå."),
    LegalGround.DUTY_TO_AVERT: _("Avvergeplikt (straffeloven § 196)"),
    LegalGround.DANGER: _("Fare for liv eller helse"),
}


@dataclass(frozen=True)
class Task:
    """One thing due. ``case_id``/``reference`` name the case inside Vern (never in e-mail);
    ``object_id`` is the deviation's or the police contact's id; ``on`` the date it concerns
    (the reassessment date, the consent's last day), ``at`` the time (a planned contact)."""

    kind: str
    case_id: int
    reference: str
    on: dt.date | None = None
    at: dt.datetime | None = None
    object_id: int | None = None
    why: str = ""

    @property
    def why_text(self) -> str:
        return str(WHY_TEXTS.get(self.why, ""))


@dataclass(frozen=True)
class TaskList:
    tasks: tuple[Task, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.tasks)

    def counts(self) -> dict[str, int]:
        """Tasks per kind, every kind present (0 when none)."""
        found = dict.fromkeys(KINDS, 0)
        for task in self.tasks:
            found[task.kind] += 1
        return found

    def sections(self) -> list[dict[str, object]]:
        """The non-empty kinds in the page's order, each with its text and tasks."""
        return [
            {
                "kind": kind,
                "text": str(KIND_TEXTS[kind]),
                "tasks": [t for t in self.tasks if t.kind == kind],
            }
            for kind in KINDS
            if any(t.kind == kind for t in self.tasks)
        ]


def _reassessment_task(case: Case, state: st.CaseState, today: dt.date) -> Task | None:
    if state.overdue:
        return Task(REASSESS_OVERDUE, case.pk, case.reference, on=state.reassessment_on)
    if not state.reassess_now:
        return None
    if state.open_triggers:
        why = WHY_NEW_EVENT
    elif state.due == st.DUE_NEVER_ASSESSED:
        why = WHY_NEVER_ASSESSED
    else:
        why = WHY_DATE
    return Task(REASSESS_TODAY, case.pk, case.reference, on=today, why=why)


def _case_tasks(case: Case, state: st.CaseState, today: dt.date) -> list[Task]:
    tasks: list[Task] = []
    reassessment = _reassessment_task(case, state, today)
    if reassessment is not None:
        tasks.append(reassessment)
    tasks.extend(
        Task(
            POLICE_CONTACT_TODAY,
            case.pk,
            case.reference,
            on=today,
            at=line.contact_at,
            object_id=line.id,
        )
        for line in sorted(state.pending_contacts, key=lambda c: (c.contact_at, c.id))
        if timezone.localtime(line.contact_at).date() == today
    )
    if state.consent == st.CONSENT_EXPIRING:
        tasks.append(Task(CONSENT_EXPIRING, case.pk, case.reference, on=state.consent_last_day))
    return tasks


def _leader_tasks(user: User) -> list[Task]:
    tasks = [
        Task(OPEN_DEVIATION, d.case_id, d.case.reference, at=d.opened_at, object_id=d.pk)
        for d in open_deviations(user=user).order_by("opened_at", "id")
    ]
    tasks.extend(
        Task(
            NO_CONSENT_TO_REVIEW,
            c.case_id,
            c.case.reference,
            at=c.contact_at,
            object_id=c.pk,
            why=c.legal_ground,
        )
        for c in sorted(
            no_consent_contacts(user=user, unreviewed_only=True),
            key=lambda c: (c.contact_at, c.pk),
        )
    )
    return tasks


def task_list(*, user: User, at: dt.datetime | None = None) -> TaskList:
    """The user's tasks at ``at`` (default now): nothing for anyone who does not work with
    cases (administrators). A constant number of queries for any number of cases."""
    if not user.works_with_cases:
        return TaskList()
    at = at or clock.now()
    today = timezone.localtime(at).date()
    cases = list(
        cases_responsible_for(
            user, Case.objects.for_user(user).filter(status=CaseStatus.OPEN)
        ).order_by("reference", "pk")
    )
    states = case_states(cases=cases, at=at)
    tasks: list[Task] = []
    for case in cases:
        tasks.extend(_case_tasks(case, states[case.pk], today))
    if user.is_leader:
        tasks.extend(_leader_tasks(user))
    order = {kind: n for n, kind in enumerate(KINDS)}
    tasks.sort(key=lambda t: order[t.kind])  # stable: each kind keeps its own order
    return TaskList(tasks=tuple(tasks))
