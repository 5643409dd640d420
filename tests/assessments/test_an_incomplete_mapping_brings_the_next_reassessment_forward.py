"""K1, G8: an assessment that rests on an incomplete mapping (the user's risk unclear, or a
child in the stay not mapped or mapped as unclear) gets the centre's shortest reassessment
interval, and the result page says who is not mapped. Staff may also choose an earlier date
than the automatic one (the rulebook's action "set a date to reassess safety"), never later."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.assessments.helpers import assess, make_case, make_child, map_user
from vern.accounts.models import User
from vern.assessments import services
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import CentreSettings
from vern.core import clock

pytestmark = pytest.mark.django_db


def _days(assessment_on: dt.date) -> int:
    return (assessment_on - clock.today()).days


def test_k1_g8_unclear_user_mapping_and_unmapped_children_get_the_shortest_interval(
    ansatt: User,
) -> None:
    # The walk-through: "Uavklart" for the user, three children not mapped, outcome
    # "not indicated" - it used to get 30 days.
    case = make_case(ansatt)
    for n in (1, 2, 3):
        make_child(ansatt, case, f"Barn {n}")
    assessment = assess(ansatt, case, map_user(ansatt, case, "unknown"))
    assert assessment.police_involvement == "not_indicated"
    assert _days(assessment.next_reassessment_on) == 7  # min(7, 14, 30)
    assert assessment.mapping_gaps == [
        {"who": "user", "child_id": None, "label": "", "problem": "unknown"},
        *(
            {"who": "child", "child_id": child.pk, "label": child.label, "problem": "not_mapped"}
            for child in case.children.order_by("created_at", "id")
        ),
    ]
    case.refresh_from_db()
    assert case.next_reassessment_on == assessment.next_reassessment_on
    event = AuditEvent.objects.get(action="assessment_saved", object_id=str(assessment.pk))
    assert event.details["mapping_incomplete"] is True
    assert event.details["mapping_gaps"] == 4


def test_g8_a_complete_mapping_keeps_the_interval_of_the_outcome(ansatt: User) -> None:
    case = make_case(ansatt)
    child = make_child(ansatt, case)
    services.risk_mapping_record(
        acting_user=ansatt, case=case, child=child, method="guidance_questions", result="no"
    )
    assessment = assess(ansatt, case, map_user(ansatt, case, "no"))
    assert assessment.mapping_gaps == []
    assert _days(assessment.next_reassessment_on) == 30


def test_k1_one_unmapped_child_is_enough_and_an_unclear_child_mapping_counts(
    ansatt: User,
) -> None:
    case = make_case(ansatt)
    mapped = make_child(ansatt, case, "Barn 1")
    services.risk_mapping_record(
        acting_user=ansatt, case=case, child=mapped, method="guidance_questions", result="unknown"
    )
    assessment = assess(ansatt, case, map_user(ansatt, case, "no"))
    assert [(g["label"], g["problem"]) for g in assessment.mapping_gaps] == [("Barn 1", "unknown")]
    assert _days(assessment.next_reassessment_on) == 7


def test_g8_the_shortest_interval_is_the_centres_own(ansatt: User) -> None:
    CentreSettings.objects.update_or_create(
        centre_id=ansatt.centre_id,
        defaults={
            "reassess_days_required": 10,
            "reassess_days_recommended": 5,
            "reassess_days_not_indicated": 40,
        },
    )
    case = make_case(ansatt)
    make_child(ansatt, case)
    assessment = assess(ansatt, case, map_user(ansatt, case, "no"))
    assert _days(assessment.next_reassessment_on) == 5


def test_k1_a_child_marked_as_registered_in_error_is_not_a_gap(ansatt: User) -> None:
    case = make_case(ansatt)
    child = make_child(ansatt, case)
    case_services.child_remove(acting_user=ansatt, case=case, child=child, reason="duplicate")
    assessment = assess(ansatt, case, map_user(ansatt, case, "no"))
    assert assessment.mapping_gaps == []
    assert _days(assessment.next_reassessment_on) == 30


def test_the_result_page_says_why_and_who_is_not_mapped(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    make_child(ansatt, case, "Lillebror")
    assessment = assess(ansatt, case, map_user(ansatt, case, "unknown"))
    page = ansatt_client.get(f"/saker/{case.pk}/vurdering/{assessment.pk}/").content.decode()
    assert "Kartleggingen er ikke fullstendig" in page
    assert "korteste frist" in page
    assert "Lillebror: ikke kartlagt" in page
    assert "Brukeren: risikoen er uavklart" in page


def test_the_form_warns_before_saving_when_the_mapping_is_incomplete(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    make_child(ansatt, case, "Lillesøster")
    map_user(ansatt, case, "no")
    page = ansatt_client.get(f"/saker/{case.pk}/vurdering/ny/").content.decode()
    assert "Kartleggingen er ikke fullstendig" in page
    assert "Lillesøster: ikke kartlagt" in page


def test_g8_staff_may_choose_an_earlier_date_never_a_later_one(ansatt: User) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "no")
    earlier = clock.today() + dt.timedelta(days=3)
    chosen = services.assessment_record(
        acting_user=ansatt,
        case=case,
        risk_mapping=mapping,
        factors={},
        user_participated=True,
        next_reassessment_on=earlier,
    )
    assert chosen.next_reassessment_on == earlier
    assert chosen.next_reassessment_chosen is True
    for wrong in (clock.today() + dt.timedelta(days=31), clock.today() - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as info:
            services.assessment_record(
                acting_user=ansatt,
                case=case,
                risk_mapping=mapping,
                factors={},
                user_participated=True,
                next_reassessment_on=wrong,
            )
        assert "next_reassessment_on" in info.value.message_dict
    assert case.assessments.count() == 1


def test_a_later_date_gets_an_error_on_the_field_and_keeps_what_was_typed(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "no")
    late = clock.today() + dt.timedelta(days=60)
    response = ansatt_client.post(
        f"/saker/{case.pk}/vurdering/ny/",
        {
            "risk_mapping": str(mapping.pk),
            "user_participated": "yes",
            "user_view": "Hun vil vente og se.",
            "next_reassessment_on": late.isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "senere enn den automatiske datoen" in page
    assert "Hun vil vente og se." in page
    assert case.assessments.count() == 0
