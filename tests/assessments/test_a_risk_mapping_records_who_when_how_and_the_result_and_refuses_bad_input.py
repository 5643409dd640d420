"""Risk mapping (K1): who, when, how and the result; children get their own entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assessments.helpers import make_case, make_child, map_user
from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.assessments import services
from vern.assessments.models import RiskMapping
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import CaseEvent
from vern.centres.models import Centre
from vern.core import clock

pytestmark = pytest.mark.django_db


def test_k1_mapping_records_who_when_method_and_result_with_audit_and_timeline(
    ansatt: User,
) -> None:
    case = make_case(ansatt)
    at = clock.now() - dt.timedelta(days=1)
    mapping = services.risk_mapping_record(
        acting_user=ansatt,
        case=case,
        mapped_at=at,
        method="guidance_questions",
        answers={"why_now": "  Han truet i går.  ", "weapons": "", "feared_for_life": "Ja"},
        result="yes",
        reasoning="Eskalering siste uke.",
    )
    assert mapping.mapped_by == ansatt
    assert mapping.mapped_at == at
    assert mapping.child is None
    # Stored by stable question id; empty answers are not kept.
    assert mapping.answers == {"why_now": "Han truet i går.", "feared_for_life": "Ja"}
    event = AuditEvent.objects.get(action="risk_mapping_saved", object_id=str(mapping.pk))
    assert event.details == {
        "method": "guidance_questions",
        "result": "yes",
        "for_child": False,
        "answers": 2,
    }
    assert CaseEvent.objects.filter(case=case, kind="risk_mapping").count() == 1


def test_k1_mapped_at_defaults_to_now(ansatt: User) -> None:
    case = make_case(ansatt)
    before = clock.now()
    mapping = map_user(ansatt, case)
    assert before <= mapping.mapped_at <= clock.now()


def test_k1_each_child_gets_its_own_mapping_entry(ansatt: User) -> None:
    case = make_case(ansatt)
    first = make_child(ansatt, case, "Barn 1")
    second = make_child(ansatt, case, "Barn 2")
    services.risk_mapping_record(
        acting_user=ansatt, case=case, child=first, method="guidance_questions", result="unknown"
    )
    services.risk_mapping_record(
        acting_user=ansatt, case=case, child=second, method="guidance_questions", result="yes"
    )
    assert RiskMapping.objects.filter(case=case, child=first).count() == 1
    assert RiskMapping.objects.filter(case=case, child=second).get().result == "yes"


def test_k1_a_child_of_another_case_is_refused(ansatt: User) -> None:
    case = make_case(ansatt)
    other_case = make_case(ansatt)
    child = make_child(ansatt, other_case)
    with pytest.raises(ValidationError) as info:
        services.risk_mapping_record(
            acting_user=ansatt, case=case, child=child, method="guidance_questions", result="no"
        )
    assert "child" in info.value.message_dict
    assert not RiskMapping.objects.exists()


def test_instrument_stores_only_name_and_result_never_items(ansatt: User) -> None:
    case = make_case(ansatt)
    mapping = services.risk_mapping_record(
        acting_user=ansatt,
        case=case,
        method="sara",
        result="yes",
        reasoning="SARA: høy risiko for ny vold.",
    )
    assert mapping.method == "sara"
    assert mapping.answers == {}
    assert mapping.reasoning == "SARA: høy risiko for ny vold."
    with pytest.raises(ValidationError) as info:
        services.risk_mapping_record(
            acting_user=ansatt,
            case=case,
            method="patriark",
            result="yes",
            answers={"why_now": "item 1: ..."},
        )
    assert "method" in info.value.message_dict


def test_other_instrument_needs_its_name(ansatt: User) -> None:
    case = make_case(ansatt)
    with pytest.raises(ValidationError) as info:
        services.risk_mapping_record(acting_user=ansatt, case=case, method="other", result="no")
    assert "method_other" in info.value.message_dict
    mapping = services.risk_mapping_record(
        acting_user=ansatt, case=case, method="other", method_other="Lokalt skjema", result="no"
    )
    assert mapping.method_other == "Lokalt skjema"


def test_unknown_question_ids_bad_result_and_future_time_are_refused(ansatt: User) -> None:
    case = make_case(ansatt)
    with pytest.raises(ValidationError) as info:
        services.risk_mapping_record(
            acting_user=ansatt,
            case=case,
            method="guidance_questions",
            result="maybe",
            answers={"not_a_question": "x"},
            mapped_at=clock.now() + dt.timedelta(days=2),
        )
    assert set(info.value.message_dict) == {"result", "answers", "mapped_at"}


def test_closed_case_refuses_a_mapping(ansatt: User) -> None:
    case = make_case(ansatt)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    with pytest.raises(case_services.CaseClosedError):
        map_user(ansatt, case)


def test_other_centre_and_administrator_cannot_map(
    ansatt: User, other_centre: Centre, administrator: User
) -> None:
    case = make_case(ansatt)
    stranger = make_user(Role.ANSATT, other_centre)
    with pytest.raises(PermissionDenied):
        map_user(stranger, case)
    with pytest.raises(PermissionDenied):
        map_user(administrator, case)
