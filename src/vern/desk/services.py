"""Writes that need the whole case state: closing a case with what is still live (issue 14)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.desk.state import case_state


@transaction.atomic
def case_close(*, acting_user: User, case: Case, reason: str, confirmed: bool = False) -> Case:
    """Close ``case`` (``cases.services.case_close``). When something is still live (a planned
    police contact, an open deviation, a consent in force, a planned relocation, a child
    welfare concern not yet notified), the closing must be confirmed: ValidationError on the
    field ``confirm_live`` otherwise. The state is read in the closing's transaction."""
    state = case_state(case=case)
    if state.has_live_items and not confirmed:
        raise ValidationError(
            {
                "confirm_live": _(
                    "Saken har fortsatt noe som er i gang (se listen). Bekreft at du vil "
                    "avslutte likevel."
                )
            }
        )
    return case_services.case_close(acting_user=acting_user, case=case, reason=reason)
