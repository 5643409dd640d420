"""Finding 2: every date and time typed into a consent page is a MomentField/DayField. A year
typed wrong (0001, 0026, 2001, 9999) is an error on that field: never a server error, nothing
saved, what she typed kept, and never a precondition (information "given" in the year 26 would
satisfy G5 for any later consent). The services check the same range for API clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.consent.conftest import inform, police_consent, withdraw_data
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import services
from vern.consent.models import Consent, ConsentRefusal, InformationRecord
from vern.core import clock

pytestmark = pytest.mark.django_db

MOMENTS = ["0001-01-01T00:30", "0026-11-27T10:00", "2001-06-01T10:00", "9999-12-31T23:59"]
DAYS = ["0026-11-27", "2001-06-01", "9999-12-31"]

CONSENT = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "Vurdere tiltak",
    "categories": ["identity", "violence"],
    "form": "written",
    "written_method": "on_screen",
    "signed_by_name": "Kari",
    "signature_confirmed": "on",
}


def _now_input() -> str:
    from tests.consent.conftest import local_input

    return local_input(clock.now())


def _assert_field_error(response: object, field: str, typed: str) -> None:
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200, html[:2000]  # type: ignore[attr-defined]
    assert f'id="id_{field}_error"' in html, f"no error on {field}"
    assert "Sjekk årstallet" in html
    assert f'value="{typed}"' in html, "what was typed is lost"


@pytest.mark.parametrize("typed", MOMENTS)
@pytest.mark.parametrize("path", ["informasjon/offentlig-patale/", "informasjon/politiets-hjelp/"])
def test_g5_information_with_an_implausible_time_is_a_field_error_and_not_saved(
    ansatt_client: Client, case: Case, path: str, typed: str
) -> None:
    data = {"given_at": typed, "language": "nb", "confirmed": "on"}
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/{path}", data)
    _assert_field_error(response, "given_at", typed)
    assert not InformationRecord.objects.exists()


@pytest.mark.parametrize("typed", MOMENTS)
def test_a_consent_given_at_an_implausible_time_is_a_field_error_and_not_saved(
    ansatt_client: Client, ansatt: User, case: Case, typed: str
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", dict(CONSENT, given_at=typed))
    _assert_field_error(response, "given_at", typed)
    assert not Consent.objects.exists()


@pytest.mark.parametrize("typed", DAYS)
def test_c1_an_implausible_last_day_is_a_field_error_and_not_saved(
    ansatt_client: Client, ansatt: User, case: Case, typed: str
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    data = dict(CONSENT, given_at=_now_input(), expires_on=typed)
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", data)
    _assert_field_error(response, "expires_on", typed)
    assert not Consent.objects.exists()


@pytest.mark.parametrize("typed", MOMENTS)
def test_g13_a_refusal_at_an_implausible_time_is_a_field_error_and_not_saved(
    ansatt_client: Client, case: Case, typed: str
) -> None:
    data = {"refused_at": typed, "reasons": "Han får vite det."}
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/nei/", data)
    _assert_field_error(response, "refused_at", typed)
    assert "Han får vite det." in response.content.decode()
    assert not ConsentRefusal.objects.exists()


@pytest.mark.parametrize("typed", MOMENTS)
def test_c1_a_withdrawal_at_an_implausible_time_is_a_field_error_and_not_saved(
    ansatt_client: Client, ansatt: User, case: Case, typed: str
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    url = f"/saker/{case.pk}/samtykke/{consent.pk}/trekk-tilbake/"
    response = ansatt_client.post(url, withdraw_data(withdrawn_at=typed, note="Ringte"))
    _assert_field_error(response, "withdrawn_at", typed)
    assert "Ringte" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def _year(year: int) -> dt.datetime:
    return dt.datetime(year, 11, 27, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda u, c: services.information_record(
            acting_user=u, case=c, kind="public_prosecution", language="nb",
            given_at=_year(26)), "given_at"),
        (lambda u, c: services.consent_refusal_record(
            acting_user=u, case=c, reasons="", information_offered=False,
            refused_at=_year(2001)), "refused_at"),
        (lambda u, c: police_consent(u, c, expires_at=_year(9999)), "expires_at"),
    ],
)  # fmt: skip
def test_the_services_refuse_implausible_moments_from_api_clients_too(
    ansatt: User, case: Case, call: Callable[[User, Case], object], field: str
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        call(ansatt, case)
    assert field in exc.value.message_dict
    assert InformationRecord.objects.count() == 1  # only the fixture's own
    assert not Consent.objects.exists()
    assert not ConsentRefusal.objects.exists()


def test_g5_information_dated_years_before_is_never_recorded_so_it_cannot_precede_a_consent(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    data = {"given_at": "0026-11-27T10:00", "language": "nb", "confirmed": "on"}
    ansatt_client.post(f"/saker/{case.pk}/samtykke/informasjon/offentlig-patale/", data)
    response = ansatt_client.post(
        f"/saker/{case.pk}/samtykke/ny/", dict(CONSENT, given_at=_now_input())
    )
    assert "må informeres om offentlig påtale før" in response.content.decode()
    assert not Consent.objects.exists()
