"""Relocations over the API (G14, R1-R3): plan a move, the police at both ends, the user's
choice, complete, cancel, and the consented handover to a centre in this Vern.

The operations call the same services as the web pages (``vern.relocation.services`` and
``vern.relocation.handover``): the same checks, the same audit events, the same timeline lines.

**The destination is never in an answer.** The web app shows the new centre's name and its
police district only on the step-up-protected reveal page, and every reveal is audited; the
API has no such operation. An answer says only whether the new centre uses this Vern
(``in_vern``); the police contacts at the ends are summarised without their district. The
destination is *sent* when a move is planned (the integrator knows it) and never given back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import P, PathEx, Router, Schema, Status
from pydantic import Field, StrictBool

from vern.accounts.models import User
from vern.api import schemas as s
from vern.api.common import (
    READ,
    WRITE,
    CaseId,
    ObjectId,
    api_read,
    case_step,
    ensure_open,
    require_fresh_code,
)
from vern.api.contacts import contact_input, deviation_opened, not_confirmed
from vern.api.errors import ApiError, Error
from vern.cases.models import Case
from vern.centres.models import Centre, PoliceDistrict
from vern.core import clock
from vern.police import selectors as police_selectors
from vern.police import services as police_services
from vern.police.models import ContactStatus, PoliceContact
from vern.relocation import handover as relocation_handover
from vern.relocation import selectors as relocation_selectors
from vern.relocation import services as relocation_services
from vern.relocation.models import Handover, PoliceEnd, Relocation
from vern.relocation.panels import contact_ground_valid, police_ends

REASON_MAX = relocation_services.MAX_REASON_LENGTH
NAME_MAX = Relocation._meta.get_field("destination_name").max_length or 200
# Step-up as on the web's handover page: it gives the user's information to another centre.
STEP_UP = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}

End = PathEx[
    PoliceEnd,
    P(
        description=(
            "departure: the police where the user lives now (G14); destination: the police at "
            "the new place (R2)."
        )
    ),
]

# --------------------------------------------------------------------------- shapes


class RelocationPlanIn(s.Input):
    """A planned move (G14, R1). The new centre is ``destination_centre_id`` (another active
    centre in this Vern; its police district is the default) or, for a centre outside Vern,
    ``destination_name``; one of the two is required (422 ``destination_name`` otherwise), and
    without a centre in Vern ``destination_police_district`` is required too (422). Neither is
    ever given back."""

    reason: str = Field(
        min_length=1,
        max_length=REASON_MAX,
        pattern=s.NOT_BLANK,
        description="Why the centre is not safe enough for the user.",
    )
    destination_centre_id: s.Id | None = Field(
        default=None,
        description=(
            "The id of another active centre in this Vern (not the token owner's own: 422 "
            "destination_centre)."
        ),
    )
    destination_name: str = Field(
        default="",
        max_length=NAME_MAX,
        description="The name of a centre outside Vern (ignored with destination_centre_id).",
    )
    destination_police_district: PoliceDistrict | None = None
    chosen_with_user: StrictBool = Field(
        default=False, description="The new centre was chosen together with the user (R1)."
    )
    chosen_with_police: StrictBool = Field(
        default=False, description="The new centre was chosen together with the police (R1)."
    )
    planned_on: s.IsoDate


class RelocationLinkIn(s.Input):
    contact_id: s.Id = Field(description="A police contact already recorded in this case.")


class RelocationReasonIn(s.Input):
    reason: str = Field(min_length=1, max_length=REASON_MAX, pattern=s.NOT_BLANK)


class RelocationPoliceChoiceIn(s.Input):
    chosen_with_police: StrictBool = Field(
        description="Whether the new centre was chosen together with the police (R1)."
    )


class RelocationUserChoiceIn(s.Input):
    """No properties: the body may be left out or be ``{}`` (anything else: 422)."""


class RelocationCompleteIn(s.Input):
    """The move is done: refused (422) unless the user's choice is recorded (R1) and the police
    at both ends were involved before ``completed_at`` (G14, R2); ``consent`` needs a consent
    that covers the handover and is valid then (R3, 422 ``handover`` otherwise)."""

    handover: Handover
    completed_at: s.IsoDateTime | None = Field(
        default=None, description="When the user moved (default now; not in the future)."
    )


class RelocationHandOverIn(s.Input):
    reference: str = Field(
        default="",
        max_length=relocation_handover.REFERENCE_MAX,
        pattern=s.NO_NUL,
        description="The case's reference at the new centre (default: one is made up).",
    )


class RelocationContactOut(Schema):
    """A police contact at one end, without its police district (it can name the
    destination)."""

    id: int
    status: str
    contact_at: dt.datetime
    legal_ground: str
    # The ground as it stands now (a plan is checked again), as on the relocation page.
    ground_valid: bool


class RelocationEndOut(Schema):
    end: str
    # The contact counts (done), or a reason why the police were not contacted is recorded.
    involved: bool
    contact: RelocationContactOut | None
    no_police_reason: str
    # A bare moment recorded before issue 14: shown, never counted.
    legacy_involved_at: dt.datetime | None


class RelocationOut(Schema):
    id: int
    case_id: int
    status: str
    reason: str
    in_vern: bool
    chosen_with_user: bool
    chosen_with_police: bool
    planned_on: dt.date | None
    created_at: dt.datetime
    completed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    handover: str
    handover_consent_id: int | None
    handed_over_at: dt.datetime | None
    handed_over_categories: list[str]
    police_ends: list[RelocationEndOut]
    # What a planned move still lacks to be completed now: chosen_with_user (R1),
    # police_departure (G14), police_destination (R2).
    missing: list[str]
    # Why it cannot be handed over now ("" when it can): outside_vern, already, cancelled,
    # no_consent.
    handover_problem: str


class RelocationList(Schema):
    count: int
    items: list[RelocationOut]


class RelocationContactResult(Schema):
    contact: RelocationContactOut
    deviation_opened: bool
    # Why the ground is not valid (reason codes); empty when valid.
    reasons: list[str]
    relocation: RelocationOut


class HandoverReceiptOut(Schema):
    at: dt.datetime
    kinds: list[str]
    children: int
    mappings: int
    relocation: RelocationOut


# --------------------------------------------------------------------------- helpers


def _contact_summary(contact: PoliceContact, ground_valid: bool | None) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "status": contact.status,
        "contact_at": contact.contact_at,
        "legal_ground": contact.legal_ground,
        "ground_valid": bool(ground_valid),
    }


def relocation_out(relocation: Relocation) -> dict[str, Any]:
    """The relocation as the API shows it: never the destination's name or police district."""
    return {
        "id": relocation.pk,
        "case_id": relocation.case_id,
        "status": relocation.status,
        "reason": relocation.reason,
        "in_vern": relocation.destination_centre_id is not None,
        "chosen_with_user": relocation.chosen_with_user,
        "chosen_with_police": relocation.chosen_with_police,
        "planned_on": relocation.planned_on,
        "created_at": relocation.created_at,
        "completed_at": relocation.completed_at,
        "cancelled_at": relocation.cancelled_at,
        "cancel_reason": relocation.cancel_reason,
        "handover": relocation.handover,
        "handover_consent_id": relocation.handover_consent_id,
        "handed_over_at": relocation.handed_over_at,
        "handed_over_categories": list(relocation.handed_over_categories or []),
        "police_ends": [
            {
                "end": str(item.end),
                "involved": item.done,
                "contact": _contact_summary(item.contact, item.ground_valid)
                if item.contact is not None
                else None,
                "no_police_reason": item.no_police_reason,
                "legacy_involved_at": item.legacy_at,
            }
            for item in police_ends(relocation)
        ],
        "missing": relocation_selectors.relocation_missing(relocation)
        if relocation.is_planned
        else [],
        "handover_problem": relocation_handover.handover_problem(relocation, at=clock.now()),
    }


