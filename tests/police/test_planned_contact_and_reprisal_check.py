"""G9: the reprisal-risk check is required for every contact the perpetrator could learn of,
planned or done, and when a plan without it is completed; under the duty to avert (G11) it never
blocks, and a missing check is shown to the leader. A planned contact is saved even before its
ground is valid, and the ground is checked again when it is marked done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.police.conftest import (
    AVERT_RECORD,
    OFFENCE_196,
    REPRISAL,
    give_consent,
    hours_ago,
    inform,
    record,
)
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent.models import Consent, InformationCategory
from vern.core import clock
from vern.police import selectors, services
from vern.police.models import ContactStatus, Deviation, PoliceContact

pytestmark = pytest.mark.django_db


def tomorrow() -> dt.datetime:
    return clock.now() + dt.timedelta(days=1)


def test_g9_a_planned_contact_without_the_reprisal_check_is_refused(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    with pytest.raises(ValidationError) as info:
        record(
            ansatt,
            case,
            status="planned",
            contact_at=tomorrow(),
            consent=valid_consent,
            reprisal_check=None,
        )
    errors = info.value.message_dict
    assert {"reprisal_routes", "reprisal_risk", "reprisal_protections"} <= set(errors)
    assert not case.police_contacts.exists()


def test_g9_a_planned_contact_stores_the_reprisal_check(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=tomorrow(),
        consent=valid_consent,
        reprisal_check={**REPRISAL, "note": "Han følger med på telefonen hennes."},
    )
    assert contact.status == ContactStatus.PLANNED
    assert contact.reprisal_check["risk"] == "medium"
    assert contact.reprisal_check["protections"] == ["stays_at_shelter", "alarm"]
    assert contact.reprisal_check["note"] == "Han følger med på telefonen hennes."
    event = AuditEvent.objects.get(action="police_contact_recorded", object_id=str(contact.pk))
    assert event.details["reprisal_risk"] == "medium"
    assert "Han følger" not in str(event.details)


def test_g9_other_needs_a_description(ansatt: User, case: Case, valid_consent: Consent) -> None:
    with pytest.raises(ValidationError) as info:
        record(
            ansatt,
            case,
            status="planned",
            contact_at=tomorrow(),
            consent=valid_consent,
            reprisal_check={**REPRISAL, "routes": ["other"]},
        )
    assert "reprisal_routes_other" in info.value.message_dict


def test_g9_a_done_contact_on_consent_without_the_check_is_refused_as_bad_input(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    """The walk-through: done, consent ground, no reprisal fields, saved as valid."""
    with pytest.raises(ValidationError) as info:
        record(ansatt, case, consent=valid_consent, reprisal_check=None)
    assert {"reprisal_routes", "reprisal_risk", "reprisal_protections"} <= set(
        info.value.message_dict
    )
    assert not case.police_contacts.exists()


@pytest.mark.parametrize(
    ("ground", "categories"),
    [
        ("none", [InformationCategory.IDENTITY, InformationCategory.ADDRESS]),
        ("anonymous", [InformationCategory.PERPETRATOR]),
    ],
)
def test_g9_a_done_contact_sharing_identifying_information_needs_the_check(
    ansatt: User, case: Case, ground: str, categories: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        record(ansatt, case, legal_ground=ground, shared_categories=categories, reprisal_check=None)
    assert "reprisal_risk" in info.value.message_dict
    assert not case.police_contacts.exists()
    assert not Deviation.objects.filter(case=case).exists()


def test_g9_a_done_anonymous_discussion_of_what_happened_needs_no_check(
    ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="anonymous",
        shared_categories=[InformationCategory.VIOLENCE],
        reprisal_check=None,
    )
    assert contact.reprisal_check == {}
    assert services.reprisal_check_missing(contact) is False
    event = AuditEvent.objects.get(action="police_contact_recorded", object_id=str(contact.pk))
    assert event.details["reprisal_check"] == "not_needed"


def test_g9_g11_a_duty_to_avert_contact_without_the_check_is_saved_and_shown_as_missing(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Han er på vei med kniv nå.",
        reprisal_check=None,
    )
    assert contact.ground_valid is True
    assert services.reprisal_check_missing(contact) is True
    event = AuditEvent.objects.get(action="police_contact_recorded", object_id=str(contact.pk))
    assert event.details["reprisal_check"] == "missing"
    assert [c.pk for c in selectors.leader_overview(user=leder).duty_to_avert] == [contact.pk]


def test_g9_a_duty_to_avert_contact_with_the_check_is_not_missing(ansatt: User, case: Case) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Han er på vei med kniv nå.",
    )
    assert services.reprisal_check_missing(contact) is False


def test_g9_completing_a_plan_without_the_check_requires_it(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    """A plan recorded before the check was required for it (no check stored)."""
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=clock.now() + dt.timedelta(minutes=1),
        consent=valid_consent,
    )
    PoliceContact.objects.filter(pk=contact.pk).update(reprisal_check={})
    contact.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.police_contact_complete(
            acting_user=ansatt, contact=contact, contact_at=clock.now()
        )
    assert "reprisal_risk" in info.value.message_dict
    contact.refresh_from_db()
    assert contact.status == ContactStatus.PLANNED
    done = services.police_contact_complete(
        acting_user=ansatt, contact=contact, contact_at=clock.now(), reprisal_check=REPRISAL
    )
    assert done.status == ContactStatus.DONE
    assert done.reprisal_check["risk"] == REPRISAL["risk"]


def test_g9_g11_completing_a_duty_to_avert_plan_without_the_check_is_not_blocked(
    ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=clock.now() + dt.timedelta(minutes=1),
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Han er på vei med kniv nå.",
        reprisal_check=None,
    )
    done = services.police_contact_complete(
        acting_user=ansatt, contact=contact, contact_at=clock.now()
    )
    assert done.status == ContactStatus.DONE
    assert services.reprisal_check_missing(done) is True


def test_a_planned_contact_without_valid_ground_is_kept_without_a_deviation_yet(
    ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=tomorrow(),
        consent=None,
        reprisal_check=REPRISAL,
    )
    assert contact.ground_valid is False
    assert not Deviation.objects.filter(case=case).exists()


def test_a_done_contact_cannot_lie_in_the_future(ansatt: User, case: Case) -> None:
    with pytest.raises(ValidationError) as info:
        record(ansatt, case, contact_at=tomorrow(), legal_ground="anonymous", shared_categories=[])
    assert "contact_at" in info.value.message_dict


def test_p1_the_outcome_takes_measures_from_the_catalogue_without_any_report(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(
        ansatt,
        case,
        consent=valid_consent,
        measures_decided=["mobil-voldsalarm"],
        follow_up_on=clock.today() + dt.timedelta(days=7),
        outcome_note="Alarm utlevert.",
    )
    assert contact.measures_decided == ["mobil-voldsalarm"]
    with pytest.raises(ValidationError) as info:
        record(ansatt, case, consent=valid_consent, measures_decided=["finnes-ikke"])
    assert "measures_decided" in info.value.message_dict


def test_completing_a_plan_with_a_valid_consent_records_the_outcome(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=clock.now() + dt.timedelta(minutes=1),
        consent=valid_consent,
        reprisal_check=REPRISAL,
    )
    done = services.police_contact_complete(
        acting_user=ansatt,
        contact=contact,
        contact_at=clock.now(),
        measures_decided=["mobil-voldsalarm"],
        outcome_note="Alarm utlevert.",
    )
    assert done.status == ContactStatus.DONE
    assert done.ground_valid is True
    assert done.measures_decided == ["mobil-voldsalarm"]
    assert not Deviation.objects.filter(case=case).exists()
    with pytest.raises(ValidationError):
        services.police_contact_complete(acting_user=ansatt, contact=done)


def test_c1_consent_withdrawn_between_plan_and_contact_opens_a_deviation_on_completion(
    ansatt: User, case: Case
) -> None:
    inform(case, ansatt, hours_ago(72))
    consent = give_consent(case, ansatt, given_at=hours_ago(48))
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=hours_ago(0.5),
        consent=consent,
        reprisal_check=REPRISAL,
    )
    assert contact.ground_valid is True
    consent.withdrawn_at = hours_ago(1)
    consent.save()
    services.police_contact_complete(acting_user=ansatt, contact=contact, confirm_deviation=True)
    contact.refresh_from_db()
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["withdrawn"]
