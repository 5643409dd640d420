"""Issue 21, the rest of parity: changing a case, handing it on, the signed consent form, the
centre's settings and the centre-wide lists, over the API with the web's services, audit
events, centre scoping and step-up."""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any

from tests.api.conftest import Api, error_of, png_bytes, upload
from tests.factories import backup_code, make_user
from vern.accounts.models import Role, User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.cases.services import centre_settings_for
from vern.centres.models import Centre
from vern.childwelfare import services as childwelfare_services
from vern.consent.models import SignedConsentFile
from vern.consent.services import consent_create, information_record
from vern.core import clock
from vern.police import services as police_services

CONSENT: dict[str, Any] = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "P",
    "categories": ["violence"],
    "form": "verbal",
    "verbal_witness": "Ola",
    "verbal_reason": "På telefon",
}


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_a_case_is_changed_over_the_api_as_on_the_case_page(ansatt_api: Api, case: Case) -> None:
    before = _events(AuditAction.CASE_UPDATED)
    response = ansatt_api.put(f"/cases/{case.pk}", {"name": " Kari ", "language": "en"})

    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.name, case.language) == ("Kari", "en")
    assert _events(AuditAction.CASE_UPDATED) == before + 1
    assert case.events.filter(kind="case_updated").exists()
    # Both fields are sent: a name left out is not silently lost.
    assert ansatt_api.put(f"/cases/{case.pk}", {"language": "nb"}).status_code == 422


def test_a_closed_case_is_not_changed(ansatt_api: Api, ansatt: User, case: Case) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="other")

    response = ansatt_api.put(f"/cases/{case.pk}", {"name": "X", "language": "nb"})

    assert response.status_code == 409
    assert error_of(response)["code"] == "case_closed"


def test_a_case_is_handed_on_by_its_responsible_or_a_leader_only(
    ansatt_api: Api, ansatt: User, leder: User, centre: Centre, case: Case
) -> None:
    colleague = make_user(Role.ANSATT, centre)
    from django.test import Client

    from tests.api.conftest import token_for

    colleague_api = Api(Client(), token_for(colleague))
    refused = colleague_api.post(f"/cases/{case.pk}/responsible", {"responsible_id": leder.pk})
    assert refused.status_code == 403  # neither the responsible nor a leader

    handed = ansatt_api.post(f"/cases/{case.pk}/responsible", {"responsible_id": colleague.pk})

    assert handed.status_code == 200, handed.content
    assert handed.json() == {"case_id": case.pk, "responsible_id": colleague.pk}
    event = AuditEvent.objects.filter(action=AuditAction.CASE_UPDATED).latest("seq")
    assert event.details["step"] == "responsible_changed"
    assert (event.details["from_user"], event.details["to_user"]) == (ansatt.pk, colleague.pk)
    again = colleague_api.post(f"/cases/{case.pk}/responsible", {"responsible_id": colleague.pk})
    assert again.status_code == 422
    assert error_of(again)["field"] == "responsible_id"


def test_a_case_is_never_handed_to_someone_of_another_centre(
    ansatt_api: Api, case: Case, other_ansatt: User, administrator: User
) -> None:
    for stranger in (other_ansatt, administrator):
        response = ansatt_api.post(f"/cases/{case.pk}/responsible", {"responsible_id": stranger.pk})
        assert response.status_code == 422
        assert error_of(response)["field"] == "responsible_id"
    case.refresh_from_db()
    assert case.responsible_id != other_ansatt.pk


def test_the_signed_form_is_checked_by_content_and_a_bad_one_stores_nothing(
    ansatt_api: Api, ansatt: User, case: Case, settings: Any
) -> None:
    media = pathlib.Path(settings.MEDIA_ROOT)
    information_record(acting_user=ansatt, case=case, kind="public_prosecution", language="nb")
    consent = consent_create(acting_user=ansatt, case=case, **CONSENT)
    path = f"/cases/{case.pk}/consents/{consent.pk}/signed-file"

    refused = upload(ansatt_api, path, b"#!/bin/sh\necho hei\n", name="skjema.png")
    assert refused.status_code == 422, refused.content
    assert error_of(refused)["field"] == "signed_file"
    assert not SignedConsentFile.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))
    assert upload(ansatt_api, path, b"").status_code == 422

    accepted = upload(ansatt_api, path, png_bytes())

    assert accepted.status_code == 201, accepted.content
    body = accepted.json()
    assert (body["consent_id"], body["content_type"]) == (consent.pk, "image/png")
    assert SignedConsentFile.objects.filter(consent=consent).count() == 1
    assert case.events.filter(kind="consent_signed_form").exists()


