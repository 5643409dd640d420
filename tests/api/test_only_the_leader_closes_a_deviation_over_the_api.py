"""Deviations and the leader's review over the API are the web pages' own: staff open a
deviation, only a leader of the centre closes it (with a comment) or marks a contact without
consent as reviewed (403 for an ansatt), also on a closed case; what a done contact's record
lacks is added afterwards only when it lacks it."""

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

pytestmark = pytest.mark.django_db

REPRISAL = {"routes": ["police_contacts_him"], "risk": "high", "protections": ["alarm"]}


def danger_contact(api: Api, case: Case, user: User, **overrides: Any) -> dict[str, Any]:
    """A done contact on the danger ground (L1), as recorded through the API."""
    now = clock.now()
    body: dict[str, Any] = {
        "status": "done",
        "contact_at": (now - dt.timedelta(hours=1)).isoformat(),
        "police_district": "oslo",
        "contact_role": "operations_centre",
        "channel": "phone",
        "legal_ground": "danger_to_life_or_health",
        "shared_categories": ["identity"],
        "danger_what": "Truet med å drepe brukeren i kveld.",
        "danger_consent": "refused",
        "danger_consent_why": "Brukeren vil ikke samtykke av frykt.",
        "decided_as": "staff_leader_told",
        "leader_told_at": (now - dt.timedelta(minutes=50)).isoformat(),
        "necessity_why": "Politiet trengte navnet.",
        "reprisal_check": REPRISAL,
        "confirm_deviation": True,
    }
    body.update(overrides)
    response = api.post(
        f"/cases/{case.pk}/police-contacts", body, {"X-Vern-OTP": backup_code(user)}
    )
    assert response.status_code == 201, response.content
    result: dict[str, Any] = response.json()
    return result


def test_staff_open_a_deviation_and_only_the_leader_closes_it_with_a_comment(
    ansatt_api: Api, leder_api: Api, ansatt: User, case: Case
) -> None:
    opened = ansatt_api.post(
        f"/cases/{case.pk}/deviations",
        {"reason": "safety_routine_not_followed", "description": "Døra sto åpen."},
    )
    assert opened.status_code == 201, opened.content
    path = f"/cases/{case.pk}/deviations/{opened.json()['id']}/close"
    case_services.case_close(acting_user=ansatt, case=case, reason="other")

    by_ansatt = ansatt_api.post(path, {"comment": "Lukket"})
    without_comment = leder_api.post(path, {"comment": " "})
    justified = leder_api.post(path, {"comment": "Fulgt opp", "justification": "necessity"})
    closed = leder_api.post(path, {"comment": "Fulgt opp med den ansatte."})
    again = leder_api.post(path, {"comment": "Igjen"})

    assert (by_ansatt.status_code, error_of(by_ansatt)["code"]) == (403, "forbidden")
    assert without_comment.status_code == 422
    assert (justified.status_code, error_of(justified)["field"]) == (422, "justification")
    assert closed.status_code == 200, closed.content
    assert closed.json()["leader_comment"] == "Fulgt opp med den ansatte."
    assert (again.status_code, error_of(again)["code"]) == (409, "deviation_closed")
    assert AuditEvent.objects.filter(action=AuditAction.DEVIATION_CLOSED).count() == 1
    listed = ansatt_api.get(f"/cases/{case.pk}/deviations").json()
    assert [d["closed_at"] is not None for d in listed["items"]] == [True]


def test_a_deviation_of_another_case_is_404_on_this_cases_path(
    ansatt_api: Api, leder_api: Api, ansatt: User, case: Case
) -> None:
    other = case_services.case_create(acting_user=ansatt, reference="API-2")
    deviation_id = ansatt_api.post(
        f"/cases/{other.pk}/deviations", {"reason": "safety_routine_not_followed"}
    ).json()["id"]

    response = leder_api.post(
        f"/cases/{case.pk}/deviations/{deviation_id}/close", {"comment": "Nei"}
    )

    assert response.status_code == 404
    assert Deviation.objects.get(pk=deviation_id).is_open


