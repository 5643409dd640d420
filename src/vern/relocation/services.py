"""Writes for relocation to another crisis centre (G14, R1-R3).

When the centre is not safe enough, the user is offered a move and the police *shall* be
involved (forskrift om fysisk sikkerhet i krisesentertilbudet § 4 c, G14). The rules enforced
here, not only in forms:

- R1: the new centre is chosen with the user and the police (recorded as two checklist items);
  the user's choice can be recorded after planning, and a move is not completed without it;
- G14/R2: police at the current location AND at the destination must be recorded as involved
  *before* the move; a relocation cannot be completed otherwise;
- R3: the mapping goes to the new centre only with a valid consent that covers it; otherwise
  the police brief each other (or nothing is handed over);
- G8: planning a move is an event that calls for a new assessment (a planned_move trigger).

The destination is sensitive: it never goes into the timeline, the audit details, lists,
page titles or URLs. Every write records its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case, TriggerKind
from vern.cases.services import case_change, ensure_open, ensure_same_centre, trigger_add
from vern.centres.models import PoliceDistrict
from vern.consent import selectors as consent_selectors
from vern.consent.models import Consent
from vern.core import clock
from vern.relocation.models import Handover, Relocation, RelocationStatus

OBJECT_TYPE = "relocation"
MAX_REASON_LENGTH = 2000


def _ensure_writable(relocation: Relocation, acting_user: User) -> None:
    ensure_same_centre(relocation.case, acting_user)
    ensure_open(relocation.case)
    if relocation.status != RelocationStatus.PLANNED:
        raise ValidationError(
            _("Flyttingen er allerede %(status)s og kan ikke endres.")
            % {"status": relocation.get_status_display().lower()}
        )


def _not_in_future(value: dt.datetime, field: str, label: str) -> None:
    if value > clock.now():
        raise ValidationError({field: _("%(label)s kan ikke være fram i tid.") % {"label": label}})


def valid_handover_consent(*, case: Case, at: dt.datetime) -> Consent | None:
    """The consent that lets the mapping follow the user to the new centre (R3), if any."""
    return consent_selectors.valid_handover_consent(case=case, at=at)


@transaction.atomic
def relocation_plan(
    *,
    acting_user: User,
    case: Case,
    reason: str,
    destination_name: str,
    destination_police_district: str,
    chosen_with_user: bool,
    chosen_with_police: bool,
    planned_on: dt.date | None,
) -> Relocation:
    """Record a planned move (G14, R1) and the planned_move trigger for reassessment (G8)."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    errors: dict[str, str] = {}
    reason = reason.strip()
    destination_name = destination_name.strip()
    if not reason:
        errors["reason"] = _("Skriv hvorfor senteret ikke er trygt nok for brukeren.")
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = _("Begrunnelsen kan ha høyst %(n)s tegn.") % {"n": MAX_REASON_LENGTH}
    if not destination_name:
        errors["destination_name"] = _("Skriv hvilket krisesenter brukeren skal flytte til.")
    if destination_police_district not in PoliceDistrict.values:
        errors["destination_police_district"] = _("Velg politidistriktet på det nye stedet.")
    if planned_on is None:
        errors["planned_on"] = _("Skriv inn planlagt dato for flyttingen.")
    if errors:
        raise ValidationError(errors)
    if Relocation.objects.filter(case=case, status=RelocationStatus.PLANNED).exists():
        raise ValidationError(
            _("Saken har allerede en planlagt flytting. Gjennomfør eller avbryt den først.")
        )
    relocation = Relocation.objects.create(
        centre_id=case.centre_id,
        case=case,
        reason=reason,
        destination_name=destination_name,
        destination_police_district=destination_police_district,
        chosen_with_user=chosen_with_user,
        chosen_with_police=chosen_with_police,
        planned_on=planned_on,
        recorded_by=acting_user,
    )
    # The summary never names the destination (it is sensitive; shown only after step-up).
    case_change(
        case=case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_planned",
        summary=_("Flytting til annet krisesenter planlagt"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={
            "step": "planned",
            "chosen_with_user": chosen_with_user,
            "chosen_with_police": chosen_with_police,
        },
        reason="planned",
    )
    # G8: a planned move calls for a new assessment now (factor 5, needs_relocation_for_safety).
    trigger_add(
        acting_user=acting_user, case=case, kind=TriggerKind.PLANNED_MOVE, occurs_on=planned_on
    )
    return relocation


@transaction.atomic
def relocation_record_police(
    *,
    acting_user: User,
    relocation: Relocation,
    current_involved_at: dt.datetime | None = None,
    destination_involved_at: dt.datetime | None = None,
    chosen_with_police: bool | None = None,
) -> Relocation:
    """Record when the police here (G14) and at the destination (R2) were involved.

    A value left out keeps what is saved (bad input never loses saved data); a new value
    corrects the old one, and both are audited."""
    _ensure_writable(relocation, acting_user)
    if (
        current_involved_at is None
        and destination_involved_at is None
        and (chosen_with_police is None or chosen_with_police == relocation.chosen_with_police)
    ):
        raise ValidationError(
            _("Fyll inn når politiet her eller politiet på det nye stedet ble involvert.")
        )
    fields: list[str] = []
    if current_involved_at is not None:
        _not_in_future(
            current_involved_at, "current_involved_at", _("Tidspunktet for politiet her")
        )
        relocation.police_current_involved_at = current_involved_at
        fields.append("police_current_involved_at")
    if destination_involved_at is not None:
        _not_in_future(
            destination_involved_at,
            "destination_involved_at",
            _("Tidspunktet for politiet på det nye stedet"),
        )
        relocation.police_destination_involved_at = destination_involved_at
        fields.append("police_destination_involved_at")
    if chosen_with_police is not None and chosen_with_police != relocation.chosen_with_police:
        relocation.chosen_with_police = chosen_with_police
        fields.append("chosen_with_police")
    relocation.save(update_fields=fields)
    case_change(
        case=relocation.case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_police",
        summary=_("Politiets involvering i flyttingen registrert"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={
            "step": "police",
            "current": current_involved_at is not None,
            "destination": destination_involved_at is not None,
            "chosen_with_police": relocation.chosen_with_police,
        },
        reason="police_involved",
    )
    return relocation


@transaction.atomic
def relocation_record_user_choice(*, acting_user: User, relocation: Relocation) -> Relocation:
    """Record that the new centre was chosen together with the user (R1), after planning.

    The guidance has user, staff and police choose the new centre together; a move is not
    completed until this is recorded (see ``relocation_complete``)."""
    _ensure_writable(relocation, acting_user)
    if relocation.chosen_with_user:
        raise ValidationError(
            _("Det er allerede registrert at det nye senteret er valgt sammen med brukeren.")
        )
    relocation.chosen_with_user = True
    relocation.save(update_fields=["chosen_with_user"])
    case_change(
        case=relocation.case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_user_choice",
        summary=_("Brukerens valg av nytt krisesenter registrert"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={"step": "user_choice", "chosen_with_user": True},
        reason="chosen_with_user",
    )
    return relocation


@transaction.atomic
def relocation_complete(
    *,
    acting_user: User,
    relocation: Relocation,
    handover: str,
    completed_at: dt.datetime | None = None,
) -> Relocation:
    """Mark the move as done; refused unless the user took part in choosing the new centre
    (R1) and the police were involved at both ends before it.

    G14 (the police *shall* be involved) and R2 (the destination police *before* the move):
    both involvement times must be recorded and earlier than ``completed_at``.
    R3: ``handover=consent`` needs a consent covering the handover that is valid at
    ``completed_at``; without one, record that the police brief each other, or no handover.
    Completing does not close the case (the case page suggests closing it as "relocated")."""
    _ensure_writable(relocation, acting_user)
    completed_at = completed_at or clock.now()
    _not_in_future(completed_at, "completed_at", _("Tidspunktet for flyttingen"))
    if handover not in Handover.values:
        raise ValidationError({"handover": _("Velg hva som skjer med kartleggingen.")})
    errors: list[str] = []
    if not relocation.chosen_with_user:
        errors.append(
            _(
                "Det er ikke registrert at det nye senteret er valgt sammen med brukeren (R1). "
                "Registrer brukerens valg før flyttingen registreres som gjennomført."
            )
        )
    current = relocation.police_current_involved_at
    destination = relocation.police_destination_involved_at
    if current is None:
        errors.append(
            _(
                "Politiet der brukeren bor nå er ikke registrert som involvert. "
                "Politiet skal involveres i flyttingen (G14)."
            )
        )
    elif current >= completed_at:
        errors.append(
            _(
                "Politiet der brukeren bor nå må være involvert før flyttingen. "
                "Det registrerte tidspunktet er ikke før flyttingen."
            )
        )
    if destination is None:
        errors.append(
            _(
                "Politiet på det nye stedet er ikke registrert som involvert. "
                "De skal involveres før flyttingen (R2)."
            )
        )
    elif destination >= completed_at:
        errors.append(
            _(
                "Politiet på det nye stedet må være involvert før flyttingen (R2). "
                "Det registrerte tidspunktet er ikke før flyttingen."
            )
        )
    if errors:
        raise ValidationError(errors)
    consent: Consent | None = None
    if handover == Handover.CONSENT:
        consent = valid_handover_consent(case=relocation.case, at=completed_at)
        if consent is None:
            raise ValidationError(
                {
                    "handover": _(
                        "Det finnes ikke noe gyldig samtykke som dekker at kartleggingen "
                        "følger med til det nye krisesenteret (R3). Velg at politiet "
                        "orienterer politiet på nytt sted, eller ingen overføring."
                    )
                }
            )
    relocation.status = RelocationStatus.COMPLETED
    relocation.completed_at = completed_at
    relocation.handover = handover
    relocation.handover_consent = consent
    relocation.save(update_fields=["status", "completed_at", "handover", "handover_consent"])
    case_change(
        case=relocation.case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_completed",
        summary=_("Flytting til annet krisesenter gjennomført"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={
            "step": "completed",
            "handover": handover,
            "consent_id": consent.pk if consent is not None else None,
        },
        reason="completed",
    )
    return relocation


@transaction.atomic
def relocation_cancel(*, acting_user: User, relocation: Relocation) -> Relocation:
    """The planned move will not happen; the record stays, marked cancelled."""
    _ensure_writable(relocation, acting_user)
    relocation.status = RelocationStatus.CANCELLED
    relocation.cancelled_at = clock.now()
    relocation.save(update_fields=["status", "cancelled_at"])
    case_change(
        case=relocation.case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_cancelled",
        summary=_("Planlagt flytting avbrutt"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={"step": "cancelled"},
        reason="cancelled",
    )
    return relocation


def relocation_destination_revealed(
    *, acting_user: User, relocation: Relocation, request: HttpRequest | None
) -> None:
    """Log one reveal of the destination (after step-up); call once per reveal."""
    ensure_same_centre(relocation.case, acting_user)
    audit_record(
        action=AuditAction.RELOCATION_DESTINATION_REVEALED,
        actor=acting_user,
        centre=relocation.case.centre,
        object_type=OBJECT_TYPE,
        object_id=relocation.pk,
        request=request,
    )
