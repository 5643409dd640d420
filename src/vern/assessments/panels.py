"""The assessments panel on the case page: the newest assessment and the mappings (K1, G6-G8)."""

from __future__ import annotations

from vern.accounts.models import User
from vern.assessments import selectors
from vern.assessments.questions import ui_lang
from vern.cases.models import Case
from vern.cases.panels import CaseReads, Panel


def case_panel(*, case: Case, user: User, reads: CaseReads | None = None) -> Panel:
    reads = reads or CaseReads(case)
    newest = selectors.assessment_newest(case=case, reads=reads)
    subjects = selectors.mapping_subjects(case=case, reads=reads)
    return Panel(
        template="assessments/_case_panel.html",
        context={
            "newest": newest,
            "subjects": subjects,
            "has_user_mapping": subjects[0].latest is not None,
            "count": case.assessments.count() if newest is not None else 0,
            # The next step in the reader's language, not the stored bokmål snapshot.
            "next_step_text": selectors.next_step_text(newest, ui_lang()) if newest else "",
            # Issue 17: the user's own view from "Assess together", apart from the staff's.
            "user_view": (view := selectors.user_view_newest(case=case, reads=reads)),
            "user_view_rows": selectors.user_view_rows(view) if view else [],
            "user_view_after_newest": bool(view and newest and view.given_at > newest.assessed_at),
        },
    )
