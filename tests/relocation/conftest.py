"""Fixtures for relocation tests (G14, R1-R3)."""

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
from vern.police.ground import ContactInput
from vern.police.models import PoliceContact
from vern.relocation import services
from vern.relocation.models import PoliceEnd, Relocation

REPRISAL = {
    "routes": ["police_contacts_him"],
    "risk": "medium",
    "protections": ["stays_at_shelter", "alarm"],
    "note": "",
}

DESTINATION = "Fjordby krisesenter HEMMELIG"


def hours_ago(hours: float) -> dt.datetime:
    return clock.now() - dt.timedelta(hours=hours)


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="R-flytt")


@pytest.fixture
def other_staff(other_centre: Centre) -> User:
    return make_user(Role.ANSATT, other_centre)


@pytest.fixture
def other_case(other_staff: User) -> Case:
    return case_services.case_create(acting_user=other_staff, reference="KANARI-flytt")


def plan(user: User, case: Case, **overrides: object) -> Relocation:
    values: dict[str, object] = {
        "reason": "Utøveren vet hvor senteret ligger.",
        "destination_name": DESTINATION,
        "destination_police_district": PoliceDistrict.VEST,
        "chosen_with_user": True,
        "chosen_with_police": True,
        "planned_on": clock.today() + dt.timedelta(days=3),
    }
    values.update(overrides)
    return services.relocation_plan(acting_user=user, case=case, **values)  # type: ignore[arg-type]


@pytest.fixture
def relocation(ansatt: User, case: Case) -> Relocation:
    return plan(ansatt, case)


@pytest.fixture
def other_relocation(other_staff: User, other_case: Case) -> Relocation:
    return plan(other_staff, other_case, destination_name="KANARI-mål")


def police_consent(user: User, case: Case, **overrides: Any) -> Consent:
    """Informed about public prosecution (G15), then a consent to the police (any district)
    covering the user's identity and what happened."""
    if not InformationRecord.objects.filter(
        case=case, kind=InformationKind.PUBLIC_PROSECUTION
    ).exists():
        InformationRecord.objects.create(
            centre_id=case.centre_id,
            case=case,
            kind=InformationKind.PUBLIC_PROSECUTION,
            given_by=user,
            given_at=hours_ago(80),
            language="nb",
        )
    values: dict[str, Any] = {
        "centre_id": case.centre_id,
        "case": case,
        "recipient_kind": RecipientKind.POLICE,
        "purpose": "Sikkerhet ved flytting",
        "categories": [InformationCategory.IDENTITY, InformationCategory.VIOLENCE],
        "form": ConsentForm.WRITTEN,
        "given_at": hours_ago(72),
        "recorded_by": user,
    }
    values.update(overrides)
    return Consent.objects.create(**values)


def contact_at_end(
    user: User,
    relocation: Relocation,
    end: str,
    *,
    at: dt.datetime,
    consent: Consent | None = None,
    confirm_deviation: bool = False,
    **overrides: Any,
) -> PoliceContact:
    """A police contact at one end of the move, through the relocation (the police service)."""
    if consent is None:
        consent = police_consent(user, relocation.case)
    values: dict[str, Any] = {
        "status": "done",
        "contact_at": at,
        "police_district": PoliceDistrict.OSLO,
        "contact_role": "family_violence_coordinator",
        "channel": "phone",
        "shared_categories": [InformationCategory.IDENTITY],
        "legal_ground": "consent",
        "consent": consent,
        "reprisal_check": REPRISAL,
    }
    values.update(overrides)
    return services.relocation_police_contact_record(
        acting_user=user,
        relocation=relocation,
        end=end,
        data=ContactInput(**values),
        confirm_deviation=confirm_deviation,
    )


def police_at_both_ends(
    user: User,
    relocation: Relocation,
    *,
    departure_at: dt.datetime | None = None,
    destination_at: dt.datetime | None = None,
) -> Relocation:
    consent = police_consent(user, relocation.case)
    contact_at_end(
        user, relocation, PoliceEnd.DEPARTURE, at=departure_at or hours_ago(5), consent=consent
    )
    contact_at_end(
        user,
        relocation,
        PoliceEnd.DESTINATION,
        at=destination_at or hours_ago(4),
        consent=consent,
    )
    relocation.refresh_from_db()
    return relocation


def handover_consent(
    user: User,
    case: Case,
    *,
    categories: list[str] | None = None,
    given_at: dt.datetime | None = None,
    withdrawn_at: dt.datetime | None = None,
    recipient_kind: str = RecipientKind.CRISIS_CENTRE,
    recipient_unit: str = "Nytt krisesenter",
) -> Consent:
    """A consent to the new crisis centre covering the risk mapping (R3)."""
    return Consent.objects.create(
        centre_id=case.centre_id,
        case=case,
        recipient_kind=recipient_kind,
        recipient_unit=recipient_unit,
        purpose="Kartleggingen følger med ved flytting",
        categories=categories if categories is not None else [InformationCategory.RISK_MAPPING],
        form=ConsentForm.WRITTEN,
        written_method="on_screen",
        signed_by_name="Bruker",
        given_at=given_at or hours_ago(24),
        withdrawn_at=withdrawn_at,
        recorded_by=user,
    )
