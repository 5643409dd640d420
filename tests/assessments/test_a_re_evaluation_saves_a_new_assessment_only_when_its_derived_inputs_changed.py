"""Re-evaluation after a consent or a withdrawal: a superseding assessment with the same inputs
and the re-derived factor 7, nothing without an assessment, when nothing changed or on a closed
case."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.assessments.helpers import (
    assess,
    consent_to_police,
    inform,
    make_case,
    map_user,
)
from vern.accounts.models import User
from vern.assessments import services
from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.core import clock

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- re-evaluation — factors 7 and 8


def test_reevaluate_returns_none_without_an_assessment(ansatt: User) -> None:
    case = make_case(ansatt)
    inform(ansatt, case)
    assert (
        services.assessment_reevaluate(acting_user=ansatt, case=case, cause="information_given")
        is None
    )


def test_reevaluate_returns_none_when_nothing_changed(ansatt: User) -> None:
    case = make_case(ansatt)
    assess(ansatt, case, map_user(ansatt, case, "yes"), {"great_danger": True})
    assert (
        services.assessment_reevaluate(acting_user=ansatt, case=case, cause="consent_given") is None
    )
    assert Assessment.objects.filter(case=case).count() == 1


def test_reevaluate_after_consent_saves_a_superseding_assessment_with_the_same_inputs(
    ansatt: User,
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "yes")
    trigger = case_services.trigger_add(acting_user=ansatt, case=case, kind="new_threat")
    first = assess(ansatt, case, mapping, {"great_danger": True}, offences=("straffeloven-271",))
    assert first.next_step == "inform_about_public_prosecution"
    later_trigger = case_services.trigger_add(
        acting_user=ansatt, case=case, kind="perpetrator_contact"
    )
    inform(ansatt, case, clock.now() - dt.timedelta(minutes=10))
    consent_to_police(ansatt, case)
    second = services.assessment_reevaluate(acting_user=ansatt, case=case, cause="consent_given")
    assert second is not None
    assert second.supersedes == first
    assert second.cause == "consent_given"
    assert second.factors == {
        **first.factors,
        "user_consents": True,
        "user_informed_about_public_prosecution": True,
    }
    assert second.consent_form == "written"
    assert second.suspected_offences == ["straffeloven-271"]
    assert second.risk_mapping == mapping
    assert second.user_view == first.user_view
    assert second.next_step == "contact_police"
    # Not a new safety assessment: the date is not pushed back, events stay open.
    assert second.next_reassessment_on <= first.next_reassessment_on
    trigger.refresh_from_db()
    later_trigger.refresh_from_db()
    assert trigger.resolved_by == first
    assert later_trigger.resolved_by is None
    event = AuditEvent.objects.get(action="assessment_saved", object_id=str(second.pk))
    assert event.reason == "consent_given"


def test_reevaluate_after_withdrawal_drops_factor_7(ansatt: User) -> None:
    case = make_case(ansatt)
    inform(ansatt, case, clock.now() - dt.timedelta(hours=1))
    consent = consent_to_police(ansatt, case)
    first = assess(ansatt, case, map_user(ansatt, case, "yes"))
    assert first.factors["user_consents"] is True
    consent.withdrawn_at = clock.now()
    consent.save()
    second = services.assessment_reevaluate(
        acting_user=ansatt, case=case, cause="consent_withdrawn"
    )
    assert second is not None
    assert second.factors["user_consents"] is False
    assert second.consent_form == ""


def test_reevaluate_leaves_a_closed_case_alone(ansatt: User) -> None:
    case = make_case(ansatt)
    assess(ansatt, case, map_user(ansatt, case))
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    inform(ansatt, case)
    assert (
        services.assessment_reevaluate(acting_user=ansatt, case=case, cause="information_given")
        is None
    )
