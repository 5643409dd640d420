"""Deviations: opened by hand for other things (kind other), reviewed and closed by the leader
only, with a comment; kept on closed cases too."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_user
from tests.police.conftest import AVERT_RECORD, OFFENCE_196, record
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent
from vern.centres.models import Centre
from vern.police import selectors, services
from vern.police.models import Deviation, DeviationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def deviation(ansatt: User, case: Case) -> Deviation:
    record(ansatt, case, legal_ground="none")
    return Deviation.objects.get(case=case)


def test_leader_closes_a_deviation_with_a_comment(leder: User, deviation: Deviation) -> None:
    closed = services.deviation_close(
        acting_user=leder, deviation=deviation, comment="Gjennomgått med den ansatte."
    )
    assert closed.closed_at is not None
    assert closed.closed_by_id == leder.pk
    assert closed.leader_comment == "Gjennomgått med den ansatte."
    event = AuditEvent.objects.get(action="deviation_closed", object_id=str(deviation.pk))
    assert "Gjennomgått" not in str(event.details)
    assert CaseEvent.objects.filter(case=deviation.case, kind="deviation_closed").exists()
    with pytest.raises(ValidationError):
        services.deviation_close(acting_user=leder, deviation=closed, comment="Igjen")


def test_closing_needs_a_comment(leder: User, deviation: Deviation) -> None:
    with pytest.raises(ValidationError) as info:
        services.deviation_close(acting_user=leder, deviation=deviation, comment="   ")
    assert "comment" in info.value.message_dict
    deviation.refresh_from_db()
    assert deviation.is_open


def test_ansatt_cannot_close_a_deviation(ansatt: User, deviation: Deviation) -> None:
    with pytest.raises(PermissionDenied):
        services.deviation_close(acting_user=ansatt, deviation=deviation, comment="Ok")
    deviation.refresh_from_db()
    assert deviation.is_open


def test_leader_of_another_centre_cannot_close_it(
    deviation: Deviation, other_centre: Centre
) -> None:
    stranger = make_user(Role.LEDER, other_centre)
    with pytest.raises(PermissionDenied):
        services.deviation_close(acting_user=stranger, deviation=deviation, comment="Ok")


def test_administrator_cannot_close_a_deviation(administrator: User, deviation: Deviation) -> None:
    with pytest.raises(PermissionDenied):
        services.deviation_close(acting_user=administrator, deviation=deviation, comment="Ok")


def test_leader_can_close_a_deviation_of_a_closed_case(
    ansatt: User, leder: User, case: Case, deviation: Deviation
) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")
    deviation.refresh_from_db()
    services.deviation_close(acting_user=leder, deviation=deviation, comment="Gjennomgått.")
    deviation.refresh_from_db()
    assert not deviation.is_open
    assert deviation.closed_by_id == leder.pk
    assert deviation.leader_comment == "Gjennomgått."
    assert AuditEvent.objects.filter(
        action="deviation_closed", object_id=str(deviation.pk)
    ).exists()
    case.refresh_from_db()
    assert case.is_closed, "closing the deviation leaves the case closed"


def test_staff_opens_a_deviation_by_hand_with_a_reason_code(ansatt: User, case: Case) -> None:
    deviation = services.deviation_open(
        acting_user=ansatt,
        case=case,
        reasons=["shared_outside_system"],
        description="Ringte politiet fra privat telefon.",
    )
    assert deviation.kind == DeviationKind.OTHER
    assert deviation.reasons == ["shared_outside_system"]
    event = AuditEvent.objects.get(action="deviation_opened", object_id=str(deviation.pk))
    assert event.reason == "shared_outside_system"
    assert "privat" not in str(event.details)
    with pytest.raises(ValidationError):
        services.deviation_open(acting_user=ansatt, case=case, reasons=[])


def test_leader_overview_lists_open_and_closed_deviations_and_duty_to_avert_contacts(
    ansatt: User, leder: User, case: Case, deviation: Deviation
) -> None:
    duty = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Sikker kunnskap om planlagt angrep.",
    )
    overview = selectors.leader_overview(user=leder)
    assert [d.pk for d in overview.open] == [deviation.pk]
    assert overview.closed == []
    assert [c.pk for c in overview.duty_to_avert] == [duty.pk]
    services.deviation_close(acting_user=leder, deviation=deviation, comment="Ok.")
    overview = selectors.leader_overview(user=leder)
    assert overview.open == []
    assert [d.pk for d in overview.closed] == [deviation.pk]
    with pytest.raises(PermissionDenied):
        selectors.leader_overview(user=ansatt)
