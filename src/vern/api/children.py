"""Accompanying children over the API (K1, B1): register a child, mark one registered in
error, list them, and the duty to notify the child welfare service (a concern for a child,
a concern resolved without a notification, the notification that fulfils the duty).

The operations call the services the web pages call (``vern.cases.services.child_add`` and
``child_remove``, ``vern.childwelfare.services``): the same checks, the same audit events and
timeline lines. A child is never deleted: one registered in error is marked removed, with a
reason, and stays in the list. The duty to notify applies regardless of the user's consent
(B1): no operation here asks for one.

A child's label is shown in lists and the audit log, so, as on the web page, a fødselsnummer or
D-number in it is refused (422 ``label``), and a label that looks like a full name is refused
unless ``confirm_not_a_name`` says it is not one.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from annotated_types import Ge, Le
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field, StrictBool, StrictInt

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
)
from vern.api.errors import ApiError
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild, ChildRemovalReason
from vern.childwelfare import selectors as childwelfare_selectors
from vern.childwelfare import services as childwelfare_services
from vern.childwelfare.models import (
    Channel,
    ChildWelfareConcern,
    ChildWelfareNotification,
    ConcernGround,
    ConcernResolution,
    SharedCategory,
    UserTold,
)
from vern.core.forms import FULL_NAME_WARNING, national_id_error
from vern.core.identifiers import looks_like_full_name

LABEL_MAX = CaseChild._meta.get_field("label").max_length or 40
# A year as JSON Schema states it (the service checks the real range, which moves each year).
BirthYear = Annotated[StrictInt, Ge(1), Le(9999)]


class NotificationChannel(StrEnum):
    """The child welfare ``Channel`` under its own name: the OpenAPI document names its
    schemas by class, and the police contact's ``Channel`` has other values."""

    PHONE = "phone"
    LETTER = "letter"
    DIGITAL = "digital"
    MEETING = "meeting"


assert {str(c) for c in NotificationChannel} == set(Channel.values)  # noqa: S101

# --------------------------------------------------------------------------- shapes


class ChildIn(s.Input):
    """An accompanying child (K1: each child gets their own mapping). The label is unique
    among the children in the stay (case-insensitive, 422 ``label``)."""

    label: str = Field(
        min_length=1,
        max_length=LABEL_MAX,
        pattern=s.NOT_BLANK,
        description=(
            "For example «Barn 1»; never a full name or a fødselsnummer (422 label). A label "
            "that looks like a full name (two capitalised words) needs confirm_not_a_name."
        ),
    )
    birth_year: BirthYear | None = Field(
        default=None,
        description="Optional; not in the future and not more than 18 years back (422).",
    )
    confirm_not_a_name: StrictBool = Field(
        default=False,
        description="The label is not the name of a person (as the web form's checkbox).",
    )


class ChildRemoveIn(s.Input):
    """Mark a child registered in error (never deleted). A child with a risk mapping needs
    ``confirm_mapped``: the mapping stays in the case, attached to a removed child (422
    ``confirm_mapped`` otherwise)."""

    reason: ChildRemovalReason
    note: str = Field(
        default="",
        max_length=case_services.MAX_NOTE_LENGTH,
        description="Optional; never the child's name (a fødselsnummer is refused, 422 note).",
    )
    confirm_mapped: StrictBool = False


class ConcernIn(s.Input):
    """Reason to believe that the child is in a situation of barnevernsloven § 13-2 (B1)."""

    grounds: list[ConcernGround] = Field(min_length=1, max_length=len(ConcernGround.values))
    reason: str = Field(
        min_length=1,
        max_length=childwelfare_services.MAX_REASON_LENGTH,
        pattern=s.NOT_BLANK,
        description="Why there is reason to believe this: what staff saw or heard.",
    )


class ConcernResolveIn(s.Input):
    """Close a concern without a notification (it stays in the case). ``note`` is required
    when ``reason`` is ``other`` (422 ``note``)."""

    reason: ConcernResolution
    note: str = Field(default="", max_length=childwelfare_services.MAX_NOTE_LENGTH)


