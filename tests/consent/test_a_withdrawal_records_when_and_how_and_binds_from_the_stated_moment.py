"""C1, finding 4: staff record when the user withdrew her consent (default now, never in the
future, never before the consent) and how (muntlig, skriftlig, telefon, annet, with a short
note). A backdated withdrawal binds from the stated moment: police contacts under the consent
at or after it are listed on the confirmation page, and each one that was done gets a deviation
for the leader in the same transaction. The audit event has codes only, never the note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.consent.conftest import inform, local_input, police_consent, withdraw_data
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.cases.services import case_close
from vern.centres.models import PoliceDistrict
from vern.consent import selectors, services
from vern.consent.models import Consent
from vern.core import clock
from vern.police.models import (
    Channel,
    ContactRole,
    ContactStatus,
    Deviation,
    DeviationKind,
    LegalGround,
    PoliceContact,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(ansatt: User, case: Case) -> Consent:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(days=3))
    return police_consent(ansatt, case, given_at=clock.now() - dt.timedelta(days=2))


def _contact(user: User, consent: Consent, at: dt.datetime, status: str) -> PoliceContact:
    return PoliceContact.objects.create(
        centre=consent.case.centre, case=consent.case, status=status, contact_at=at,
        police_district=PoliceDistrict.OSLO, contact_role=ContactRole.FAMILY_VIOLENCE_COORDINATOR,
        channel=Channel.PHONE, shared_categories=["identity"], legal_ground=LegalGround.CONSENT,
        ground_valid=True, consent=consent, recorded_by=user,
    )  # fmt: skip


def _url(consent: Consent) -> str:
    return f"/saker/{consent.case_id}/samtykke/{consent.pk}/trekk-tilbake/"


def test_c1_the_page_offers_now_and_the_four_manners(
    ansatt_client: Client, consent: Consent
) -> None:
    html = ansatt_client.get(_url(consent)).content.decode()
    assert f'value="{local_input(clock.now())[:13]}' in html  # prefilled with now
    for label in ("Muntlig", "Skriftlig", "Telefon", "Annet"):
        assert label in html


def test_c1_a_backdated_withdrawal_binds_from_the_stated_moment_with_its_manner(
    ansatt_client: Client, ansatt: User, consent: Consent
) -> None:
    last_night = timezone.localtime(clock.now() - dt.timedelta(hours=14)).replace(
        second=0, microsecond=0
    )
    data = withdraw_data(
        withdrawn_at=local_input(last_night), manner="phone", note="Ringte vakttelefonen"
    )
    response = ansatt_client.post(_url(consent), data)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at == last_night
    assert consent.withdrawn_manner == "phone"
    assert consent.withdrawn_note == "Ringte vakttelefonen"
    assert consent.withdrawn_recorded_by == ansatt
    assert consent.withdrawal_backdated
    # In force before the stated moment, not after it (the validity checks read withdrawn_at).
    an_hour_after = last_night + dt.timedelta(hours=1)
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=an_hour_after) == [
        selectors.WITHDRAWN
    ]
    before = last_night - dt.timedelta(hours=1)
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=before) == []
    event = AuditEvent.objects.get(action="consent_withdrawn", object_id=str(consent.pk))
    assert event.details["manner"] == "phone"
    assert event.details["backdated"] is True
    assert "Ringte" not in str(event.details)  # no free text in the audit log
    # The case page shows when and how, the note, and when it was recorded.
    html = ansatt_client.get(f"/saker/{consent.case_id}/").content.decode()
    row = html[html.index(f'id="consent-{consent.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "(telefon)" in row
    assert "Ringte vakttelefonen" in row
    assert "registrert" in row


def test_c1_a_withdrawal_now_is_not_marked_as_backdated(ansatt: User, consent: Consent) -> None:
    services.consent_withdraw(acting_user=ansatt, consent=consent, manner="oral")
    event = AuditEvent.objects.get(action="consent_withdrawn", object_id=str(consent.pk))
    assert event.details["backdated"] is False
    assert not consent.withdrawal_backdated


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (dt.timedelta(hours=2), "kan ikke være fram i tid"),
        (-dt.timedelta(days=3), "kan ikke være før samtykket ble gitt"),
    ],
)
def test_c1_a_withdrawal_in_the_future_or_before_the_consent_is_a_field_error(
    ansatt_client: Client, consent: Consent, when: dt.timedelta, message: str
) -> None:
    typed = local_input(clock.now() + when)
    response = ansatt_client.post(_url(consent), withdraw_data(withdrawn_at=typed, note="Brev"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_withdrawn_at_error"' in html
    assert message in html
    assert f'value="{typed}"' in html
    assert "Brev" in html
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_c1_the_manner_is_required_on_the_page(ansatt_client: Client, consent: Consent) -> None:
    response = ansatt_client.post(_url(consent), withdraw_data(manner=""))
    assert 'id="id_manner_error"' in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_c1_the_service_refuses_an_unknown_manner(ansatt: User, consent: Consent) -> None:
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(acting_user=ansatt, consent=consent, manner="fax")
    assert "manner" in exc.value.message_dict


def test_c1_contacts_after_a_backdated_withdrawal_are_listed_and_get_a_deviation(
    ansatt_client: Client, ansatt: User, consent: Consent
) -> None:
    now = clock.now()
    withdrawn = timezone.localtime(now - dt.timedelta(hours=14)).replace(second=0, microsecond=0)
    before = _contact(ansatt, consent, withdrawn - dt.timedelta(hours=1), ContactStatus.DONE)
    at_moment = _contact(ansatt, consent, withdrawn, ContactStatus.DONE)
    after = _contact(ansatt, consent, now - dt.timedelta(hours=2), ContactStatus.DONE)
    planned = _contact(ansatt, consent, now + dt.timedelta(days=1), ContactStatus.PLANNED)
    response = ansatt_client.post(_url(consent), withdraw_data(withdrawn_at=local_input(withdrawn)))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="contacts-after-withdrawal"' in html
    assert "gjort etter at samtykket ble trukket tilbake" in html
    for contact in (at_moment, after, planned):
        assert f'data-contact="{contact.pk}"' in html
        assert timezone.localtime(contact.contact_at).isoformat()[:16] in html  # the date
    assert f'data-contact="{before.pk}"' not in html
    assert "Gjennomført" in html
    assert "Planlagt" in html
    deviations = Deviation.objects.filter(case=consent.case)
    assert {d.police_contact_id for d in deviations} == {at_moment.pk, after.pk}
    for deviation in deviations:
        assert deviation.kind == DeviationKind.CONTACT_WITHOUT_GROUND
        assert deviation.reasons == [selectors.WITHDRAWN]
        assert deviation.closed_at is None
    assert "Avvik åpnet for leder: 2." in html
    event = AuditEvent.objects.get(action="consent_withdrawn", object_id=str(consent.pk))
    assert event.details["contacts_after"] == 3


def test_c1_without_contacts_after_the_withdrawal_staff_go_back_to_the_case(
    ansatt_client: Client, ansatt: User, consent: Consent
) -> None:
    _contact(ansatt, consent, clock.now() - dt.timedelta(days=1), ContactStatus.DONE)
    response = ansatt_client.post(_url(consent), withdraw_data())
    assert response.status_code == 302
    assert not Deviation.objects.exists()


def test_c1_on_a_closed_case_a_contact_after_the_withdrawal_loses_its_ground_too(
    ansatt_client: Client, ansatt: User, consent: Consent
) -> None:
    withdrawn = timezone.localtime(clock.now() - dt.timedelta(hours=14)).replace(
        second=0, microsecond=0
    )
    contact = _contact(ansatt, consent, clock.now() - dt.timedelta(hours=2), ContactStatus.DONE)
    case_close(acting_user=ansatt, case=consent.case, reason="other")
    response = ansatt_client.post(_url(consent), withdraw_data(withdrawn_at=local_input(withdrawn)))
    html = response.content.decode()
    assert f'data-contact="{contact.pk}"' in html
    assert "Avvik åpnet for leder: 1." in html
    deviation = Deviation.objects.get()
    assert deviation.police_contact_id == contact.pk
    contact.refresh_from_db()
    assert contact.ground_valid is False
    consent.refresh_from_db()
    assert consent.withdrawn_at == withdrawn
