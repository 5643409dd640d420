"""Every response status the OpenAPI document declares is one the API really gives: for each
(operation, status) of the document a request here produces it, and no operation declares a
status this table does not produce (issue 8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.conftest import Api, error_of
from tests.factories import backup_code
from vern.accounts.models import User
from vern.api.endpoints import api
from vern.api.services import api_token_authenticate
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.core import clock


@dataclass
class World:
    ansatt: Api
    leder: Api
    admin: Api
    anonymous: Api
    case: Case
    closed: Case
    consent_id: int


@pytest.fixture
def world(
    ansatt_api: Api, leder_api: Api, admin_api: Api, anonymous_api: Api, ansatt: User
) -> World:
    case = case_services.case_create(acting_user=ansatt, reference="OPEN")
    closed = case_services.case_create(acting_user=ansatt, reference="CLOSED")
    ansatt_api.post(
        f"/cases/{case.pk}/information", {"kind": "public_prosecution", "language": "nb"}
    )
    consent = ansatt_api.post(f"/cases/{case.pk}/consents", CONSENT).json()
    ansatt_api.post(
        f"/cases/{closed.pk}/information", {"kind": "public_prosecution", "language": "nb"}
    )
    closed_consent = ansatt_api.post(f"/cases/{closed.pk}/consents", CONSENT).json()
    plan = ansatt_api.post(f"/cases/{case.pk}/police-contacts", contact(status="planned")).json()
    case_services.case_close(acting_user=ansatt, case=closed, reason="other")
    world = World(ansatt_api, leder_api, admin_api, anonymous_api, case, closed, consent["id"])
    world.closed_consent_id = closed_consent["id"]  # type: ignore[attr-defined]
    world.plan_id = plan["id"]  # type: ignore[attr-defined]
    return world


CONSENT = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "Formål",
    "categories": ["violence"],
    "form": "written",
    "written_method": "on_screen",
    "signed_by_name": "Kari",
    "signature_confirmed": True,
}


def contact(status: str = "done") -> dict[str, Any]:
    return {
        "status": status,
        "contact_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
        "police_district": "oslo",
        "contact_role": "investigator",
        "channel": "phone",
        "legal_ground": "anonymous",
    }


PLAN = {
    "contact_at": (clock.now() + dt.timedelta(days=1)).isoformat(),
    "police_district": "oslo",
    "contact_role": "investigator",
    "channel": "phone",
    "legal_ground": "anonymous",
    "shared_categories": ["violence"],
}

Call = Callable[[World], Any]
CASE = "/api/v1/cases/{case_id}"


def case_write(
    suffix: str, good: Callable[[], dict[str, Any]], bad: dict[str, Any]
) -> dict[int, Call]:
    return {
        201: lambda w: w.ansatt.post(f"/cases/{w.case.pk}{suffix}", good()),
        401: lambda w: w.anonymous.post(f"/cases/{w.case.pk}{suffix}", good()),
        403: lambda w: w.admin.post(f"/cases/{w.case.pk}{suffix}", good()),
        404: lambda w: w.ansatt.post(f"/cases/{w.case.pk + 999}{suffix}", good()),
        409: lambda w: w.ansatt.post(f"/cases/{w.closed.pk}{suffix}", good()),
        422: lambda w: w.ansatt.post(f"/cases/{w.case.pk}{suffix}", bad),
    }


SCENARIOS: dict[tuple[str, str], dict[int, Call]] = {
    ("GET", "/api/v1/cases"): {
        200: lambda w: w.ansatt.get("/cases"),
        401: lambda w: w.anonymous.get("/cases"),
        403: lambda w: w.admin.get("/cases"),
        422: lambda w: w.ansatt.get("/cases", limit=0),
    },
    ("POST", "/api/v1/cases"): {
        201: lambda w: w.ansatt.post("/cases", {"reference": "NEW"}),
        401: lambda w: w.anonymous.post("/cases", {"reference": "NEW"}),
        403: lambda w: w.admin.post("/cases", {"reference": "NEW"}),
        409: lambda w: w.ansatt.post("/cases", {"reference": "OPEN"}),
        422: lambda w: w.ansatt.post("/cases", {"reference": ""}),
    },
    ("GET", CASE): {
        200: lambda w: w.ansatt.get(f"/cases/{w.case.pk}"),
        401: lambda w: w.anonymous.get(f"/cases/{w.case.pk}"),
        403: lambda w: w.admin.get(f"/cases/{w.case.pk}"),
        404: lambda w: w.ansatt.get(f"/cases/{w.case.pk + 999}"),
        422: lambda w: w.ansatt.get("/cases/0"),
    },
    ("POST", CASE + "/risk-mappings"): case_write(
        "/risk-mappings", lambda: {"method": "sara", "result": "yes"}, {"method": "tarot"}
    ),
    ("POST", CASE + "/assessments"): {
        **case_write("/assessments", lambda: {"user_participated": True}, {}),
        201: lambda w: (
            w.ansatt.post(f"/cases/{w.case.pk}/risk-mappings", {"method": "sara", "result": "no"}),
            w.ansatt.post(f"/cases/{w.case.pk}/assessments", {"user_participated": True}),
        )[1],
    },
    ("POST", CASE + "/information"): case_write(
        "/information", lambda: {"kind": "public_prosecution", "language": "nb"}, {"kind": "x"}
    ),
    ("POST", CASE + "/consents"): case_write("/consents", lambda: CONSENT, {"form": "x"}),
    ("POST", CASE + "/consents/{consent_id}/withdraw"): {
        200: lambda w: w.ansatt.post(f"/cases/{w.case.pk}/consents/{w.consent_id}/withdraw"),
        401: lambda w: w.anonymous.post(f"/cases/{w.case.pk}/consents/{w.consent_id}/withdraw"),
        403: lambda w: w.admin.post(f"/cases/{w.case.pk}/consents/{w.consent_id}/withdraw"),
        404: lambda w: w.ansatt.post(f"/cases/{w.closed.pk}/consents/{w.consent_id}/withdraw"),
        409: lambda w: (
            w.ansatt.post(f"/cases/{w.closed.pk}/consents/{w.closed_consent_id}/withdraw"),  # type: ignore[attr-defined]
            w.ansatt.post(f"/cases/{w.closed.pk}/consents/{w.closed_consent_id}/withdraw"),  # type: ignore[attr-defined]
        )[1],
        422: lambda w: w.ansatt.post(f"/cases/{w.case.pk}/consents/0/withdraw"),
    },
    ("POST", CASE + "/police-contacts"): case_write(
        "/police-contacts", contact, {"status": "done"}
    ),
    ("PUT", CASE + "/police-contacts/{contact_id}"): {
        200: lambda w: w.ansatt.put(f"/cases/{w.case.pk}/police-contacts/{w.plan_id}", PLAN),  # type: ignore[attr-defined]
        401: lambda w: w.anonymous.put(f"/cases/{w.case.pk}/police-contacts/{w.plan_id}", PLAN),  # type: ignore[attr-defined]
        403: lambda w: w.admin.put(f"/cases/{w.case.pk}/police-contacts/{w.plan_id}", PLAN),  # type: ignore[attr-defined]
        404: lambda w: w.ansatt.put(f"/cases/{w.case.pk}/police-contacts/{w.plan_id + 999}", PLAN),  # type: ignore[attr-defined]
        409: lambda w: w.ansatt.put(f"/cases/{w.closed.pk}/police-contacts/{w.plan_id}", PLAN),  # type: ignore[attr-defined]
        422: lambda w: w.ansatt.put(f"/cases/{w.case.pk}/police-contacts/{w.plan_id}", {}),  # type: ignore[attr-defined]
    },
    ("POST", CASE + "/police-contacts/{contact_id}/complete"): {
        200: lambda w: w.ansatt.post(
            f"/cases/{w.case.pk}/police-contacts/{w.plan_id}/complete", {}, _otp(w.ansatt)
        ),  # type: ignore[attr-defined]
        401: lambda w: w.anonymous.post(
            f"/cases/{w.case.pk}/police-contacts/{w.plan_id}/complete", {}
        ),  # type: ignore[attr-defined]
        403: lambda w: w.admin.post(f"/cases/{w.case.pk}/police-contacts/{w.plan_id}/complete", {}),  # type: ignore[attr-defined]
        404: lambda w: w.ansatt.post(
            f"/cases/{w.case.pk}/police-contacts/{w.plan_id + 999}/complete", {}
        ),  # type: ignore[attr-defined]
        409: lambda w: w.ansatt.post(
            f"/cases/{w.closed.pk}/police-contacts/{w.plan_id}/complete", {}
        ),  # type: ignore[attr-defined]
        422: lambda w: w.ansatt.post(
            f"/cases/{w.case.pk}/police-contacts/{w.plan_id}/complete", {"outcome_note": 1}
        ),  # type: ignore[attr-defined]
    },
    ("GET", "/api/v1/audit/status"): {
        200: lambda w: w.leder.get("/audit/status"),
        401: lambda w: w.anonymous.get("/audit/status"),
        403: lambda w: w.ansatt.get("/audit/status"),
        422: lambda w: w.leder.get("/audit/status", verbose=1),
    },
    ("GET", "/api/v1/tasks"): {
        200: lambda w: w.ansatt.get("/tasks"),
        401: lambda w: w.anonymous.get("/tasks"),
        403: lambda w: w.admin.get("/tasks"),
        422: lambda w: w.ansatt.get("/tasks", verbose=1),
    },
    ("GET", "/api/v1/statistics"): {
        200: lambda w: w.ansatt.get("/statistics", year=clock.today().year, quarter=1),
        401: lambda w: w.anonymous.get("/statistics"),
        403: lambda w: w.admin.get("/statistics"),
        422: lambda w: w.ansatt.get("/statistics", quarter=5),
    },
    ("GET", "/api/v1/statistics/national"): {
        200: lambda w: w.admin.get("/statistics/national"),
        401: lambda w: w.anonymous.get("/statistics/national"),
        403: lambda w: w.leder.get("/statistics/national"),
        422: lambda w: w.admin.get("/statistics/national", year=clock.today().year + 1),
    },
    ("POST", "/api/v1/assess"): {
        200: lambda w: w.admin.post("/assess", {"on": "2026-01-01"}),
        401: lambda w: w.anonymous.post("/assess", {}),
        422: lambda w: w.ansatt.post("/assess", {"bad": 1}),
    },
}

# --- Casework and documents (issue 21, vern.api.casework and vern.api.documents) -------------


def _otp(api: Api) -> dict[str, str]:
    """A fresh one-time code of the token's owner, in the step-up header."""
    user = api_token_authenticate(str(api.token))
    assert user is not None
    return {"X-Vern-OTP": backup_code(user)}


