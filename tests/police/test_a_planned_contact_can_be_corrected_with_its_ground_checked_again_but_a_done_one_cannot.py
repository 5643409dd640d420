"""A planned contact can be corrected before it happens (ground, consent, what is shared,
district, the G9 check), through the service, audited, with the ground checked again (G3, C1,
G9). A done contact is the record of what happened and is not edited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tests.police.conftest import REPRISAL, give_consent, hours_ago, inform, record
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent
from vern.cases.services import CaseClosedError
from vern.consent.models import Consent, InformationCategory
from vern.core import clock
from vern.police import services
from vern.police.models import ContactStatus, Deviation, PoliceContact

pytestmark = pytest.mark.django_db


def tomorrow() -> dt.datetime:
    return clock.now() + dt.timedelta(days=1)


@pytest.fixture
def plan_without_ground(ansatt: User, case: Case) -> PoliceContact:
    """The walk-through: planned, "Uten gyldig grunnlag", sharing name and address."""
    return record(
        ansatt,
        case,
        status="planned",
        contact_at=tomorrow(),
        legal_ground="none",
        shared_categories=[InformationCategory.IDENTITY, InformationCategory.ADDRESS],
    )


def _plan(contact: PoliceContact, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "contact_at": contact.contact_at,
        "police_district": contact.police_district,
        "contact_role": contact.contact_role,
        "channel": contact.channel,
        "legal_ground": contact.legal_ground,
        "shared_categories": contact.shared_categories,
        "reprisal_check": contact.reprisal_check,
    }
    values.update(overrides)
    return values


def test_g3_a_consent_obtained_after_the_plan_can_be_linked_and_makes_it_valid(
    ansatt: User, case: Case, plan_without_ground: PoliceContact
) -> None:
    assert plan_without_ground.ground_valid is False
    inform(case, ansatt, hours_ago(2))
    consent = give_consent(
        case,
        ansatt,
        given_at=hours_ago(1),
        categories=[InformationCategory.IDENTITY, InformationCategory.ADDRESS],
    )
    contact = services.police_contact_update(
        acting_user=ansatt,
        contact=plan_without_ground,
        data=services.ContactInput(
            **_plan(plan_without_ground, legal_ground="consent", consent=consent)
        ),
    )
    contact.refresh_from_db()
    assert contact.ground_valid is True
    assert contact.consent_id == consent.pk
    assert contact.status == ContactStatus.PLANNED
    event = AuditEvent.objects.get(action="police_contact_recorded", reason="updated")
    assert event.object_id == str(contact.pk)
    changed = {key for key, value in event.details.items() if key.endswith("_changed") and value}
    assert changed == {"ground_changed", "consent_changed"}
    assert event.details["ground_valid"] is True
    assert CaseEvent.objects.filter(case=case, kind="police_contact_updated").count() == 1
    assert not Deviation.objects.filter(case=case).exists()


def test_correcting_a_plan_checks_the_ground_again_and_opens_no_deviation(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, status="planned", contact_at=tomorrow(), consent=valid_consent)
    assert contact.ground_valid is True
    services.police_contact_update(
        acting_user=ansatt,
        contact=contact,
        data=services.ContactInput(
            **_plan(contact, legal_ground="anonymous", shared_categories=["identity"])
        ),
    )
    contact.refresh_from_db()
    assert contact.ground_valid is False
    assert contact.consent_id is None  # only the fields of the chosen ground are kept
    assert not Deviation.objects.filter(case=case).exists()


def test_g9_correcting_a_plan_keeps_the_reprisal_check_required(
    ansatt: User, case: Case, plan_without_ground: PoliceContact
) -> None:
    with pytest.raises(ValidationError) as info:
        services.police_contact_update(
            acting_user=ansatt,
            contact=plan_without_ground,
            data=services.ContactInput(**_plan(plan_without_ground, reprisal_check={})),
        )
    assert "reprisal_risk" in info.value.message_dict
    plan_without_ground.refresh_from_db()
    assert plan_without_ground.reprisal_check == REPRISAL | {
        "routes_other": "",
        "protections_other": "",
    }


def test_a_done_contact_cannot_be_corrected(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent)
    with pytest.raises(ValidationError):
        services.police_contact_update(
            acting_user=ansatt,
            contact=contact,
            data=services.ContactInput(**_plan(contact, legal_ground="none")),
        )
    contact.refresh_from_db()
    assert contact.legal_ground == "consent"


def test_a_plan_of_a_closed_case_or_another_centre_cannot_be_corrected(
    ansatt: User, other_staff: User, case: Case, plan_without_ground: PoliceContact
) -> None:
    with pytest.raises(PermissionDenied):
        services.police_contact_update(
            acting_user=other_staff,
            contact=plan_without_ground,
            data=services.ContactInput(**_plan(plan_without_ground)),
        )
    case_services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")
    plan_without_ground.refresh_from_db()
    with pytest.raises(CaseClosedError):
        services.police_contact_update(
            acting_user=ansatt,
            contact=plan_without_ground,
            data=services.ContactInput(**_plan(plan_without_ground)),
        )


# --------------------------------------------------------------------------- the pages


def _edit_url(contact: PoliceContact) -> str:
    return f"/saker/{contact.case_id}/politi/{contact.pk}/endre/"


def test_the_plan_pages_point_to_the_edit_page(
    ansatt_client: Client, plan_without_ground: PoliceContact
) -> None:
    base = f"/saker/{plan_without_ground.case_id}/politi/{plan_without_ground.pk}/"
    detail = ansatt_client.get(base).content.decode()
    assert "Planen har ikke gyldig grunnlag" in detail
    assert "ennå" not in detail
    assert _edit_url(plan_without_ground) in detail
    complete = ansatt_client.get(base + "gjennomfort/").content.decode()
    assert _edit_url(plan_without_ground) in complete
    at = timezone.localtime(hours_ago(1)).strftime("%Y-%m-%dT%H:%M")
    warned = ansatt_client.post(base + "gjennomfort/", {"contact_at": at})
    assert "Kontakten har ikke gyldig rettslig grunnlag" in warned.content.decode()
    assert _edit_url(plan_without_ground) in warned.content.decode()


def test_the_edit_page_shows_the_plan_and_saves_a_linked_consent(
    ansatt_client: Client, ansatt: User, case: Case, plan_without_ground: PoliceContact
) -> None:
    inform(case, ansatt, hours_ago(2))
    consent = give_consent(
        case,
        ansatt,
        given_at=hours_ago(1),
        categories=[InformationCategory.IDENTITY, InformationCategory.ADDRESS],
    )
    page = ansatt_client.get(_edit_url(plan_without_ground))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="none" id="id_legal_ground_4" checked' in html
    assert 'value="address" id="id_shared_categories_6" checked' in html
    data = {
        "contact_at": "2031-01-01T10:00",
        "police_district": "oslo",
        "contact_role": "family_violence_coordinator",
        "channel": "phone",
        "shared_categories": ["identity", "address"],
        "legal_ground": "consent",
        "consent": consent.pk,
        "reprisal_routes": REPRISAL["routes"],
        "reprisal_risk": REPRISAL["risk"],
        "reprisal_protections": REPRISAL["protections"],
    }
    response = ansatt_client.post(_edit_url(plan_without_ground), data)
    assert response.status_code == 302
    plan_without_ground.refresh_from_db()
    assert plan_without_ground.consent_id == consent.pk
    assert plan_without_ground.ground_valid is True


def test_the_edit_page_refuses_a_done_contact(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent)
    response = ansatt_client.post(_edit_url(contact), {"legal_ground": "none"})
    assert response.status_code == 302
    assert response["Location"] == f"/saker/{case.pk}/politi/{contact.pk}/"
    contact.refresh_from_db()
    assert contact.legal_ground == "consent"
