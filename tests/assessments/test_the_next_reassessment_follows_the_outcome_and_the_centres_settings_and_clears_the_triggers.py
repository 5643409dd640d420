"""G8: the next reassessment date of a joint assessment, by its outcome with the default days or
the centre's own settings (leaders only, bounded); a joint assessment resolves the case's open
triggers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.assessments.helpers import (
    assess,
    make_case,
    map_user,
)
from vern.accounts.models import User
from vern.assessments import services
from vern.cases import services as case_services
from vern.cases.models import ReassessmentTrigger
from vern.core import clock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factors", "involvement", "days"),
    [
        ({"needs_police_or_court_safety_measures": True}, "required", 7),
        ({"great_danger": True}, "recommended", 14),
        ({}, "not_indicated", 30),
    ],
)
def test_g8_next_reassessment_date_by_outcome_with_default_days(
    ansatt: User, factors: dict[str, bool], involvement: str, days: int
) -> None:
    case = make_case(ansatt)
    assessment = assess(ansatt, case, map_user(ansatt, case), factors)
    assert assessment.police_involvement == involvement
    assert assessment.next_reassessment_on == clock.today() + dt.timedelta(days=days)
    case.refresh_from_db()
    assert case.next_reassessment_on == assessment.next_reassessment_on


def test_g8_next_reassessment_date_follows_the_centres_own_settings(
    ansatt: User, leder: User
) -> None:
    services.centre_settings_update(
        acting_user=leder,
        reassess_days_required=2,
        reassess_days_recommended=5,
        reassess_days_not_indicated=60,
    )
    case = make_case(ansatt)
    mapping = map_user(ansatt, case)
    assert assess(
        ansatt, case, mapping, {"needs_relocation_for_safety": True}
    ).next_reassessment_on == clock.today() + dt.timedelta(days=2)
    assert assess(
        ansatt, case, mapping, {"user_wants_to_report": True}
    ).next_reassessment_on == clock.today() + dt.timedelta(days=5)
    assert assess(ansatt, case, mapping).next_reassessment_on == clock.today() + dt.timedelta(
        days=60
    )


def test_g8_settings_are_leaders_only_and_bounded(ansatt: User, leder: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.centre_settings_update(
            acting_user=ansatt,
            reassess_days_required=1,
            reassess_days_recommended=1,
            reassess_days_not_indicated=1,
        )
    with pytest.raises(ValidationError) as info:
        services.centre_settings_update(
            acting_user=leder,
            reassess_days_required=0,
            reassess_days_recommended=14,
            reassess_days_not_indicated=400,
        )
    assert set(info.value.message_dict) == {"reassess_days_required", "reassess_days_not_indicated"}


def test_g8_a_joint_assessment_resolves_the_cases_open_triggers(ansatt: User) -> None:
    case = make_case(ansatt)
    other_case = make_case(ansatt)
    trigger = case_services.trigger_add(acting_user=ansatt, case=case, kind="new_threat")
    elsewhere = case_services.trigger_add(acting_user=ansatt, case=other_case, kind="court_date")
    assessment = assess(ansatt, case, map_user(ansatt, case))
    trigger.refresh_from_db()
    elsewhere.refresh_from_db()
    assert trigger.resolved_by == assessment
    assert elsewhere.resolved_by is None
    assert not ReassessmentTrigger.objects.filter(case=case, resolved_by__isnull=True).exists()