def test_only_the_leader_reviews_a_contact_without_consent_once(
    ansatt_api: Api, leder_api: Api, ansatt: User, case: Case
) -> None:
    contact = danger_contact(ansatt_api, case, ansatt)
    path = f"/cases/{case.pk}/police-contacts/{contact['id']}/review"

    by_ansatt = ansatt_api.post(path, {"note": "Sett"})
    reviewed = leder_api.post(path, {"note": "Gått gjennom med den ansatte."})
    again = leder_api.post(path, {})

    assert by_ansatt.status_code == 403
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["leader_reviewed_at"] is not None
    assert (again.status_code, error_of(again)["code"]) == (409, "already_reviewed")
    assert AuditEvent.objects.filter(action=AuditAction.POLICE_CONTACT_REVIEWED).count() == 1


def test_a_contact_with_a_consent_ground_is_not_reviewed(
    ansatt_api: Api, leder_api: Api, case: Case
) -> None:
    anonymous = ansatt_api.post(
        f"/cases/{case.pk}/police-contacts",
        {
            "status": "done",
            "contact_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
            "police_district": "oslo",
            "contact_role": "investigator",
            "channel": "phone",
            "legal_ground": "anonymous",
        },
    ).json()

    response = leder_api.post(f"/cases/{case.pk}/police-contacts/{anonymous['id']}/review", {})

    assert response.status_code == 422
    assert PoliceContact.objects.get(pk=anonymous["id"]).leader_reviewed_at is None


def _code(user: User) -> dict[str, str]:
    """A fresh one-time code: adding to a contact's record needs step-up, as on the web."""
    return {"X-Vern-OTP": backup_code(user)}


def test_that_the_user_was_told_is_added_afterwards_only_when_it_is_missing(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    contact = danger_contact(ansatt_api, case, ansatt)
    assert contact["user_told_at"] is None
    path = f"/cases/{case.pk}/police-contacts/{contact['id']}/user-told"
    told_at = (clock.now() - dt.timedelta(minutes=5)).isoformat()

    future = ansatt_api.post(
        path,
        {
            "user_told_at": (clock.now() + dt.timedelta(days=1)).isoformat(),
            "user_told_how": "I samtale.",
        },
        _code(ansatt),
    )
    told = ansatt_api.post(
        path, {"user_told_at": told_at, "user_told_how": "I samtale."}, _code(ansatt)
    )
    again = ansatt_api.post(
        path, {"user_told_at": told_at, "user_told_how": "I samtale."}, _code(ansatt)
    )

    assert (future.status_code, error_of(future)["field"]) == (422, "user_told_at")
    assert told.status_code == 200, told.content
    assert told.json()["user_told_missing"] is False
    assert (again.status_code, error_of(again)["code"]) == (409, "nothing_to_add")
    assert case.events.filter(kind="police_contact_user_told").count() == 1


def test_the_reprisal_check_is_added_afterwards_complete_and_only_once(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    contact = danger_contact(ansatt_api, case, ansatt, reprisal_check=None)
    path = f"/cases/{case.pk}/police-contacts/{contact['id']}/reprisal-check"

    partial = ansatt_api.post(path, {"routes": ["police_contacts_him"]}, _code(ansatt))
    added = ansatt_api.post(path, REPRISAL, _code(ansatt))
    again = ansatt_api.post(path, REPRISAL, _code(ansatt))

    assert partial.status_code == 422
    assert added.status_code == 200, added.content
    assert added.json()["reprisal_check_missing"] is False
    assert (again.status_code, error_of(again)["code"]) == (409, "nothing_to_add")
    check = PoliceContact.objects.get(pk=contact["id"]).reprisal_check
    assert check["risk"] == "high"
    assert "added_at" in check
