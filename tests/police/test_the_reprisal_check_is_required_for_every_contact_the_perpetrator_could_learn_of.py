"""G9: the reprisal-risk check is required for every contact the perpetrator could learn of,
planned or done, and when a plan without it is completed; under the duty to avert (G11) it never
blocks, and a missing check is shown to the leader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.police.conftest import (
    AVERT_RECORD,
    OFFENCE_196,
    REPRISAL,
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
