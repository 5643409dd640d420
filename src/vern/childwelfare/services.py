"""Writes for the duty to notify the child welfare service (B1).

krisesenterlova § 6 with barnevernsloven § 13-2: when there is reason to believe that an
accompanying child is mistreated, seriously neglected or in another situation of § 13-2, staff
shall tell the child welfare service (barnevernstjenesten). The duty applies regardless of the
user's consent and of the centre's duty of confidentiality: no function here asks for or checks
a consent. Every write records its timeline line and audit event in the same transaction
(``case_change``); the audit details hold codes and counts only, never the free text.

A concern is never deleted. One registered in error is resolved with a reason; a concern that
triggered the duty is closed by recording the notification that fulfilled it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.cases.models import Case, CaseChild
from vern.cases.services import case_change, ensure_open, ensure_same_centre
from vern.childwelfare.models import (
    Channel,
    ChildWelfareConcern,
    ChildWelfareNotification,
    ConcernGround,
    ConcernResolution,
    SharedCategory,
    UserTold,
)
from vern.core import clock
from vern.core.forms import check_day, too_long

CONCERN_OBJECT_TYPE = "child_welfare_concern"
NOTIFICATION_OBJECT_TYPE = "child_welfare_notification"
MAX_REASON_LENGTH = 2000
MAX_SERVICE_LENGTH = 200
MAX_SUMMARY_LENGTH = 2000
MAX_HOW_LENGTH = 200
MAX_NOTE_LENGTH = 1000

DUTY_REGARDLESS_OF_CONSENT = (
    "Opplysningsplikten til barnevernet gjelder uavhengig av samtykke og taushetsplikt (B1)."
)


def _text(errors: dict[str, str], field: str, value: str, limit: int, missing: str | None) -> str:
    value = value.strip()
    if not value and missing is not None:
        errors[field] = missing
    elif message := too_long(value, limit):
        errors[field] = message
    return value


def _day(errors: dict[str, str], field: str, value: dt.date | None, missing: str) -> None:
    if value is None:
        errors[field] = missing
        return
    try:
        check_day(value)
    except ValidationError as exc:
        errors[field] = " ".join(exc.messages)
        return
    if value > clock.today():
        errors[field] = _("Datoen kan ikke være fram i tid.")


@transaction.atomic
def concern_record(
    *,
    acting_user: User,
    case: Case,
    child: CaseChild,
    grounds: Sequence[str],
    reason: str,
) -> ChildWelfareConcern:
    """Record reason to believe that ``child`` is in a situation of § 13-2 (B1).

    From now until a notification is recorded (or the concern is resolved as registered in
    error), the case page warns that the duty to notify is not fulfilled."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if child.case_id != case.pk or child.centre_id != case.centre_id:
        raise ValidationError({"child": _("Barnet hører ikke til denne saken.")})
    if child.is_removed:
        raise ValidationError({"child": _("Barnet er markert som feilregistrert.")})
    errors: dict[str, str] = {}
    codes = list(dict.fromkeys(grounds))
    if not codes:
        errors["grounds"] = _("Velg minst ett grunnlag fra barnevernsloven § 13-2.")
    elif any(code not in ConcernGround.values for code in codes):
        errors["grounds"] = _("Velg grunnlag fra listen.")
    reason = _text(
        errors,
        "reason",
        reason,
        MAX_REASON_LENGTH,
        _("Skriv kort hvorfor det er grunn til å tro dette."),
    )
    if errors:
        raise ValidationError(errors)
    concern = ChildWelfareConcern.objects.create(
        centre_id=case.centre_id,
        case=case,
        child=child,
        grounds=[code for code in ConcernGround.values if code in codes],
        reason=reason,
        recorded_by=acting_user,
        recorded_at=clock.now(),
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=concern,
        kind="child_welfare_concern",
        summary=_("Bekymring for %(child)s registrert: opplysningsplikt til barnevernet")
        % {"child": child.label},
        action=AuditAction.CHILD_WELFARE_CONCERN_RECORDED,
        object_type=CONCERN_OBJECT_TYPE,
        details={"step": "recorded", "child_id": child.pk, "grounds": len(concern.grounds)},
    )
    return concern


@transaction.atomic
def concern_resolve(
    *, acting_user: User, concern: ChildWelfareConcern, reason: str, note: str = ""
) -> ChildWelfareConcern:
    """Close a concern without a notification, with a reason (for example registered in error).

    The concern stays in the case (never deleted), marked resolved."""
    case = concern.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if not concern.is_pending:
        raise ValidationError(_("Bekymringen er allerede avsluttet eller meldt."))
    errors: dict[str, str] = {}
    if reason not in ConcernResolution.values:
        errors["reason"] = _("Velg hvorfor bekymringen avsluttes uten melding.")
    note = _text(
        errors,
        "note",
        note,
        MAX_NOTE_LENGTH,
        _("Forklar hvorfor bekymringen avsluttes uten melding.")
        if reason == ConcernResolution.OTHER
        else None,
    )
    if errors:
        raise ValidationError(errors)
    concern.resolved_at = clock.now()
    concern.resolved_by = acting_user
    concern.resolution_reason = reason
    concern.resolution_note = note
    concern.save(
        update_fields=["resolved_at", "resolved_by", "resolution_reason", "resolution_note"]
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=concern,
        kind="child_welfare_concern_resolved",
        summary=_("Bekymring for %(child)s avsluttet uten melding til barnevernet")
        % {"child": concern.child.label},
        action=AuditAction.CHILD_WELFARE_CONCERN_RECORDED,
        object_type=CONCERN_OBJECT_TYPE,
        details={"step": "resolved", "child_id": concern.child_id, "resolution": reason},
    )
    return concern


