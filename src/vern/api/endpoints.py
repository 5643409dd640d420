"""The JSON API under /api/v1 (django-ninja, OpenAPI at /api/v1/openapi.json).

Every operation needs a bearer token (``TokenAuth``); session cookies never count and CSRF
does not apply. Reads go through the selectors (the token owner's centre only: another
centre's id is 404), writes through the services (the same rules and audit events as the web
app). A read of a case writes one ``api_read`` audit event per request. Administrators get no
case data (403): only the national statistics, the audit status and ``POST /assess``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import P, QueryEx, Router, Status

from vern.api import schemas as s
from vern.api.auth import TokenAuth, token_user
from vern.api.casework import CaseUpdateIn
from vern.api.casework import router as casework
from vern.api.centre import centre
from vern.api.children import children
from vern.api.common import (
    CREATE,
    LIST,
    READ,
    WRITE,
    CaseId,
    ObjectId,
    case_step,
    require_fresh_code,
)
from vern.api.common import api_read as _api_read
from vern.api.common import case_worker as _case_worker
from vern.api.common import query_only as _query_only
from vern.api.consents import consents
from vern.api.contacts import contact_input as _contact_input
from vern.api.contacts import contact_out as _contact_out
from vern.api.contacts import deviation_opened as _deviation_opened
from vern.api.contacts import not_confirmed as _not_confirmed
from vern.api.deviations import deviations
from vern.api.documents import router as documents
from vern.api.errors import ApiError, Error, install_error_handlers
from vern.api.openapi import VernNinjaAPI
from vern.api.relocations import relocations
from vern.api.tasks import tasks
from vern.assessments import selectors as assessment_selectors
from vern.assessments import services as assessment_services
from vern.assessments.models import RiskMapping
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.audit.verify import verify_chain
from vern.cases import services as case_services
from vern.cases.models import Case, CaseStatus
from vern.consent import selectors as consent_selectors
from vern.consent import services as consent_services
from vern.consent.models import Consent
from vern.core import clock
from vern.desk import selectors as desk_selectors
from vern.desk.state import CaseState, case_state
from vern.police import selectors as police_selectors
from vern.police import services as police_services
from vern.police.models import ContactStatus
from vern.police.withdrawal import consent_withdraw_with_contacts
from vern.rules import FactsError, evaluate, load_rulebook, parse_facts
from vern.rules.cli import _decode as decode_facts_json
from vern.rules.facts import FACT_KEYS
from vern.rules.texts import LANGS
from vern.rules.vocabulary import CONSENT_FORMS, FACTOR_NAMES, RISK_VALUES
from vern.stats.period import FIRST_YEAR, parse_period
from vern.stats.selectors import statistics
from vern.stats.suppression import THRESHOLD

api = VernNinjaAPI(
    title="Vern API",
    version="1",
    description=(
        "Cases, assessments, consent, police contacts, audit status and statistics for "
        "Norwegian crisis centres. Authenticate with `Authorization: Bearer <token>` (create "
        "a token on the page «API-nøkler» in Vern). Errors: "
        '`{"error": {"code", "field", "message"}}`; see docs/api.md.'
    ),
    urls_namespace="api",
    docs_url=None,
    auth=TokenAuth(),
)
install_error_handlers(api)


# --------------------------------------------------------------------------- helpers


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "language": case.language,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "next_reassessment_on": case.next_reassessment_on,
    }


def _consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "recipient_kind": consent.recipient_kind,
        "police_district": consent.police_district,
        "form": consent.form,
        "categories": list(consent.categories or []),
        "given_at": consent.given_at,
        "expires_at": consent.expires_at,
        "withdrawn_at": consent.withdrawn_at,
        "status": consent_selectors.consent_status(consent=consent, at=clock.now()),
    }


def _state_out(state: CaseState) -> dict[str, Any]:
    """The case state (vern.desk.state), the facts of the case page's summary."""
    return {
        "at": state.at,
        "closed": state.closed,
        "next_step": state.next_step,
        "next_step_why": state.next_step_why,
        "engine_next_step": state.engine_next_step,
        "reassessment_on": state.reassessment_on,
        "due": state.due,
        "reassess_now": state.reassess_now,
        "open_triggers": [asdict(line) for line in state.open_triggers],
        "consent": state.consent,
        "consent_last_day": state.consent_last_day,
        "refused_at": state.refused_at,
        "refusal_information_offered": state.refusal_information_offered,
        "informed_public_prosecution": state.informed_public_prosecution,
        "pending_contacts": [asdict(line) for line in state.pending_contacts],
        "open_deviations": [asdict(line) for line in state.open_deviations],
        "pending_relocation": state.pending_relocation,
        "children_with_pending_concerns": list(state.children_with_pending_concerns),
        "tags": list(state.tags),
    }


