"""L1 (krisesenterlova § 5 second paragraph) and L2 (straffeloven § 196): a contact without
consent is valid only with its record; each missing piece is a reason code and, on a done
contact, a deviation. Unconfirmed, nothing is saved (issue 16: one legal check, one place)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.police.conftest import (
    AVERT_RECORD,
    DANGER_RECORD,
    OFFENCE_196,
    OFFENCE_NOT_196,
    hours_ago,
    record,
)
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.police import ground, selectors, services
from vern.police.models import Deviation, DeviationKind, PoliceContact

pytestmark = pytest.mark.django_db

WHY = "Utøveren sa i telefonen i kveld at brukeren skal knivstikkes i morgen."


def _danger(user: User, case: Case, **overrides: Any) -> PoliceContact:
    values = {**DANGER_RECORD, "leader_told_at": hours_ago(0.5), "user_told_at": hours_ago(0.2)}
    values.update(overrides)
    return record(user, case, **values)


def _avert(user: User, case: Case, **overrides: Any) -> PoliceContact:
    values: dict[str, Any] = {
        "legal_ground": "duty_to_avert",
        "duty_to_avert_offences": [OFFENCE_196],
        "duty_to_avert_why": WHY,
        **AVERT_RECORD,
    }
    values.update(overrides)
    return record(user, case, **values)


def test_l1_a_danger_contact_with_its_record_is_valid_and_the_leader_sees_it(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = _danger(ansatt, case)
    assert contact.ground_valid is True
    assert contact.consent_id is None
    assert not Deviation.objects.filter(case=case).exists()
    assert [c.pk for c in selectors.leader_overview(user=leder).danger] == [contact.pk]
    assert [c.pk for c in selectors.leader_overview(user=leder).no_consent] == [contact.pk]


def test_l1_a_leader_who_decided_needs_no_time_the_leader_was_told(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = _danger(
        ansatt, case, decided_as="leader", duty_to_avert_decided_by=leder, leader_told_at=None
    )
    assert contact.ground_valid is True
    assert contact.duty_to_avert_decided_by_id == leder.pk


def test_l1_a_reason_why_the_user_is_not_told_yet_is_enough_and_is_shown_as_not_yet(
    ansatt: User, case: Case
) -> None:
    contact = _danger(
        ansatt, case, user_told_at=None, user_told_how="", user_not_told_why="Sover nå."
    )
    assert contact.ground_valid is True
    assert services.user_told_missing(contact) is True


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ({"danger_what": ""}, "danger_what_missing"),
        ({"danger_consent": ""}, "danger_consent_missing"),
        ({"danger_consent_why": " "}, "danger_consent_missing"),
        ({"necessity_why": ""}, "necessity_missing"),
        ({"shared_categories": [], "reprisal_check": None}, "shared_missing"),
        ({"decided_as": ""}, "decided_missing"),
        ({"leader_told_at": None}, "leader_told_missing"),
        ({"decided_as": "leader"}, "decider_not_leader"),
        ({"user_told_at": None, "user_told_how": ""}, "user_told_missing"),
    ],
)
def test_l1_each_missing_piece_of_the_danger_record_is_its_reason_and_a_deviation(
    ansatt: User, case: Case, missing: dict[str, Any], code: str
) -> None:
    contact = _danger(ansatt, case, **missing)
    assert contact.ground_valid is False
    deviation = Deviation.objects.get(case=case)
    assert deviation.kind == DeviationKind.CONTACT_WITHOUT_GROUND
    assert deviation.reasons == [code]
    assert services.reason_label(code) != code


def test_l2_the_duty_to_avert_with_its_record_is_valid(ansatt: User, case: Case) -> None:
    assert _avert(ansatt, case).ground_valid is True


def test_l2_one_listed_and_one_unlisted_offence_is_not_the_duty_to_avert(
    ansatt: User, case: Case
) -> None:
    """Every named offence must be on the § 196 list: fails if ``all`` becomes ``any``."""
    contact = _avert(ansatt, case, duty_to_avert_offences=[OFFENCE_196, OFFENCE_NOT_196])
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["offence_not_in_196_list"]


def test_l2_a_threat_under_264_alone_is_not_the_duty_to_avert(ansatt: User, case: Case) -> None:
    contact = _avert(ansatt, case, duty_to_avert_offences=["straffeloven-264"])
    assert Deviation.objects.get(case=case).reasons == ["offence_not_in_196_list"]
    assert contact.ground_valid is False


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ({"avert_action": ""}, "avert_action_missing"),
        ({"avert_action_note": ""}, "avert_action_missing"),
        ({"necessity_why": ""}, "necessity_missing"),
    ],
)
def test_l2_what_was_done_and_why_it_was_needed_are_required(
    ansatt: User, case: Case, missing: dict[str, Any], code: str
) -> None:
    contact = _avert(ansatt, case, **missing)
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == [code]


def test_l2_the_user_told_is_recorded_afterwards_and_the_leader_sees_it_missing_until_then(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = _avert(ansatt, case, user_not_told_why="")
    assert contact.ground_valid is True
    assert services.user_told_missing(contact) is True
    services.police_contact_user_told_add(
        acting_user=ansatt,
        contact=contact,
        user_told_at=hours_ago(0.1),
        user_told_how="Fortalt i samtale.",
    )
    contact.refresh_from_db()
    assert services.user_told_missing(contact) is False
    assert contact.user_told_added_at is not None
    event = AuditEvent.objects.get(reason="user_told_added")
    assert "Fortalt" not in str(event.details)
    with pytest.raises(ValidationError):
        services.police_contact_user_told_add(
            acting_user=ansatt, contact=contact, user_told_at=hours_ago(0), user_told_how="x"
        )


def test_an_unconfirmed_done_contact_with_an_invalid_ground_saves_nothing(
    ansatt: User, case: Case
) -> None:
    with pytest.raises(ground.DeviationNeedsConfirmation) as info:
        _danger(ansatt, case, danger_what="", confirm_deviation=False)
    assert info.value.reasons == ["danger_what_missing"]
    assert not PoliceContact.objects.filter(case=case).exists()
    assert not Deviation.objects.filter(case=case).exists()


def test_a_plan_on_the_danger_ground_is_saved_unconfirmed_without_a_deviation(
    ansatt: User, case: Case
) -> None:
    contact = _danger(ansatt, case, status="planned", danger_what="", confirm_deviation=False)
    assert contact.ground_valid is False
    assert services.contact_reasons(contact) == ["danger_what_missing"]
    assert not Deviation.objects.filter(case=case).exists()


def test_only_the_chosen_grounds_own_fields_are_kept(ansatt: User, case: Case) -> None:
    contact = record(ansatt, case, legal_ground="anonymous", shared_categories=["violence"],
                     danger_what="Fare", necessity_why="Fordi", avert_action="report")  # fmt: skip
    assert (contact.danger_what, contact.necessity_why, contact.avert_action) == ("", "", "")


def test_the_audit_event_holds_short_codes_only(ansatt: User, case: Case) -> None:
    contact = _danger(ansatt, case)
    event = AuditEvent.objects.get(action="police_contact_recorded", object_id=str(contact.pk))
    assert event.details["decided_as"] == "staff_leader_told"
    assert event.details["danger_consent"] == "refused"
    assert event.details["user_told"] == "told"
    assert "drepes" not in str(event.details)


def test_the_ground_check_needs_no_database_for_the_no_consent_grounds() -> None:
    data = ground.ContactInput(
        contact_at=hours_ago(1),
        police_district="oslo",
        contact_role="operations_centre",
        channel="phone",
        legal_ground="duty_to_avert",
        shared_categories=["identity"],
        duty_to_avert_offences=[OFFENCE_196, OFFENCE_NOT_196],
        duty_to_avert_why=WHY,
        avert_action="other_way",
        avert_action_note="Fikk brukeren i sikkerhet.",
        necessity_why="Trengte navn.",
    )
    assert ground.duty_to_avert_reasons(data, at=data.contact_at) == ["offence_not_in_196_list"]
    listed = data.replace(duty_to_avert_offences=[OFFENCE_196])
    assert ground.duty_to_avert_reasons(listed, at=data.contact_at) == []