def _assessment_id(w: World) -> int:
    w.ansatt.post(f"/cases/{w.case.pk}/risk-mappings", {"method": "sara", "result": "no"})
    return int(
        w.ansatt.post(f"/cases/{w.case.pk}/assessments", {"user_participated": True}).json()["id"]
    )


def _document(path: str) -> dict[int, Call]:
    """A PDF download: ``path`` after /cases/{case_id}, with {consent} or {assessment}."""

    def url(w: World, case_id: int, object_id: int | None = None) -> str:
        ids = {"consent": w.consent_id if object_id is None else object_id}
        if "{assessment}" in path:
            ids = {"assessment": _assessment_id(w) if object_id is None else object_id}
        return f"/cases/{case_id}" + path.format(**ids)

    return {
        200: lambda w: w.ansatt.get(url(w, w.case.pk), _otp(w.ansatt), lang="nb"),
        401: lambda w: w.anonymous.get(url(w, w.case.pk, 1)),
        403: lambda w: w.ansatt.get(url(w, w.case.pk)),  # no code
        404: lambda w: w.ansatt.get(url(w, w.case.pk + 999, 1), _otp(w.ansatt)),
        422: lambda w: w.ansatt.get(url(w, w.case.pk, 1), lang="xx"),
    }


SCENARIOS.update(
    {
        ("POST", CASE + "/refusals"): case_write(
            "/refusals", lambda: {"information_offered": True}, {"reasons": 1}
        ),
        ("POST", CASE + "/close"): {
            200: lambda w: w.ansatt.post(
                f"/cases/{w.case.pk}/close", {"reason": "other", "confirm_live_items": True}
            ),
            401: lambda w: w.anonymous.post(f"/cases/{w.case.pk}/close", {"reason": "other"}),
            403: lambda w: w.admin.post(f"/cases/{w.case.pk}/close", {"reason": "other"}),
            404: lambda w: w.ansatt.post(f"/cases/{w.case.pk + 999}/close", {"reason": "other"}),
            409: lambda w: w.ansatt.post(f"/cases/{w.case.pk}/close", {"reason": "other"}),  # live
            422: lambda w: w.ansatt.post(f"/cases/{w.case.pk}/close", {"reason": "tired"}),
        },
        ("POST", CASE + "/reopen"): {
            200: lambda w: w.ansatt.post(f"/cases/{w.closed.pk}/reopen", {"reason": "other"}),
            401: lambda w: w.anonymous.post(f"/cases/{w.closed.pk}/reopen", {"reason": "other"}),
            403: lambda w: w.admin.post(f"/cases/{w.closed.pk}/reopen", {"reason": "other"}),
            404: lambda w: w.ansatt.post(f"/cases/{w.closed.pk + 999}/reopen", {"reason": "other"}),
            409: lambda w: w.ansatt.post(f"/cases/{w.case.pk}/reopen", {"reason": "other"}),
            422: lambda w: w.ansatt.post(f"/cases/{w.closed.pk}/reopen", {}),
        },
        ("POST", CASE + "/events"): case_write(
            "/events", lambda: {"kind": "new_threat"}, {"kind": "rules_changed"}
        ),
        ("GET", CASE + "/timeline"): {
            200: lambda w: w.ansatt.get(f"/cases/{w.case.pk}/timeline", lang="en"),
            401: lambda w: w.anonymous.get(f"/cases/{w.case.pk}/timeline"),
            403: lambda w: w.admin.get(f"/cases/{w.case.pk}/timeline"),
            404: lambda w: w.ansatt.get(f"/cases/{w.case.pk + 999}/timeline"),
            422: lambda w: w.ansatt.get(f"/cases/{w.case.pk}/timeline", lang="ar"),
        },
        ("GET", CASE + "/documents/information-sheet"): _document("/documents/information-sheet"),
        ("GET", CASE + "/documents/consent-form/{consent_id}"): _document(
            "/documents/consent-form/{consent}"
        ),
        ("GET", CASE + "/documents/assessment-explained/{assessment_id}"): _document(
            "/documents/assessment-explained/{assessment}"
        ),
        ("GET", CASE + "/documents/access-report"): _document("/documents/access-report"),
        ("POST", CASE + "/documents/case-summary"): {
            200: lambda w: w.ansatt.post(
                f"/cases/{w.closed.pk}/documents/case-summary", {}, _otp(w.ansatt)
            ),
            401: lambda w: w.anonymous.post(f"/cases/{w.case.pk}/documents/case-summary", {}),
            403: lambda w: w.ansatt.post(f"/cases/{w.case.pk}/documents/case-summary", {}),
            404: lambda w: w.ansatt.post(
                f"/cases/{w.case.pk + 999}/documents/case-summary", {}, _otp(w.ansatt)
            ),
            422: lambda w: w.ansatt.post(
                f"/cases/{w.case.pk}/documents/case-summary", {"relocation_destination": True}
            ),
        },
    }
)


