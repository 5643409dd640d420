"""G9, G11: under the duty to avert the reprisal-risk check never blocks the record (the police
are told at once) and the leader sees it missing. Afterwards the centre records it on the done
contact (page behind step-up, service audited): complete this time, stored with the moment it
was added, never overwriting a check that was made before the contact."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import login_verified
from tests.police.conftest import AVERT_RECORD, OFFENCE_196, REPRISAL, hours_ago, record
from vern.accounts.models import User
from vern.accounts.sessions import STEP_UP_AT
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent
from vern.cases.services import CaseClosedError
from vern.consent.models import Consent
from vern.police import services
from vern.police.models import PoliceContact

pytestmark = pytest.mark.django_db

WHY = "Han sa i telefonen i kveld at han skal knivstikke henne i morgen."
FORM = {
    "reprisal_routes": ["police_contacts_him", "acquaintances"],
    "reprisal_risk": "high",
    "reprisal_protections": ["stays_at_shelter"],
    "reprisal_note": "Politiet venter med å kontakte ham til hun er flyttet.",
}


def _duty_contact(user: User, case: Case, **overrides: Any) -> PoliceContact:
    """A done duty-to-avert contact recorded in a hurry, without the G9 check."""
    values: dict[str, Any] = {
        "legal_ground": "duty_to_avert",
        "duty_to_avert_offences": [OFFENCE_196],
        "duty_to_avert_why": WHY,
        **AVERT_RECORD,
        "reprisal_check": None,
    }
    values.update(overrides)
    contact = record(user, case, **values)
    assert services.reprisal_check_missing(contact)
    return contact


def _url(contact: PoliceContact) -> str:
    return f"/saker/{contact.case_id}/politi/{contact.pk}/represalier/"


def test_g9_the_contact_page_offers_to_record_the_missing_check(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    contact = _duty_contact(ansatt, case)
    html = ansatt_client.get(f"/saker/{case.pk}/politi/{contact.pk}/").content.decode()
    assert "Vurderingen av represalier mangler (G9)" in html
    assert f'href="{_url(contact)}"' in html


def test_g9_the_check_is_recorded_afterwards_and_the_leader_no_longer_sees_it_missing(
    ansatt_client: Client, ansatt: User, leder: User, case: Case
) -> None:
    contact = _duty_contact(ansatt, case)
    assert ansatt_client.get(_url(contact)).status_code == 200

    response = ansatt_client.post(_url(contact), FORM)

    assert response.status_code == 302
    assert response["Location"] == f"/saker/{case.pk}/politi/{contact.pk}/"
    contact.refresh_from_db()
    check = contact.reprisal_check
    assert check["routes"] == ["police_contacts_him", "acquaintances"]
    assert check["risk"] == "high"
    assert check["protections"] == ["stays_at_shelter"]
    assert check["note"] == FORM["reprisal_note"]
    assert check["added_at"]
    assert not services.reprisal_check_missing(contact)
    page = ansatt_client.get(response["Location"]).content.decode()
    assert "Registrert etter kontakten" in page
    assert "Vurderingen av represalier mangler" not in page
    leader_client = Client()
    login_verified(leader_client, leder)
    overview = leader_client.get("/senter/politi/").content.decode()
    row = overview[overview.index(f"/saker/{case.pk}/politi/{contact.pk}/") :]
    row = row[: row.index("</tr>")]
    assert "Registrert etter kontakten" in row
    assert "Mangler" not in row


def test_g9_adding_the_check_is_audited_with_codes_and_stands_on_the_timeline(
    ansatt: User, case: Case
) -> None:
    contact = _duty_contact(ansatt, case)
    services.police_contact_reprisal_check_add(
        acting_user=ansatt, contact=contact, reprisal_check=REPRISAL | {"note": "Hemmelig"}
    )
    event = AuditEvent.objects.get(
        action="police_contact_recorded", object_id=str(contact.pk), reason="reprisal_check_added"
    )
    assert event.details == {
        "status": "done",
        "ground": "duty_to_avert",
        "reprisal_risk": "medium",
        "reprisal_check": "recorded_after",
    }
    assert "Hemmelig" not in str(event.details)
    assert CaseEvent.objects.filter(case=case, kind="police_contact_reprisal_check").exists()


def test_g9_afterwards_the_check_must_be_complete(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    contact = _duty_contact(ansatt, case)
    response = ansatt_client.post(_url(contact), {"reprisal_note": "Skrevet før feilen"})
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("reprisal_routes", "reprisal_risk", "reprisal_protections"):
        assert f'id="id_{field}_error"' in html
    assert "Skrevet før feilen" in html  # nothing typed is lost
    contact.refresh_from_db()
    assert contact.reprisal_check == {}


def test_g9_a_too_long_note_is_an_error_on_its_field(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    contact = _duty_contact(ansatt, case)
    response = ansatt_client.post(_url(contact), FORM | {"reprisal_note": "x" * 4001})
    assert 'id="id_reprisal_note_error"' in response.content.decode()
    contact.refresh_from_db()
    assert contact.reprisal_check == {}


def test_g9_a_check_made_before_the_contact_is_never_overwritten(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent)  # with its check (REPRISAL)
    with pytest.raises(ValidationError):
        services.police_contact_reprisal_check_add(
            acting_user=ansatt, contact=contact, reprisal_check=REPRISAL | {"risk": "low"}
        )
    response = ansatt_client.post(_url(contact), FORM)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.reprisal_check["risk"] == "medium"


def test_g9_a_planned_contact_gets_its_check_by_correcting_the_plan(
    ansatt: User, case: Case
) -> None:
    plan = _duty_contact(ansatt, case, status="planned", contact_at=hours_ago(-24))
    with pytest.raises(ValidationError):
        services.police_contact_reprisal_check_add(
            acting_user=ansatt, contact=plan, reprisal_check=REPRISAL
        )
    plan.refresh_from_db()
    assert plan.reprisal_check == {}


def test_g9_a_closed_case_takes_no_check(ansatt_client: Client, ansatt: User, case: Case) -> None:
    contact = _duty_contact(ansatt, case)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    with pytest.raises(CaseClosedError):
        services.police_contact_reprisal_check_add(
            acting_user=ansatt, contact=contact, reprisal_check=REPRISAL
        )
    assert ansatt_client.post(_url(contact), FORM)["Location"] == f"/saker/{case.pk}/"
    contact.refresh_from_db()
    assert contact.reprisal_check == {}


def test_g9_the_page_needs_a_fresh_step_up(ansatt_client: Client, ansatt: User, case: Case) -> None:
    contact = _duty_contact(ansatt, case)
    session = ansatt_client.session
    session.pop(STEP_UP_AT, None)
    session.save()
    for response in (ansatt_client.get(_url(contact)), ansatt_client.post(_url(contact), FORM)):
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/bekreft/")
    contact.refresh_from_db()
    assert contact.reprisal_check == {}


def test_g9_another_centres_contact_is_404(
    ansatt_client: Client, other_staff: User, other_case: Case
) -> None:
    contact = _duty_contact(other_staff, other_case)
    assert ansatt_client.get(_url(contact)).status_code == 404
    assert ansatt_client.post(_url(contact), FORM).status_code == 404
    contact.refresh_from_db()
    assert contact.reprisal_check == {}