@transaction.atomic
def notification_record(
    *,
    acting_user: User,
    case: Case,
    concerns: Sequence[ChildWelfareConcern],
    sent_on: dt.date | None,
    service: str,
    channel: str,
    shared_categories: Sequence[str],
    shared_summary: str,
    sent_by: User | None,
    user_told: str,
    user_told_on: dt.date | None = None,
    user_told_how: str = "",
    user_not_told_reason: str = "",
) -> ChildWelfareNotification:
    """Record the notification to the child welfare service that fulfils the duty (B1).

    No consent is asked for or checked: the duty applies regardless of consent. The
    notification covers one or more pending concerns of the case."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    errors: dict[str, str] = {}
    chosen = list({c.pk: c for c in concerns}.values())
    if not chosen:
        errors["concerns"] = _("Velg hvilke bekymringer meldingen gjelder.")
    elif any(c.case_id != case.pk for c in chosen):
        errors["concerns"] = _("En av bekymringene hører ikke til denne saken.")
    elif any(not c.is_pending for c in chosen):
        errors["concerns"] = _("En av bekymringene er allerede meldt eller avsluttet.")
    _day(errors, "sent_on", sent_on, _("Skriv inn datoen meldingen ble sendt."))
    service = _text(
        errors,
        "service",
        service,
        MAX_SERVICE_LENGTH,
        _("Skriv hvilken barnevernstjeneste (kommune eller bydel) som fikk meldingen."),
    )
    if channel not in Channel.values:
        errors["channel"] = _("Velg hvordan meldingen ble gitt.")
    categories = list(dict.fromkeys(shared_categories))
    if any(code not in SharedCategory.values for code in categories):
        errors["shared_categories"] = _("Velg opplysninger fra listen.")
    shared_summary = _text(errors, "shared_summary", shared_summary, MAX_SUMMARY_LENGTH, None)
    if not categories and not shared_summary and "shared_summary" not in errors:
        errors["shared_categories"] = _(
            "Velg hva som ble delt, eller skriv det kort i feltet under."
        )
    if sent_by is None:
        errors["sent_by"] = _("Velg hvem som sendte meldingen.")
    elif sent_by.centre_id != case.centre_id or not sent_by.works_with_cases:
        errors["sent_by"] = _("Velg en ansatt ved senteret.")
    user_told_on, user_told_how, user_not_told_reason = _user_told(
        errors,
        user_told=user_told,
        user_told_on=user_told_on,
        user_told_how=user_told_how,
        user_not_told_reason=user_not_told_reason,
    )
    if errors:
        raise ValidationError(errors)
    assert sent_by is not None  # noqa: S101 (checked above)
    assert sent_on is not None  # noqa: S101
    notification = ChildWelfareNotification.objects.create(
        centre_id=case.centre_id,
        case=case,
        sent_on=sent_on,
        service=service,
        channel=channel,
        shared_categories=[code for code in SharedCategory.values if code in categories],
        shared_summary=shared_summary,
        sent_by=sent_by,
        user_told=user_told,
        user_told_on=user_told_on,
        user_told_how=user_told_how,
        user_not_told_reason=user_not_told_reason,
        recorded_by=acting_user,
    )
    ChildWelfareConcern.objects.filter(pk__in=[c.pk for c in chosen]).update(
        notification=notification
    )
    for concern in chosen:
        concern.notification = notification
    case_change(
        case=case,
        actor=acting_user,
        obj=notification,
        kind="child_welfare_notified",
        summary=_("Melding til barnevernet registrert (sendt %(day)s)")
        % {"day": sent_on.strftime("%d.%m.%Y")},
        action=AuditAction.CHILD_WELFARE_NOTIFIED,
        object_type=NOTIFICATION_OBJECT_TYPE,
        details={
            "concerns": len(chosen),
            "channel": channel,
            "categories": len(notification.shared_categories),
            "user_told": user_told == UserTold.YES,
            "sent_by_id": sent_by.pk,
        },
    )
    return notification


def _user_told(
    errors: dict[str, str],
    *,
    user_told: str,
    user_told_on: dt.date | None,
    user_told_how: str,
    user_not_told_reason: str,
) -> tuple[dt.date | None, str, str]:
    """Whether the user was told of the notification: when and how, or why not (B1)."""
    user_told_how = user_told_how.strip()
    user_not_told_reason = user_not_told_reason.strip()
    if user_told == UserTold.YES:
        _day(errors, "user_told_on", user_told_on, _("Skriv inn når brukeren ble fortalt."))
        user_told_how = _text(
            errors,
            "user_told_how",
            user_told_how,
            MAX_HOW_LENGTH,
            _("Skriv kort hvordan brukeren ble fortalt (for eksempel i en samtale)."),
        )
        user_not_told_reason = ""
    elif user_told == UserTold.NO:
        user_not_told_reason = _text(
            errors,
            "user_not_told_reason",
            user_not_told_reason,
            MAX_NOTE_LENGTH,
            _("Skriv hvorfor brukeren ikke er fortalt om meldingen."),
        )
        user_told_on, user_told_how = None, ""
    else:
        errors["user_told"] = _("Velg om brukeren er fortalt om meldingen.")
    return user_told_on, user_told_how, user_not_told_reason