# --- Relocations (issue 21, vern.api.relocations) -------------------------------------------


def _move(w: World, case: Case | None = None, **overrides: Any) -> tuple[int, int]:
    """(case id, relocation id) of a move planned on ``case`` (default: the open case)."""
    from vern.relocation import services as relocation_services

    case = case or w.case
    values: dict[str, Any] = {
        "reason": "Utrygt",
        "destination_name": "Et senter",
        "destination_police_district": "vest",
        "chosen_with_user": False,
        "chosen_with_police": False,
        "planned_on": clock.today(),
    }
    values.update(overrides)
    relocation = relocation_services.relocation_plan(
        acting_user=case.created_by, case=case, **values
    )
    return case.pk, relocation.pk


def _closed_move(w: World) -> tuple[int, int]:
    case = case_services.case_create(acting_user=w.case.created_by, reference="CLOSED-MOVE")
    ids = _move(w, case)
    case_services.case_close(acting_user=w.case.created_by, case=case, reason="other")
    return ids


def _ready_move(w: World) -> tuple[int, int]:
    """A move that can be completed: the user's choice, and the reasons why the police at
    both ends were not contacted (deviations for the leader)."""
    from vern.relocation import services as relocation_services
    from vern.relocation.models import Relocation

    ids = _move(w, chosen_with_user=True)
    for end in ("departure", "destination"):
        relocation_services.relocation_police_not_involved(
            acting_user=w.case.created_by,
            relocation=Relocation.objects.get(pk=ids[1]),
            end=end,
            reason="Ikke mulig",
        )
    return ids


