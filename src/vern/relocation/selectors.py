"""Reads for relocations, always scoped to the requesting user's centre (404 otherwise)."""

from __future__ import annotations

from django.db.models import QuerySet

from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.relocation.models import Relocation


def relocation_get(*, user: User, case: Case, pk: int) -> Relocation:
    """The relocation ``pk`` of ``case`` at the user's centre, else Http404 (never 403)."""
    return Relocation.objects.select_related("case", "case__centre").get_for_user_or_404(
        user, pk=pk, case_id=case.pk
    )


def relocations_for_case(*, case: Case) -> QuerySet[Relocation]:
    return Relocation.objects.filter(case=case).order_by("-created_at", "-id")


def newest_assessment_has_relocation_factor(*, case: Case) -> bool | None:
    """Whether the newest assessment answered factor 5 (needs_relocation_for_safety) yes.

    None when the case has no assessment yet. G14: a relocation makes police involvement
    required, which the rules engine only knows through factor 5."""
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
