"""Planning a relocation (G14, R1): required fields, the planned_move trigger for a new
assessment (G8), audit and timeline, one planned move at a time, closed cases read-only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.relocation.conftest import DESTINATION, plan
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent, ReassessmentTrigger, TriggerKind
from vern.cases.services import CaseClosedError
from vern.relocation import services
from vern.relocation.models import Relocation, RelocationStatus

pytestmark = pytest.mark.django_db


def test_g8_planning_a_move_adds_a_planned_move_trigger_for_the_case(
    ansatt: User, case: Case
) -> None:
    relocation = plan(ansatt, case)
    trigger = ReassessmentTrigger.objects.get(case=case)
    assert trigger.kind == TriggerKind.PLANNED_MOVE
    assert trigger.occurs_on == relocation.planned_on
    assert trigger.resolved_by is None


def test_planning_is_audited_and_on_the_timeline(ansatt: User, case: Case) -> None:
    relocation = plan(ansatt, case)
    assert relocation.status == RelocationStatus.PLANNED
    assert relocation.centre_id == case.centre_id
    assert AuditEvent.objects.filter(
        action="relocation_recorded", object_id=str(relocation.pk), reason="planned"
    ).exists()
    assert CaseEvent.objects.filter(case=case, kind="relocation_planned").count() == 1


def test_the_reason_why_the_centre_is_not_safe_is_required(ansatt: User, case: Case) -> None:
    with pytest.raises(ValidationError) as error:
        plan(ansatt, case, reason="   ")
    assert "reason" in error.value.message_dict
    assert not Relocation.objects.exists()
    assert not ReassessmentTrigger.objects.exists()


def test_destination_district_and_date_are_required(ansatt: User, case: Case) -> None:
    with pytest.raises(ValidationError) as error:
        plan(
            ansatt,
            case,
            destination_name="",
            destination_police_district="nowhere",
            planned_on=None,
        )
    assert set(error.value.message_dict) == {
        "destination_name",
        "destination_police_district",
        "planned_on",
    }


def test_r1_the_choice_with_user_and_police_is_recorded(ansatt: User, case: Case) -> None:
    relocation = plan(ansatt, case, chosen_with_user=True, chosen_with_police=False)
    assert relocation.chosen_with_user is True
    assert relocation.chosen_with_police is False
    services.relocation_record_police_choice(
        acting_user=ansatt, relocation=relocation, chosen_with_police=True
    )
    relocation.refresh_from_db()
    assert relocation.chosen_with_police is True


def test_only_one_planned_move_at_a_time(ansatt: User, case: Case) -> None:
    first = plan(ansatt, case)
    with pytest.raises(ValidationError):
        plan(ansatt, case)
    services.relocation_cancel(acting_user=ansatt, relocation=first, reason="Ny plan.")
    assert plan(ansatt, case).status == RelocationStatus.PLANNED


def test_the_destination_is_kept_out_of_the_timeline_and_the_audit_log(
    ansatt: User, case: Case
) -> None:
    plan(ansatt, case)
    for summary in CaseEvent.objects.filter(case=case).values_list("summary", flat=True):
        assert "Fjordby" not in summary
    for event in AuditEvent.objects.all():
        assert "Fjordby" not in str(event.details)
        assert "Fjordby" not in event.object_id
    assert DESTINATION.startswith("Fjordby")


def test_a_closed_case_refuses_every_relocation_write(ansatt: User, case: Case) -> None:
    relocation = plan(ansatt, case)
    case_services.case_close(acting_user=ansatt, case=case, reason="relocated")
    relocation.case.refresh_from_db()
    with pytest.raises(CaseClosedError):
        plan(ansatt, case)
    with pytest.raises(CaseClosedError):
        services.relocation_record_police_choice(
            acting_user=ansatt, relocation=relocation, chosen_with_police=False
        )
    with pytest.raises(CaseClosedError):
        services.relocation_complete(acting_user=ansatt, relocation=relocation, handover="none")
    with pytest.raises(CaseClosedError):
        services.relocation_cancel(acting_user=ansatt, relocation=relocation, reason="Ny plan.")


def test_staff_of_another_centre_and_administrators_cannot_write(
    ansatt: User, administrator: User, other_staff: User, case: Case
) -> None:
    relocation = plan(ansatt, case)
    with pytest.raises(PermissionDenied):
        plan(other_staff, case)
    with pytest.raises(PermissionDenied):
        services.relocation_cancel(
            acting_user=other_staff, relocation=relocation, reason="Ny plan."
        )
    with pytest.raises(PermissionDenied):
        plan(administrator, case)