def _handover_move(w: World) -> tuple[int, int]:
    """A move to a centre in this Vern, with a consent to hand the mapping over (R3)."""
    from tests.factories import make_centre
    from tests.relocation.conftest import handover_consent

    centre = make_centre("Senter R3")
    handover_consent(w.case.created_by, w.case, recipient_unit=centre.name)
    return _move(w, destination_name="", destination_centre=centre)


def _path(ids: tuple[int, int], suffix: str, *, more: int = 0) -> str:
    return f"/cases/{ids[0]}/relocations/{ids[1] + more}{suffix}"


def _linkable(w: World) -> dict[str, Any]:
    return {
        "contact_id": w.ansatt.post(f"/cases/{w.case.pk}/police-contacts", contact()).json()["id"]
    }


def relocation_write(
    suffix: str,
    good: Callable[[World], dict[str, Any] | None],
    bad: dict[str, Any],
    *,
    ok: int = 200,
    move: Callable[[World], tuple[int, int]] = _move,
    headers: Callable[[World], dict[str, str]] = lambda w: {},
) -> dict[int, Call]:
    return {
        ok: lambda w: w.ansatt.post(_path(move(w), suffix), good(w), headers(w)),
        401: lambda w: w.anonymous.post(_path(_move(w), suffix), good(w)),
        403: lambda w: w.admin.post(_path(_move(w), suffix), good(w)),
        404: lambda w: w.ansatt.post(_path(_move(w), suffix, more=999), good(w)),
        409: lambda w: w.ansatt.post(_path(_closed_move(w), suffix), good(w)),
        422: lambda w: w.ansatt.post(_path(_move(w), suffix), bad),
    }


