"""Reads for relocations, always scoped to the requesting user's centre (404 otherwise)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.assessments.selectors import assessment_newest
from vern.cases.models import Case
from vern.cases.panels import CaseReads, read_list_once, register_probe
from vern.centres.models import Centre
from vern.core import clock
from vern.police.models import PoliceContact
from vern.relocation.models import PoliceEnd, Relocation, RelocationStatus
from vern.relocation.services import end_problem


def relocation_get(*, user: User, case: Case, pk: int) -> Relocation:
    """The relocation ``pk`` of ``case`` at the user's centre, else Http404 (never 403)."""
    return Relocation.objects.select_related("case", "case__centre").get_for_user_or_404(
        user, pk=pk, case_id=case.pk
    )


def relocations_for_case(*, case: Case) -> QuerySet[Relocation]:
    return (
        Relocation.objects.filter(case=case)
        .select_related("departure_contact", "destination_contact", "destination_centre")
        .order_by("-created_at", "-id")
    )


def case_relocations(*, case: Case, reads: CaseReads | None = None) -> list[Relocation]:
    """``relocations_for_case`` as a list, read once per case page (the panel and the state).

    The linked contacts and the destination centre are prefetched rather than joined: most
    cases have no relocation, and the wide join costs ~2 ms to compile even for no rows."""
    fields = ("departure_contact", "destination_contact", "destination_centre")
    return read_list_once(
        reads,
        "relocation.relocations",
        lambda: list(
            relocations_for_case(case=case).select_related(None).prefetch_related(*fields)
        ),
    )


def pending_relocation(*, case: Case) -> Relocation | None:
    """The case's planned (not completed, not cancelled) relocation, if any: at most one.

    For the case state (vern.desk): what is still missing is ``relocation_missing``."""
    return (
        Relocation.objects.filter(case=case, status=RelocationStatus.PLANNED)
        .select_related("departure_contact", "destination_contact")
        .order_by("-created_at", "-id")
        .first()
    )


def relocation_missing(relocation: Relocation) -> list[str]:
    """Stable codes of what a planned relocation still lacks before it can be completed now:
    ``chosen_with_user`` (R1), ``police_departure`` (G14), ``police_destination`` (R2)."""
    missing: list[str] = []
    if not relocation.chosen_with_user:
        missing.append("chosen_with_user")
    now = clock.now()
    missing.extend(f"police_{end}" for end in PoliceEnd if end_problem(relocation, end, before=now))
    return missing


def destination_centres(*, user: User) -> QuerySet[Centre]:
    """The other active centres in this Vern a user may move to (never the user's own)."""
    centres = Centre.objects.filter(is_active=True)
    if user.centre_id is not None:
        centres = centres.exclude(pk=user.centre_id)
    return centres.order_by("name")


def linkable_contacts(*, case: Case) -> QuerySet[PoliceContact]:
    """The police contacts of the case that can be linked to an end of a move."""
    return PoliceContact.objects.filter(case=case).order_by("-contact_at", "-id")


def newest_assessment_has_relocation_factor(
    *, case: Case, reads: CaseReads | None = None
) -> bool | None:
    """Whether the newest assessment answered factor 5 (needs_relocation_for_safety) yes.

    None when the case has no assessment yet. G14: a relocation makes police involvement
    required, which the rules engine only knows through factor 5. With ``reads`` (the case
    page), the newest assessment the other panels read."""
    newest: Mapping[str, Any] | None
    if reads is not None:
        assessment = assessment_newest(case=case, reads=reads)
        newest = (
            None
            if assessment is None
            else {"factors": assessment.factors, "facts": assessment.facts}
        )
    else:
        newest = (
            Assessment.objects.filter(case=case)
            .order_by("-assessed_at", "-id")
            .values("factors", "facts")
            .first()
        )
    if newest is None:
        return None
    for source in (newest["factors"], (newest["facts"] or {}).get("factors")):
        if isinstance(source, dict) and source.get("needs_relocation_for_safety") is True:
            return True
    return False


register_probe("relocation.relocations", Relocation)
