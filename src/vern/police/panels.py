"""The police panel on the case page: contacts, open deviations, and the way to record one.

A fixed number of queries whatever the number of contacts (contacts with their deviations
prefetched, open deviations, the newest assessment's next step: shared with the assessments
panel through ``reads`` on the case page)."""

from __future__ import annotations

from vern.accounts.models import User
from vern.assessments.selectors import assessment_newest
from vern.cases.models import Case
from vern.cases.panels import CaseReads, Panel
from vern.core import clock
from vern.police import selectors, services


def case_panel(*, case: Case, user: User, reads: CaseReads | None = None) -> Panel:
    contacts = selectors.case_contacts(case=case, reads=reads)
    now = clock.now()
    lines = [
        {
            "contact": contact,
            # The ground as it stands now (a consent withdrawn since a plan: not valid).
            "ground_valid": selectors.ground_valid_now(contact, at=now),
            "lapse": services.reason_label(lapse)
            if (lapse := selectors.consent_lapse(contact, at=now))
            else "",
            "open_deviations": [d for d in contact.deviations.all() if d.is_open],
            # C1: why a done contact has no valid ground (also one lost afterwards).
            "ground_reasons": [
                services.reason_label(code, done=True)
                for code in selectors.ground_reason_codes(contact)
            ],
        }
        for contact in contacts
    ]
    open_deviations = [
        {
            "deviation": deviation,
            "reasons": [services.reason_label(code, done=True) for code in deviation.reasons],
        }
        for deviation in selectors.case_open_deviations(case=case, reads=reads)
    ]
    return Panel(
        template="police/_case_panel.html",
        context={
            "contacts": lines,
            "open_deviations": open_deviations,
            # G11: the newest assessment points to the duty-to-avert path: highlight it.
            "duty_path": _newest_next_step(case, reads) == selectors.DUTY_TO_AVERT_STEP,
            "can_edit": not case.is_closed,
            "is_leader": user.is_leader,
        },
    )


def _newest_next_step(case: Case, reads: CaseReads | None) -> str:
    if reads is None:
        return selectors.newest_next_step(case=case)
    newest = assessment_newest(case=case, reads=reads)
    return (newest.next_step if newest is not None else "") or ""
