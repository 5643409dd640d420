"""Casework operations of the API (issue 21): a refusal of consent, closing and reopening a
case, a new event, and the timeline. Each calls the service the web page calls and only
translates: the rules, the audit events and the centre scoping are the services'.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import translation
from ninja import P, QueryEx, Router, Schema, Status
from pydantic import AfterValidator, Field, StrictBool

from vern.api import schemas as s
from vern.api.common import READ, WRITE, CaseId, api_read, case_step
from vern.api.errors import ApiError
from vern.cases import selectors as case_selectors
from vern.cases import services as case_services
from vern.cases.models import SYSTEM_TRIGGER_KINDS, Case, CloseReason, ReopenReason, TriggerKind
from vern.cases.services import MAX_NOTE_LENGTH
from vern.consent import services as consent_services
from vern.consent.limits import REFUSAL_REASONS_MAX
from vern.core.forms import check_day
from vern.desk import services as desk_services
from vern.desk.state import case_state
from vern.desk.timeline import timeline_lines

router = Router(tags=["casework"])

# The kinds staff may record (the web form's choices); the others only the system records.
EVENT_KINDS = tuple(str(kind) for kind in TriggerKind.values if kind not in SYSTEM_TRIGGER_KINDS)


# --------------------------------------------------------------------------- shapes


class RefusalIn(s.Input):
    """G13: the user does not want the police involved now, with the reasons in the user's own
    words. ``information_offered``: the information on what the police can do, and on
    safety measures, was offered; it is then recorded as information given at the moment of
    the refusal, as on the web form."""

    refused_at: s.IsoDateTime | None = Field(
        default=None, description="When the user said no (default now); not in the future."
    )
    reasons: str = Field(default="", max_length=REFUSAL_REASONS_MAX)
    information_offered: StrictBool = False


class CaseUpdateIn(s.Input):
    """The case's name and the user's language for documents, as the case page's form: both
    are sent (a name left out would be lost), ``""`` for no name."""

    name: str = Field(max_length=200)
    language: str = Field(pattern="^(" + "|".join(s.LANGUAGE_CODES) + ")$")


class ResponsibleIn(s.Input):
    responsible_id: s.Id = Field(
        description=(
            "An active ansatt or leder of the case's centre (422 responsible_id otherwise, and "
            "when the person is already responsible)."
        )
    )


class ResponsibleOut(Schema):
    case_id: int
    responsible_id: int


class RefusalOut(Schema):
    id: int
    refused_at: dt.datetime
    information_offered: bool
    # The case stays open under reassessment (G8): the date it is reassessed by at the latest.
    next_reassessment_on: dt.date | None


class CloseIn(s.Input):
    reason: CloseReason
    confirm_live_items: StrictBool = Field(
        default=False,
        description=(
            "Something still live (a planned police contact, an open deviation, a consent in "
            "force, a planned relocation, a child welfare concern not yet notified) must be "
            "confirmed: without this the API answers 409 live_items_not_confirmed listing it."
        ),
    )


class ReopenIn(s.Input):
    reason: ReopenReason


def _staff_kind(value: str) -> str:
    if value in SYSTEM_TRIGGER_KINDS:
        msg = f"{value} is recorded by Vern itself, never by hand"
        raise ValueError(msg)
    if value not in EVENT_KINDS:
        msg = "must be one of " + ", ".join(EVENT_KINDS)
        raise ValueError(msg)
    return value


class EventIn(s.Input):
    """A new event that calls for a new assessment now (G8)."""

    kind: Annotated[str, AfterValidator(_staff_kind)] = Field(
        json_schema_extra={"enum": list(EVENT_KINDS)}
    )
    occurs_on: s.IsoDate | None = Field(
        default=None, description="The date of the court meeting or the move, for example."
    )
    description: str = Field(
        default="",
        max_length=MAX_NOTE_LENGTH,
        description="Short, what is needed to assess the case again; shown on the timeline.",
    )


class EventOut(Schema):
    id: int
    kind: str
    occurs_on: dt.date | None
    description: str
    recorded_at: dt.datetime


class TimelineLineOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    text: str
    actor_id: int | None


class TimelineOut(Schema):
    case_id: int
    lang: str
    items: list[TimelineLineOut]


# --------------------------------------------------------------------------- operations


@router.post(
    "/{case_id}/responsible",
    response={200: ResponsibleOut, **WRITE},
    summary="Hand a case to another staff member of the centre",
)
def case_responsible_set(
    request: HttpRequest, case_id: CaseId, payload: ResponsibleIn
) -> dict[str, int]:
    """As on the case page: a leader of the centre or the case's responsible may hand it on;
    anyone of the centre when it has no active responsible (403 otherwise). A closed case:
    409 ``case_closed``. Audited as ``case_updated`` (step ``responsible_changed``)."""
    user, case = case_step(request, case_id, open_case=True)
    if not case_services.may_change_responsible(user=user, case=case):
        raise PermissionDenied
    responsible = (
        case_services.responsible_candidates(centre_id=case.centre_id)
        .filter(pk=payload.responsible_id)
        .first()
    )
    if responsible is None:
        raise ApiError(
            422,
            "invalid",
            "The new responsible must be an active staff member of the centre.",
            "responsible_id",
        )
    try:
        case_services.case_responsible_set(acting_user=user, case=case, responsible=responsible)
    except ValidationError as exc:
        raise ApiError(422, "invalid", " ".join(exc.messages), "responsible_id") from None
    return {"case_id": case.pk, "responsible_id": responsible.pk}


@router.post(
    "/{case_id}/refusals",
    response={201: RefusalOut, **WRITE},
    summary="Record that the user does not want the police involved now (G13, G8)",
)
def refusal_create(request: HttpRequest, case_id: CaseId, payload: RefusalIn) -> Status[Any]:
    """The case stays open and is reassessed (``next_reassessment_on``); the refusal holds
    until a consent is given after it (``state.consent`` is ``refused``)."""
    user, case = case_step(request, case_id, open_case=True)
    refusal = consent_services.consent_refusal_record(
        acting_user=user,
        case=case,
        reasons=payload.reasons,
        information_offered=payload.information_offered,
        refused_at=payload.refused_at,
        request=request,
    )
    return Status(
        201,
        {
            "id": refusal.pk,
            "refused_at": refusal.refused_at,
            "information_offered": refusal.information_offered,
            "next_reassessment_on": case.next_reassessment_on,
        },
    )


def _live_items(case: Case) -> list[str]:
    """What is still live, from the close page's derivation (``CaseState.live_at_close``)."""
    live = case_state(case=case).live_at_close
    items = []
    for name, value in live.items():
        if isinstance(value, tuple | list):
            if value:
                items.append(f"{name} ({len(value)})")
        elif value:
            items.append(name)
    return items


