"""The child welfare panel on the case page (B1): per accompanying child, its concerns and
their notifications, with a warning while the duty to notify is not fulfilled."""

from __future__ import annotations

from vern.accounts.models import User
from vern.cases.models import Case
from vern.cases.panels import CaseReads, Panel
from vern.childwelfare import selectors


def case_panel(*, case: Case, user: User, reads: CaseReads | None = None) -> Panel:
    concerns = selectors.case_concerns(case=case, reads=reads)
    children = (reads or CaseReads(case)).children_in_stay
    rows = [
        {"child": child, "concerns": [c for c in concerns if c.child_id == child.pk]}
        for child in children
    ]
    # Concerns of a child later marked as registered in error stay visible too.
    in_stay = {child.pk for child in children}
    shown = {c.pk for c in concerns if c.child_id in in_stay}
    others = [c for c in concerns if c.pk not in shown]
    pending = [c for c in concerns if c.is_pending]
    return Panel(
        template="childwelfare/_case_panel.html",
        context={
            "children": rows,
            "other_concerns": others,
            "pending": pending,
            "notifications": selectors.case_notifications(case=case, reads=reads),
            "can_edit": not case.is_closed,
        },
    )