def test_the_centre_settings_are_the_leaders(ansatt_api: Api, leder_api: Api, leder: User) -> None:
    body = {
        "reassess_days_required": 7,
        "reassess_days_recommended": 30,
        "reassess_days_not_indicated": 90,
    }
    assert ansatt_api.put("/centre/settings", body).status_code == 403
    assert ansatt_api.get("/centre/settings").status_code == 403
    before = _events(AuditAction.CENTRE_UPDATED)

    response = leder_api.put("/centre/settings", body)

    assert response.status_code == 200, response.content
    assert response.json() == body
    assert leder_api.get("/centre/settings").json() == body
    assert centre_settings_for(leder.centre_id).reassess_days_required == 7  # type: ignore[arg-type]
    assert _events(AuditAction.CENTRE_UPDATED) == before + 1
    too_many = leder_api.put("/centre/settings", {**body, "reassess_days_required": 366})
    assert too_many.status_code == 422
    assert error_of(too_many)["field"] == "reassess_days_required"


def test_the_centre_wide_lists_are_the_own_centres_and_the_leaders(
    ansatt_api: Api, leder_api: Api, case: Case, other_case: Case
) -> None:
    for theirs_or_ours in (case, other_case):
        user = theirs_or_ours.created_by
        child = case_services.child_add(
            acting_user=user, case=theirs_or_ours, label="B1", birth_year=None
        )
        childwelfare_services.concern_record(
            acting_user=user, case=theirs_or_ours, child=child, grounds=["mistreated"], reason="R"
        )
        police_services.deviation_open(
            acting_user=user, case=theirs_or_ours, reasons=["safety_routine_not_followed"]
        )
    for path in ("/centre/deviations", "/centre/child-welfare/pending", "/centre/rules-changed"):
        assert ansatt_api.get(path).status_code == 403, path
    listed = _events(AuditAction.CASE_LISTED)

    deviations = leder_api.get("/centre/deviations").json()
    pending = leder_api.get("/centre/child-welfare/pending").json()
    board = ansatt_api.get("/centre/reassessments").json()

    assert [d["case_id"] for d in deviations["open"]] == [case.pk]
    assert [c["case_id"] for c in pending["items"]] == [case.pk]
    assert pending["items"][0]["child_label"] == "B1"
    assert [c["id"] for c in board["never_assessed"]] == [case.pk]
    assert _events(AuditAction.CASE_LISTED) == listed + 2
    assert leder_api.get("/centre/rules-changed").json() == {"lang": "nb", "count": 0, "items": []}


def test_user_told_and_the_reprisal_check_need_a_fresh_code_as_on_the_web(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    now = clock.now()
    contact = police_services.police_contact_record(
        acting_user=ansatt,
        case=case,
        data=police_services.ContactInput(
            status="done",
            contact_at=now - dt.timedelta(hours=1),
            police_district="oslo",
            contact_role="operations_centre",
            channel="phone",
            legal_ground="danger_to_life_or_health",
            shared_categories=["identity"],
            danger_what="Truet",
            danger_consent="refused",
            danger_consent_why="Frykt",
            decided_as="staff_leader_told",
            leader_told_at=now - dt.timedelta(minutes=50),
            necessity_why="Navnet trengtes.",
        ),
        confirm_deviation=True,
    )
    base = f"/cases/{case.pk}/police-contacts/{contact.pk}"
    told = {"user_told_at": now.isoformat(), "user_told_how": "I samtale."}
    check = {"routes": ["police_contacts_him"], "risk": "high", "protections": ["alarm"]}
    for suffix, body in (("/user-told", told), ("/reprisal-check", check)):
        refused = ansatt_api.post(base + suffix, body)
        assert refused.status_code == 403, (suffix, refused.content)
        assert error_of(refused)["code"] == "step_up_required"
        done = ansatt_api.post(base + suffix, body, {"X-Vern-OTP": backup_code(ansatt)})
        assert done.status_code == 200, (suffix, done.content)
    contact.refresh_from_db()
    assert contact.user_told_at is not None
    assert contact.reprisal_check
