"""G11: the duty to avert (straffeloven § 196) needs no consent, but is valid only with an
offence on the § 196 list and a written reason why it is certain or most likely."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_user
from tests.police.conftest import AVERT_RECORD, OFFENCE_196, OFFENCE_NOT_196, record
from vern.accounts.models import Role, User
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.police.models import Deviation, DeviationKind

pytestmark = pytest.mark.django_db

WHY = "Han sa i telefonen i kveld at han skal knivstikke henne i morgen."


def test_g11_duty_to_avert_without_consent_is_valid_with_a_196_offence_and_why(
    ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why=WHY,
    )
    assert contact.ground_valid is True
    assert contact.consent_id is None
    assert contact.duty_to_avert_decided_by_id == ansatt.pk  # default: the acting user
    assert not Deviation.objects.filter(case=case).exists()


def test_g11_a_leader_of_the_centre_can_be_recorded_as_the_one_who_decided(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why=WHY,
        duty_to_avert_decided_by=leder,
    )
    assert contact.duty_to_avert_decided_by_id == leder.pk


def test_g11_the_decider_must_work_at_the_centre(
    ansatt: User, case: Case, other_centre: Centre
) -> None:
    stranger = make_user(Role.LEDER, other_centre)
    with pytest.raises(ValidationError) as info:
        record(
            ansatt,
            case,
            legal_ground="duty_to_avert",
            **AVERT_RECORD,
            duty_to_avert_offences=[OFFENCE_196],
            duty_to_avert_why=WHY,
            duty_to_avert_decided_by=stranger,
        )
    assert "duty_to_avert_decided_by" in info.value.message_dict


def test_g11_an_offence_not_on_the_196_list_opens_a_deviation(ansatt: User, case: Case) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_NOT_196],
        duty_to_avert_why=WHY,
    )
    assert contact.ground_valid is False
    deviation = Deviation.objects.get(case=case)
    assert deviation.kind == DeviationKind.CONTACT_WITHOUT_GROUND
    assert deviation.reasons == ["offence_not_in_196_list"]


def test_g11_without_the_reason_why_the_contact_is_saved_with_a_deviation(
    ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="  ",
    )
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["why_missing"]


def test_g11_without_an_offence_the_contact_is_saved_with_a_deviation(
    ansatt: User, case: Case
) -> None:
    record(ansatt, case, legal_ground="duty_to_avert", duty_to_avert_why=WHY, **AVERT_RECORD)
    assert Deviation.objects.get(case=case).reasons == ["offence_missing"]


def test_an_offence_unknown_to_the_rulebook_is_refused_as_bad_input(
    ansatt: User, case: Case
) -> None:
    with pytest.raises(ValidationError) as info:
        record(
            ansatt,
            case,
            legal_ground="duty_to_avert",
            **AVERT_RECORD,
            duty_to_avert_offences=["finnes-ikke"],
            duty_to_avert_why=WHY,
        )
    assert "duty_to_avert_offences" in info.value.message_dict