RELOCATION = CASE + "/relocations/{relocation_id}"
RELOCATION_SCENARIOS: dict[tuple[str, str], dict[int, Call]] = {
    ("POST", CASE + "/relocations"): case_write(
        "/relocations",
        lambda: {
            "reason": "Utrygt",
            "destination_name": "Et senter",
            "destination_police_district": "vest",
            "planned_on": clock.today().isoformat(),
        },
        {"reason": ""},
    ),
    ("GET", CASE + "/relocations"): {
        200: lambda w: w.ansatt.get(f"/cases/{w.case.pk}/relocations"),
        401: lambda w: w.anonymous.get(f"/cases/{w.case.pk}/relocations"),
        403: lambda w: w.admin.get(f"/cases/{w.case.pk}/relocations"),
        404: lambda w: w.ansatt.get(f"/cases/{w.case.pk + 999}/relocations"),
        422: lambda w: w.ansatt.get("/cases/0/relocations"),
    },
    ("GET", RELOCATION): {
        200: lambda w: w.ansatt.get(_path(_move(w), "")),
        401: lambda w: w.anonymous.get(_path(_move(w), "")),
        403: lambda w: w.admin.get(_path(_move(w), "")),
        404: lambda w: w.ansatt.get(_path(_move(w), "", more=999)),
        422: lambda w: w.ansatt.get(f"/cases/{w.case.pk}/relocations/0"),
    },
    ("POST", RELOCATION + "/police-contacts/{end}"): relocation_write(
        "/police-contacts/departure", lambda w: contact(), {"status": "done"}, ok=201
    ),
    ("POST", RELOCATION + "/police-link/{end}"): relocation_write(
        "/police-link/destination", _linkable, {"contact_id": 0}
    ),
    ("POST", RELOCATION + "/police-not-involved/{end}"): relocation_write(
        "/police-not-involved/departure", lambda w: {"reason": "Nei"}, {"reason": ""}
    ),
    ("POST", RELOCATION + "/police-choice"): relocation_write(
        "/police-choice", lambda w: {"chosen_with_police": True}, {"chosen_with_police": "ja"}
    ),
    ("POST", RELOCATION + "/user-choice"): relocation_write(
        "/user-choice", lambda w: None, {"chosen_with_user": True}
    ),
    ("POST", RELOCATION + "/complete"): relocation_write(
        "/complete", lambda w: {"handover": "none"}, {"handover": "x"}, move=_ready_move
    ),
    ("POST", RELOCATION + "/cancel"): relocation_write(
        "/cancel", lambda w: {"reason": "Ikke lenger"}, {"reason": 1}
    ),
    ("POST", RELOCATION + "/hand-over"): {
        **relocation_write(
            "/hand-over",
            lambda w: {"reference": "R3-1"},
            {"reference": 1},
            move=_handover_move,
            headers=lambda w: _otp(w.ansatt),
        ),
        403: lambda w: w.ansatt.post(_path(_handover_move(w), "/hand-over"), {}),
    },
}
SCENARIOS.update(RELOCATION_SCENARIOS)


def documented() -> list[tuple[str, str, int]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, int(status))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status in operation["responses"]
    ]


DOCUMENTED = documented()


def test_the_table_covers_exactly_the_documented_statuses() -> None:
    table = {(m, p, status) for (m, p), calls in SCENARIOS.items() for status in calls}

    assert table == set(DOCUMENTED)


@pytest.mark.parametrize(("method", "path", "status"), DOCUMENTED, ids=str)
def test_the_status_is_produced(world: World, method: str, path: str, status: int) -> None:
    response = SCENARIOS[method, path][status](world)

    assert response.status_code == status, response.content[:300]
    if status >= 400:
        error_of(response)


# --- Children and the child welfare duty (issue 21, vern.api.children) ----------------------

CHILD = CASE + "/children/{child_id}"


def _kid(w: World, *, closed: bool = False, concern: bool = False) -> tuple[int, int, int]:
    """(case id, child id, concern id or 0) of a child of the open case, or of a case that is
    closed afterwards."""
    from vern.childwelfare import services as childwelfare_services

    user = w.case.created_by
    case = case_services.case_create(acting_user=user, reference="CLOSED-KID") if closed else w.case
    child = case_services.child_add(acting_user=user, case=case, label="Barn K", birth_year=None)
    concern_id = 0
    if concern:
        concern_id = childwelfare_services.concern_record(
            acting_user=user, case=case, child=child, grounds=["mistreated"], reason="Grunn"
        ).pk
    if closed:
        case_services.case_close(acting_user=user, case=case, reason="other")
    return case.pk, child.pk, concern_id


def _kid_path(ids: tuple[int, int, int], suffix: str, *, more: int = 0) -> str:
    return f"/cases/{ids[0]}/children/{ids[1] + more}" + suffix.format(concern=ids[2] + more)


