"""L1, L2 through the API: the danger ground and the duty to avert take their records with the
web forms' limits and errors; a missing piece or an unlisted offence is 409 until confirmed;
the response shows the record and the reason codes; the audit event holds codes only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.api.conftest import Api, error_of
from tests.factories import backup_code
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.core import clock
from vern.police.models import Deviation, PoliceContact

pytestmark = pytest.mark.django_db

REPRISAL = {"routes": ["police_contacts_him"], "risk": "high", "protections": ["alarm"]}


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="API-FARE")


def _danger(**overrides: Any) -> dict[str, Any]:
    now = clock.now()
    body: dict[str, Any] = {
        "status": "done",
        "contact_at": (now - dt.timedelta(hours=1)).isoformat(),
        "police_district": "oslo",
        "contact_role": "operations_centre",
        "channel": "phone",
        "legal_ground": "danger_to_life_or_health",
        "shared_categories": ["identity"],
        "danger_what": "Utøveren har truet med å drepe brukeren i kveld.",
        "danger_consent": "refused",
        "danger_consent_why": "Brukeren vil ikke samtykke av frykt.",
        "decided_as": "staff_leader_told",
        "leader_told_at": (now - dt.timedelta(minutes=50)).isoformat(),
        "necessity_why": "Politiet trengte navnet for å beskytte brukeren.",
        "user_told_at": (now - dt.timedelta(minutes=10)).isoformat(),
        "user_told_how": "Fortalt i samtale.",
        "reprisal_check": REPRISAL,
    }
    body.update(overrides)
    return body


def _post(api: Api, case: Case, user: User, body: dict[str, Any]) -> Any:
    return api.post(f"/cases/{case.pk}/police-contacts", body, {"X-Vern-OTP": backup_code(user)})


def test_l1_a_danger_contact_with_its_record_is_valid_and_shown(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    response = _post(ansatt_api, case, ansatt, _danger())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["ground_valid"], body["deviation_opened"], body["reasons"]) == (True, False, [])
    assert body["decided_as"] == "staff_leader_told"
    assert body["danger_what"].startswith("Utøveren")
    assert body["decided_by_id"] == ansatt.pk
    event = AuditEvent.objects.get(action="police_contact_recorded")
    assert "drepe" not in str(event.details)
    assert event.details["decided_as"] == "staff_leader_told"


def test_l1_a_missing_piece_is_409_until_confirmed_then_a_deviation(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    unconfirmed = _post(ansatt_api, case, ansatt, _danger(danger_what=""))
    assert unconfirmed.status_code == 409
    assert error_of(unconfirmed)["code"] == "deviation_not_confirmed"
    assert "danger_what_missing" in error_of(unconfirmed)["message"]
    assert not PoliceContact.objects.exists()
    confirmed = _post(ansatt_api, case, ansatt, _danger(danger_what="", confirm_deviation=True))
    assert confirmed.status_code == 201
    assert confirmed.json()["reasons"] == ["danger_what_missing"]
    assert Deviation.objects.get(case=case).reasons == ["danger_what_missing"]


def test_l2_a_duty_to_avert_naming_only_264_is_not_valid(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    body = _danger(
        legal_ground="duty_to_avert",
        duty_to_avert_offences=["straffeloven-264"],
        duty_to_avert_why="Trusler i kveld.",
        avert_action="report",
        avert_action_note="Ringte 112.",
    )
    response = _post(ansatt_api, case, ansatt, body)
    assert response.status_code == 409
    assert "offence_not_in_196_list" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("danger_what", "x" * 4001),
        ("necessity_why", "x" * 4001),
        ("user_told_how", "x" * 4001),
        ("danger_consent", "maybe"),
        ("decided_as", "everyone"),
        ("avert_action", "prayer"),
    ],
)
def test_limits_and_choices_are_the_web_forms(
    ansatt_api: Api, ansatt: User, case: Case, field: str, value: str
) -> None:
    response = _post(ansatt_api, case, ansatt, _danger(**{field: value}))
    assert response.status_code == 422
    assert error_of(response)["field"] == field


def test_a_decider_outside_the_centre_is_refused(ansatt_api: Api, ansatt: User, case: Case) -> None:
    response = _post(ansatt_api, case, ansatt, _danger(decided_by_id=999_999))
    assert response.status_code == 422
    assert error_of(response)["field"] == "decided_by_id"


def test_the_user_told_needs_how_when_it_has_a_time(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    response = _post(ansatt_api, case, ansatt, _danger(user_told_how=""))
    assert response.status_code == 422
    assert error_of(response)["field"] == "user_told_how"


def test_a_plan_is_corrected_onto_the_danger_ground_and_completed_after_confirmation(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    plan = _post(ansatt_api, case, ansatt, _danger(status="planned", danger_what=""))
    assert plan.status_code == 201, plan.content
    assert plan.json()["reasons"] == ["danger_what_missing"]
    contact_id = plan.json()["id"]
    fixed = {k: v for k, v in _danger().items() if k != "status"}
    corrected = ansatt_api.put(
        f"/cases/{case.pk}/police-contacts/{contact_id}",
        fixed | {"danger_what": "Akutt fare", "necessity_why": ""},
        {"X-Vern-OTP": backup_code(ansatt)},
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["reasons"] == ["necessity_missing"]
    url = f"/cases/{case.pk}/police-contacts/{contact_id}/complete"
    without_code = ansatt_api.post(url, {"confirm_deviation": True})
    assert without_code.status_code == 403  # a fresh code, as the web page's step-up
    assert error_of(without_code)["code"] == "step_up_required"
    unconfirmed = ansatt_api.post(url, {}, {"X-Vern-OTP": backup_code(ansatt)})
    assert unconfirmed.status_code == 409
    assert "necessity_missing" in error_of(unconfirmed)["message"]
    done = ansatt_api.post(url, {"confirm_deviation": True}, {"X-Vern-OTP": backup_code(ansatt)})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["deviation_opened"]) == ("done", True)
    assert Deviation.objects.get(case=case).reasons == ["necessity_missing"]
