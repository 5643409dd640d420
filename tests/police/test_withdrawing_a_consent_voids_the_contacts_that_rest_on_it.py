"""C1, issue 16: withdrawing a consent is a workflow above consent
(``vern.police.withdrawal``). In one transaction it stores the withdrawal, takes the ground of
the done contacts at or after its moment (one deviation each), marks the planned contacts on
the consent as without ground and counts both in the withdrawal's audit event. The consent
app's own ``consent_withdraw`` withdraws the consent alone; the page and the API use the
workflow."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import resolve, reverse

from tests.consent.conftest import withdraw_data
from tests.police.conftest import hours_ago, record
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent import services as consent_services
from vern.consent.models import Consent
from vern.police import withdrawal, withdrawal_views
from vern.police.models import Deviation, PoliceContact

pytestmark = pytest.mark.django_db


def _contacts(user: User, case: Case, consent: Consent) -> dict[str, PoliceContact]:
    return {
        "before": record(user, case, consent=consent, contact_at=hours_ago(20)),
        "after": record(user, case, consent=consent, contact_at=hours_ago(2)),
        "planned": record(user, case, consent=consent, status="planned", contact_at=hours_ago(-24)),
    }


def test_the_workflow_voids_the_done_contacts_after_the_moment_and_the_plans(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contacts = _contacts(ansatt, case, valid_consent)

    result = withdrawal.consent_withdraw_with_contacts(
        acting_user=ansatt, consent=valid_consent, withdrawn_at=hours_ago(14), manner="phone"
    )

    assert result.consent.withdrawn_at is not None
    assert [c.pk for c in result.contacts_after] == [
        contacts["after"].pk,
        contacts["planned"].pk,
    ]
    assert result.deviations_opened == 1
    for contact in contacts.values():
        contact.refresh_from_db()
    assert contacts["before"].ground_valid is True
    assert contacts["after"].ground_valid is False
    assert contacts["planned"].ground_valid is False
    assert [d.police_contact_id for d in Deviation.objects.filter(case=case)] == [
        contacts["after"].pk
    ]
    event = AuditEvent.objects.get(action="consent_withdrawn", object_id=str(valid_consent.pk))
    assert event.details["contacts_after"] == 2
    assert event.details["plans_lost_ground"] == 1
    assert event.details["backdated"] is True
    # The withdrawal is in the log before the deviation it caused.
    opened = AuditEvent.objects.get(action="deviation_opened")
    assert event.seq < opened.seq


def test_the_consent_apps_own_withdrawal_leaves_the_police_contacts_alone(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contacts = _contacts(ansatt, case, valid_consent)

    consent_services.consent_withdraw(
        acting_user=ansatt, consent=valid_consent, withdrawn_at=hours_ago(14)
    )

    valid_consent.refresh_from_db()
    assert valid_consent.withdrawn_at is not None
    for contact in contacts.values():
        contact.refresh_from_db()
        assert contact.ground_valid is True
    assert not Deviation.objects.filter(case=case).exists()
    event = AuditEvent.objects.get(action="consent_withdrawn", object_id=str(valid_consent.pk))
    assert "contacts_after" not in event.details


def test_a_refused_withdrawal_changes_no_contact(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contacts = _contacts(ansatt, case, valid_consent)

    with pytest.raises(ValidationError) as refused:
        withdrawal.consent_withdraw_with_contacts(
            acting_user=ansatt, consent=valid_consent, withdrawn_at=hours_ago(-2)
        )

    assert "withdrawn_at" in refused.value.message_dict
    for contact in contacts.values():
        contact.refresh_from_db()
        assert contact.ground_valid is True
    valid_consent.refresh_from_db()
    assert valid_consent.withdrawn_at is None


def test_the_withdrawal_page_keeps_its_address_and_name_and_uses_the_workflow(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    url = reverse("consent:withdraw", args=[case.pk, valid_consent.pk])
    assert url == f"/saker/{case.pk}/samtykke/{valid_consent.pk}/trekk-tilbake/"
    assert resolve(url).func is withdrawal_views.consent_withdraw
    planned = record(
        ansatt, case, consent=valid_consent, status="planned", contact_at=hours_ago(-24)
    )

    response = ansatt_client.post(url, withdraw_data())

    assert response.status_code == 200  # the page lists the contact under the consent
    assert f'data-contact="{planned.pk}"' in response.content.decode()
    planned.refresh_from_db()
    assert planned.ground_valid is False
