"""Fixtures for relocation tests (G14, R1-R3)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre, PoliceDistrict
from vern.consent.models import Consent, ConsentForm, InformationCategory, RecipientKind
from vern.core import clock
from vern.relocation import services
from vern.relocation.models import Relocation

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


def police_at_both_ends(user: User, relocation: Relocation) -> Relocation:
    return services.relocation_record_police(
        acting_user=user,
        relocation=relocation,
        current_involved_at=hours_ago(5),
        destination_involved_at=hours_ago(4),
    )


def handover_consent(
    user: User,
    case: Case,
    *,
    categories: list[str] | None = None,
    given_at: dt.datetime | None = None,
    withdrawn_at: dt.datetime | None = None,
    recipient_kind: str = RecipientKind.CRISIS_CENTRE,
) -> Consent:
    """A consent to the new crisis centre covering the risk mapping (R3)."""
    return Consent.objects.create(
        centre_id=case.centre_id,
        case=case,
        recipient_kind=recipient_kind,
        recipient_unit="Nytt krisesenter",
        purpose="Kartleggingen følger med ved flytting",
        categories=categories if categories is not None else [InformationCategory.RISK_MAPPING],
        form=ConsentForm.WRITTEN,
        written_method="on_screen",
        signed_by_name="Bruker",
        given_at=given_at or hours_ago(24),
        withdrawn_at=withdrawn_at,
        recorded_by=user,
    )
