"""Writes for relocation to another crisis centre (G14, R1-R3).

When the centre is not safe enough, the user is offered a move and the police *shall* be
involved (forskrift om fysisk sikkerhet i krisesentertilbudet § 4 c, G14). The rules enforced
here, not only in forms:

- R1: the new centre is chosen with the user and the police (recorded as two checklist items);
  the user's choice can be recorded after planning, and a move is not completed without it;
- G14/R2: police at the current location AND at the destination must be involved *before* the
  move. Each end is a real police contact (``vern.police``: the same ground check, what was
  shared and the G9 reprisal check, a deviation when the ground is not valid), linked to the
  relocation, or a recorded reason why there was none, which opens a deviation for the leader
  (reality is never refused). A relocation cannot be completed otherwise. The two bare moments
  recorded before issue 14 are kept read-only and no longer count;
- the new centre is one of the centres in this Vern, or a name typed in for a centre outside;
- R3: the mapping goes to the new centre only with a valid consent that covers it; otherwise
  the police brief each other (or nothing is handed over). When the new centre uses this Vern,
  ``relocation_hand_over`` (``vern.relocation.handover``) creates the case there with only what
  the consent covers;
- cancelling a planned move needs a reason, stored and shown (never in the audit details);
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
from vern.centres.models import Centre, PoliceDistrict
from vern.consent import selectors as consent_selectors
from vern.consent.models import Consent
from vern.core import clock
from vern.police import services as police_services
from vern.police.ground import ContactInput
from vern.police.models import ContactStatus, DeviationKind, PoliceContact
from vern.relocation.models import Handover, PoliceEnd, Relocation, RelocationStatus

OBJECT_TYPE = "relocation"
MAX_REASON_LENGTH = 2000
# Deviation reason codes for an end of the move without police (labels in vern.police.ground).
NO_POLICE_REASON_CODES = {
    PoliceEnd.DEPARTURE: "relocation_no_police_departure",
    PoliceEnd.DESTINATION: "relocation_no_police_destination",
}


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
    destination_name: str = "",
    destination_police_district: str = "",
    chosen_with_user: bool,
    chosen_with_police: bool,
    planned_on: dt.date | None,
    destination_centre: Centre | None = None,
) -> Relocation:
    """Record a planned move (G14, R1) and the planned_move trigger for reassessment (G8).

    The new centre is ``destination_centre``, one of the other active centres in this Vern
    (its name is copied to ``destination_name``; its police district is the default), or, for
    a centre outside Vern, ``destination_name`` typed in."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    errors: dict[str, str] = {}
    reason = reason.strip()
    destination_name = destination_name.strip()
    if destination_centre is not None:
        if destination_centre.pk == case.centre_id or not destination_centre.is_active:
            errors["destination_centre"] = _(
                "Velg et annet aktivt krisesenter enn deres eget, eller skriv navnet på et "
                "senter utenfor Vern."
            )
        else:
            destination_name = destination_centre.name
            destination_police_district = (
                destination_police_district or destination_centre.police_district
            )
    if not reason:
        errors["reason"] = _("Skriv hvorfor senteret ikke er trygt nok for brukeren.")
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = _("Begrunnelsen kan ha høyst %(n)s tegn.") % {"n": MAX_REASON_LENGTH}
    if not destination_name and "destination_centre" not in errors:
        errors["destination_name"] = _(
            "Velg hvilket krisesenter brukeren skal flytte til, eller skriv navnet på et "
            "senter utenfor Vern."
        )
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
        destination_centre=destination_centre,
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
            "in_vern": destination_centre is not None,
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


def _end(end: str) -> PoliceEnd:
    if end not in PoliceEnd.values:
        raise ValidationError(
            {"end": _("Velg politiet der brukeren bor nå eller på det nye stedet.")}
        )
    return PoliceEnd(end)


