"""The joint assessment (G6, G7) with the rules engine: the K1 gate, the append-only chain, the
facts as `vern assess` takes them, derived factors 7 and 8, the danger ground (L1), factor 9
outside the § 196 list (L2) and a pending child welfare concern (B1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from tests.assessments.helpers import (
    assess,
    consent_to_police,
    inform,
    make_case,
    make_child,
    map_user,
)
from vern.accounts.models import User
from vern.assessments import services
from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import CaseEvent
from vern.core import clock
from vern.rules import evaluate, load_rulebook, parse_facts

pytestmark = pytest.mark.django_db


def test_k1_assessment_cannot_be_completed_without_a_risk_mapping(ansatt: User) -> None:
    case = make_case(ansatt)
    with pytest.raises(ValidationError) as info:
        assess(ansatt, case, None, {"great_danger": True})
    assert "risk_mapping" in info.value.message_dict
    assert not Assessment.objects.exists()


def test_k1_a_childs_mapping_or_another_cases_mapping_does_not_count(ansatt: User) -> None:
    case = make_case(ansatt)
    child = make_child(ansatt, case)
    child_mapping = services.risk_mapping_record(
        acting_user=ansatt, case=case, child=child, method="guidance_questions", result="yes"
    )
    other_mapping = map_user(ansatt, make_case(ansatt), "yes")
    for mapping in (child_mapping, other_mapping):
        with pytest.raises(ValidationError) as info:
            assess(ansatt, case, mapping)
        assert "risk_mapping" in info.value.message_dict


def test_g7_stores_facts_as_vern_assess_takes_them_and_the_engine_outcome(ansatt: User) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "yes")
    assessment = assess(
        ansatt, case, mapping, {"great_danger": True}, offences=("straffeloven-263",)
    )
    today = clock.today()
    assert assessment.facts == {
        "on": today.isoformat(),
        "risk_of_new_serious_violence": "yes",
        "factors": {
            "great_danger": True,
            "threat_picture_unclear": False,
            "needs_information_only_police_have": False,
            "needs_police_or_court_safety_measures": False,
            "needs_relocation_for_safety": False,
            "user_wants_to_report": False,
            "user_consents": False,
            "user_informed_about_public_prosecution": False,
            "duty_to_avert": False,
        },
        "consent_form": None,
        "suspected_offences": ["straffeloven-263"],
        "danger_to_life_or_health": False,
        "child_welfare_concern": False,
    }
    book = load_rulebook()
    expected = evaluate(parse_facts(assessment.facts, rulebook=book), book).to_dict(lang="nb")
    assert assessment.outcome == expected
    assert assessment.police_involvement == "recommended"
    assert assessment.next_step == "inform_about_public_prosecution"
    assert assessment.rulebook_id == book.meta.id
    assert assessment.rulebook_version == book.meta.version
    assert assessment.user_view == "Hun vil tenke på det."
    assert assessment.staff_judgement == "Vi ser behov."
    event = AuditEvent.objects.get(action="assessment_saved", object_id=str(assessment.pk))
    assert event.details == {
        "police_involvement": "recommended",
        "next_step": "inform_about_public_prosecution",
        "no_consent_grounds": "",
        "rulebook_version": book.meta.version,
        "mapping_incomplete": False,
        "mapping_gaps": 0,
        "date_chosen": False,
    }
    assert CaseEvent.objects.filter(case=case, kind="assessment").count() == 1


def test_append_only_each_assessment_supersedes_the_previous_and_never_changes_it(
    ansatt: User,
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "no")
    first = assess(ansatt, case, mapping)
    first_row = Assessment.objects.filter(pk=first.pk).values().get()
    second = assess(ansatt, case, mapping, {"needs_police_or_court_safety_measures": True})
    third = assess(ansatt, case, mapping, {"great_danger": True})
    assert first.supersedes is None
    assert second.supersedes == first
    assert third.supersedes == second
    assert Assessment.objects.filter(pk=first.pk).values().get() == first_row
    assert [a.police_involvement for a in Assessment.objects.filter(case=case)] == [
        "recommended",
        "required",
        "not_indicated",
    ]
    with pytest.raises(ProtectedError):
        first.delete()


def test_derived_factor_8_comes_from_the_public_prosecution_record(ansatt: User) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case)
    inform(ansatt, case)
    assessment = assess(ansatt, case, mapping)
    assert assessment.factors["user_informed_about_public_prosecution"] is True
    assert assessment.factors["user_consents"] is False


def test_derived_factor_7_needs_a_valid_police_consent_and_takes_its_form(ansatt: User) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "yes")
    inform(ansatt, case, clock.now() - dt.timedelta(hours=1))
    consent_to_police(ansatt, case, expires_at=clock.now() - dt.timedelta(minutes=1))
    expired = assess(ansatt, case, mapping)
    assert expired.factors["user_consents"] is False
    assert expired.consent_form == ""
    consent_to_police(ansatt, case, form="verbal")
    valid = assess(ansatt, case, mapping)
    assert valid.factors["user_consents"] is True
    assert valid.consent_form == "verbal"
    assert valid.facts["consent_form"] == "verbal"
    assert valid.next_step == "contact_police"


def test_derived_factors_cannot_be_ticked(ansatt: User) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case)
    for name in ("user_consents", "user_informed_about_public_prosecution"):
        with pytest.raises(ValidationError) as info:
            assess(ansatt, case, mapping, {name: True})
        assert "factors" in info.value.message_dict


def test_unknown_offence_is_refused(ansatt: User) -> None:
    case = make_case(ansatt)
    with pytest.raises(ValidationError) as info:
        assess(ansatt, case, map_user(ansatt, case), offences=("straffeloven-999",))
    assert "suspected_offences" in info.value.message_dict


def test_closed_case_refuses_an_assessment(ansatt: User) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    with pytest.raises(case_services.CaseClosedError):
        assess(ansatt, case, mapping)


def test_l1_the_danger_ground_is_stored_and_lifts_the_need_for_consent(ansatt: User) -> None:
    """L1: ticked in the assessment, given to the engine, kept on the row and copied by a
    re-derivation (a consent or information record does not drop it)."""
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "yes")
    assessment = services.assessment_record(
        acting_user=ansatt,
        case=case,
        risk_mapping=mapping,
        factors={"great_danger": True},
        factor_notes={"danger_to_life_or_health": "Trusler om drap i kveld."},
        user_participated=True,
        danger_to_life_or_health=True,
    )
    assert assessment.danger_to_life_or_health is True
    assert assessment.facts["danger_to_life_or_health"] is True
    assert assessment.factor_notes["danger_to_life_or_health"] == "Trusler om drap i kveld."
    assert assessment.outcome["consent_needed"] is False
    assert assessment.outcome["no_consent_grounds"] == ["danger_to_life_or_health"]
    assert assessment.next_step == "contact_police_to_prevent_danger"
    event = AuditEvent.objects.get(action="assessment_saved", object_id=str(assessment.pk))
    assert event.details["no_consent_grounds"] == "danger_to_life_or_health"
    assert "Trusler" not in str(event.details)
    inform(ansatt, case)
    again = services.assessment_reevaluate(acting_user=ansatt, case=case, cause="information")
    assert again is not None
    assert again.danger_to_life_or_health is True
    assert again.next_step == "contact_police_to_prevent_danger"


def test_l2_factor_9_with_an_offence_outside_the_196_list_is_not_the_duty_to_avert(
    ansatt: User,
) -> None:
    case = make_case(ansatt)
    assessment = assess(
        ansatt, case, map_user(ansatt, case, "no"), {"duty_to_avert": True},
        offences=("straffeloven-264",),
    )  # fmt: skip
    assert assessment.outcome["consent_needed"] is True
    assert assessment.next_step != "contact_police_under_duty_to_avert"
    assert "name_offence_for_duty_to_avert" in {a["id"] for a in assessment.outcome["actions"]}


def test_b1_a_pending_child_welfare_concern_adds_the_notification_to_the_assessment(
    ansatt: User,
) -> None:
    """B1: the engine's child_welfare_concern fact comes from the records: a concern without a
    notification adds notify_child_welfare_services; once notified, the next assessment has no
    such action."""
    from vern.childwelfare import services as childwelfare_services

    case = make_case(ansatt)
    child = make_child(ansatt, case, "Barn 1")
    mapping = map_user(ansatt, case, "no")
    assert assess(ansatt, case, mapping).child_welfare_concern is False
    concern = childwelfare_services.concern_record(
        acting_user=ansatt, case=case, child=child, grounds=["mistreated"], reason="Blåmerker."
    )
    assessment = assess(ansatt, case, mapping)
    assert assessment.child_welfare_concern is True
    assert assessment.facts["child_welfare_concern"] is True
    actions = {a["id"]: a for a in assessment.outcome["actions"]}
    assert set(actions["notify_child_welfare_services"]["basis"]) == {
        "krisesenterlova-6",
        "barnevernsloven-13-2",
    }
    childwelfare_services.notification_record(
        acting_user=ansatt,
        case=case,
        concerns=[concern],
        sent_on=clock.today(),
        service="Barnevernstjenesten i kommunen",
        channel="phone",
        shared_categories=[],
        shared_summary="Det barnet fortalte.",
        sent_by=ansatt,
        user_told="yes",
        user_told_on=clock.today(),
        user_told_how="I samtale.",
    )
    after = assess(ansatt, case, mapping)
    assert after.child_welfare_concern is False
    assert "notify_child_welfare_services" not in {a["id"] for a in after.outcome["actions"]}
