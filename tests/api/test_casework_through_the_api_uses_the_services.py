"""Casework through the API (issue 8): the same services, rules and audit events as the web:
K1 before an assessment, G15 information before consent, C1 withdrawal, G3/G11 police
contacts with step-up when identifying information is shared, closed cases refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.api.conftest import Api, error_of
from tests.factories import backup_code
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.core import clock
from vern.police.models import Deviation, PoliceContact

CONSENT = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "Vurdere sikkerhetstiltak",
    "categories": ["identity", "violence"],
    "form": "written",
    "written_method": "on_screen",
    "signed_by_name": "Kari",
    "signature_confirmed": True,
}
REPRISAL = {"routes": ["police_contacts_him"], "risk": "medium", "protections": ["alarm"]}


def _contact(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": "done",
        "contact_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
        "police_district": "oslo",
        "contact_role": "investigator",
        "channel": "phone",
        "legal_ground": "anonymous",
        "shared_categories": ["violence"],
    }
    body.update(overrides)
    return body


def test_an_assessment_needs_a_risk_mapping_first(ansatt_api: Api, case: Case) -> None:
    response = ansatt_api.post(f"/cases/{case.pk}/assessments", {"user_participated": True})

    assert response.status_code == 422
    assert error_of(response)["field"] == "risk_mapping"


def test_mapping_then_assessment_returns_the_rules_outcome(ansatt_api: Api, case: Case) -> None:
    mapping = ansatt_api.post(
        f"/cases/{case.pk}/risk-mappings", {"method": "sara", "result": "yes"}
    )
    assert mapping.status_code == 201, mapping.content

    response = ansatt_api.post(
        f"/cases/{case.pk}/assessments",
        {"user_participated": True, "factors": {"great_danger": True}},
    )

    assert response.status_code == 201, response.content
    outcome = response.json()["outcome"]
    assert outcome["police_involvement"] == "recommended"
    assert outcome["next_step"] == "inform_about_public_prosecution"
    assert AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_SAVED).exists()


def test_factors_7_and_8_cannot_be_ticked(ansatt_api: Api, case: Case) -> None:
    response = ansatt_api.post(
        f"/cases/{case.pk}/assessments",
        {"user_participated": True, "factors": {"user_consents": True}},
    )

    assert response.status_code == 422
    assert error_of(response)["field"] == "factors.user_consents"


def test_consent_needs_the_information_first_then_can_be_withdrawn(
    ansatt_api: Api, case: Case
) -> None:
    refused = ansatt_api.post(f"/cases/{case.pk}/consents", CONSENT)
    assert refused.status_code == 422
    assert "G15" in error_of(refused)["message"]

    info = ansatt_api.post(
        f"/cases/{case.pk}/information", {"kind": "public_prosecution", "language": "nb"}
    )
    assert info.status_code == 201, info.content
    given = ansatt_api.post(f"/cases/{case.pk}/consents", CONSENT)
    assert given.status_code == 201, given.content
    assert given.json()["status"] == "active"

    consent_id = given.json()["id"]
    withdrawn = ansatt_api.post(f"/cases/{case.pk}/consents/{consent_id}/withdraw")
    again = ansatt_api.post(f"/cases/{case.pk}/consents/{consent_id}/withdraw")

    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_withdrawn"
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).count() == 1


def test_a_verbal_consent_needs_a_witness(ansatt_api: Api, case: Case) -> None:
    ansatt_api.post(
        f"/cases/{case.pk}/information", {"kind": "public_prosecution", "language": "nb"}
    )
    body = CONSENT | {"form": "verbal", "written_method": None}

    response = ansatt_api.post(f"/cases/{case.pk}/consents", body)

    assert response.status_code == 422
    assert error_of(response)["field"] in {"verbal_witness", "verbal_reason"}


def test_an_anonymous_consultation_needs_no_code(ansatt_api: Api, case: Case) -> None:
    response = ansatt_api.post(f"/cases/{case.pk}/police-contacts", _contact())

    assert response.status_code == 201, response.content
    assert response.json()["ground_valid"] is True


def test_sharing_identifying_information_needs_a_fresh_code(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    body = _contact(
        legal_ground="duty_to_avert",
        shared_categories=["identity", "violence"],
        duty_to_avert_offences=["straffeloven-274"],
        duty_to_avert_why="Han har sagt han kommer i kveld med kniv.",
        avert_action="report",
        avert_action_note="Ringte operasjonssentralen.",
        necessity_why="Politiet trengte navn for å rykke ut.",
        reprisal_check=REPRISAL,
    )
    without = ansatt_api.post(f"/cases/{case.pk}/police-contacts", body)
    wrong = ansatt_api.post(f"/cases/{case.pk}/police-contacts", body, {"X-Vern-OTP": "000000"})
    fresh = ansatt_api.post(
        f"/cases/{case.pk}/police-contacts", body, {"X-Vern-OTP": backup_code(ansatt)}
    )

    assert (without.status_code, wrong.status_code) == (403, 403)
    assert error_of(without) | {"message": ""} == {
        "code": "step_up_required",
        "field": "X-Vern-OTP",
        "message": "",
    }
    assert fresh.status_code == 201, fresh.content
    assert PoliceContact.objects.get(pk=fresh.json()["id"]).legal_ground == "duty_to_avert"


def test_a_contact_without_a_valid_ground_must_be_confirmed_and_opens_a_deviation(
    ansatt_api: Api, case: Case
) -> None:
    body = _contact(legal_ground="none")

    unconfirmed = ansatt_api.post(f"/cases/{case.pk}/police-contacts", body)
    confirmed = ansatt_api.post(
        f"/cases/{case.pk}/police-contacts", body | {"confirm_deviation": True}
    )

    assert unconfirmed.status_code == 409
    assert error_of(unconfirmed)["code"] == "deviation_not_confirmed"
    assert confirmed.status_code == 201
    shown = {"status", "police_district", "legal_ground", "ground_valid", "deviation_opened"}
    assert {k: v for k, v in confirmed.json().items() if k in shown | {"reasons"}} == {
        "status": "done",
        "police_district": "oslo",
        "legal_ground": "none",
        "ground_valid": False,
        "deviation_opened": True,
        "reasons": ["no_ground"],
    }
    assert Deviation.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/risk-mappings", {"method": "sara", "result": "yes"}),
        ("/information", {"kind": "public_prosecution", "language": "nb"}),
        ("/consents", CONSENT),
        ("/assessments", {"user_participated": True}),
        ("/police-contacts", _contact()),
    ],
)
def test_a_closed_case_refuses_every_write_with_409(
    ansatt_api: Api, ansatt: User, case: Case, path: str, body: dict[str, Any]
) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="other")

    response = ansatt_api.post(f"/cases/{case.pk}{path}", body)

    assert response.status_code == 409
    assert error_of(response)["code"] == "case_closed"


def test_a_consent_can_be_withdrawn_after_the_case_is_closed(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    """C1: the user may withdraw her consent at any time, also after her stay."""
    ansatt_api.post(
        f"/cases/{case.pk}/information", {"kind": "public_prosecution", "language": "nb"}
    )
    consent_id = ansatt_api.post(f"/cases/{case.pk}/consents", CONSENT).json()["id"]
    case_services.case_close(acting_user=ansatt, case=case, reason="other")

    response = ansatt_api.post(f"/cases/{case.pk}/consents/{consent_id}/withdraw")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