def _link(relocation: Relocation, end: PoliceEnd, contact: PoliceContact) -> list[str]:
    if end == PoliceEnd.DEPARTURE:
        relocation.departure_contact = contact
        return ["departure_contact"]
    relocation.destination_contact = contact
    return ["destination_contact"]


def _police_event(
    *, acting_user: User, relocation: Relocation, end: PoliceEnd, how: str, **details: object
) -> None:
    case_change(
        case=relocation.case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_police",
        summary=_("Politiets involvering i flyttingen registrert"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={"step": "police", "end": str(end), "how": how, **details},
        reason="police_involved" if how != "none" else "police_not_involved",
    )


@transaction.atomic
def relocation_police_contact_record(
    *,
    acting_user: User,
    relocation: Relocation,
    end: str,
    data: ContactInput,
    confirm_deviation: bool = False,
) -> PoliceContact:
    """Record the police contact at one end of the move (G14: here; R2: at the destination)
    through ``vern.police.services.police_contact_record`` and link it to the relocation.

    The contact is checked like any other: its ground (a withdrawn or expired consent is not
    valid), what was shared, the G9 check; a done contact without a valid ground raises
    ``DeviationNeedsConfirmation`` unless confirmed, and is then saved with a deviation. Nothing
    is linked when the contact is not saved."""
    _ensure_writable(relocation, acting_user)
    which = _end(end)
    contact = police_services.police_contact_record(
        acting_user=acting_user,
        case=relocation.case,
        data=data,
        confirm_deviation=confirm_deviation,
    )
    relocation.save(update_fields=_link(relocation, which, contact))
    _police_event(
        acting_user=acting_user,
        relocation=relocation,
        end=which,
        how="contact",
        contact_id=contact.pk,
        status=contact.status,
        ground_valid=contact.ground_valid,
    )
    return contact


@transaction.atomic
def relocation_police_link(
    *, acting_user: User, relocation: Relocation, end: str, contact: PoliceContact
) -> Relocation:
    """Link a police contact already recorded in the case to one end of the move."""
    _ensure_writable(relocation, acting_user)
    which = _end(end)
    if contact.case_id != relocation.case_id or contact.centre_id != relocation.centre_id:
        raise ValidationError({"contact": _("Velg en politikontakt i denne saken.")})
    relocation.save(update_fields=_link(relocation, which, contact))
    _police_event(
        acting_user=acting_user,
        relocation=relocation,
        end=which,
        how="linked",
        contact_id=contact.pk,
        status=contact.status,
        ground_valid=contact.ground_valid,
    )
    return relocation


@transaction.atomic
def relocation_police_not_involved(
    *, acting_user: User, relocation: Relocation, end: str, reason: str
) -> Relocation:
    """Record why the police at one end were not contacted (G14, R2 say they shall be): the
    move is never refused for it, but a deviation opens for the leader with the reason."""
    _ensure_writable(relocation, acting_user)
    which = _end(end)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor politiet ikke ble kontaktet.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Begrunnelsen kan ha høyst %(n)s tegn.") % {"n": MAX_REASON_LENGTH}}
        )
    if which == PoliceEnd.DEPARTURE:
        relocation.departure_no_police_reason = reason
        relocation.save(update_fields=["departure_no_police_reason"])
    else:
        relocation.destination_no_police_reason = reason
        relocation.save(update_fields=["destination_no_police_reason"])
    _police_event(acting_user=acting_user, relocation=relocation, end=which, how="none")
    police_services.deviation_open(
        acting_user=acting_user,
        case=relocation.case,
        kind=DeviationKind.RELOCATION_WITHOUT_POLICE,
        reasons=[NO_POLICE_REASON_CODES[which]],
        description=reason,
    )
    return relocation


