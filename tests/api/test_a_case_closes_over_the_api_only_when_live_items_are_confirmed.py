"""Closing a case over the API (issue 21) is the close page's rule: what is still live (here a
planned police contact and a consent in force) is listed in a 409 until the closing is
confirmed; a closed case refuses changes, and reopening it puts it on the reassessment list."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import Api, error_of
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.cases.models import Case, CaseStatus, TriggerKind
from vern.core import clock

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
PLAN = {
    "status": "planned",
    "contact_at": (clock.now() + dt.timedelta(days=1)).isoformat(),
    "police_district": "oslo",
    "contact_role": "investigator",
    "channel": "phone",
    "legal_ground": "anonymous",
}


def _with_live_items(api: Api, case: Case) -> None:
    api.post(f"/cases/{case.pk}/information", {"kind": "public_prosecution", "language": "nb"})
    assert api.post(f"/cases/{case.pk}/consents", CONSENT).status_code == 201
    assert api.post(f"/cases/{case.pk}/police-contacts", PLAN).status_code == 201


def test_a_case_with_nothing_live_closes_at_once(ansatt_api: Api, case: Case) -> None:
    response = ansatt_api.post(f"/cases/{case.pk}/close", {"reason": "moved_out_safe"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CLOSED, object_id=case.pk).exists()


def test_live_items_are_listed_and_the_case_stays_open_until_confirmed(
    ansatt_api: Api, case: Case
) -> None:
    _with_live_items(ansatt_api, case)

    refused = ansatt_api.post(f"/cases/{case.pk}/close", {"reason": "other"})

    assert refused.status_code == 409
    error = error_of(refused)
    assert error["code"] == "live_items_not_confirmed"
    assert error["field"] == "confirm_live_items"
    assert "pending_contacts (1)" in error["message"]
    assert "active_consent" in error["message"]
    assert "pending_relocation" not in error["message"]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    confirmed = ansatt_api.post(
        f"/cases/{case.pk}/close", {"reason": "other", "confirm_live_items": True}
    )

    assert confirmed.status_code == 200, confirmed.content
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.close_reason == "other"


def test_a_closed_case_cannot_be_closed_again_nor_get_events_or_refusals(
    ansatt_api: Api, case: Case
) -> None:
    ansatt_api.post(f"/cases/{case.pk}/close", {"reason": "other"})

    again = ansatt_api.post(f"/cases/{case.pk}/close", {"reason": "other"})
    event = ansatt_api.post(f"/cases/{case.pk}/events", {"kind": "new_threat"})
    refusal = ansatt_api.post(f"/cases/{case.pk}/refusals", {})

    for response in (again, event, refusal):
        assert response.status_code == 409
        assert error_of(response)["code"] == "case_closed"


def test_reopening_needs_a_closed_case_and_calls_for_a_reassessment(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    open_case = ansatt_api.post(f"/cases/{case.pk}/reopen", {"reason": "user_returned"})
    assert open_case.status_code == 409
    assert error_of(open_case)["code"] == "case_open"

    ansatt_api.post(f"/cases/{case.pk}/close", {"reason": "returned"})
    reopened = ansatt_api.post(f"/cases/{case.pk}/reopen", {"reason": "user_returned"})

    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == "open"
    assert case.triggers.filter(kind=TriggerKind.CASE_REOPENED).count() == 1
    state = ansatt_api.get(f"/cases/{case.pk}").json()["state"]
    assert state["reassess_now"] is True
    assert AuditEvent.objects.filter(action=AuditAction.CASE_REOPENED, actor=ansatt).exists()


def test_an_unknown_close_or_reopen_reason_is_422(ansatt_api: Api, case: Case) -> None:
    close = ansatt_api.post(f"/cases/{case.pk}/close", {"reason": "tired"})
    reopen = ansatt_api.post(f"/cases/{case.pk}/reopen", {})

    assert (close.status_code, reopen.status_code) == (422, 422)
    assert error_of(close)["field"] == "reason"