def child_write(
    suffix: str,
    good: dict[str, Any],
    bad: dict[str, Any],
    *,
    ok: int = 200,
    concern: bool = False,
) -> dict[int, Call]:
    return {
        ok: lambda w: w.ansatt.post(_kid_path(_kid(w, concern=concern), suffix), good),
        401: lambda w: w.anonymous.post(_kid_path(_kid(w, concern=concern), suffix), good),
        403: lambda w: w.admin.post(_kid_path(_kid(w, concern=concern), suffix), good),
        404: lambda w: w.ansatt.post(_kid_path(_kid(w, concern=concern), suffix, more=999), good),
        409: lambda w: w.ansatt.post(
            _kid_path(_kid(w, closed=True, concern=concern), suffix), good
        ),
        422: lambda w: w.ansatt.post(_kid_path(_kid(w, concern=concern), suffix), bad),
    }


NOTIFICATION = {
    "sent_on": clock.today().isoformat(),
    "service": "Barnevernstjenesten",
    "channel": "phone",
    "shared_categories": ["child_situation"],
    "user_told": "no",
    "user_not_told_reason": "Fare for brukeren.",
}
CHILD_SCENARIOS: dict[tuple[str, str], dict[int, Call]] = {
    ("POST", CASE + "/children"): case_write(
        "/children", lambda: {"label": "Barn 1"}, {"label": ""}
    ),
    ("GET", CASE + "/children"): {
        200: lambda w: w.ansatt.get(f"/cases/{w.case.pk}/children"),
        401: lambda w: w.anonymous.get(f"/cases/{w.case.pk}/children"),
        403: lambda w: w.admin.get(f"/cases/{w.case.pk}/children"),
        404: lambda w: w.ansatt.get(f"/cases/{w.case.pk + 999}/children"),
        422: lambda w: w.ansatt.get(f"/cases/{w.case.pk}/children", lang="nb"),
    },
    ("POST", CHILD + "/remove"): child_write(
        "/remove", {"reason": "duplicate"}, {"reason": "bored"}
    ),
    ("POST", CHILD + "/concerns"): child_write(
        "/concerns", {"grounds": ["mistreated"], "reason": "Grunn"}, {"grounds": []}, ok=201
    ),
    ("POST", CHILD + "/concerns/{concern_id}/resolve"): child_write(
        "/concerns/{concern}/resolve",
        {"reason": "registered_in_error"},
        {"reason": "x"},
        concern=True,
    ),
    ("POST", CHILD + "/notifications"): child_write(
        "/notifications", NOTIFICATION, {**NOTIFICATION, "channel": "pigeon"}, ok=201, concern=True
    ),
}
SCENARIOS.update(CHILD_SCENARIOS)


# --- Deviations and the leader's review (issue 21, vern.api.deviations) ---------------------


def _deviation(w: World, *, closed: bool = False) -> int:
    from vern.police import services as police_services

    deviation = police_services.deviation_open(
        acting_user=w.case.created_by, case=w.case, reasons=["safety_routine_not_followed"]
    )
    if closed:
        police_services.deviation_close(
            acting_user=_leader_of(w), deviation=deviation, comment="Lukket"
        )
    return deviation.pk


def _leader_of(w: World) -> User:
    user = api_token_authenticate(str(w.leder.token))
    assert user is not None
    return user


def _danger(w: World, **overrides: Any) -> int:
    """A done contact on the danger ground, without the record of the user being told."""
    now = clock.now()
    body: dict[str, Any] = {
        **contact(),
        "contact_role": "operations_centre",
        "legal_ground": "danger_to_life_or_health",
        "shared_categories": ["identity"],
        "danger_what": "Truet",
        "danger_consent": "refused",
        "danger_consent_why": "Frykt",
        "decided_as": "staff_leader_told",
        "leader_told_at": (now - dt.timedelta(minutes=50)).isoformat(),
        "necessity_why": "Navnet trengtes.",
        "reprisal_check": {"routes": ["police_contacts_him"], "risk": "high", "protections": []},
        "confirm_deviation": True,
    }
    body.update(overrides)
    response = w.ansatt.post(f"/cases/{w.case.pk}/police-contacts", body, _otp(w.ansatt))
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def _contact_path(w: World, contact_id: int, suffix: str) -> str:
    return f"/cases/{w.case.pk}/police-contacts/{contact_id}{suffix}"


def _reviewed(w: World) -> int:
    contact_id = _danger(w)
    w.leder.post(_contact_path(w, contact_id, "/review"), {})
    return contact_id