class NotificationIn(s.Input):
    """The notification to the child welfare service that fulfils the duty (B1); no consent is
    asked for. Rules the service checks (422 naming the field): ``sent_on`` not in the future
    and in the plausible range; ``shared_categories`` or ``shared_summary`` says what was
    shared; with ``user_told`` ``yes``, ``user_told_on`` and ``user_told_how`` are required,
    with ``no``, ``user_not_told_reason``."""

    concern_ids: list[s.Id] | None = Field(
        default=None,
        max_length=100,
        description=(
            "The pending concerns of the case the notification covers (also another child's "
            "of the same case: one notification may cover siblings). Default: the pending "
            "concerns of this child. An id that is not a concern of the case: 404."
        ),
    )
    sent_on: s.IsoDate
    service: str = Field(
        min_length=1,
        max_length=childwelfare_services.MAX_SERVICE_LENGTH,
        pattern=s.NOT_BLANK,
        description="Which child welfare service (municipality or district) got it.",
    )
    channel: NotificationChannel
    shared_categories: list[SharedCategory] = Field(
        default_factory=list, max_length=len(SharedCategory.values)
    )
    shared_summary: str = Field(default="", max_length=childwelfare_services.MAX_SUMMARY_LENGTH)
    sent_by_id: s.Id | None = Field(
        default=None,
        description="Who sent it: staff of the centre (default: the token's owner; 422).",
    )
    user_told: UserTold
    user_told_on: s.IsoDate | None = None
    user_told_how: str = Field(default="", max_length=childwelfare_services.MAX_HOW_LENGTH)
    user_not_told_reason: str = Field(default="", max_length=childwelfare_services.MAX_NOTE_LENGTH)


class ConcernOut(Schema):
    id: int
    child_id: int
    grounds: list[str]
    reason: str
    recorded_at: dt.datetime
    # No notification and not resolved: the duty to notify is not yet fulfilled.
    pending: bool
    notification_id: int | None
    resolved_at: dt.datetime | None
    resolution_reason: str
    resolution_note: str


class ChildOut(Schema):
    id: int
    label: str
    birth_year: int | None
    created_at: dt.datetime
    # Marked as registered in error (never deleted); such a child is not in the stay.
    removed_at: dt.datetime | None
    removal_reason: str
    removal_note: str
    concerns: list[ConcernOut]


class NotificationOut(Schema):
    id: int
    concern_ids: list[int]
    sent_on: dt.date
    service: str
    channel: str
    shared_categories: list[str]
    shared_summary: str
    sent_by_id: int
    user_told: str
    user_told_on: dt.date | None
    user_told_how: str
    user_not_told_reason: str
    recorded_at: dt.datetime


class ChildrenOut(Schema):
    case_id: int
    count: int
    items: list[ChildOut]
    notifications: list[NotificationOut]


# --------------------------------------------------------------------------- helpers


def concern_out(concern: ChildWelfareConcern) -> dict[str, Any]:
    return {
        "id": concern.pk,
        "child_id": concern.child_id,
        "grounds": list(concern.grounds),
        "reason": concern.reason,
        "recorded_at": concern.recorded_at,
        "pending": concern.is_pending,
        "notification_id": concern.notification_id,
        "resolved_at": concern.resolved_at,
        "resolution_reason": concern.resolution_reason,
        "resolution_note": concern.resolution_note,
    }


def child_out(child: CaseChild, concerns: list[ChildWelfareConcern]) -> dict[str, Any]:
    return {
        "id": child.pk,
        "label": child.label,
        "birth_year": child.birth_year,
        "created_at": child.created_at,
        "removed_at": child.removed_at,
        "removal_reason": child.removal_reason,
        "removal_note": child.removal_note,
        "concerns": [concern_out(c) for c in concerns if c.child_id == child.pk],
    }


