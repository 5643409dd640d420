"""A token of centre A on the ids of centre B gets 404 on every operation that takes an id,
with a body that would be accepted on A's own objects (issue 8: no existence oracle)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import Api, error_of, png_bytes
from tests.documents.conftest import make_assessment
from tests.factories import backup_code
from vern.accounts import mfa
from vern.accounts.models import User
from vern.api.endpoints import api
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.consent.services import consent_create, information_record
from vern.core import clock

BODIES = {
    "/risk-mappings": {"method": "sara", "result": "yes"},
    "/assessments": {"user_participated": True},
    "/information": {"kind": "public_prosecution", "language": "nb"},
    "/consents": {
        "recipient_kind": "police",
        "police_district": "oslo",
        "purpose": "P",
        "categories": ["violence"],
        "form": "written",
        "written_method": "on_screen",
        "signed_by_name": "K",
        "signature_confirmed": True,
    },
}


# --- Relocations (issue 21, vern.api.relocations) -------------------------------------------
# Each operation on a relocation, with a body that the own centre's planned move accepts.
RELOCATION_OPERATIONS: dict[str, dict[str, object] | None] = {
    "/police-contacts/departure": {
        "status": "done",
        "contact_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
        "police_district": "oslo",
        "contact_role": "investigator",
        "channel": "phone",
        "legal_ground": "anonymous",
    },
    "/police-link/destination": None,  # the contact id is filled in by the test
    "/police-not-involved/destination": {"reason": "Nei"},
    "/police-choice": {"chosen_with_police": True},
    "/user-choice": {},
    "/complete": {"handover": "none"},
    "/cancel": {"reason": "Avbrutt"},
    "/hand-over": {},
}
RELOCATION_PATHS = (
    "",
    "/{relocation_id}",
    "/{relocation_id}/police-contacts/{end}",
    "/{relocation_id}/police-link/{end}",
    "/{relocation_id}/police-not-involved/{end}",
    "/{relocation_id}/police-choice",
    "/{relocation_id}/user-choice",
    "/{relocation_id}/complete",
    "/{relocation_id}/cancel",
    "/{relocation_id}/hand-over",
)


def test_another_centres_relocation_is_404_on_every_operation(
    ansatt_api: Api, ansatt: User, case: Case, other_case: Case, other_ansatt: User
) -> None:
    """With the own case's id or the other case's, with a code: 404, and nothing changes."""
    from vern.police import services as police_services
    from vern.relocation import services as relocation_services
    from vern.relocation.models import Relocation

    theirs = relocation_services.relocation_plan(
        acting_user=other_ansatt,
        case=other_case,
        reason="B",
        destination_name="B-senter",
        destination_police_district="vest",
        chosen_with_user=True,
        chosen_with_police=False,
        planned_on=clock.today(),
    )
    own_contact = police_services.police_contact_record(
        acting_user=ansatt,
        case=case,
        data=police_services.ContactInput(
            status="done",
            contact_at=clock.now() - dt.timedelta(hours=1),
            police_district="oslo",
            contact_role="investigator",
            channel="phone",
            legal_ground="anonymous",
        ),
    )
    for owner in (case, other_case):
        assert ansatt_api.get(f"/cases/{owner.pk}/relocations/{theirs.pk}").status_code == 404
        for suffix, body in RELOCATION_OPERATIONS.items():
            sent = {"contact_id": own_contact.pk} if "police-link" in suffix else body
            response = ansatt_api.post(
                f"/cases/{owner.pk}/relocations/{theirs.pk}{suffix}",
                sent,
                {"X-Vern-OTP": backup_code(ansatt)},
            )
            assert response.status_code == 404, (owner.reference, suffix, response.content)
            assert error_of(response)["code"] == "not_found"
    planned = ansatt_api.post(
        f"/cases/{other_case.pk}/relocations",
        {
            "reason": "A",
            "destination_name": "X",
            "destination_police_district": "vest",
            "planned_on": clock.today().isoformat(),
        },
    )
    assert planned.status_code == 404
    assert ansatt_api.get(f"/cases/{other_case.pk}/relocations").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.chosen_with_police, theirs.departure_contact_id) == (
        "planned",
        False,
        None,
    )
    assert Relocation.objects.filter(case=other_case).count() == 1


def test_another_centres_police_contact_cannot_be_linked_to_the_own_move(
    ansatt_api: Api, ansatt: User, case: Case, other_case: Case, other_ansatt: User
) -> None:
    from vern.police import services as police_services
    from vern.relocation import services as relocation_services

    mine = relocation_services.relocation_plan(
        acting_user=ansatt,
        case=case,
        reason="A",
        destination_name="A-senter",
        destination_police_district="vest",
        chosen_with_user=True,
        chosen_with_police=False,
        planned_on=clock.today(),
    )
    theirs = police_services.police_contact_record(
        acting_user=other_ansatt,
        case=other_case,
        data=police_services.ContactInput(
            status="done",
            contact_at=clock.now() - dt.timedelta(hours=1),
            police_district="oslo",
            contact_role="investigator",
            channel="phone",
            legal_ground="anonymous",
        ),
    )
    response = ansatt_api.post(
        f"/cases/{case.pk}/relocations/{mine.pk}/police-link/departure",
        {"contact_id": theirs.pk},
    )

    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.departure_contact_id is None


def _consent(user: User, case: Case) -> Consent:
    information_record(acting_user=user, case=case, kind="public_prosecution", language="nb")
    return consent_create(
        acting_user=user,
        case=case,
        recipient_kind="police",
        police_district="oslo",
        purpose="P",
        categories=["violence"],
        form="written",
        written_method="on_screen",
        signed_by_name="K",
        signature_confirmed=True,
    )


def test_every_operation_with_ids_is_in_this_test() -> None:
    paths = {p for p in api.get_openapi_schema()["paths"] if "{" in p}

    assert paths == {
        "/api/v1/cases/{case_id}",
        *(f"/api/v1/cases/{{case_id}}{suffix}" for suffix in BODIES),
        "/api/v1/cases/{case_id}/police-contacts",
        "/api/v1/cases/{case_id}/police-contacts/{contact_id}",
        "/api/v1/cases/{case_id}/police-contacts/{contact_id}/complete",
        "/api/v1/cases/{case_id}/consents/{consent_id}/withdraw",
        # Casework and documents (issue 21): the two tests at the end of this file.
        *(f"/api/v1/cases/{{case_id}}{suffix}" for suffix in CASEWORK),
        *(f"/api/v1/cases/{{case_id}}{suffix}" for suffix in DOCUMENTS),
        # Relocations (issue 21): test_another_centres_relocation_is_404_on_every_operation.
        *(f"/api/v1/cases/{{case_id}}/relocations{suffix}" for suffix in RELOCATION_PATHS),
        # Children, deviations and the leader's review (issue 21): the last two tests.
        *(f"/api/v1/cases/{{case_id}}{suffix}" for suffix in CHILD_PATHS),
        *(f"/api/v1/cases/{{case_id}}{suffix}" for suffix in DEVIATION_PATHS),
        # The case itself changed, handed on, its signed form (issue 21): the last test.
        "/api/v1/cases/{case_id}/responsible",
        "/api/v1/cases/{case_id}/consents/{consent_id}/signed-file",
    }


def test_another_centres_planned_contact_is_404_to_correct_and_to_complete(
    ansatt_api: Api, case: Case, other_case: Case, other_ansatt: User
) -> None:
    from vern.police import services as police_services

    plan = police_services.police_contact_record(
        acting_user=other_ansatt,
        case=other_case,
        data=police_services.ContactInput(
            status="planned",
            contact_at=clock.now(),
            police_district="oslo",
            contact_role="investigator",
            channel="phone",
            legal_ground="anonymous",
        ),
    )
    body = {
        "contact_at": clock.now().isoformat(),
        "police_district": "oslo",
        "contact_role": "investigator",
        "channel": "phone",
        "legal_ground": "anonymous",
    }
    for owner in (case, other_case):
        correct = ansatt_api.put(f"/cases/{owner.pk}/police-contacts/{plan.pk}", body)
        complete = ansatt_api.post(f"/cases/{owner.pk}/police-contacts/{plan.pk}/complete")
        assert (correct.status_code, complete.status_code) == (404, 404)


@pytest.mark.parametrize("suffix", list(BODIES))
def test_writes_on_another_centres_case_are_404(
    ansatt_api: Api, other_case: Case, suffix: str
) -> None:
    response = ansatt_api.post(f"/cases/{other_case.pk}{suffix}", BODIES[suffix])

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_reading_another_centres_case_is_404(ansatt_api: Api, other_case: Case) -> None:
    assert ansatt_api.get(f"/cases/{other_case.pk}").status_code == 404


def test_a_police_contact_on_another_centres_case_is_404_even_with_a_code(
    ansatt_api: Api, ansatt: User, other_case: Case
) -> None:
    body = {
        "status": "done",
        "contact_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
        "police_district": "oslo",
        "contact_role": "investigator",
        "channel": "phone",
        "legal_ground": "anonymous",
    }
    response = ansatt_api.post(
        f"/cases/{other_case.pk}/police-contacts", body, {"X-Vern-OTP": backup_code(ansatt)}
    )

    assert response.status_code == 404


def test_another_centres_consent_is_404_on_the_own_case_and_on_its_own(
    ansatt_api: Api, case: Case, other_case: Case, other_ansatt: User
) -> None:
    consent = _consent(other_ansatt, other_case)

    on_own_case = ansatt_api.post(f"/cases/{case.pk}/consents/{consent.pk}/withdraw")
    on_its_case = ansatt_api.post(f"/cases/{other_case.pk}/consents/{consent.pk}/withdraw")

    assert (on_own_case.status_code, on_its_case.status_code) == (404, 404)
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_statistics_of_a_token_are_its_own_centres(
    ansatt_api: Api, other_api: Api, case: Case
) -> None:
    mine = ansatt_api.get("/statistics").json()
    theirs = other_api.get("/statistics").json()

    assert mine["scope"] == theirs["scope"] == "centre"
    key = {t["id"]: t for t in mine["tables"]}["key_figures"]["rows"][0]["cells"]
    assert key == ["<5"]


# --- Casework and documents (issue 21) ------------------------------------------------------

CASEWORK = {
    "/refusals": ("POST", {"information_offered": True}),
    "/close": ("POST", {"reason": "other", "confirm_live_items": True}),
    "/reopen": ("POST", {"reason": "other"}),
    "/events": ("POST", {"kind": "new_threat"}),
    "/timeline": ("GET", None),
}
DOCUMENTS = {
    "/documents/information-sheet": "GET",
    "/documents/consent-form/{consent_id}": "GET",
    "/documents/assessment-explained/{assessment_id}": "GET",
    "/documents/access-report": "GET",
    "/documents/case-summary": "POST",
}


@pytest.mark.parametrize("suffix", list(CASEWORK))
def test_casework_on_another_centres_case_is_404_and_changes_nothing(
    ansatt_api: Api, other_case: Case, other_ansatt: User, suffix: str
) -> None:
    if suffix == "/reopen":
        case_services.case_close(acting_user=other_ansatt, case=other_case, reason="other")
    method, body = CASEWORK[suffix]
    path = f"/cases/{other_case.pk}{suffix}"

    response = ansatt_api.post(path, body) if method == "POST" else ansatt_api.get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    before = other_case.status
    other_case.refresh_from_db()
    assert other_case.status == before
    assert not other_case.triggers.exists()


@pytest.mark.parametrize("suffix", list(DOCUMENTS))
def test_a_document_of_another_centre_is_404_with_a_code_and_the_code_is_not_spent(  # noqa: PLR0917
    ansatt_api: Api, ansatt: User, case: Case, other_case: Case, other_ansatt: User, suffix: str
) -> None:
    """Another centre's case, and another centre's consent or assessment on the own case."""
    consent = _consent(other_ansatt, other_case)
    assessment = make_assessment(other_ansatt, other_case, offences=[])
    ids = {"consent_id": consent.pk, "assessment_id": assessment.pk}
    code = backup_code(ansatt)
    cases = [other_case] + ([case] if "{" in suffix else [])
    for owner in cases:
        path = f"/cases/{owner.pk}" + suffix.format(**ids)
        headers = {"X-Vern-OTP": code}
        post = DOCUMENTS[suffix] == "POST"
        response = ansatt_api.post(path, {}, headers) if post else ansatt_api.get(path, headers)
        assert response.status_code == 404, (path, response.content[:200])
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.DOCUMENT_GENERATED, AuditAction.EXPORT, AuditAction.ACCESS_REPORT]
    ).exists()
    assert mfa.match_code(ansatt, code) is not None  # still unspent


# --- Children, deviations and the leader's review (issue 21) --------------------------------

CHILD_OPERATIONS: dict[str, dict[str, object]] = {
    "/remove": {"reason": "duplicate"},
    "/concerns": {"grounds": ["mistreated"], "reason": "A"},
    "/concerns/{concern_id}/resolve": {"reason": "registered_in_error"},
    "/notifications": {
        "sent_on": clock.today().isoformat(),
        "service": "Barnevernstjenesten",
        "channel": "phone",
        "shared_summary": "A",
        "user_told": "no",
        "user_not_told_reason": "A",
    },
}
CHILD_PATHS = ("/children", *(f"/children/{{child_id}}{suffix}" for suffix in CHILD_OPERATIONS))
DEVIATION_PATHS = (
    "/deviations",
    "/deviations/{deviation_id}/close",
    "/police-contacts/{contact_id}/review",
    "/police-contacts/{contact_id}/user-told",
    "/police-contacts/{contact_id}/reprisal-check",
)


def test_another_centres_child_and_concern_are_404_on_every_operation(
    ansatt_api: Api, ansatt: User, case: Case, other_case: Case, other_ansatt: User
) -> None:
    """On the own case's path or the other case's: 404, and nothing of theirs changes; the
    own child with the other centre's concern is 404 too."""
    from vern.childwelfare import services as childwelfare_services
    from vern.childwelfare.models import ChildWelfareConcern

    theirs = case_services.child_add(
        acting_user=other_ansatt, case=other_case, label="B1", birth_year=None
    )
    concern = childwelfare_services.concern_record(
        acting_user=other_ansatt, case=other_case, child=theirs, grounds=["mistreated"], reason="B"
    )
    mine = case_services.child_add(acting_user=ansatt, case=case, label="A1", birth_year=None)
    for owner, child in ((case, theirs), (other_case, theirs), (case, mine)):
        for suffix, body in CHILD_OPERATIONS.items():
            if child == mine and suffix in {"/remove", "/concerns"}:
                continue  # no id of theirs in it
            sent = {**body, "concern_ids": [concern.pk]} if suffix == "/notifications" else body
            path = f"/cases/{owner.pk}/children/{child.pk}" + suffix.format(concern_id=concern.pk)
            response = ansatt_api.post(path, sent)
            assert response.status_code == 404, (path, response.content[:200])
            assert error_of(response)["code"] == "not_found"
    assert ansatt_api.get(f"/cases/{other_case.pk}/children").status_code == 404
    added = ansatt_api.post(f"/cases/{other_case.pk}/children", {"label": "A2"})
    assert added.status_code == 404
    theirs.refresh_from_db()
    assert theirs.removed_at is None
    assert ChildWelfareConcern.objects.filter(case=other_case).count() == 1
    assert ChildWelfareConcern.objects.get(pk=concern.pk).is_pending


