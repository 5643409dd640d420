"""Deviations and the leader's review over the API (G9, G11, L1, L2): open a deviation by
hand, list a case's deviations, the leader closes one with a comment, the leader marks a
contact without consent as reviewed, and what a done contact's record lacks is added
afterwards (that the user was told, the reprisal-risk check).

The operations call the services the web pages call (``vern.police.services``): the same
checks, audit events and timeline lines. Closing a deviation and reviewing a contact are the
leader's (``leder`` of the centre; anyone else: 403), and allowed on a closed case too: review
of what happened is oversight, not a change of the case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from vern.accounts.models import User
from vern.api import schemas as s
from vern.api.common import (
    READ,
    WRITE,
    CaseId,
    ObjectId,
    api_read,
    case_for,
    case_step,
    case_worker,
    ensure_open,
    query_only,
    require_fresh_code,
)
from vern.api.contacts import contact_out
from vern.api.errors import ApiError
from vern.cases.models import Case
from vern.core.forms import check_day
from vern.police import selectors as police_selectors
from vern.police import services as police_services
from vern.police.ground import LONG_TEXT
from vern.police.models import (
    ContactStatus,
    Deviation,
    Justification,
    ManualDeviationReason,
    PoliceContact,
)

# --------------------------------------------------------------------------- shapes


class DeviationIn(s.Input):
    """A deviation opened by hand (kind ``other``): the leader reviews it."""

    reason: ManualDeviationReason
    description: str = Field(
        default="", max_length=LONG_TEXT, description="What happened, short and factual."
    )


class DeviationCloseIn(s.Input):
    """The leader closes a deviation with a comment (what was done, what prevents it again).
    ``justification`` only for a contact without a valid ground (422 otherwise): an
    exceptional justification weighed after the fact, never a ground to plan on."""

    comment: str = Field(min_length=1, max_length=LONG_TEXT, pattern=s.NOT_BLANK)
    justification: Justification = Justification.NONE


class ContactReviewIn(s.Input):
    note: str = Field(
        default="",
        max_length=LONG_TEXT,
        description="Optional, for example what was followed up with the staff member.",
    )


class UserToldIn(s.Input):
    """L1, L2: when and how the user was told of a done contact without consent."""

    user_told_at: s.IsoDateTime = Field(
        description="Not in the future; within the plausible range (from 2018-03-08)."
    )
    user_told_how: str = Field(min_length=1, max_length=LONG_TEXT, pattern=s.NOT_BLANK)


class DeviationOut(Schema):
    id: int
    case_id: int
    kind: str
    reasons: list[str]
    description: str
    police_contact_id: int | None
    opened_at: dt.datetime
    opened_by_id: int
    closed_at: dt.datetime | None
    closed_by_id: int | None
    leader_comment: str
    justification: str


class DeviationList(Schema):
    count: int
    items: list[DeviationOut]


class ReviewedContactOut(s.PoliceContactOut):
    leader_reviewed_at: dt.datetime | None = None
    leader_reviewed_by_id: int | None = None
    reprisal_check_missing: bool = False
    user_told_missing: bool = False


# --------------------------------------------------------------------------- helpers


def deviation_out(deviation: Deviation) -> dict[str, Any]:
    return {
        "id": deviation.pk,
        "case_id": deviation.case_id,
        "kind": deviation.kind,
        "reasons": [str(r) for r in deviation.reasons],
        "description": deviation.description,
        "police_contact_id": deviation.police_contact_id,
        "opened_at": deviation.opened_at,
        "opened_by_id": deviation.opened_by_id,
        "closed_at": deviation.closed_at,
        "closed_by_id": deviation.closed_by_id,
        "leader_comment": deviation.leader_comment,
        "justification": deviation.justification,
    }


def _contact_result(contact: PoliceContact) -> dict[str, Any]:
    return {
        **contact_out(contact),
        "leader_reviewed_at": contact.leader_reviewed_at,
        "leader_reviewed_by_id": contact.leader_reviewed_by_id,
        "reprisal_check_missing": police_services.reprisal_check_missing(contact),
        "user_told_missing": police_services.user_told_missing(contact),
    }


def _leader(user: User) -> None:
    """A leader of the centre (ansatt: 403), as on the leader's pages. Checked after the ids
    are found in the caller's centre: another centre's ids are 404 for every role."""
    police_services.require_leader(user)


def _contact(user: User, case_id: int, contact_id: int) -> PoliceContact:
    case = case_for(user, case_id)
    return police_selectors.contact_get(user=user, case=case, pk=contact_id)


def _done_and_open(contact: PoliceContact, case: Case, *, missing: bool) -> None:
    ensure_open(case)
    if contact.status != ContactStatus.DONE or not missing:
        raise ApiError(
            409,
            "nothing_to_add",
            "Only a done contact whose record lacks it takes this (it is recorded already, "
            "or not needed; a plan is corrected with PUT).",
            None,
        )


# --------------------------------------------------------------------------- operations

deviations = Router(tags=["deviations and review"])
BASE = "/{case_id}/deviations"
CONTACT = "/{case_id}/police-contacts/{contact_id}"


@deviations.post(
    BASE,
    response={201: DeviationOut, **WRITE},
    summary="Open a deviation on a case by hand; the leader reviews it",
    url_name="deviations",
)
def deviation_create(
    request: HttpRequest, case_id: CaseId, payload: DeviationIn
) -> Status[dict[str, Any]]:
    user, case = case_step(request, case_id, open_case=True)
    deviation = police_services.deviation_open(
        acting_user=user, case=case, reasons=[payload.reason], description=payload.description
    )
    return Status(201, deviation_out(deviation))


@deviations.get(
    BASE,
    response={200: DeviationList, **READ},
    summary="The case's deviations, open and closed, newest first",
    url_name="deviations",
)
def deviation_list(request: HttpRequest, case_id: CaseId) -> dict[str, Any]:
    """Also on a closed case; writes one ``api_read`` audit event."""
    user, case = case_step(request, case_id)
    items = [deviation_out(d) for d in Deviation.objects.filter(case=case)]
    api_read(request, user, object_type="case", object_id=case.pk)
    return {"count": len(items), "items": items}


@deviations.post(
    BASE + "/{deviation_id}/close",
    response={200: DeviationOut, **WRITE},
    summary="The leader closes a deviation with a comment (leaders only)",
)
def deviation_close(
    request: HttpRequest, case_id: CaseId, deviation_id: ObjectId, payload: DeviationCloseIn
) -> dict[str, Any]:
    """An ansatt: 403. Closed already: 409 ``deviation_closed``. Allowed on a closed case."""
    user, case = case_step(request, case_id)
    deviation = police_selectors.deviation_get(user=user, pk=deviation_id)
    if deviation.case_id != case.pk:
        raise ApiError(404, "not_found", "Not found.")
    _leader(user)
    if not deviation.is_open:
        raise ApiError(409, "deviation_closed", "The deviation is closed already.", None)
    police_services.deviation_close(
        acting_user=user,
        deviation=deviation,
        comment=payload.comment,
        justification=payload.justification,
    )
    return deviation_out(deviation)


@deviations.post(
    CONTACT + "/review",
    response={200: ReviewedContactOut, **WRITE},
    summary="The leader marks a contact without consent as reviewed (G11, L1, L2; leaders only)",
)
def police_contact_review(
    request: HttpRequest, case_id: CaseId, contact_id: ObjectId, payload: ContactReviewIn
) -> dict[str, Any]:
    """Only a contact on the duty to avert or the danger ground (422 otherwise). An ansatt:
    403. Reviewed already: 409 ``already_reviewed``. Allowed on a closed case."""
    query_only(request)
    user = case_worker(request)
    contact = _contact(user, case_id, contact_id)
    _leader(user)
    if contact.leader_reviewed_at is not None:
        raise ApiError(409, "already_reviewed", "The contact is marked as reviewed already.")
    police_services.police_contact_review(acting_user=user, contact=contact, note=payload.note)
    return _contact_result(contact)


@deviations.post(
    CONTACT + "/user-told",
    response={200: ReviewedContactOut, **WRITE},
    summary="Record afterwards when and how the user was told of a contact without consent",
)
def police_contact_user_told(
    request: HttpRequest, case_id: CaseId, contact_id: ObjectId, payload: UserToldIn
) -> dict[str, Any]:
    """L1, L2, on a done contact without consent that lacks it; otherwise 409
    ``nothing_to_add``. The ground is not judged again. A fresh one-time code in
    ``X-Vern-OTP`` is needed (403 ``step_up_required``), as the web page needs step-up."""
    query_only(request)
    user = case_worker(request)
    contact = _contact(user, case_id, contact_id)
    _done_and_open(contact, contact.case, missing=police_services.user_told_missing(contact))
    require_fresh_code(request, user)
    try:
        check_day(timezone.localtime(payload.user_told_at).date())
    except ValidationError as exc:
        raise ValidationError({"user_told_at": exc.messages}) from None
    police_services.police_contact_user_told_add(
        acting_user=user,
        contact=contact,
        user_told_at=payload.user_told_at,
        user_told_how=payload.user_told_how,
    )
    return _contact_result(contact)


@deviations.post(
    CONTACT + "/reprisal-check",
    response={200: ReviewedContactOut, **WRITE},
    summary="Record afterwards the reprisal-risk check a done contact lacks (G9, G11)",
)
def police_contact_reprisal_check(
    request: HttpRequest, case_id: CaseId, contact_id: ObjectId, payload: s.ReprisalCheckIn
) -> dict[str, Any]:
    """Every part is required now (routes, risk, protections; 422 naming the part): there is
    no urgency any more. Only a missing check is added (409 ``nothing_to_add`` otherwise); the
    moment it was added is kept with it. A fresh one-time code in ``X-Vern-OTP`` is needed
    (403 ``step_up_required``), as the web page needs step-up."""
    query_only(request)
    user = case_worker(request)
    contact = _contact(user, case_id, contact_id)
    _done_and_open(contact, contact.case, missing=police_services.reprisal_check_missing(contact))
    require_fresh_code(request, user)
    police_services.police_contact_reprisal_check_add(
        acting_user=user, contact=contact, reprisal_check=payload.model_dump(mode="json")
    )
    return _contact_result(contact)