def notification_out(notification: ChildWelfareNotification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "concern_ids": sorted(c.pk for c in notification.concerns.all()),
        "sent_on": notification.sent_on,
        "service": notification.service,
        "channel": notification.channel,
        "shared_categories": list(notification.shared_categories),
        "shared_summary": notification.shared_summary,
        "sent_by_id": notification.sent_by_id,
        "user_told": notification.user_told,
        "user_told_on": notification.user_told_on,
        "user_told_how": notification.user_told_how,
        "user_not_told_reason": notification.user_not_told_reason,
        "recorded_at": notification.recorded_at,
    }


def _child(user: User, case: Case, child_id: int) -> CaseChild:
    """A child of the case in the caller's centre, also one marked removed (another centre's
    or another case's id: 404)."""
    return CaseChild.objects.get_for_user_or_404(user, pk=child_id, case_id=case.pk)


def _in_stay(child: CaseChild) -> None:
    if child.is_removed:
        raise ApiError(
            409, "child_removed", "The child is marked as registered in error.", "child_id"
        )


def _first_steps(request: HttpRequest, case_id: int, child_id: int) -> tuple[User, Case, CaseChild]:
    user, case = case_step(request, case_id)
    child = _child(user, case, child_id)
    ensure_open(case)
    return user, case, child


def _check_label(payload: ChildIn) -> None:
    """The web form's identifier rules (vern.core.forms.IdentifierFieldsMixin)."""
    label = payload.label.strip()
    if (refused := national_id_error("Betegnelse", label)) is not None:
        raise ValidationError({"label": refused})
    if looks_like_full_name(label) and not payload.confirm_not_a_name:
        raise ValidationError({"label": str(FULL_NAME_WARNING % {"field": "Betegnelse"})})


# --------------------------------------------------------------------------- operations

children = Router(tags=["children"])
BASE = "/{case_id}/children"
ONE = BASE + "/{child_id}"


@children.post(
    BASE,
    response={201: ChildOut, **WRITE},
    summary="Register an accompanying child (K1: each child gets their own mapping)",
    url_name="children",
)
def child_add(request: HttpRequest, case_id: CaseId, payload: ChildIn) -> Status[dict[str, Any]]:
    user, case = case_step(request, case_id, open_case=True)
    _check_label(payload)
    child = case_services.child_add(
        acting_user=user, case=case, label=payload.label, birth_year=payload.birth_year
    )
    return Status(201, child_out(child, []))


@children.get(
    BASE,
    response={200: ChildrenOut, **READ},
    summary="The case's children (also those marked removed), their concerns, the notifications",
    url_name="children",
)
def child_list(request: HttpRequest, case_id: CaseId) -> dict[str, Any]:
    """Also on a closed case; writes one ``api_read`` audit event."""
    user, case = case_step(request, case_id)
    concerns = list(childwelfare_selectors.concerns_for_case(case))
    items = [child_out(child, concerns) for child in CaseChild.objects.filter(case=case)]
    notifications = [
        notification_out(n) for n in childwelfare_selectors.notifications_for_case(case)
    ]
    api_read(request, user, object_type="case", object_id=case.pk)
    return {
        "case_id": case.pk,
        "count": len(items),
        "items": items,
        "notifications": notifications,
    }


@children.post(
    ONE + "/remove",
    response={200: ChildOut, **WRITE},
    summary="Mark a child as registered in error (kept, never deleted)",
)
def child_remove(
    request: HttpRequest, case_id: CaseId, child_id: ObjectId, payload: ChildRemoveIn
) -> dict[str, Any]:
    """The child leaves the stay (K1 asks no mapping of them); what was saved is kept. Marked
    already: 409 ``child_removed``."""
    user, case, child = _first_steps(request, case_id, child_id)
    _in_stay(child)
    if (refused := national_id_error("Merknad", payload.note)) is not None:
        raise ValidationError({"note": refused})
    case_services.child_remove(
        acting_user=user,
        case=case,
        child=child,
        reason=payload.reason,
        note=payload.note,
        confirm_mapped=payload.confirm_mapped,
    )
    concerns = list(childwelfare_selectors.concerns_for_case(case))
    return child_out(child, concerns)