REPRISAL_CHECK = {"routes": ["police_contacts_him"], "risk": "high", "protections": ["alarm"]}
TOLD = {"user_told_at": clock.now().isoformat(), "user_told_how": "I samtale."}
DEVIATION = CASE + "/deviations/{deviation_id}"
CONTACT = CASE + "/police-contacts/{contact_id}"
DEVIATION_SCENARIOS: dict[tuple[str, str], dict[int, Call]] = {
    ("POST", CASE + "/deviations"): case_write(
        "/deviations", lambda: {"reason": "safety_routine_not_followed"}, {"reason": "x"}
    ),
    ("GET", CASE + "/deviations"): {
        200: lambda w: w.ansatt.get(f"/cases/{w.case.pk}/deviations"),
        401: lambda w: w.anonymous.get(f"/cases/{w.case.pk}/deviations"),
        403: lambda w: w.admin.get(f"/cases/{w.case.pk}/deviations"),
        404: lambda w: w.ansatt.get(f"/cases/{w.case.pk + 999}/deviations"),
        422: lambda w: w.ansatt.get("/cases/0/deviations"),
    },
    ("POST", DEVIATION + "/close"): {
        200: lambda w: w.leder.post(
            f"/cases/{w.case.pk}/deviations/{_deviation(w)}/close", {"comment": "Fulgt opp"}
        ),
        401: lambda w: w.anonymous.post(
            f"/cases/{w.case.pk}/deviations/{_deviation(w)}/close", {"comment": "Fulgt opp"}
        ),
        403: lambda w: w.ansatt.post(
            f"/cases/{w.case.pk}/deviations/{_deviation(w)}/close", {"comment": "Fulgt opp"}
        ),
        404: lambda w: w.leder.post(
            f"/cases/{w.case.pk}/deviations/{_deviation(w) + 999}/close", {"comment": "Nei"}
        ),
        409: lambda w: w.leder.post(
            f"/cases/{w.case.pk}/deviations/{_deviation(w, closed=True)}/close",
            {"comment": "Igjen"},
        ),
        422: lambda w: w.leder.post(
            f"/cases/{w.case.pk}/deviations/{_deviation(w)}/close", {"comment": ""}
        ),
    },
    ("POST", CONTACT + "/review"): {
        200: lambda w: w.leder.post(_contact_path(w, _danger(w), "/review"), {"note": "Sett"}),
        401: lambda w: w.anonymous.post(_contact_path(w, _danger(w), "/review"), {}),
        403: lambda w: w.ansatt.post(_contact_path(w, _danger(w), "/review"), {}),
        404: lambda w: w.leder.post(_contact_path(w, _danger(w) + 999, "/review"), {}),
        409: lambda w: w.leder.post(_contact_path(w, _reviewed(w), "/review"), {}),
        422: lambda w: w.leder.post(_contact_path(w, _danger(w), "/review"), {"note": 1}),
    },
    ("POST", CONTACT + "/user-told"): {
        200: lambda w: w.ansatt.post(
            _contact_path(w, _danger(w), "/user-told"), TOLD, _otp(w.ansatt)
        ),
        401: lambda w: w.anonymous.post(_contact_path(w, _danger(w), "/user-told"), TOLD),
        403: lambda w: w.admin.post(_contact_path(w, _danger(w), "/user-told"), TOLD),
        404: lambda w: w.ansatt.post(_contact_path(w, _danger(w) + 999, "/user-told"), TOLD),
        409: lambda w: w.ansatt.post(_contact_path(w, w.plan_id, "/user-told"), TOLD),  # type: ignore[attr-defined]
        422: lambda w: w.ansatt.post(_contact_path(w, _danger(w), "/user-told"), {}),
    },
    ("POST", CONTACT + "/reprisal-check"): {
        200: lambda w: w.ansatt.post(
            _contact_path(w, _danger(w, reprisal_check=None), "/reprisal-check"),
            REPRISAL_CHECK,
            _otp(w.ansatt),
        ),
        401: lambda w: w.anonymous.post(
            _contact_path(w, _danger(w, reprisal_check=None), "/reprisal-check"), REPRISAL_CHECK
        ),
        403: lambda w: w.admin.post(
            _contact_path(w, _danger(w, reprisal_check=None), "/reprisal-check"), REPRISAL_CHECK
        ),
        404: lambda w: w.ansatt.post(
            _contact_path(w, _danger(w) + 999, "/reprisal-check"), REPRISAL_CHECK
        ),
        409: lambda w: w.ansatt.post(
            _contact_path(w, _danger(w), "/reprisal-check"), REPRISAL_CHECK
        ),
        422: lambda w: w.ansatt.post(
            _contact_path(w, _danger(w, reprisal_check=None), "/reprisal-check"), {"risk": "x"}
        ),
    },
}
SCENARIOS.update(DEVIATION_SCENARIOS)


# --- The rest of parity (issue 21): the case changed and handed on, the signed form, the
# centre's settings and lists --------------------------------------------------------------


def _colleague(w: World) -> int:
    from tests.factories import make_user
    from vern.accounts.models import Role

    return make_user(Role.ANSATT, w.case.centre).pk


def _signed(w: World, case: Case, consent_id: int, content: bytes, api: Api | None = None) -> Any:
    from tests.api.conftest import upload

    return upload(api or w.ansatt, f"/cases/{case.pk}/consents/{consent_id}/signed-file", content)


