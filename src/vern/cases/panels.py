"""The case page is built from panels, one per area (assessment, consent, police, relocation,
child welfare).

Each area app exposes ``case_panel(*, case, user, reads=None) -> Panel`` in its ``panels``
module; the case page renders them in the guidance's order of steps. ``reads`` (``CaseReads``)
holds what more than one part of the page reads (the children, the newest assessment, the
consents, the contacts, ...), read once per request; a panel called without it reads for itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeVar

from vern.accounts.models import User
from vern.cases.models import Case, CaseChild

_T = TypeVar("_T")

PANEL_MODULES = (
    "vern.assessments.panels",
    "vern.consent.panels",
    "vern.police.panels",
    "vern.relocation.panels",
    "vern.childwelfare.panels",
    "vern.documents.panels",
)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


class CaseReads:
    """Reads of one case shared by the parts of one case page request (made on first use).

    Scoped to one request and one case already read through ``selectors.case_get`` (so to
    the user's centre); never kept across requests, so nothing is stale."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self._memo: dict[str, Any] = {}

    def get(self, key: str, load: Callable[[], _T]) -> _T:
        """The value read under ``key`` in this request, ``load()`` the first time."""
        if key not in self._memo:
            self._memo[key] = load()
        value: _T = self._memo[key]
        return value

    @property
    def children(self) -> list[CaseChild]:
        """Every child of the case, also those marked as registered in error, in the order
        they were registered."""
        return self.get(
            "children",
            lambda: list(CaseChild.objects.filter(case=self.case).order_by("created_at", "id")),
        )

    @property
    def children_in_stay(self) -> list[CaseChild]:
        """The children not marked as registered in error."""
        return [child for child in self.children if not child.is_removed]


def read_once(reads: CaseReads | None, key: str, load: Callable[[], _T]) -> _T:
    """``load()``, once per request when ``reads`` is given (the case page), else every call."""
    return load() if reads is None else reads.get(key, load)


def case_panels(*, case: Case, user: User, reads: CaseReads | None = None) -> list[Panel]:
    reads = reads or CaseReads(case)
    panels = []
    for module_name in PANEL_MODULES:
        module = import_module(module_name)
        panels.append(module.case_panel(case=case, user=user, reads=reads))
    return panels
