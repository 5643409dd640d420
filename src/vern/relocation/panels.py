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
from vern.cases.panels import CaseReads, Panel
from vern.core import clock
from vern.police import services as police_services
from vern.police.models import ContactStatus, PoliceContact
from vern.relocation import selectors, services
from vern.relocation.models import PoliceEnd, Relocation

# The URL word of each end (URLs carry no destination, only ids and these words).
END_SLUGS = {PoliceEnd.DEPARTURE: "avreise", PoliceEnd.DESTINATION: "ankomst"}
SLUG_ENDS = {slug: end for end, slug in END_SLUGS.items()}


@dataclass(frozen=True)
class ChecklistItem:
    ref: str
    label: str | Promise
    done: bool
    at: dt.datetime | None = None


@dataclass(frozen=True)
class PoliceEndView:
    """One end of the move as the pages show it: the linked contact with its ground as it
    stands now, or the reason there was none, or the bare moment recorded before issue 14."""

    end: PoliceEnd
    slug: str
    ref: str
    label: str | Promise
    contact: PoliceContact | None
    ground_valid: bool | None
    no_police_reason: str
    legacy_at: dt.datetime | None

    @property
    def done(self) -> bool:
        contact = self.contact
        if contact is not None:
            return contact.status == ContactStatus.DONE
        return bool(self.no_police_reason)


def contact_ground_valid(contact: PoliceContact) -> bool:
    """A contact's ground as it stands now: a done contact's stored validity (a consent
    withdrawn afterwards with a moment before it clears it, C1); a plan checked again."""
    if contact.status == ContactStatus.DONE:
        return contact.ground_valid
    return not police_services.contact_reasons(contact)


def police_ends(relocation: Relocation) -> list[PoliceEndView]:
    views = []
    for end, ref in ((PoliceEnd.DEPARTURE, "G14"), (PoliceEnd.DESTINATION, "R2")):
        contact = relocation.contact_for(end)
        views.append(
            PoliceEndView(
                end=end,
                slug=END_SLUGS[end],
                ref=ref,
                label=end.label,
                contact=contact,
                ground_valid=contact_ground_valid(contact) if contact is not None else None,
                no_police_reason=relocation.no_police_reason_for(end),
                legacy_at=relocation.legacy_involved_at(end),
            )
        )
    return views


def checklist(relocation: Relocation) -> list[ChecklistItem]:
    """What the guidance asks for before and during a move, done or not done."""
    police, destination = police_ends(relocation)
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
            police.contact is not None and police.done,
            police.contact.contact_at if police.contact is not None else None,
        ),
        ChecklistItem(
            "R2",
            _("Politiet på det nye stedet er involvert før flyttingen"),
            destination.contact is not None and destination.done,
            destination.contact.contact_at if destination.contact is not None else None,
        ),
        ChecklistItem(
            "R3",
            _("Overføring av kartleggingen avklart (samtykke eller politiet orienterer hverandre)"),
            relocation.is_completed,
        ),
    ]


def case_panel(*, case: Case, user: User, reads: CaseReads | None = None) -> Panel:
    relocations = selectors.case_relocations(case=case, reads=reads)
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
            selectors.newest_assessment_has_relocation_factor(case=case, reads=reads) is not True
        )
    return Panel(
        template="relocation/_case_panel.html",
        context={
            "relocations": [(r, checklist(r), police_ends(r)) for r in relocations],
            "can_plan": not case.is_closed and not planned,
            "has_handover_consent": has_handover_consent,
            "needs_assessment_hint": needs_assessment_hint,
            "suggest_close": bool(completed) and not case.is_closed,
        },
    )
