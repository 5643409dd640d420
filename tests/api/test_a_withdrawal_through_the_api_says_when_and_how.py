"""C1 through the API: a withdrawal may say when the user withdrew (default now, may be
backdated, never in the future, never before the consent, within the plausible range of
vern.core.forms) and how, with a short note, exactly as the web form does. A backdated
withdrawal binds from that moment: a done contact under the consent after it loses its ground
and gets one deviation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import Api, error_of
from vern.accounts.models import User
from vern.api.endpoints import api
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.core import clock
from vern.police.models import Deviation, PoliceContact

pytestmark = pytest.mark.django_db

CONSENT = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "Vurdere sikkerhetstiltak",
    "categories": ["violence"],
    "form": "written",
    "written_method": "on_screen",
    "signed_by_name": "Kari",
    "signature_confirmed": True,
}


@pytest.fixture
def consent(ansatt_api: Api, case: Case) -> Consent:
    """Informed three days ago, consent given two days ago."""
    now = clock.now()
    informed = ansatt_api.post(
        f"/cases/{case.pk}/information",
        {
            "kind": "public_prosecution",
            "language": "nb",
            "given_at": (now - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert informed.status_code == 201, informed.content
    body = CONSENT | {"given_at": (now - dt.timedelta(days=2)).isoformat()}
    created = ansatt_api.post(f"/cases/{case.pk}/consents", body)
    assert created.status_code == 201, created.content
    return Consent.objects.get(pk=created.json()["id"])


def _withdraw(api_: Api, consent: Consent, body: dict[str, Any] | None = None) -> Any:
    return api_.post(f"/cases/{consent.case_id}/consents/{consent.pk}/withdraw", body)


def _minute(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def test_c1_a_backdated_withdrawal_with_manner_and_note_binds_from_that_moment(
    ansatt_api: Api, consent: Consent
) -> None:
    last_night = _minute(clock.now() - dt.timedelta(hours=14))
    response = _withdraw(
        ansatt_api,
        consent,
        {"withdrawn_at": last_night.isoformat(), "manner": "phone", "note": "Ringte vakta"},
    )
    assert response.status_code == 200, response.content
    assert dt.datetime.fromisoformat(response.json()["withdrawn_at"]) == last_night
    consent.refresh_from_db()
    assert consent.withdrawn_at == last_night
    assert consent.withdrawn_manner == "phone"
    assert consent.withdrawn_note == "Ringte vakta"
    event = AuditEvent.objects.get(action="consent_withdrawn", object_id=str(consent.pk))
    assert event.details["backdated"] is True
    assert event.details["manner"] == "phone"
    assert "Ringte" not in str(event.details)


@pytest.mark.parametrize("body", [None, {}])
def test_c1_without_a_body_the_withdrawal_is_now_with_no_manner(
    ansatt_api: Api, consent: Consent, body: dict[str, Any] | None
) -> None:
    before = clock.now()
    if body is None:  # no body at all, as `curl -X POST` sends it
        response = ansatt_api.client.generic(
            "POST",
            f"/api/v1/cases/{consent.case_id}/consents/{consent.pk}/withdraw",
            b"",
            content_type="",
            headers={"Authorization": f"Bearer {ansatt_api.token}"},
        )
    else:
        response = _withdraw(ansatt_api, consent, body)
    assert response.status_code == 200, response.content
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_at >= before
    assert consent.withdrawn_manner == ""


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (lambda c: clock.now() + dt.timedelta(hours=2), "fram i tid"),
        (lambda c: c.given_at - dt.timedelta(hours=1), "før samtykket ble gitt"),
        (lambda c: dt.datetime(2017, 1, 1, 12, tzinfo=dt.UTC), "Sjekk årstallet"),
    ],
    ids=["future", "before-the-consent", "implausible-year"],
)
def test_c1_a_bad_moment_is_a_422_on_withdrawn_at_and_nothing_is_withdrawn(
    ansatt_api: Api, consent: Consent, moment: Any, message: str
) -> None:
    response = _withdraw(ansatt_api, consent, {"withdrawn_at": moment(consent).isoformat()})
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["field"] == "withdrawn_at"
    assert message in error["message"]
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"manner": "fax"}, "manner"),
        ({"note": "x" * 201}, "note"),
        ({"withdrawn_at": 1700000000}, "withdrawn_at"),
        ({"when": "now"}, "when"),
    ],
)
def test_c1_a_bad_manner_note_or_unknown_property_is_a_422_naming_it(
    ansatt_api: Api, consent: Consent, body: dict[str, Any], field: str
) -> None:
    response = _withdraw(ansatt_api, consent, body)
    assert response.status_code == 422, response.content
    assert error_of(response)["field"] == field
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_c1_a_done_contact_after_a_backdated_withdrawal_loses_its_ground(
    ansatt_api: Api, ansatt: User, consent: Consent
) -> None:
    contact = PoliceContact.objects.create(
        centre=consent.case.centre, case=consent.case, status="done",
        contact_at=clock.now() - dt.timedelta(hours=3), police_district="oslo",
        contact_role="investigator", channel="phone", shared_categories=["violence"],
        legal_ground="consent", ground_valid=True, consent=consent, recorded_by=ansatt,
    )  # fmt: skip
    withdrawn = _minute(clock.now() - dt.timedelta(hours=14))
    response = _withdraw(ansatt_api, consent, {"withdrawn_at": withdrawn.isoformat()})
    assert response.status_code == 200, response.content
    case = ansatt_api.get(f"/cases/{consent.case_id}").json()
    assert [c["ground_valid"] for c in case["police_contacts"]] == [False]
    assert Deviation.objects.get(police_contact=contact).reasons == ["withdrawn"]


def test_the_openapi_document_describes_the_optional_withdrawal_body(client: Client) -> None:
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/cases/{case_id}/consents/{consent_id}/withdraw"]["post"]
    body = operation["requestBody"]
    assert body.get("required") is not True
    refs = [
        option["$ref"]
        for option in body["content"]["application/json"]["schema"]["anyOf"]
        if "$ref" in option
    ]
    ref = refs[0].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert set(properties) == {"withdrawn_at", "manner", "note"}
    assert properties["note"]["maxLength"] == 200


def test_a_moment_without_a_utc_offset_is_a_422_not_a_server_error(
    ansatt_api: Api, consent: Consent
) -> None:
    naive = (clock.now() - dt.timedelta(hours=3)).replace(tzinfo=None).isoformat()
    response = _withdraw(ansatt_api, consent, {"withdrawn_at": naive})
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["field"] == "withdrawn_at"
    assert "UTC offset" in error["message"]
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