@children.post(
    ONE + "/concerns",
    response={201: ConcernOut, **WRITE},
    summary="Record a concern for the child: the duty to notify the child welfare service (B1)",
)
def child_concern_create(
    request: HttpRequest, case_id: CaseId, child_id: ObjectId, payload: ConcernIn
) -> Status[dict[str, Any]]:
    """Until a notification is recorded (or the concern is resolved), the case's state lists
    the child under ``children_with_pending_concerns``. The duty applies regardless of consent
    and of the duty of confidentiality. A child marked removed: 409 ``child_removed``."""
    user, case, child = _first_steps(request, case_id, child_id)
    _in_stay(child)
    concern = childwelfare_services.concern_record(
        acting_user=user,
        case=case,
        child=child,
        grounds=[str(g) for g in payload.grounds],
        reason=payload.reason,
    )
    return Status(201, concern_out(concern))


@children.post(
    ONE + "/concerns/{concern_id}/resolve",
    response={200: ConcernOut, **WRITE},
    summary="Close a concern without a notification, with the reason (kept, never deleted)",
)
def child_concern_resolve(
    request: HttpRequest,
    case_id: CaseId,
    child_id: ObjectId,
    concern_id: ObjectId,
    payload: ConcernResolveIn,
) -> dict[str, Any]:
    """A concern notified or resolved already: 409 ``concern_not_pending``."""
    user, case, child = _first_steps(request, case_id, child_id)
    concern = childwelfare_selectors.concern_get(user=user, case=case, pk=concern_id)
    if concern.child_id != child.pk:
        raise ApiError(404, "not_found", "Not found.")
    if not concern.is_pending:
        raise ApiError(
            409, "concern_not_pending", "The concern is notified or resolved already.", None
        )
    childwelfare_services.concern_resolve(
        acting_user=user, concern=concern, reason=payload.reason, note=payload.note
    )
    return concern_out(concern)


@children.post(
    ONE + "/notifications",
    response={201: NotificationOut, **WRITE},
    summary="Record the notification to the child welfare service that fulfils the duty (B1)",
)
def child_notification_create(
    request: HttpRequest, case_id: CaseId, child_id: ObjectId, payload: NotificationIn
) -> Status[dict[str, Any]]:
    """Covers ``concern_ids`` (default: this child's pending concerns; none: 409
    ``no_pending_concern``). A concern notified or resolved already: 422 ``concerns``."""
    user, case, child = _first_steps(request, case_id, child_id)
    if payload.concern_ids is None:
        chosen = list(childwelfare_selectors.pending_concerns(case).filter(child=child))
        if not chosen:
            raise ApiError(
                409,
                "no_pending_concern",
                "The child has no concern without a notification: record a concern first.",
                "concern_ids",
            )
    else:
        chosen = [
            childwelfare_selectors.concern_get(user=user, case=case, pk=pk)
            for pk in dict.fromkeys(payload.concern_ids)
        ]
    sent_by = (
        User.objects.filter(pk=payload.sent_by_id, centre_id=case.centre_id).first()
        if payload.sent_by_id is not None
        else user
    )
    notification = childwelfare_services.notification_record(
        acting_user=user,
        case=case,
        concerns=chosen,
        sent_on=payload.sent_on,
        service=payload.service,
        channel=str(payload.channel),
        shared_categories=[str(c) for c in payload.shared_categories],
        shared_summary=payload.shared_summary,
        sent_by=sent_by,
        user_told=payload.user_told,
        user_told_on=payload.user_told_on,
        user_told_how=payload.user_told_how,
        user_not_told_reason=payload.user_not_told_reason,
    )
    return Status(201, notification_out(notification))