def _relocation(user: User, case: Case, relocation_id: int) -> Relocation:
    """The relocation of the case in the caller's centre (another centre's id: 404)."""
    return relocation_selectors.relocation_get(user=user, case=case, pk=relocation_id)


def _planned(
    request: HttpRequest, case_id: int, relocation_id: int
) -> tuple[User, Case, Relocation]:
    """The shared first steps of a change to a planned move: the caller, the case, the
    relocation, an open case (409 ``case_closed``) and a move still planned (409
    ``relocation_not_planned``), as the web pages check before the form."""
    user, case = case_step(request, case_id)
    relocation = _relocation(user, case, relocation_id)
    ensure_open(case)
    if not relocation.is_planned:
        raise ApiError(
            409,
            "relocation_not_planned",
            "The relocation is no longer planned and cannot be changed.",
        )
    return user, case, relocation


def _destination_centre(user: User, centre_id: int | None) -> Centre | None:
    if centre_id is None:
        return None
    centre = Centre.objects.filter(pk=centre_id).first()
    if centre is None:
        raise ApiError(
            422, "invalid", "No centre in this Vern has that id.", "destination_centre_id"
        )
    return centre


# --------------------------------------------------------------------------- operations

relocations = Router(tags=["relocations"])
BASE = "/{case_id}/relocations"
ONE = BASE + "/{relocation_id}"