def test_another_centres_deviation_and_contact_are_404_even_to_a_leader(
    leder: User, case: Case, other_case: Case, other_ansatt: User
) -> None:
    from django.test import Client

    from tests.api.conftest import token_for
    from vern.police import services as police_services
    from vern.police.models import Deviation

    leader_api = Api(Client(), token_for(leder))
    deviation = police_services.deviation_open(
        acting_user=other_ansatt, case=other_case, reasons=["safety_routine_not_followed"]
    )
    contact = police_services.police_contact_record(
        acting_user=other_ansatt,
        case=other_case,
        data=police_services.ContactInput(
            status="done",
            contact_at=clock.now() - dt.timedelta(hours=1),
            police_district="oslo",
            contact_role="investigator",
            channel="phone",
            legal_ground="anonymous",
        ),
    )
    bodies = {
        f"/deviations/{deviation.pk}/close": {"comment": "A"},
        f"/police-contacts/{contact.pk}/review": {},
        f"/police-contacts/{contact.pk}/user-told": {
            "user_told_at": clock.now().isoformat(),
            "user_told_how": "A",
        },
        f"/police-contacts/{contact.pk}/reprisal-check": {
            "routes": ["police_contacts_him"],
            "risk": "high",
            "protections": ["alarm"],
        },
        "/deviations": {"reason": "safety_routine_not_followed"},
    }
    for owner in (case, other_case):
        for suffix, body in bodies.items():
            if owner == case and suffix == "/deviations":
                continue  # the own case takes a new deviation
            response = leader_api.post(f"/cases/{owner.pk}{suffix}", body)
            assert response.status_code == 404, (owner.reference, suffix, response.content)
    assert leader_api.get(f"/cases/{other_case.pk}/deviations").status_code == 404
    deviation.refresh_from_db()
    assert deviation.is_open
    assert Deviation.objects.filter(case=other_case).count() == 1


