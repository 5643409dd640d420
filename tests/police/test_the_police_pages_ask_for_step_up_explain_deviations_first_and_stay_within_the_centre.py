"""The police pages: step-up before recording, the no-surprise deviation confirmation, cross-centre
404, closed cases, a deviation opened by hand and the case panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import backup_code
from tests.police.conftest import (
    REPRISAL,
    give_consent,
    hours_ago,
    inform,
    record,
)
from vern.accounts.models import User
from vern.accounts.sessions import STEP_UP_AT
from vern.assessments.models import Assessment, RiskMapping
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.core import clock
from vern.police.models import Deviation, PoliceContact

pytestmark = pytest.mark.django_db


def _local(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": "done",
        "contact_at": _local(hours_ago(1)),
        "police_district": "oslo",
        "contact_role": "family_violence_coordinator",
        "channel": "phone",
        "shared_categories": ["identity"],
        "legal_ground": "consent",
        "reprisal_routes": REPRISAL["routes"],
        "reprisal_risk": REPRISAL["risk"],
        "reprisal_protections": REPRISAL["protections"],
    }
    data.update(overrides)
    return data


def _expire_step_up(client: Client) -> None:
    session = client.session
    session.pop(STEP_UP_AT, None)
    session.save()


def _url(case: Case) -> str:
    return f"/saker/{case.pk}/politi/ny/"


def test_recording_a_contact_requires_a_fresh_step_up(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    _expire_step_up(ansatt_client)
    for response in (
        ansatt_client.get(_url(case)),
        ansatt_client.post(_url(case), _form(consent=valid_consent.pk)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/bekreft/")
    assert not PoliceContact.objects.exists()
    step_up = ansatt_client.post(
        "/konto/bekreft/", {"code": backup_code(ansatt), "next": _url(case)}
    )
    assert step_up["Location"] == _url(case)
    assert ansatt_client.get(_url(case)).status_code == 200


def test_g3_a_valid_consented_contact_is_recorded_from_the_form(
    ansatt_client: Client, case: Case, valid_consent: Consent
) -> None:
    response = ansatt_client.post(_url(case), _form(consent=valid_consent.pk))
    contact = PoliceContact.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/saker/{case.pk}/politi/{contact.pk}/"
    assert contact.ground_valid is True
    page = ansatt_client.get(response["Location"])
    assert page.status_code == 200
    assert "Familievoldskoordinator" in page.content.decode()


def test_an_invalid_ground_is_explained_first_and_then_recorded_with_a_deviation(
    ansatt_client: Client, case: Case
) -> None:
    first = ansatt_client.post(_url(case), _form(legal_ground="none"))
    assert first.status_code == 200
    assert "Kontakten har ikke gyldig rettslig grunnlag" in first.content.decode()
    assert not PoliceContact.objects.exists()
    second = ansatt_client.post(_url(case), _form(legal_ground="none", confirm_deviation="on"))
    assert second.status_code == 302
    contact = PoliceContact.objects.get(case=case)
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["no_ground"]


def test_a_consent_of_another_case_cannot_be_chosen_in_the_form(
    ansatt_client: Client, ansatt: User, case: Case, other_staff: User, other_case: Case
) -> None:
    inform(other_case, other_staff, hours_ago(72))
    foreign = give_consent(other_case, other_staff, given_at=hours_ago(48))
    second_case = case_services.case_create(acting_user=ansatt, reference="P-2")
    inform(second_case, ansatt, hours_ago(72))
    sibling = give_consent(second_case, ansatt, given_at=hours_ago(48))
    for consent in (foreign, sibling):
        response = ansatt_client.post(_url(case), _form(consent=consent.pk, confirm_deviation="on"))
        assert response.status_code == 200
        assert 'id="id_consent_error"' in response.content.decode()
    assert not PoliceContact.objects.exists()


def test_g9_a_planned_contact_without_the_reprisal_check_shows_the_errors(
    ansatt_client: Client, case: Case, valid_consent: Consent
) -> None:
    soon = _local(clock.now() + dt.timedelta(days=1))
    no_check = {"reprisal_routes": [], "reprisal_risk": "", "reprisal_protections": []}
    response = ansatt_client.post(
        _url(case), _form(status="planned", contact_at=soon, consent=valid_consent.pk, **no_check)
    )
    assert response.status_code == 200
    assert 'id="id_reprisal_risk_error"' in response.content.decode()
    assert not PoliceContact.objects.exists()
    response = ansatt_client.post(
        _url(case),
        _form(
            status="planned",
            contact_at=soon,
            consent=valid_consent.pk,
            reprisal_routes=REPRISAL["routes"],
            reprisal_risk=REPRISAL["risk"],
            reprisal_protections=REPRISAL["protections"],
        ),
    )
    assert response.status_code == 302
    contact = PoliceContact.objects.get(case=case)
    complete = ansatt_client.get(f"/saker/{case.pk}/politi/{contact.pk}/gjennomfort/")
    assert complete.status_code == 200


def test_pages_of_another_centres_case_are_not_found(
    ansatt_client: Client, other_staff: User, other_case: Case
) -> None:
    contact = record(other_staff, other_case, legal_ground="none")
    for url in (
        _url(other_case),
        f"/saker/{other_case.pk}/politi/{contact.pk}/",
        f"/saker/{other_case.pk}/politi/{contact.pk}/gjennomfort/",
        f"/saker/{other_case.pk}/politi/avvik/ny/",
    ):
        assert ansatt_client.get(url).status_code == 404, url


def test_closed_case_offers_no_recording_and_refuses_it(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")
    response = ansatt_client.post(_url(case), _form(consent=valid_consent.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/saker/{case.pk}/"
    assert not PoliceContact.objects.exists()
    assert _url(case) not in ansatt_client.get(f"/saker/{case.pk}/").content.decode()


def test_staff_opens_a_deviation_by_hand_from_the_case(ansatt_client: Client, case: Case) -> None:
    url = f"/saker/{case.pk}/politi/avvik/ny/"
    assert ansatt_client.get(url).status_code == 200
    response = ansatt_client.post(url, {"reason": "documentation_late", "description": "Sent."})
    assert response.status_code == 302
    assert Deviation.objects.get(case=case).reasons == ["documentation_late"]


def test_case_panel_shows_contacts_open_deviations_and_the_duty_to_avert_path(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Registrer kontakt med politiet" in html
    assert "Avvergeplikten gjelder" not in html
    record(ansatt, case, legal_ground="none")
    mapping = RiskMapping.objects.create(
        centre_id=case.centre_id,
        case=case,
        mapped_by=ansatt,
        mapped_at=hours_ago(3),
        method="guidance_questions",
        result="yes",
    )
    Assessment.objects.create(
        centre_id=case.centre_id,
        case=case,
        assessed_by=ansatt,
        assessed_at=hours_ago(2),
        risk_mapping=mapping,
        user_participated=True,
        facts={},
        outcome={},
        rulebook_id="vern",
        rulebook_version="1.0.0",
        police_involvement="required",
        next_step="contact_police_under_duty_to_avert",
        next_reassessment_on=clock.today(),
    )
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Avvergeplikten gjelder" in html
    assert "1 åpent avvik" in html
    assert "Nei – åpent avvik" in html
    assert f"/saker/{case.pk}/politi/ny/?grunnlag=duty_to_avert" in html