@relocations.post(
    BASE,
    response={201: RelocationOut, **WRITE},
    summary="Plan a relocation to another crisis centre (G14, R1)",
    url_name="relocations",
)
def relocation_plan(
    request: HttpRequest, case_id: CaseId, payload: RelocationPlanIn
) -> Status[dict[str, Any]]:
    """Records the move and a planned_move trigger for a new assessment (G8). A case with a
    planned move already: 409 ``relocation_already_planned``. The destination is never in
    the answer."""
    user, case = case_step(request, case_id, open_case=True)
    if relocation_selectors.pending_relocation(case=case) is not None:
        raise ApiError(
            409,
            "relocation_already_planned",
            "The case has a planned relocation already: complete or cancel it first.",
        )
    relocation = relocation_services.relocation_plan(
        acting_user=user,
        case=case,
        reason=payload.reason,
        destination_name=payload.destination_name,
        destination_police_district=payload.destination_police_district or "",
        chosen_with_user=payload.chosen_with_user,
        chosen_with_police=payload.chosen_with_police,
        planned_on=payload.planned_on,
        destination_centre=_destination_centre(user, payload.destination_centre_id),
    )
    return Status(201, relocation_out(relocation))


@relocations.get(
    BASE,
    response={200: RelocationList, **READ},
    summary="The case's relocations, newest first",
    url_name="relocations",
)
def relocation_list(request: HttpRequest, case_id: CaseId) -> dict[str, Any]:
    user, case = case_step(request, case_id)
    items = [relocation_out(r) for r in relocation_selectors.relocations_for_case(case=case)]
    api_read(request, user, object_type="case", object_id=case.pk)
    return {"count": len(items), "items": items}


@relocations.get(
    ONE, response={200: RelocationOut, **READ}, summary="Read a relocation (never its destination)"
)
def relocation_read(
    request: HttpRequest, case_id: CaseId, relocation_id: ObjectId
) -> dict[str, Any]:
    """The relocation with its R1/G14/R2 checklist; the destination is shown only in the web
    app, after step-up (the API has no operation that gives it)."""
    user, case = case_step(request, case_id)
    relocation = _relocation(user, case, relocation_id)
    api_read(request, user, object_type="case", object_id=case.pk)
    return relocation_out(relocation)


@relocations.post(
    ONE + "/police-contacts/{end}",
    response={201: RelocationContactResult, **WRITE},
    summary="Record the police contact at one end of the move (G14, R2)",
)
def relocation_police_contact(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    end: End,
    payload: s.PoliceContactIn,
) -> Status[dict[str, Any]]:
    """The same contact as ``POST /cases/{case_id}/police-contacts`` (the same ground check,
    what was shared, the G9 reprisal check, ``X-Vern-OTP`` for identifying information),
    linked to the given end. A done contact without a valid ground: 409
    ``deviation_not_confirmed`` unless ``confirm_deviation`` (then a deviation opens)."""
    user, case, relocation = _planned(request, case_id, relocation_id)
    data = contact_input(request, user, case, payload, payload.status)
    try:
        contact = relocation_services.relocation_police_contact_record(
            acting_user=user,
            relocation=relocation,
            end=end,
            data=data,
            confirm_deviation=payload.confirm_deviation,
        )
    except police_services.DeviationNeedsConfirmation as exc:
        raise not_confirmed(exc) from exc
    reasons = (
        police_selectors.ground_reason_codes(contact)
        if contact.status == ContactStatus.DONE
        else police_services.contact_reasons(contact)
    )
    return Status(
        201,
        {
            "contact": _contact_summary(contact, contact_ground_valid(contact)),
            "deviation_opened": deviation_opened(contact),
            "reasons": reasons,
            "relocation": relocation_out(relocation),
        },
    )


@relocations.post(
    ONE + "/police-link/{end}",
    response={200: RelocationOut, **WRITE},
    summary="Link a police contact of the case to one end of the move",
)
def relocation_police_link(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    end: End,
    payload: RelocationLinkIn,
) -> dict[str, Any]:
    """Another case's or centre's contact id: 404."""
    user, case, relocation = _planned(request, case_id, relocation_id)
    contact = police_selectors.contact_get(user=user, case=case, pk=payload.contact_id)
    relocation_services.relocation_police_link(
        acting_user=user, relocation=relocation, end=end, contact=contact
    )
    return relocation_out(relocation)


