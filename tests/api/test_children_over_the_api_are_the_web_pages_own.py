"""Children and the child-welfare duty over the API (K1, B1) are the web pages' own: the same
services, the label rules of the web form (no fødselsnummer, a full name only when confirmed),
a child marked in error and never deleted, and a concern that stays pending until the
notification is recorded or it is resolved with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, error_of
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild
from vern.childwelfare.models import ChildWelfareConcern
from vern.core import clock
from vern.desk.state import case_state

pytestmark = pytest.mark.django_db

CONCERN = {"grounds": ["mistreated"], "reason": "Blåmerker på armene."}


def _notification(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sent_on": clock.today().isoformat(),
        "service": "Barnevernstjenesten i Bergen",
        "channel": "phone",
        "shared_categories": ["child_situation"],
        "user_told": "yes",
        "user_told_on": clock.today().isoformat(),
        "user_told_how": "I en samtale.",
    }
    body.update(overrides)
    return body


def _child(api: Api, case: Case, label: str = "Barn 1") -> int:
    response = api.post(f"/cases/{case.pk}/children", {"label": label, "birth_year": 2019})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_a_child_is_registered_listed_and_audited_as_on_the_web(
    ansatt_api: Api, case: Case
) -> None:
    child_id = _child(ansatt_api, case)

    listed = ansatt_api.get(f"/cases/{case.pk}/children").json()
    assert [(c["id"], c["label"], c["birth_year"]) for c in listed["items"]] == [
        (child_id, "Barn 1", 2019)
    ]
    assert case.events.filter(kind="child_added", object_id=child_id).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.API_READ, object_id=case.pk).exists()
    again = ansatt_api.post(f"/cases/{case.pk}/children", {"label": "barn 1"})
    assert again.status_code == 422
    assert error_of(again)["field"] == "label"


def test_a_fodselsnummer_in_a_label_is_refused_and_a_full_name_needs_confirming(
    ansatt_api: Api, case: Case
) -> None:
    number = "010190 12345"  # a date of birth first: refused, check digits or not

    refused = ansatt_api.post(f"/cases/{case.pk}/children", {"label": f"B {number}"})
    named = ansatt_api.post(f"/cases/{case.pk}/children", {"label": "Kari Nordmann"})
    confirmed = ansatt_api.post(
        f"/cases/{case.pk}/children", {"label": "Lille Bjørn", "confirm_not_a_name": True}
    )

    assert (refused.status_code, error_of(refused)["field"]) == (422, "label")
    assert (named.status_code, error_of(named)["field"]) == (422, "label")
    assert confirmed.status_code == 201
    assert list(CaseChild.objects.filter(case=case).values_list("label", flat=True)) == [
        "Lille Bjørn"
    ]


def test_a_child_removed_over_the_api_is_kept_marked_and_out_of_the_stay(
    ansatt_api: Api, case: Case
) -> None:
    child_id = _child(ansatt_api, case)

    removed = ansatt_api.post(
        f"/cases/{case.pk}/children/{child_id}/remove", {"reason": "duplicate"}
    )
    twice = ansatt_api.post(f"/cases/{case.pk}/children/{child_id}/remove", {"reason": "other"})
    concern = ansatt_api.post(f"/cases/{case.pk}/children/{child_id}/concerns", CONCERN)

    assert removed.status_code == 200
    assert removed.json()["removed_at"] is not None
    assert removed.json()["removal_reason"] == "duplicate"
    assert (twice.status_code, error_of(twice)["code"]) == (409, "child_removed")
    assert (concern.status_code, error_of(concern)["code"]) == (409, "child_removed")
    child = CaseChild.objects.get(pk=child_id)
    assert child.is_removed
    listed = ansatt_api.get(f"/cases/{case.pk}/children").json()["items"]
    assert [c["id"] for c in listed] == [child_id]


def test_a_concern_stays_pending_until_the_notification_is_recorded(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    child_id = _child(ansatt_api, case)
    nothing = ansatt_api.post(
        f"/cases/{case.pk}/children/{child_id}/notifications", _notification()
    )
    concern = ansatt_api.post(f"/cases/{case.pk}/children/{child_id}/concerns", CONCERN)
    assert concern.status_code == 201, concern.content
    assert case_state(case=case).children_with_pending_concerns == ("Barn 1",)
    missing_how = ansatt_api.post(
        f"/cases/{case.pk}/children/{child_id}/notifications", _notification(user_told_how="")
    )

    notified = ansatt_api.post(
        f"/cases/{case.pk}/children/{child_id}/notifications", _notification()
    )

    assert (nothing.status_code, error_of(nothing)["code"]) == (409, "no_pending_concern")
    assert (missing_how.status_code, error_of(missing_how)["field"]) == (422, "user_told_how")
    assert notified.status_code == 201, notified.content
    assert notified.json()["concern_ids"] == [concern.json()["id"]]
    assert notified.json()["sent_by_id"] == ansatt.pk
    assert case_state(case=case).children_with_pending_concerns == ()
    assert AuditEvent.objects.filter(action=AuditAction.CHILD_WELFARE_NOTIFIED).count() == 1
    listed = ansatt_api.get(f"/cases/{case.pk}/children").json()
    assert listed["items"][0]["concerns"][0]["pending"] is False
    assert [n["id"] for n in listed["notifications"]] == [notified.json()["id"]]


def test_a_concern_is_resolved_with_a_reason_and_kept(ansatt_api: Api, case: Case) -> None:
    child_id = _child(ansatt_api, case)
    concern_id = ansatt_api.post(f"/cases/{case.pk}/children/{child_id}/concerns", CONCERN).json()[
        "id"
    ]
    path = f"/cases/{case.pk}/children/{child_id}/concerns/{concern_id}/resolve"

    no_note = ansatt_api.post(path, {"reason": "other"})
    resolved = ansatt_api.post(path, {"reason": "registered_in_error"})
    again = ansatt_api.post(path, {"reason": "registered_in_error"})

    assert (no_note.status_code, error_of(no_note)["field"]) == (422, "note")
    assert resolved.status_code == 200
    assert resolved.json()["resolution_reason"] == "registered_in_error"
    assert (again.status_code, error_of(again)["code"]) == (409, "concern_not_pending")
    assert ChildWelfareConcern.objects.get(pk=concern_id).is_resolved


def test_a_concern_of_a_sibling_is_resolved_only_on_its_own_childs_path(
    ansatt_api: Api, case: Case
) -> None:
    first = _child(ansatt_api, case)
    second = _child(ansatt_api, case, "Barn 2")
    concern_id = ansatt_api.post(f"/cases/{case.pk}/children/{first}/concerns", CONCERN).json()[
        "id"
    ]

    wrong = ansatt_api.post(
        f"/cases/{case.pk}/children/{second}/concerns/{concern_id}/resolve",
        {"reason": "wrong_child"},
    )
    both = ansatt_api.post(
        f"/cases/{case.pk}/children/{second}/notifications",
        _notification(concern_ids=[concern_id]),
    )

    assert wrong.status_code == 404
    assert both.status_code == 201, both.content
    assert both.json()["concern_ids"] == [concern_id]


def test_a_closed_case_takes_no_child_and_another_centres_sender_is_refused(
    ansatt_api: Api, ansatt: User, case: Case, other_ansatt: User
) -> None:
    child_id = _child(ansatt_api, case)
    ansatt_api.post(f"/cases/{case.pk}/children/{child_id}/concerns", CONCERN)

    foreign = ansatt_api.post(
        f"/cases/{case.pk}/children/{child_id}/notifications",
        _notification(sent_by_id=other_ansatt.pk),
    )
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    closed = ansatt_api.post(f"/cases/{case.pk}/children", {"label": "Barn 3"})

    assert (foreign.status_code, error_of(foreign)["field"]) == (422, "sent_by")
    assert (closed.status_code, error_of(closed)["code"]) == (409, "case_closed")
    assert ansatt_api.get(f"/cases/{case.pk}/children").status_code == 200


def test_the_notifications_channel_leaves_the_police_contacts_channel_in_the_schema() -> None:
    """The OpenAPI document names its schemas by class: the child welfare channel has its own
    name, so the police contact's ``Channel`` keeps its own values."""
    from vern.api.endpoints import api
    from vern.childwelfare.models import Channel as NotificationChannel
    from vern.police.models import Channel

    schemas = api.get_openapi_schema()["components"]["schemas"]

    assert schemas["Channel"]["enum"] == list(Channel.values)
    assert schemas["NotificationChannel"]["enum"] == list(NotificationChannel.values)
