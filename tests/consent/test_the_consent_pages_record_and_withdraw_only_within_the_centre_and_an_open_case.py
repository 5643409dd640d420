"""Consent pages: create (with the centre stated), withdraw, scoped to the centre (404 for
another centre's case or consent), closed cases read-only, administrators refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.consent.conftest import inform, police_consent, withdraw_data
from tests.factories import login_verified, make_user
from vern.accounts.models import Role, User
from vern.cases.models import Case
from vern.cases.services import case_close
from vern.centres.models import Centre
from vern.consent.models import Consent
from vern.core import clock

pytestmark = pytest.mark.django_db

FORM = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "recipient_unit": "Familievold",
    "purpose": "Vurdere tiltak",
    "categories": ["identity", "violence"],
    "form": "written",
    "written_method": "on_screen",
    "signed_by_name": "Kari",
    "signature_confirmed": "on",
    "given_at": "2020-01-01T12:00",
}


def test_the_create_page_says_consent_is_given_to_the_centre_and_warns_before_information(
    ansatt_client: Client, case: Case
) -> None:
    html = ansatt_client.get(f"/saker/{case.pk}/samtykke/ny/").content.decode()
    assert "Samtykket gis til krisesenteret, ikke til én ansatt" in html
    assert 'id="not-informed"' in html
    assert 'enctype="multipart/form-data"' in html


def test_g15_the_create_page_refuses_a_police_consent_before_information(
    ansatt_client: Client, case: Case
) -> None:
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", FORM)
    assert response.status_code == 200
    assert "må informeres om offentlig påtale før" in response.content.decode()
    assert not Consent.objects.exists()


def test_the_create_page_records_a_consent_after_information(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case, given_at=dt.datetime(2019, 12, 31, 11, 0, tzinfo=dt.UTC))
    next_year = clock.today() + dt.timedelta(days=365)
    data = dict(FORM, expires_on=next_year.isoformat())
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consent = Consent.objects.get(case=case)
    assert consent.categories == ["identity", "violence"]
    assert consent.expires_at is not None
    assert timezone.localtime(consent.expires_at).hour == 0


def test_verbal_without_witness_shows_the_fields_to_fix(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    data = dict(FORM, form="verbal")
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ds-error-summary" in html
    assert not Consent.objects.exists()


def test_withdrawing_through_the_page_needs_confirmation_and_is_immediate(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    url = f"/saker/{case.pk}/samtykke/{consent.pk}/trekk-tilbake/"
    assert "kan ikke gjenopprettes" in ansatt_client.get(url).content.decode()
    assert ansatt_client.post(url, {}).status_code == 200
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
    assert ansatt_client.post(url, withdraw_data(confirmed="")).status_code == 200
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
    assert ansatt_client.post(url, withdraw_data()).status_code == 302
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None
    # A second visit does not offer to withdraw again.
    assert ansatt_client.get(url).status_code == 302


@pytest.fixture
def other_client(client: Client, other_centre: Centre) -> Client:
    login_verified(client, make_user(Role.ANSATT, other_centre))
    return client


def test_every_consent_page_of_another_centre_is_404(
    other_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    base = f"/saker/{case.pk}/samtykke/"
    for path in (
        "informasjon/offentlig-patale/",
        "informasjon/politiets-hjelp/",
        "ny/",
        "nei/",
        f"{consent.pk}/trekk-tilbake/",
        f"{consent.pk}/signert-skjema/",
    ):
        assert other_client.get(base + path).status_code == 404, path
        assert other_client.post(base + path, {"confirmed": "on"}).status_code == 404, path
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_consent_of_another_case_is_404_under_this_case(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    from vern.cases.services import case_create

    other_case = case_create(acting_user=ansatt, reference="S-9")
    inform(ansatt, other_case)
    consent = police_consent(ansatt, other_case)
    url = f"/saker/{case.pk}/samtykke/{consent.pk}/trekk-tilbake/"
    assert ansatt_client.get(url).status_code == 404


def test_administrators_never_reach_consent_pages(
    admin_client_verified: Client, ansatt: User, case: Case
) -> None:
    assert admin_client_verified.get(f"/saker/{case.pk}/samtykke/ny/").status_code == 403


def test_closed_case_write_pages_send_staff_back(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    case_close(acting_user=ansatt, case=case, reason="other")
    base = f"/saker/{case.pk}/samtykke/"
    for path in (
        "informasjon/offentlig-patale/",
        "ny/",
        "nei/",
        f"{consent.pk}/signert-skjema/",
    ):
        response = ansatt_client.post(base + path, dict(FORM, confirmed="on"))
        assert response.status_code == 302, path
        assert response["Location"] == f"/saker/{case.pk}/"
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert Consent.objects.count() == 1
    # C1: withdrawal stays possible after the case is closed.
    response = ansatt_client.post(base + f"{consent.pk}/trekk-tilbake/", withdraw_data())
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