@transaction.atomic
def relocation_record_police_choice(
    *, acting_user: User, relocation: Relocation, chosen_with_police: bool
) -> Relocation:
    """Record whether the new centre was chosen together with the police (R1)."""
    _ensure_writable(relocation, acting_user)
    if chosen_with_police == relocation.chosen_with_police:
        raise ValidationError(_("Dette er allerede registrert."))
    relocation.chosen_with_police = chosen_with_police
    relocation.save(update_fields=["chosen_with_police"])
    case_change(
        case=relocation.case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_police",
        summary=_("Politiets involvering i flyttingen registrert"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={"step": "police", "chosen_with_police": chosen_with_police},
        reason="chosen_with_police",
    )
    return relocation


def end_problem(relocation: Relocation, end: PoliceEnd, *, before: dt.datetime) -> str:
    """Why the police at ``end`` do not count as involved before ``before`` ('' when they do).

    A done contact linked to the relocation earlier than the move counts (one without a valid
    ground too: it is recorded, with its deviation for the leader); so does a recorded reason
    why there was none (with its deviation). A planned contact does not, nor the bare moments
    recorded before issue 14."""
    contact = relocation.contact_for(end)
    if contact is not None:
        if contact.status != ContactStatus.DONE:
            return "contact_planned"
        if contact.contact_at >= before:
            return "contact_after_move"
        return ""
    if relocation.no_police_reason_for(end):
        return ""
    return "no_contact"


def _end_errors(relocation: Relocation, completed_at: dt.datetime) -> list[str]:
    texts = {
        (PoliceEnd.DEPARTURE, "no_contact"): _(
            "Politiet der brukeren bor nå er ikke registrert som involvert. Registrer "
            "politikontakten, eller hvorfor politiet ikke ble kontaktet (G14)."
        ),
        (PoliceEnd.DEPARTURE, "contact_planned"): _(
            "Politikontakten der brukeren bor nå er bare planlagt. Registrer den som "
            "gjennomført før flyttingen (grunnlaget sjekkes på nytt)."
        ),
        (PoliceEnd.DEPARTURE, "contact_after_move"): _(
            "Politiet der brukeren bor nå må være involvert før flyttingen. "
            "Kontakten er ikke før tidspunktet for flyttingen."
        ),
        (PoliceEnd.DESTINATION, "no_contact"): _(
            "Politiet på det nye stedet er ikke registrert som involvert. De skal involveres "
            "før flyttingen (R2). Registrer politikontakten, eller hvorfor politiet ikke ble "
            "kontaktet."
        ),
        (PoliceEnd.DESTINATION, "contact_planned"): _(
            "Politikontakten på det nye stedet er bare planlagt. Registrer den som "
            "gjennomført før flyttingen (R2; grunnlaget sjekkes på nytt)."
        ),
        (PoliceEnd.DESTINATION, "contact_after_move"): _(
            "Politiet på det nye stedet må være involvert før flyttingen (R2). "
            "Kontakten er ikke før tidspunktet for flyttingen."
        ),
    }
    errors: list[str] = []
    for end in PoliceEnd:
        problem = end_problem(relocation, end, before=completed_at)
        if problem:
            errors.append(texts[(end, problem)])
    return errors


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
    errors.extend(_end_errors(relocation, completed_at))
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
def relocation_cancel(*, acting_user: User, relocation: Relocation, reason: str) -> Relocation:
    """The planned move will not happen: the reason is required and stored (shown on the
    relocation, never in the audit details); the record stays, marked cancelled."""
    _ensure_writable(relocation, acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor flyttingen avbrytes.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Begrunnelsen kan ha høyst %(n)s tegn.") % {"n": MAX_REASON_LENGTH}}
        )
    relocation.status = RelocationStatus.CANCELLED
    relocation.cancelled_at = clock.now()
    relocation.cancel_reason = reason
    relocation.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    case_change(
        case=relocation.case,
        actor=acting_user,
        obj=relocation,
        kind="relocation_cancelled",
        summary=_("Planlagt flytting avbrutt"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={"step": "cancelled", "has_reason": True},
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