@relocations.post(
    ONE + "/police-not-involved/{end}",
    response={200: RelocationOut, **WRITE},
    summary="Record why the police at one end were not contacted (opens a deviation)",
)
def relocation_police_not_involved(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    end: End,
    payload: RelocationReasonIn,
) -> dict[str, Any]:
    """G14 and R2 say the police shall be involved: the move is not refused for it, but a
    deviation opens for the leader with the reason."""
    user, _case, relocation = _planned(request, case_id, relocation_id)
    relocation_services.relocation_police_not_involved(
        acting_user=user, relocation=relocation, end=end, reason=payload.reason
    )
    return relocation_out(relocation)


@relocations.post(
    ONE + "/police-choice",
    response={200: RelocationOut, **WRITE},
    summary="Record whether the new centre was chosen with the police (R1)",
)
def relocation_police_choice(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    payload: RelocationPoliceChoiceIn,
) -> dict[str, Any]:
    """The value already recorded: 409 ``already_recorded``."""
    user, _case, relocation = _planned(request, case_id, relocation_id)
    if relocation.chosen_with_police == payload.chosen_with_police:
        raise ApiError(409, "already_recorded", "This is recorded already.", "chosen_with_police")
    relocation_services.relocation_record_police_choice(
        acting_user=user, relocation=relocation, chosen_with_police=payload.chosen_with_police
    )
    return relocation_out(relocation)


@relocations.post(
    ONE + "/user-choice",
    response={200: RelocationOut, **WRITE},
    summary="Record that the new centre was chosen with the user (R1)",
)
def relocation_user_choice(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    payload: RelocationUserChoiceIn | None = None,
) -> dict[str, Any]:
    """No body (or ``{}``). Recorded already: 409 ``already_recorded``."""
    user, _case, relocation = _planned(request, case_id, relocation_id)
    if relocation.chosen_with_user:
        raise ApiError(
            409,
            "already_recorded",
            "The new centre is recorded as chosen with the user already.",
            "chosen_with_user",
        )
    relocation_services.relocation_record_user_choice(acting_user=user, relocation=relocation)
    return relocation_out(relocation)


@relocations.post(
    ONE + "/complete",
    response={200: RelocationOut, **WRITE},
    summary="Mark the move done (R1, G14, R2 before it; R3 for the mapping)",
)
def relocation_complete(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    payload: RelocationCompleteIn,
) -> dict[str, Any]:
    """Refused with 422 naming what is missing (``missing`` of the relocation says it in
    codes beforehand). Completing does not close the case."""
    user, _case, relocation = _planned(request, case_id, relocation_id)
    relocation_services.relocation_complete(
        acting_user=user,
        relocation=relocation,
        handover=payload.handover,
        completed_at=payload.completed_at,
    )
    return relocation_out(relocation)


@relocations.post(
    ONE + "/cancel",
    response={200: RelocationOut, **WRITE},
    summary="Cancel a planned move, with the reason",
)
def relocation_cancel(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    payload: RelocationReasonIn,
) -> dict[str, Any]:
    user, _case, relocation = _planned(request, case_id, relocation_id)
    relocation_services.relocation_cancel(
        acting_user=user, relocation=relocation, reason=payload.reason
    )
    return relocation_out(relocation)


@relocations.post(
    ONE + "/hand-over",
    response={200: HandoverReceiptOut, **STEP_UP},
    summary="Hand the case over to the new centre in this Vern with the user's consent (R3)",
)
def relocation_hand_over(
    request: HttpRequest,
    case_id: CaseId,
    relocation_id: ObjectId,
    payload: RelocationHandOverIn | None = None,
) -> dict[str, Any]:
    """Creates the case at the new centre with only what a valid consent to that centre
    covers. It gives the user's information to another centre: a fresh one-time code in
    ``X-Vern-OTP`` is required (403 ``step_up_required``), as on the web page. A move
    outside Vern, cancelled, handed over already or without such a consent: 422. The
    receiving case is the other centre's and is not in the answer."""
    user, case = case_step(request, case_id)
    relocation = _relocation(user, case, relocation_id)
    ensure_open(case)
    require_fresh_code(request, user)
    body = payload or RelocationHandOverIn()
    receipt = relocation_handover.relocation_hand_over(
        acting_user=user, relocation=relocation, reference=body.reference
    )
    return {
        "at": receipt.at,
        "kinds": receipt.kinds,
        "children": receipt.children,
        "mappings": receipt.mappings,
        "relocation": relocation_out(relocation),
    }