def test_another_centres_case_is_404_to_change_hand_on_and_upload_to(
    ansatt_api: Api, ansatt: User, case: Case, other_case: Case, other_ansatt: User
) -> None:
    """PUT the case, hand it on (to a staff member of either centre), upload a signed form
    to its consent (from the own case's path too): 404, and nothing of theirs changes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vern.consent.models import SignedConsentFile

    information_record(
        acting_user=other_ansatt, case=other_case, kind="public_prosecution", language="nb"
    )
    theirs = consent_create(acting_user=other_ansatt, case=other_case, **CONSENT_B)
    put = ansatt_api.put(f"/cases/{other_case.pk}", {"name": "A", "language": "en"})
    assert put.status_code == 404, put.content
    for staff in (ansatt, other_ansatt):
        handed = ansatt_api.post(
            f"/cases/{other_case.pk}/responsible", {"responsible_id": staff.pk}
        )
        assert handed.status_code == 404, handed.content
    for owner in (case, other_case):
        upload = SimpleUploadedFile("s.png", png_bytes(), content_type="image/png")
        response = ansatt_api.client.post(
            f"/api/v1/cases/{owner.pk}/consents/{theirs.pk}/signed-file",
            {"signed_file": upload},
            headers={"Authorization": f"Bearer {ansatt_api.token}"},
        )
        assert response.status_code == 404, response.content
    other_case.refresh_from_db()
    assert (other_case.name, other_case.language) == ("", "nb")
    assert other_case.responsible_id == other_ansatt.pk
    assert not SignedConsentFile.objects.filter(consent=theirs).exists()


CONSENT_B = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "B",
    "categories": ["violence"],
    "form": "written",
    "written_method": "on_screen",
    "signed_by_name": "B",
    "signature_confirmed": True,
}