@router.post(
    "/{case_id}/close",
    response={200: s.CaseOut, **WRITE},
    summary="Close a case; what is still live must be confirmed (issue 14)",
)
def case_close(request: HttpRequest, case_id: CaseId, payload: CloseIn) -> Case:
    """As the close page: with something still live, 409 ``live_items_not_confirmed`` whose
    message lists it (``pending_contacts (n)``, ``open_deviations (n)``, ``active_consent``,
    ``pending_relocation``, ``children_with_pending_concerns (n)``; the details are in the
    case's ``state``) unless ``confirm_live_items`` is true. A closed case can be read, and its
    consents withdrawn, but not changed."""
    user, case = case_step(request, case_id, open_case=True)
    try:
        return desk_services.case_close(
            acting_user=user,
            case=case,
            reason=payload.reason,
            confirmed=payload.confirm_live_items,
        )
    except ValidationError as exc:
        if not (hasattr(exc, "error_dict") and "confirm_live" in exc.error_dict):
            raise
        raise ApiError(
            409,
            "live_items_not_confirmed",
            "Something is still live in the case: "
            + ", ".join(_live_items(case))
            + "; send confirm_live_items=true to close it anyway.",
            "confirm_live_items",
        ) from None


@router.post(
    "/{case_id}/reopen",
    response={200: s.CaseOut, **WRITE},
    summary="Open a closed case again; it goes straight onto the reassessment list (G8)",
)
def case_reopen(request: HttpRequest, case_id: CaseId, payload: ReopenIn) -> Case:
    """Any case worker of the centre may reopen (a returning user may come at night). An open
    case answers 409 ``case_open``."""
    user, case = case_step(request, case_id)
    if not case.is_closed:
        raise ApiError(409, "case_open", "The case is open.", None)
    return case_services.case_reopen(acting_user=user, case=case, reason=payload.reason)


@router.post(
    "/{case_id}/events",
    response={201: EventOut, **WRITE},
    summary="Record a new event that calls for a new assessment now (G8)",
)
def event_create(request: HttpRequest, case_id: CaseId, payload: EventIn) -> Status[Any]:
    """``case_reopened`` and ``rules_changed`` are recorded by Vern itself (422). The date is
    within the plausible range (from 2018-03-08 to ten years ahead), as on the web form."""
    user, case = case_step(request, case_id, open_case=True)
    if payload.occurs_on is not None:
        try:
            check_day(payload.occurs_on)
        except ValidationError as exc:
            raise ValidationError({"occurs_on": exc.messages}) from None
    trigger = case_services.trigger_add(
        acting_user=user,
        case=case,
        kind=payload.kind,
        occurs_on=payload.occurs_on,
        description=payload.description,
    )
    return Status(
        201,
        {
            "id": trigger.pk,
            "kind": trigger.kind,
            "occurs_on": trigger.occurs_on,
            "description": trigger.description,
            "recorded_at": trigger.recorded_at,
        },
    )


@router.get(
    "/{case_id}/timeline",
    response={200: TimelineOut, **READ},
    summary="The case timeline, newest first, in bokmål, nynorsk or English",
)
def case_timeline(
    request: HttpRequest,
    case_id: CaseId,
    lang: QueryEx[Literal["nb", "nn", "en"], P(description="the language of the lines")] = "nb",
) -> dict[str, Any]:
    """The lines of the case page's timeline in ``lang`` (the kinds Vern knows are written
    again in that language; older lines stay as they were written). Also on a closed case;
    writes one ``api_read`` audit event."""
    user, case = case_step(request, case_id, query=("lang",))
    with translation.override(lang):
        lines = timeline_lines(case_selectors.case_timeline(case=case))
        items = [
            {
                "id": line.event.pk,
                "at": line.event.at,
                "kind": line.event.kind,
                "text": str(line.text),
                "actor_id": line.event.actor_id,
            }
            for line in lines
        ]
    api_read(request, user, object_type="case", object_id=case.pk)
    return {"case_id": case.pk, "lang": lang, "items": items}
