"""The case page is built from panels, one per area (assessment, consent, police, relocation,
child welfare).

Each area app exposes ``case_panel(*, case, user) -> Panel`` in its ``panels`` module; the
case page renders them in the guidance's order of steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from vern.accounts.models import User
from vern.cases.models import Case

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


def case_panels(*, case: Case, user: User) -> list[Panel]:
    panels = []
    for module_name in PANEL_MODULES:
        module = import_module(module_name)
        panels.append(module.case_panel(case=case, user=user))
    return panels
