"""Fixtures for police-contact tests (issue 5 parts 6-7: G3, G9, G11, G15, C1, P1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre, PoliceDistrict
from vern.consent.models import (
    Consent,
    ConsentForm,
    InformationCategory,
    InformationKind,
    InformationRecord,
    RecipientKind,
)
from vern.core import clock
from vern.police import services
from vern.police.models import PoliceContact

OFFENCE_196 = "straffeloven-274"  # grov kroppsskade: on the § 196 list
OFFENCE_NOT_196 = "straffeloven-263"  # trusler: not on the list

REPRISAL = {
    "routes": ["police_contacts_him"],
    "risk": "medium",
    "protections": ["stays_at_shelter", "alarm"],
    "note": "",
}


def hours_ago(hours: float) -> dt.datetime:
    return clock.now() - dt.timedelta(hours=hours)


def inform(case: Case, user: User, at: dt.datetime) -> InformationRecord:
    """G5/G15: the user was told about public prosecution at ``at``."""
    return InformationRecord.objects.create(
        centre_id=case.centre_id,
        case=case,
        kind=InformationKind.PUBLIC_PROSECUTION,
        given_by=user,
        given_at=at,
        language="nb",
    )


def give_consent(
    case: Case,
    user: User,
    *,
    given_at: dt.datetime,
    categories: list[str] | None = None,
    expires_at: dt.datetime | None = None,
    withdrawn_at: dt.datetime | None = None,
    police_district: str = "",
    recipient_kind: str = RecipientKind.POLICE,
) -> Consent:
    return Consent.objects.create(
        centre_id=case.centre_id,
        case=case,
        recipient_kind=recipient_kind,
        police_district=police_district,
        purpose="Sikkerhetstiltak",
        categories=categories
        if categories is not None
        else [InformationCategory.IDENTITY, InformationCategory.VIOLENCE],
        form=ConsentForm.WRITTEN,
        given_at=given_at,
        expires_at=expires_at,
        withdrawn_at=withdrawn_at,
        recorded_by=user,
    )


# L2: the record of a duty-to-avert contact besides the offence and why (what was done, why
# sharing was needed). L1: the complete record of a contact on the danger ground.
AVERT_RECORD: dict[str, Any] = {
    "avert_action": "report",
    "avert_action_note": "Ringte operasjonssentralen.",
    "necessity_why": "Politiet trengte navn og adresse for å rykke ut.",
    "user_not_told_why": "Brukeren informeres når faren er over.",
}
DANGER_RECORD: dict[str, Any] = {
    "legal_ground": "danger_to_life_or_health",
    "danger_what": "Utøveren har sagt at brukeren skal drepes i kveld.",
    "danger_consent": "refused",
    "danger_consent_why": "Brukeren er redd for represalier og vil ikke samtykke.",
    "necessity_why": "Politiet trengte navn og oppholdssted for å beskytte brukeren.",
    "decided_as": "staff_leader_told",
    "user_told_how": "Fortalt i samtale på senteret.",
}


def record(
    user: User, case: Case, *, confirm_deviation: bool = True, **overrides: Any
) -> PoliceContact:
    """A done contact on consent sharing the user's identity, with the G9 check (pass
    ``reprisal_check=None`` to leave it out). Confirmed, as staff confirm a deviation."""
    values: dict[str, Any] = {
        "status": "done",
        "contact_at": hours_ago(1),
        "police_district": PoliceDistrict.OSLO,
        "contact_role": "family_violence_coordinator",
        "channel": "phone",
        "shared_categories": [InformationCategory.IDENTITY],
        "legal_ground": "consent",
        "reprisal_check": REPRISAL,
    }
    values.update(overrides)
    return services.police_contact_record(
        acting_user=user,
        case=case,
        data=services.ContactInput(**values),
        confirm_deviation=confirm_deviation,
    )


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="P-1")


@pytest.fixture
def valid_consent(case: Case, ansatt: User) -> Consent:
    """Informed 3 days ago, consented 2 days ago to identity and violence, to the police."""
    inform(case, ansatt, hours_ago(72))
    return give_consent(case, ansatt, given_at=hours_ago(48))


@pytest.fixture
def other_staff(other_centre: Centre) -> User:
    return make_user(Role.ANSATT, other_centre)


@pytest.fixture
def other_case(other_staff: User) -> Case:
    return case_services.case_create(acting_user=other_staff, reference="KANARI-politi")
