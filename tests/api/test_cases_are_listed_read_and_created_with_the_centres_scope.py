"""Cases through the API: the token owner's centre only, the same service and audit events
as the web app, one api_read audit event per read request (issue 8)."""

from __future__ import annotations

from tests.api.conftest import Api, error_of
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.cases.models import Case


def test_the_list_shows_the_own_centres_cases_without_names(
    ansatt_api: Api, case: Case, other_case: Case
) -> None:
    response = ansatt_api.get("/cases")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [item["reference"] for item in body["items"]] == ["API-1"]
    assert "name" not in body["items"][0]


def test_reading_a_case_writes_exactly_one_api_read_event(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    before = AuditEvent.objects.count()

    response = ansatt_api.get(f"/cases/{case.pk}")

    assert response.status_code == 200
    assert response.json()["reference"] == "API-1"
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.action, e.object_type, e.object_id, e.actor_id) for e in events] == [
        (AuditAction.API_READ, "case", str(case.pk), ansatt.pk)
    ]


def test_creating_a_case_uses_the_case_service_and_its_audit_event(
    ansatt_api: Api, ansatt: User
) -> None:
    response = ansatt_api.post("/cases", {"reference": "NY-7", "language": "en"})

    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.centre_id, case.created_by_id, case.language) == (
        ansatt.centre_id,
        ansatt.pk,
        "en",
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CASE_CREATED, object_id=str(case.pk)
    ).exists()


def test_a_reference_in_use_is_a_409_naming_the_field(ansatt_api: Api, case: Case) -> None:
    response = ansatt_api.post("/cases", {"reference": "api-1"})

    assert response.status_code == 409
    assert error_of(response) | {"message": ""} == {
        "code": "reference_in_use",
        "field": "reference",
        "message": "",
    }


def test_unknown_properties_are_refused_with_the_field(ansatt_api: Api) -> None:
    response = ansatt_api.post("/cases", {"reference": "X", "colour": "blue"})

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_request", "colour")


def test_another_centres_case_is_404_not_403(ansatt_api: Api, other_case: Case) -> None:
    response = ansatt_api.get(f"/cases/{other_case.pk}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_administrators_get_no_case_data(admin_api: Api, case: Case) -> None:
    for response in (
        admin_api.get("/cases"),
        admin_api.get(f"/cases/{case.pk}"),
        admin_api.post("/cases", {"reference": "ADM"}),
    ):
        assert response.status_code == 403
        assert error_of(response)["code"] == "forbidden"
