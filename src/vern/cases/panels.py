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

from django.db import connection
from django.db.models import Model

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


# Row sets of the case page that most cases do not have (refusals, police contacts,
# relocations, concerns, ...): key -> the table holding them, by its ``case_id`` column.
# Registered by each area's selectors (``register_probe``). The case page asks once, in one
# query, which of them have any row of the case (``CaseReads.has_rows``), and skips the reads
# of the empty ones: each costs about a millisecond to compile even when it returns no row
# (issue 19). The probe asks for *any* row of the case, more than any read filters for, so a
# read it skips could only have returned nothing.
_PROBES: dict[str, str] = {}


def register_probe(key: str, model: type[Model]) -> None:
    """Let ``CaseReads.has_rows(key)`` answer for the rows of ``model`` (with a ``case`` key)."""
    model._meta.get_field("case")  # fails early for a model without one
    _PROBES[key] = model._meta.db_table


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
        self._present: dict[str, bool] | None = None

    def has_rows(self, key: str) -> bool:
        """False only when the probe found no row of the case in ``key``'s table (one query
        for every registered key, on first use); True for a key that is not registered."""
        if self._present is None:
            self._present = _probe(self.case.pk)
        return self._present.get(key, True)

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


def read_list_once(reads: CaseReads | None, key: str, load: Callable[[], list[_T]]) -> list[_T]:
    """``read_once`` of a list, with no query when the probe (``register_probe(key, ...)``)
    found no row of the case in its table."""
    if reads is not None and not reads.has_rows(key):
        return reads.get(key, list)
    return read_once(reads, key, load)


def _probe(case_id: int) -> dict[str, bool]:
    """Whether each registered table has any row of the case: one query for all of them.

    Raw SQL (nothing to compile); under the request's tenant scope like every query (on
    PostgreSQL row-level security applies to it too), and it returns booleans only."""
    if not _PROBES:
        return {}
    keys = list(_PROBES)
    quote = connection.ops.quote_name
    column = quote("case_id")
    # Only the registered models' own table names go into the text; the case id is a parameter.
    exists = [f"EXISTS (SELECT 1 FROM {quote(_PROBES[key])} WHERE {column} = %s)" for key in keys]  # noqa: S608
    sql = "SELECT " + ", ".join(exists)
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id] * len(keys))
        row = cursor.fetchone()
    return {key: bool(value) for key, value in zip(keys, row, strict=True)}


def case_panels(*, case: Case, user: User, reads: CaseReads | None = None) -> list[Panel]:
    reads = reads or CaseReads(case)
    panels = []
    for module_name in PANEL_MODULES:
        module = import_module(module_name)
        panels.append(module.case_panel(case=case, user=user, reads=reads))
    return panels