def _png() -> bytes:
    from tests.api.conftest import png_bytes

    return png_bytes()


UPDATE = {"name": "Kari", "language": "nb"}
SETTINGS = {
    "reassess_days_required": 7,
    "reassess_days_recommended": 30,
    "reassess_days_not_indicated": 90,
}
PARITY_SCENARIOS: dict[tuple[str, str], dict[int, Call]] = {
    ("PUT", CASE): {
        200: lambda w: w.ansatt.put(f"/cases/{w.case.pk}", UPDATE),
        401: lambda w: w.anonymous.put(f"/cases/{w.case.pk}", UPDATE),
        403: lambda w: w.admin.put(f"/cases/{w.case.pk}", UPDATE),
        404: lambda w: w.ansatt.put(f"/cases/{w.case.pk + 999}", UPDATE),
        409: lambda w: w.ansatt.put(f"/cases/{w.closed.pk}", UPDATE),
        422: lambda w: w.ansatt.put(f"/cases/{w.case.pk}", {"name": "Kari"}),
    },
    ("POST", CASE + "/responsible"): {
        200: lambda w: w.ansatt.post(
            f"/cases/{w.case.pk}/responsible", {"responsible_id": _colleague(w)}
        ),
        401: lambda w: w.anonymous.post(f"/cases/{w.case.pk}/responsible", {"responsible_id": 1}),
        403: lambda w: w.admin.post(f"/cases/{w.case.pk}/responsible", {"responsible_id": 1}),
        404: lambda w: w.ansatt.post(
            f"/cases/{w.case.pk + 999}/responsible", {"responsible_id": _colleague(w)}
        ),
        409: lambda w: w.ansatt.post(
            f"/cases/{w.closed.pk}/responsible", {"responsible_id": _colleague(w)}
        ),
        422: lambda w: w.ansatt.post(
            f"/cases/{w.case.pk}/responsible", {"responsible_id": w.case.responsible_id}
        ),
    },
    ("POST", CASE + "/consents/{consent_id}/signed-file"): {
        201: lambda w: _signed(w, w.case, w.consent_id, _png()),
        401: lambda w: _signed(w, w.case, w.consent_id, _png(), w.anonymous),
        403: lambda w: _signed(w, w.case, w.consent_id, _png(), w.admin),
        404: lambda w: _signed(w, w.case, w.consent_id + 999, _png()),
        409: lambda w: _signed(w, w.closed, w.closed_consent_id, _png()),  # type: ignore[attr-defined]
        422: lambda w: _signed(w, w.case, w.consent_id, b"not a form"),
    },
    ("GET", "/api/v1/centre/reassessments"): {
        200: lambda w: w.ansatt.get("/centre/reassessments"),
        401: lambda w: w.anonymous.get("/centre/reassessments"),
        403: lambda w: w.admin.get("/centre/reassessments"),
        422: lambda w: w.ansatt.get("/centre/reassessments", page=2),
    },
    ("GET", "/api/v1/centre/rules-changed"): {
        200: lambda w: w.leder.get("/centre/rules-changed", lang="en"),
        401: lambda w: w.anonymous.get("/centre/rules-changed"),
        403: lambda w: w.ansatt.get("/centre/rules-changed"),
        422: lambda w: w.leder.get("/centre/rules-changed", lang="se"),
    },
    ("GET", "/api/v1/centre/deviations"): {
        200: lambda w: w.leder.get("/centre/deviations", unreviewed="true"),
        401: lambda w: w.anonymous.get("/centre/deviations"),
        403: lambda w: w.ansatt.get("/centre/deviations"),
        422: lambda w: w.leder.get("/centre/deviations", unreviewed="maybe"),
    },
    ("GET", "/api/v1/centre/child-welfare/pending"): {
        200: lambda w: w.leder.get("/centre/child-welfare/pending"),
        401: lambda w: w.anonymous.get("/centre/child-welfare/pending"),
        403: lambda w: w.ansatt.get("/centre/child-welfare/pending"),
        422: lambda w: w.leder.get("/centre/child-welfare/pending", all=1),
    },
    ("GET", "/api/v1/centre/settings"): {
        200: lambda w: w.leder.get("/centre/settings"),
        401: lambda w: w.anonymous.get("/centre/settings"),
        403: lambda w: w.ansatt.get("/centre/settings"),
        422: lambda w: w.leder.get("/centre/settings", x=1),
    },
    ("PUT", "/api/v1/centre/settings"): {
        200: lambda w: w.leder.put("/centre/settings", SETTINGS),
        401: lambda w: w.anonymous.put("/centre/settings", SETTINGS),
        403: lambda w: w.ansatt.put("/centre/settings", SETTINGS),
        422: lambda w: w.leder.put("/centre/settings", {**SETTINGS, "reassess_days_required": 0}),
    },
}
SCENARIOS.update(PARITY_SCENARIOS)
