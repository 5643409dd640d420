"""Issue 21, relocations: a move planned, prepared and completed (or cancelled) over the API
goes through the relocation services the web pages call, with their checks (R1, G14, R2, R3),
their timeline lines and audit events, and answers in the documented statuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.api.conftest import Api, error_of
from tests.factories import backup_code
from tests.relocation.conftest import handover_consent
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent, ReassessmentTrigger
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.core import clock
from vern.police.models import Deviation
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db


def plan_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reason": "Utøveren vet hvor senteret ligger.",
        "destination_name": "Fjordby krisesenter",
        "destination_police_district": "vest",
        "chosen_with_police": True,
        "planned_on": (clock.today() + dt.timedelta(days=3)).isoformat(),
    }
    body.update(overrides)
    return body


def done_contact(hours: float = 2, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": "done",
        "contact_at": (clock.now() - dt.timedelta(hours=hours)).isoformat(),
        "police_district": "oslo",
        "contact_role": "investigator",
        "channel": "phone",
        "legal_ground": "anonymous",
    }
    body.update(overrides)
    return body


def _plan(api: Api, case: Case, **overrides: Any) -> dict[str, Any]:
    response = api.post(f"/cases/{case.pk}/relocations", plan_body(**overrides))
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_a_whole_move_over_the_api(ansatt_api: Api, case: Case) -> None:
    moved = _plan(ansatt_api, case)
    base = f"/cases/{case.pk}/relocations/{moved['id']}"
    assert moved["status"] == "planned"
    assert moved["missing"] == ["chosen_with_user", "police_departure", "police_destination"]
    assert ReassessmentTrigger.objects.filter(case=case, kind="planned_move").exists()

    departure = ansatt_api.post(f"{base}/police-contacts/departure", done_contact())
    assert departure.status_code == 201, departure.content
    assert departure.json()["contact"]["ground_valid"] is True
    assert departure.json()["deviation_opened"] is False
    none = ansatt_api.post(
        f"{base}/police-not-involved/destination", {"reason": "Politiet svarte ikke."}
    )
    assert none.status_code == 200, none.content
    ends = {end["end"]: end for end in none.json()["police_ends"]}
    assert ends["departure"]["contact"]["id"] == departure.json()["contact"]["id"]
    assert ends["destination"]["no_police_reason"] == "Politiet svarte ikke."
    assert Deviation.objects.filter(case=case, kind="relocation_without_police").count() == 1

    refused = ansatt_api.post(f"{base}/complete", {"handover": "police_brief"})
    assert refused.status_code == 422
    assert "brukeren" in error_of(refused)["message"]
    assert ansatt_api.post(f"{base}/user-choice").status_code == 200
    again = ansatt_api.post(f"{base}/user-choice")
    assert (again.status_code, error_of(again)["code"]) == (409, "already_recorded")

    done = ansatt_api.post(f"{base}/complete", {"handover": "police_brief"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"
    assert done.json()["missing"] == []
    late = ansatt_api.post(f"{base}/cancel", {"reason": "For sent."})
    assert (late.status_code, error_of(late)["code"]) == (409, "relocation_not_planned")

    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {
        "relocation_planned",
        "relocation_police",
        "relocation_user_choice",
        "relocation_completed",
    } <= kinds
    steps = [
        e.details.get("step")
        for e in AuditEvent.objects.filter(action="relocation_recorded").order_by("seq")
    ]
    assert steps == ["planned", "police", "police", "user_choice", "completed"]


def test_a_link_the_police_choice_and_a_cancel(ansatt_api: Api, case: Case) -> None:
    contact = ansatt_api.post(f"/cases/{case.pk}/police-contacts", done_contact()).json()
    moved = _plan(ansatt_api, case, chosen_with_police=False)
    base = f"/cases/{case.pk}/relocations/{moved['id']}"

    linked = ansatt_api.post(f"{base}/police-link/destination", {"contact_id": contact["id"]})
    assert linked.status_code == 200, linked.content
    ends = {end["end"]: end for end in linked.json()["police_ends"]}
    assert ends["destination"]["contact"]["id"] == contact["id"]
    assert ends["destination"]["involved"] is True
    chose = ansatt_api.post(f"{base}/police-choice", {"chosen_with_police": True})
    assert chose.json()["chosen_with_police"] is True
    same = ansatt_api.post(f"{base}/police-choice", {"chosen_with_police": True})
    assert same.status_code == 409
    second = ansatt_api.post(f"/cases/{case.pk}/relocations", plan_body())
    assert (second.status_code, error_of(second)["code"]) == (409, "relocation_already_planned")

    blank = ansatt_api.post(f"{base}/cancel", {"reason": "   "})
    assert blank.status_code == 422
    cancelled = ansatt_api.post(f"{base}/cancel", {"reason": "Brukeren vil bli."})
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "Brukeren vil bli."
    listed = ansatt_api.get(f"/cases/{case.pk}/relocations").json()
    assert [item["id"] for item in listed["items"]] == [moved["id"]]


def test_the_service_refusals_are_422_naming_the_field(ansatt_api: Api, case: Case) -> None:
    outside = ansatt_api.post(
        f"/cases/{case.pk}/relocations", plan_body(destination_name="", chosen_with_police=False)
    )
    assert (outside.status_code, error_of(outside)["field"]) == (422, "destination_name")
    own = ansatt_api.post(
        f"/cases/{case.pk}/relocations",
        plan_body(destination_name="", destination_centre_id=case.centre_id),
    )
    assert (own.status_code, error_of(own)["field"]) == (422, "destination_centre")
    moved = _plan(ansatt_api, case)
    future = ansatt_api.post(
        f"/cases/{case.pk}/relocations/{moved['id']}/complete",
        {"handover": "none", "completed_at": (clock.now() + dt.timedelta(days=1)).isoformat()},
    )
    assert (future.status_code, error_of(future)["field"]) == (422, "completed_at")


def test_a_closed_case_refuses_every_change_of_its_move(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    moved = _plan(ansatt_api, case)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    base = f"/cases/{case.pk}/relocations/{moved['id']}"
    for path, body in (
        ("/user-choice", None),
        ("/cancel", {"reason": "Avbrutt."}),
        ("/police-not-involved/departure", {"reason": "Nei."}),
    ):
        response = ansatt_api.post(base + path, body)
        assert (response.status_code, error_of(response)["code"]) == (409, "case_closed"), path
    assert Relocation.objects.get(pk=moved["id"]).status == "planned"
    assert ansatt_api.get(base).status_code == 200


def test_the_handover_needs_a_fresh_code_and_gives_only_a_receipt(
    ansatt_api: Api, ansatt: User, case: Case, other_centre: Centre
) -> None:
    moved = _plan(ansatt_api, case, destination_name="", destination_centre_id=other_centre.pk)
    assert moved["in_vern"] is True
    assert moved["handover_problem"] == "no_consent"
    handover_consent(ansatt, case, recipient_unit=other_centre.name)
    path = f"/cases/{case.pk}/relocations/{moved['id']}/hand-over"

    without = ansatt_api.post(path, {"reference": "FRA-A"})
    assert (without.status_code, error_of(without)["code"]) == (403, "step_up_required")
    done = ansatt_api.post(path, {"reference": "FRA-A"}, {"X-Vern-OTP": backup_code(ansatt)})

    assert done.status_code == 200, done.content
    assert done.json()["kinds"] == ["risk_mapping"]
    assert done.json()["relocation"]["handover_problem"] == "already"
    assert other_centre.name not in done.content.decode()
    with system_scope():
        assert Case.objects.filter(centre=other_centre, reference="FRA-A").exists()
    again = ansatt_api.post(path, {}, {"X-Vern-OTP": backup_code(ansatt)})
    assert again.status_code == 422


def test_administrators_get_no_relocation(admin_api: Api, ansatt_api: Api, case: Case) -> None:
    moved = _plan(ansatt_api, case)

    assert admin_api.get(f"/cases/{case.pk}/relocations/{moved['id']}").status_code == 403
    assert admin_api.post(f"/cases/{case.pk}/relocations", plan_body()).status_code == 403
