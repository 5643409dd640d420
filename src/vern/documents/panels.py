"""The documents panel on the case page (add "vern.documents.panels" to cases.panels)."""

from __future__ import annotations

from vern.accounts.models import User
from vern.cases.models import Case
from vern.cases.panels import CaseReads, Panel


def case_panel(*, case: Case, user: User, reads: CaseReads | None = None) -> Panel:
    return Panel(template="documents/_case_panel.html", context={})
