"""Refusal path (G13, G8): the user's no is recorded with her reasons; the case stays open
under reassessment; the page offers the motivation information calmly, in her language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.consent.conftest import assess, inform, police_consent
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case, CaseEvent, CaseStatus
from vern.cases.services import case_update, centre_settings_for
from vern.consent import services
from vern.consent.models import ConsentRefusal
from vern.core import clock

pytestmark = pytest.mark.django_db


def test_a_refusal_is_recorded_with_her_reasons_and_the_case_stays_open_under_reassessment(
    ansatt: User, case: Case
) -> None:
    assert case.next_reassessment_on is None
    refusal = services.consent_refusal_record(
        acting_user=ansatt,
        case=case,
        reasons="Jeg er redd han finner ut av det.",
        information_offered=True,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    days = centre_settings_for(case.centre_id).reassess_days_recommended
    assert case.next_reassessment_on == clock.today() + dt.timedelta(days=days)
    assert refusal.reasons == "Jeg er redd han finner ut av det."
    assert refusal.information_offered is True
    assert CaseEvent.objects.filter(case=case, kind="consent_refused").count() == 1
    event = AuditEvent.objects.get(action="consent_refused", object_id=str(refusal.pk))
    # Her words never reach the audit log.
    assert "redd" not in str(event.details)
    assert event.details == {"information_offered": True, "reasons_given": True}


def test_a_refusal_keeps_an_earlier_reassessment_date(ansatt: User, case: Case) -> None:
    assess(ansatt, case, offences=["straffeloven-271"])
    case.refresh_from_db()
    planned = case.next_reassessment_on
    assert planned is not None
    services.consent_refusal_record(
        acting_user=ansatt, case=case, reasons="", information_offered=False
    )
    case.refresh_from_db()
    assert case.next_reassessment_on is not None
    assert case.next_reassessment_on <= planned


def test_a_refusal_does_not_silently_withdraw_a_consent(ansatt: User, case: Case) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    services.consent_refusal_record(
        acting_user=ansatt, case=case, reasons="", information_offered=False
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_refusal_page_offers_the_information_without_pressure_in_her_language(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    case_update(acting_user=ansatt, case=case, name="", language="en")
    assess(ansatt, case, offences=["straffeloven-271"])
    case.refresh_from_db()
    response = ansatt_client.get(f"/saker/{case.pk}/samtykke/nei/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Det er brukerens valg" in html
    assert "Ikke press" in html
    assert "It is your choice" in html
    assert "What the police can do for you" in html
    assert "Mobile violence alarm" in html
    assert 'id="next-reassessment"' in html
    assert case.next_reassessment_on is not None
    from django.utils import formats

    assert formats.date_format(case.next_reassessment_on, "j. F Y") in html


def test_recording_the_refusal_through_the_page_shows_the_next_reassessment(
    ansatt_client: Client, case: Case
) -> None:
    response = ansatt_client.post(
        f"/saker/{case.pk}/samtykke/nei/",
        {"refused_at": "2020-01-01T10:00", "reasons": "Vil ikke nå", "information_offered": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Saken er fortsatt åpen og vurderes på nytt senest" in response.content.decode()
    assert ConsentRefusal.objects.filter(case=case).count() == 1


def test_a_refusal_page_on_a_closed_case_sends_staff_back_and_records_nothing(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    from vern.cases.services import case_close

    case_close(acting_user=ansatt, case=case, reason="other")
    response = ansatt_client.post(
        f"/saker/{case.pk}/samtykke/nei/",
        {"refused_at": "2020-01-01T10:00", "reasons": "x"},
    )
    assert response.status_code == 302
    assert not ConsentRefusal.objects.exists()
