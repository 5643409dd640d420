"""The relocation panel on the case page (G14, R1-R3).

Shows each relocation with its status and the R1/R2/R3 checklist, never the destination
(shown only on the step-up-protected reveal page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import User
from vern.cases.models import Case
from vern.cases.panels import Panel
from vern.core import clock
from vern.relocation import selectors, services
from vern.relocation.models import Relocation


@dataclass(frozen=True)
class ChecklistItem:
    ref: str
    label: str | Promise
    done: bool
    at: dt.datetime | None = None


def checklist(relocation: Relocation) -> list[ChecklistItem]:
    """What the guidance asks for before and during a move, done or not done."""
    return [
        ChecklistItem(
            "R1", _("Nytt senter valgt sammen med brukeren"), relocation.chosen_with_user
        ),
        ChecklistItem(
            "R1", _("Nytt senter valgt sammen med politiet"), relocation.chosen_with_police
        ),
        ChecklistItem(
            "G14",
            _("Politiet der brukeren bor nå er involvert"),
            relocation.police_current_involved_at is not None,
            relocation.police_current_involved_at,
        ),
        ChecklistItem(
            "R2",
            _("Politiet på det nye stedet er involvert før flyttingen"),
            relocation.police_destination_involved_at is not None,
            relocation.police_destination_involved_at,
        ),
        ChecklistItem(
            "R3",
            _("Overføring av kartleggingen avklart (samtykke eller politiet orienterer hverandre)"),
            relocation.is_completed,
        ),
    ]


def case_panel(*, case: Case, user: User) -> Panel:
    relocations = list(selectors.relocations_for_case(case=case))
    planned = [r for r in relocations if r.is_planned]
    completed = [r for r in relocations if r.is_completed]
    has_handover_consent = False
    needs_assessment_hint = False
    if planned and not case.is_closed:
        has_handover_consent = (
            services.valid_handover_consent(case=case, at=clock.now()) is not None
        )
        # G14: a relocation makes police involvement required; the engine knows it only
        # through factor 5 (needs_relocation_for_safety) of the newest assessment.
        needs_assessment_hint = (
            selectors.newest_assessment_has_relocation_factor(case=case) is not True
        )
    return Panel(
        template="relocation/_case_panel.html",
        context={
            "relocations": [(r, checklist(r)) for r in relocations],
            "can_plan": not case.is_closed and not planned,
            "has_handover_consent": has_handover_consent,
            "needs_assessment_hint": needs_assessment_hint,
            "suggest_close": bool(completed) and not case.is_closed,
        },
    )