# --------------------------------------------------------------------------- cases

cases = Router(tags=["cases"])


@cases.get(
    "", response={200: s.CaseList, **LIST}, summary="List the centre's cases", url_name="cases"
)
def case_list(
    request: HttpRequest,
    status: QueryEx[CaseStatus | None, P(description="open or closed")] = None,
    q: QueryEx[str, P(max_length=40, pattern=s.NO_NUL, description="part of the reference")] = "",
    limit: QueryEx[int, P(ge=1, le=200)] = 50,
    offset: QueryEx[int, P(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    """Cases of the token owner's centre, newest first. The name is never in the list."""
    _query_only(request, "status", "q", "limit", "offset")
    user = _case_worker(request)
    rows = desk_selectors.case_queryset(user=user, query=q, status=status or "")
    total = rows.count()
    items = [_case_out(case) for case in rows[offset : offset + limit]]
    _api_read(request, user, object_type="case_list", object_id=None)
    return {"count": total, "items": items}


@cases.post("", response={201: s.CaseOut, **CREATE}, summary="Create a case", url_name="cases")
def case_create(request: HttpRequest, payload: s.CaseIn) -> Status[dict[str, Any]]:
    _query_only(request)
    user = _case_worker(request)
    reference = payload.reference.strip()
    if Case.objects.for_user(user).filter(reference__iexact=reference).exists():
        raise ApiError(
            409, "reference_in_use", "The reference is already in use at the centre.", "reference"
        )
    case = case_services.case_create(
        acting_user=user, reference=reference, name=payload.name, language=payload.language
    )
    return Status(201, _case_out(case))


@cases.get("/{case_id}", response={200: s.CaseDetail, **READ}, summary="Read a case")
def case_read(request: HttpRequest, case_id: CaseId) -> dict[str, Any]:
    user, case = case_step(request, case_id)
    latest = assessment_selectors.assessment_newest(case=case)
    data = _case_out(case)
    data["name"] = case.name
    data["latest_assessment"] = (
        {
            "id": latest.pk,
            "assessed_at": latest.assessed_at,
            "police_involvement": latest.police_involvement,
            "next_step": latest.next_step,
            "rulebook_version": latest.rulebook_version,
            "next_reassessment_on": latest.next_reassessment_on,
        }
        if latest is not None
        else None
    )
    data["consents"] = [_consent_out(c) for c in consent_selectors.consent_list(case=case)]
    data["police_contacts"] = [
        _contact_out(c) for c in police_selectors.contacts_for_case(case=case)
    ]
    data["state"] = _state_out(case_state(case=case))
    _api_read(request, user, object_type="case", object_id=case.pk)
    return data


@cases.put(
    "/{case_id}",
    response={200: s.CaseOut, **WRITE},
    summary="Change a case's name and the user's language for documents",
    url_name="case_read",  # one path, one URL name (the authorization matrix's row)
)
def case_update(request: HttpRequest, case_id: CaseId, payload: CaseUpdateIn) -> Case:
    """The case page's form (``case_updated`` in the audit log and on the timeline). A closed
    case: 409 ``case_closed``. The reference never changes. (In this router, beside GET: one
    path, one router, or ninja answers 405 to the other method.)"""
    user, case = case_step(request, case_id, open_case=True)
    return case_services.case_update(
        acting_user=user, case=case, name=payload.name, language=payload.language
    )


# --------------------------------------------------------------------------- assessments


@cases.post(
    "/{case_id}/risk-mappings",
    response={201: s.RiskMappingOut, **WRITE},
    summary="Record a risk mapping of the user (K1)",
)
def risk_mapping_create(
    request: HttpRequest, case_id: CaseId, payload: s.RiskMappingIn
) -> Status[dict[str, Any]]:
    user, case = case_step(request, case_id, open_case=True)
    mapping = assessment_services.risk_mapping_record(
        acting_user=user,
        case=case,
        method=payload.method,
        result=payload.result,
        method_other=payload.method_other,
        reasoning=payload.reasoning,
    )
    return Status(
        201,
        {
            "id": mapping.pk,
            "method": mapping.method,
            "result": mapping.result,
            "mapped_at": mapping.mapped_at,
        },
    )


@cases.post(
    "/{case_id}/assessments",
    response={201: s.AssessmentOut, **WRITE},
    summary="Save a joint assessment and get the rules outcome (G6, G7)",
)
def assessment_create(
    request: HttpRequest, case_id: CaseId, payload: s.AssessmentIn
) -> Status[dict[str, Any]]:
    """Factors 7 and 8 are derived from the records; without ``risk_mapping_id`` the newest
    mapping of the user herself is used (K1: none → 422 on ``risk_mapping``)."""
    user, case = case_step(request, case_id, open_case=True)
    mapping: RiskMapping | None
    if payload.risk_mapping_id is not None:
        mapping = assessment_selectors.mapping_get(user=user, case=case, pk=payload.risk_mapping_id)
    else:
        mapping = assessment_selectors.user_mappings(case=case).first()
    assessment = assessment_services.assessment_record(
        acting_user=user,
        case=case,
        risk_mapping=mapping,
        factors=payload.factors.model_dump(),
        user_participated=payload.user_participated,
        user_view=payload.user_view,
        staff_judgement=payload.staff_judgement,
        suspected_offences=payload.suspected_offences,
        danger_to_life_or_health=payload.danger_to_life_or_health,
    )
    return Status(
        201,
        {
            "id": assessment.pk,
            "case_id": case.pk,
            "assessed_at": assessment.assessed_at,
            "next_reassessment_on": assessment.next_reassessment_on,
            "outcome": assessment.outcome,
        },
    )


# --------------------------------------------------------------------------- consent


@cases.post(
    "/{case_id}/information",
    response={201: s.InformationOut, **WRITE},
    summary="Record that the user was informed (G5, G13, G15)",
)
def information_create(
    request: HttpRequest, case_id: CaseId, payload: s.InformationIn
) -> Status[dict[str, Any]]:
    user, case = case_step(request, case_id, open_case=True)
    record = consent_services.information_record(
        acting_user=user,
        case=case,
        kind=payload.kind,
        language=payload.language,
        interpreter_used=payload.interpreter_used,
        given_at=payload.given_at,
        request=request,
    )
    return Status(
        201,
        {
            "id": record.pk,
            "kind": record.kind,
            "given_at": record.given_at,
            "rulebook_version": record.rulebook_version,
        },
    )


@cases.post(
    "/{case_id}/consents",
    response={201: s.ConsentOut, **WRITE},
    summary="Record a consent (C1, G3, G4)",
)
def consent_create(
    request: HttpRequest, case_id: CaseId, payload: s.ConsentIn
) -> Status[dict[str, Any]]:
    user, case = case_step(request, case_id, open_case=True)
    if payload.written_method == "upload":
        raise ApiError(
            422,
            "invalid",
            "An uploaded signed form is added in the web app; use on_screen here.",
            "written_method",
        )
    consent = consent_services.consent_create(
        acting_user=user,
        case=case,
        recipient_kind=payload.recipient_kind,
        purpose=payload.purpose,
        categories=[str(c) for c in payload.categories],
        form=payload.form,
        police_district=payload.police_district or "",
        recipient_unit=payload.recipient_unit,
        written_method=payload.written_method or "",
        signed_by_name=payload.signed_by_name,
        signature_confirmed=payload.signature_confirmed,
        verbal_witness=payload.verbal_witness,
        verbal_reason=payload.verbal_reason,
        given_at=payload.given_at,
        expires_at=payload.expires_at,
        request=request,
    )
    return Status(201, _consent_out(consent))


@cases.post(
    "/{case_id}/consents/{consent_id}/withdraw",
    response={200: s.ConsentOut, **WRITE},
    summary="Withdraw a consent; takes effect at once, also on a closed case (C1)",
)
def consent_withdraw(
    request: HttpRequest,
    case_id: CaseId,
    consent_id: ObjectId,
    payload: s.ConsentWithdrawIn | None = None,
) -> dict[str, Any]:
    """Optional body ``{"withdrawn_at", "manner", "note"}`` (C1): the service checks the moment
    as the web form does (not in the future, not before the consent, the plausible range) and
    answers 422 naming the field."""
    user, case = case_step(request, case_id)
    consent = consent_selectors.consent_get(user=user, case=case, pk=consent_id)
    # No closed-case check: withdrawal is the one write allowed on a closed case (C1).
    if consent.withdrawn_at is not None:
        raise ApiError(409, "already_withdrawn", "The consent is already withdrawn.", None)
    body = payload or s.ConsentWithdrawIn()
    withdrawal = consent_withdraw_with_contacts(
        acting_user=user,
        consent=consent,
        withdrawn_at=body.withdrawn_at,
        manner=body.manner or "",
        note=body.note,
        request=request,
    )
    return _consent_out(withdrawal.consent)


# --------------------------------------------------------------------------- police


@cases.post(
    "/{case_id}/police-contacts",
    response={201: s.PoliceContactOut, **WRITE},
    summary="Record a planned or done police contact (G3, G9, G11, L1, L2)",
)
def police_contact_create(
    request: HttpRequest, case_id: CaseId, payload: s.PoliceContactIn
) -> Status[dict[str, Any]]:
    """Sharing identifying information (identity, address, stay) needs a fresh one-time code
    in the ``X-Vern-OTP`` header (403 ``step_up_required`` otherwise), as the web page does."""
    user, case = case_step(request, case_id, open_case=True)
    data = _contact_input(request, user, case, payload, payload.status)
    try:
        contact = police_services.police_contact_record(
            acting_user=user, case=case, data=data, confirm_deviation=payload.confirm_deviation
        )
    except police_services.DeviationNeedsConfirmation as exc:
        raise _not_confirmed(exc) from exc
    return Status(201, _contact_out(contact, deviation_opened=_deviation_opened(contact)))


@cases.put(
    "/{case_id}/police-contacts/{contact_id}",
    response={200: s.PoliceContactOut, **WRITE},
    summary="Correct a planned police contact (its ground and record, G3, G9, L1, L2)",
)
def police_contact_update(
    request: HttpRequest, case_id: CaseId, contact_id: ObjectId, payload: s.PoliceContactPlanIn
) -> dict[str, Any]:
    """Only a planned contact can be corrected (422 otherwise); the ground is checked again and
    a plan opens no deviation. Identifying information needs ``X-Vern-OTP``, as on create."""
    user, case = case_step(request, case_id, open_case=True)
    contact = police_selectors.contact_get(user=user, case=case, pk=contact_id)
    data = _contact_input(request, user, case, payload, ContactStatus.PLANNED)
    police_services.police_contact_update(acting_user=user, contact=contact, data=data)
    return _contact_out(contact)


@cases.post(
    "/{case_id}/police-contacts/{contact_id}/complete",
    response={200: s.PoliceContactOut, **WRITE},
    summary="Mark a planned police contact done (the ground is checked again)",
)
def police_contact_complete(
    request: HttpRequest,
    case_id: CaseId,
    contact_id: ObjectId,
    payload: s.PoliceContactCompleteIn,
) -> dict[str, Any]:
    """A done contact whose ground is not valid at that time answers 409
    ``deviation_not_confirmed`` unless ``confirm_deviation`` is true (then a deviation opens).
    A fresh one-time code in ``X-Vern-OTP`` is needed (403 ``step_up_required``), as the web
    page needs step-up."""
    user, case = case_step(request, case_id, open_case=True)
    contact = police_selectors.contact_get(user=user, case=case, pk=contact_id)
    require_fresh_code(request, user)
    try:
        police_services.police_contact_complete(
            acting_user=user,
            contact=contact,
            contact_at=payload.contact_at,
            measures_decided=payload.measures_decided,
            follow_up_on=payload.follow_up_on,
            outcome_note=payload.outcome_note,
            reprisal_check=payload.reprisal_check.model_dump(mode="json")
            if payload.reprisal_check is not None
            else None,
            confirm_deviation=payload.confirm_deviation,
        )
    except police_services.DeviationNeedsConfirmation as exc:
        raise _not_confirmed(exc) from exc
    return _contact_out(contact, deviation_opened=_deviation_opened(contact))


# --------------------------------------------------------------------------- audit, statistics

other = Router(tags=["audit and statistics"])


@other.get(
    "/audit/status",
    response={200: s.AuditStatus, **LIST},
    summary="Audit chain status",
)
def audit_status(request: HttpRequest) -> dict[str, Any]:
    """Verifies the whole audit chain now (leaders and administrators; ansatt: 403)."""
    _query_only(request)
    user = token_user(request)
    if not (user.is_leader and user.works_with_cases) and not user.is_administrator:
        raise PermissionDenied
    result = verify_chain()
    audit_record(
        action=AuditAction.AUDIT_VERIFIED,
        actor=user,
        centre=user.centre,
        request=request,
        details={"ok": result.ok, "checked": result.checked, "via": "api"},
    )
    return {
        "ok": result.ok,
        "checked": result.checked,
        "head_seq": result.head.seq,
        "first_broken_seq": result.first_broken_seq,
        "problem": str(result.problem) if result.problem is not None else None,
        "message": result.message,
    }


def _stats_out(stats: Any) -> dict[str, Any]:
    tables = [
        {
            "id": table.id,
            "title": table.title,
            "columns": list(table.columns),
            "rows": [
                {"label": row.label, "cells": [cell.text for cell in row.cells]}
                for row in table.rows
            ],
        }
        for table in stats.tables
    ]
    ttp = stats.time_to_police
    tables.append(
        {
            "id": "time_to_police",
            "title": "Tid fra første vurdering til første politikontakt",
            "columns": ["Saker", "Median (dager)"],
            "rows": [{"label": "", "cells": [ttp.cases_text, ttp.median_text]}],
        }
    )
    return {
        "scope": stats.scope,
        "period_start": stats.period.start,
        "period_end": stats.period.last_day,
        "suppression_threshold": THRESHOLD,
        "tables": tables,
    }


@other.get(
    "/statistics",
    response={200: s.StatisticsOut, **LIST},
    summary="Statistics of the token owner's centre (suppressed)",
)
def centre_statistics(
    request: HttpRequest,
    year: QueryEx[int | None, P(ge=FIRST_YEAR, le=9999)] = None,
    quarter: QueryEx[int | None, P(ge=1, le=4)] = None,
) -> dict[str, Any]:
    _query_only(request, "year", "quarter")
    user = _case_worker(request)
    period = parse_period(year, quarter)
    return _stats_out(
        statistics(centre_id=user.centre_id, period=period, scope_label=str(user.centre))
    )


@other.get(
    "/statistics/national",
    response={200: s.StatisticsOut, **LIST},
    summary="National statistics, whole years (administrators)",
)
def national_statistics(
    request: HttpRequest,
    year: QueryEx[int | None, P(ge=FIRST_YEAR, le=9999)] = None,
) -> dict[str, Any]:
    _query_only(request, "year")
    user = token_user(request)
    if not user.is_administrator:
        raise PermissionDenied
    period = parse_period(year, None, allow_quarter=False)
    return _stats_out(statistics(centre_id=None, period=period, scope_label="national"))


# --------------------------------------------------------------------------- the rules engine

_QUOTED = re.compile(r"""'([^']*)'|"([^"]*)\"""")


def facts_error_field(message: str) -> str | None:
    """The offending key of a ``FactsError`` message (``factors.great_danger``, ``on``...)."""
    if message.startswith(("unknown offence id", "'suspected_offences'")):
        return "suspected_offences"
    match = _QUOTED.search(message)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


FACTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "Exactly the facts of `vern assess` (docs/rulebook.md).",
    "properties": {
        "on": {"type": "string", "format": "date"},
        "risk_of_new_serious_violence": {"type": "string", "enum": list(RISK_VALUES)},
        "factors": {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: {"type": "boolean"} for name in FACTOR_NAMES},
        },
        "consent_form": {"type": "string", "enum": list(CONSENT_FORMS), "nullable": True},
        "suspected_offences": {"type": "array", "items": {"type": "string", "enum": []}},
        "danger_to_life_or_health": {"type": "boolean"},
        "child_welfare_concern": {"type": "boolean"},
    },
}
assert tuple(FACTS_SCHEMA["properties"]) == FACT_KEYS  # noqa: S101 (the contract's keys)


def _facts_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(json.dumps(FACTS_SCHEMA))
    schema["properties"]["suspected_offences"]["items"]["enum"] = sorted(
        load_rulebook().offence_ids
    )
    return schema


engine = Router(tags=["rules engine"])


@engine.post(
    "/assess",
    response={200: dict[str, Any], 401: Error, 422: Error},
    summary="Assess facts with the rules engine (the `vern assess` contract)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _facts_schema()}},
        }
    },
)
def assess(
    request: HttpRequest, lang: QueryEx[str, P(pattern="^(nb|nn|en)$")] = "nb"
) -> dict[str, Any]:
    """Takes exactly the facts JSON of ``vern assess`` and returns exactly what
    ``vern assess --format json --lang <lang>`` prints. Bad facts: 422 ``invalid_facts`` with
    the one-line message of the command and the offending key as ``field``."""
    _query_only(request, "lang")
    token_user(request)
    if lang not in LANGS:
        raise ApiError(422, "invalid_request", "lang must be nb, nn or en.", "lang")
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(422, "invalid_facts", "the body is not UTF-8 text", None) from None
    try:
        facts = parse_facts(decode_facts_json(text))
        outcome = evaluate(facts)
    except FactsError as exc:
        message = " ".join(str(exc).split())
        raise ApiError(422, "invalid_facts", message, facts_error_field(message)) from None
    result: dict[str, Any] = outcome.to_dict(lang)
    return result


# Every router, in the order of the document (each area in its own module).
api.add_router("/cases", cases)
api.add_router("", other)
api.add_router("", engine)
api.add_router("/cases", casework)
api.add_router("/cases", consents)
api.add_router("/cases", documents)
api.add_router("/cases", relocations)
api.add_router("/cases", children)
api.add_router("/cases", deviations)
api.add_router("/centre", centre)
# Each staff member's tasks (issue 18).
api.add_router("", tasks)
