"""Fixtures for the reminder tests (issue 18 point 3): cases of the ansatt with each kind of
task, and the same in another centre (the canary)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.police.conftest import give_consent, hours_ago, inform, record
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.core import clock
from vern.police.models import PoliceContact


def case_due(user: User, reference: str, days: int) -> Case:
    """A case of ``user`` whose reassessment date is ``days`` from today (negative: past)."""
    case = case_services.case_create(acting_user=user, reference=reference)
    case.next_reassessment_on = clock.today() + dt.timedelta(days=days)
    case.save(update_fields=["next_reassessment_on"])
    return case


def with_consent(case: Case, user: User, *, ends_in_days: float | None) -> None:
    """Informed, and a consent to the police given two days ago that ends in ``ends_in_days``."""
    inform(case, user, hours_ago(72))
    expires = None if ends_in_days is None else clock.now() + dt.timedelta(days=ends_in_days)
    give_consent(case, user, given_at=hours_ago(48), expires_at=expires)


def planned_at(user: User, case: Case, at: dt.datetime) -> PoliceContact:
    """A planned contact on the case's consent at ``at``."""
    return record(user, case, status="planned", contact_at=at)


def later_today() -> dt.datetime:
    """A moment after now on the same local day (a minute on, or now near midnight)."""
    now = clock.now()
    soon = now + dt.timedelta(minutes=1)
    return soon if timezone.localdate(soon) == timezone.localdate(now) else now


class FailingBackend:
    """An e-mail backend whose server cannot be reached."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        msg = "mail server unreachable"
        raise ConnectionRefusedError(msg)
