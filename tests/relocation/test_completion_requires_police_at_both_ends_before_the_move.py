"""G14 ("the police shall be involved") and R2 ("before the move"): a relocation cannot be
completed unless the police here and at the destination were involved before it: each end a
real police contact (issue 14), done before the move, or a recorded reason why not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.relocation.conftest import contact_at_end, hours_ago, police_at_both_ends
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import CaseEvent, CaseStatus
from vern.core import clock
from vern.relocation import services
from vern.relocation.models import Handover, PoliceEnd, Relocation, RelocationStatus

pytestmark = pytest.mark.django_db


def _complete(user: User, relocation: Relocation, **kwargs: object) -> Relocation:
    values: dict[str, object] = {"handover": Handover.POLICE_BRIEF}
    values.update(kwargs)
    return services.relocation_complete(acting_user=user, relocation=relocation, **values)  # type: ignore[arg-type]


def _still_planned(relocation: Relocation) -> None:
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.PLANNED
    assert relocation.completed_at is None


def test_g14_completion_is_refused_without_any_police_involvement(
    ansatt: User, relocation: Relocation
) -> None:
    with pytest.raises(ValidationError) as error:
        _complete(ansatt, relocation)
    text = " ".join(error.value.messages)
    assert "Politiet der brukeren bor nå" in text
    assert "Politiet på det nye stedet" in text
    _still_planned(relocation)


def test_g14_completion_is_refused_without_the_police_at_the_current_location(
    ansatt: User, relocation: Relocation
) -> None:
    contact_at_end(ansatt, relocation, PoliceEnd.DESTINATION, at=hours_ago(2))
    with pytest.raises(ValidationError, match="Politiet der brukeren bor nå"):
        _complete(ansatt, relocation)
    _still_planned(relocation)


def test_r2_completion_is_refused_without_the_police_at_the_destination(
    ansatt: User, relocation: Relocation
) -> None:
    contact_at_end(ansatt, relocation, PoliceEnd.DEPARTURE, at=hours_ago(2))
    with pytest.raises(ValidationError, match="Politiet på det nye stedet"):
        _complete(ansatt, relocation)
    _still_planned(relocation)


def test_r2_completion_is_refused_when_the_destination_police_came_in_after_the_move(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation, departure_at=hours_ago(10), destination_at=hours_ago(1))
    with pytest.raises(ValidationError, match="før flyttingen"):
        _complete(ansatt, relocation, completed_at=hours_ago(3))
    _still_planned(relocation)


def test_g14_completion_is_refused_when_the_local_police_came_in_after_the_move(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation, departure_at=hours_ago(1), destination_at=hours_ago(10))
    with pytest.raises(ValidationError, match="før flyttingen"):
        _complete(ansatt, relocation, completed_at=hours_ago(3))


def test_completion_at_the_same_moment_as_the_police_contact_is_not_before_it(
    ansatt: User, relocation: Relocation
) -> None:
    moment = hours_ago(2)
    police_at_both_ends(ansatt, relocation, departure_at=hours_ago(5), destination_at=moment)
    with pytest.raises(ValidationError):
        _complete(ansatt, relocation, completed_at=moment)


def test_completion_is_allowed_with_the_police_at_both_ends_before_the_move(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    done = _complete(ansatt, relocation, completed_at=hours_ago(1))
    done.refresh_from_db()
    assert done.status == RelocationStatus.COMPLETED
    assert done.completed_at is not None
    assert done.handover == Handover.POLICE_BRIEF
    assert done.handover_consent is None
    event = AuditEvent.objects.filter(
        action="relocation_recorded", object_type="relocation", object_id=str(done.pk)
    ).order_by("-id")[0]
    assert event.reason == "completed"
    assert CaseEvent.objects.filter(case=done.case, kind="relocation_completed").count() == 1


def test_completion_defaults_to_now_and_does_not_close_the_case(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    done = _complete(ansatt, relocation, handover=Handover.NONE)
    assert done.completed_at is not None
    assert abs((clock.now() - done.completed_at).total_seconds()) < 60
    done.case.refresh_from_db()
    assert done.case.status == CaseStatus.OPEN


def test_completion_in_the_future_is_refused(ansatt: User, relocation: Relocation) -> None:
    police_at_both_ends(ansatt, relocation)
    with pytest.raises(ValidationError, match="fram i tid"):
        _complete(ansatt, relocation, completed_at=clock.now() + dt.timedelta(days=1))


def test_a_completed_relocation_cannot_be_completed_again_or_cancelled(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    _complete(ansatt, relocation, completed_at=hours_ago(1))
    with pytest.raises(ValidationError):
        _complete(ansatt, relocation)
    with pytest.raises(ValidationError):
        services.relocation_cancel(acting_user=ansatt, relocation=relocation, reason="Ikke nå.")
    with pytest.raises(ValidationError):
        police_at_both_ends(ansatt, relocation)


def test_a_cancelled_relocation_cannot_be_completed(ansatt: User, relocation: Relocation) -> None:
    police_at_both_ends(ansatt, relocation)
    services.relocation_cancel(
        acting_user=ansatt, relocation=relocation, reason="Brukeren vil bli."
    )
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.CANCELLED
    assert relocation.cancelled_at is not None
    with pytest.raises(ValidationError):
        _complete(ansatt, relocation)
    assert AuditEvent.objects.filter(action="relocation_recorded", reason="cancelled").count() == 1
