"""Writes for cases. Every function writes its audit event (and timeline event) in the same
transaction as the change; state rules are enforced here, not only in forms."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from vern.accounts.models import Role, User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import (
    Case,
    CaseChild,
    CaseEvent,
    CaseStatus,
    CentreSettings,
    ChildRemovalReason,
    ReassessmentTrigger,
    ReopenReason,
    TriggerKind,
)
from vern.core import clock
from vern.core.forms import national_id_error, too_long


class CaseClosedError(ValidationError):
    """A write was attempted on a closed case (closed cases are read-only)."""


def require_case_worker(user: User) -> int:
    """The user's centre id; PermissionDenied unless the user works with cases."""
    if not user.works_with_cases or user.centre_id is None:
        raise PermissionDenied
    return user.centre_id


def ensure_open(case: Case) -> None:
    if case.is_closed:
        raise CaseClosedError(_("Saken er avsluttet og kan ikke endres."))


def ensure_same_centre(case: Case, user: User) -> None:
    """Services get objects from selectors; this is the last guard against a mix-up."""
    require_case_worker(user)
    if case.centre_id != user.centre_id:
        raise PermissionDenied


def case_event(
    *, case: Case, kind: str, summary: str, actor: User | None, obj: Model | None = None
) -> CaseEvent:
    """Add a line to the case timeline (called by the services that change a case)."""
    return CaseEvent.objects.create(
        centre_id=case.centre_id,
        case=case,
        at=clock.now(),
        kind=kind,
        summary=summary[:300],
        actor=actor,
        object_type=obj._meta.model_name or "" if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
    )


def case_change(
    *,
    case: Case,
    actor: User | None,
    obj: Model,
    kind: str,
    summary: str,
    action: AuditAction,
    object_type: str,
    details: dict[str, object] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> CaseEvent:
    """Record one change of a case: its timeline line, then its audit event, about ``obj``.

    Every change of a case leaves a line on the case's timeline and an audit event, in the same
    transaction as the change (architecture rule: writes go through service functions that
    write the audit event in the same transaction). Call it inside the caller's
    ``transaction.atomic``, so that the change, the line and the event commit or roll back
    together. The audit event is the case centre's; ``object_type`` is the audit log's code for
    the object (not always the model name, e.g. ``case_child``), kept explicit at each call.
    """
    event = case_event(case=case, kind=kind, summary=summary, actor=actor, obj=obj)
    audit_record(
        action=action,
        actor=actor,
        centre=case.centre,
        object_type=object_type,
        object_id=obj.pk,
        request=request,
        details=details,
        reason=reason,
    )
    return event


def responsible_candidates(*, centre_id: int) -> QuerySet[User]:
    """Who may be responsible for a case of the centre: its active staff (ansatt, leder)."""
    return User.objects.filter(
        centre_id=centre_id, is_active=True, role__in=[Role.ANSATT, Role.LEDER]
    ).order_by("full_name", "username")


def _check_responsible(centre_id: int, responsible: User) -> None:
    if not responsible_candidates(centre_id=centre_id).filter(pk=responsible.pk).exists():
        raise ValidationError(
            {"responsible": _("Velg en ansatt eller leder ved senteret som ansvarlig.")}
        )


def may_change_responsible(*, user: User, case: Case) -> bool:
    """A leader of the case's centre, or its current responsible, may hand the case on; when
    the case has no active responsible (none set, or the account is deactivated), any staff
    member of the centre may take it, so a case is never left without one."""
    if not user.works_with_cases or case.centre_id != user.centre_id:
        return False
    if user.is_leader or case.responsible_id == user.pk:
        return True
    responsible = case.responsible
    return responsible is None or not responsible.is_active


@transaction.atomic
def case_create(
    *,
    acting_user: User,
    reference: str,
    name: str = "",
    language: str = "nb",
    responsible: User | None = None,
) -> Case:
    """A new case; its responsible is ``responsible`` (staff of the centre) or the creator."""
    centre_id = require_case_worker(acting_user)
    if responsible is None:
        responsible = acting_user
    _check_responsible(centre_id, responsible)
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": _("Referansen kan ikke være tom.")})
    if (refused := national_id_error(_("Referanse"), reference)) is not None:
        raise ValidationError({"reference": refused})
    if Case.objects.filter(centre_id=centre_id, reference__iexact=reference).exists():
        raise ValidationError({"reference": _("Referansen er allerede i bruk ved senteret.")})
    try:
        with transaction.atomic():
            case = Case.objects.create(
                centre_id=centre_id,
                reference=reference,
                name=name.strip(),
                language=language,
                created_by=acting_user,
                responsible=responsible,
            )
    except IntegrityError:
        raise ValidationError(
            {"reference": _("Referansen er allerede i bruk ved senteret.")}
        ) from None
    case_change(
        case=case,
        actor=acting_user,
        obj=case,
        kind="case_created",
        summary=_("Sak opprettet"),
        action=AuditAction.CASE_CREATED,
        object_type="case",
    )
    return case


@transaction.atomic
def case_update(*, acting_user: User, case: Case, name: str, language: str) -> Case:
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    case.name = name.strip()
    case.language = language
    case.save(update_fields=["name", "language"])
    case_change(
        case=case,
        actor=acting_user,
        obj=case,
        kind="case_updated",
        summary=_("Saksopplysninger endret"),
        action=AuditAction.CASE_UPDATED,
        object_type="case",
    )
    return case


@transaction.atomic
def case_responsible_set(*, acting_user: User, case: Case, responsible: User) -> Case:
    """Hand the case to another staff member of its centre (``may_change_responsible``).

    Audited as ``case_updated`` with ``step=responsible_changed`` and both user ids, and a
    timeline line naming the new responsible, in the same transaction."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    # Read the current responsible under a row lock: two reassignments do not cross.
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("responsible").get(pk=case.pk)
    )
    if not may_change_responsible(user=acting_user, case=locked):
        raise PermissionDenied
    _check_responsible(case.centre_id, responsible)
    if locked.responsible_id == responsible.pk:
        raise ValidationError({"responsible": _("Denne personen er allerede ansvarlig.")})
    previous_id = locked.responsible_id
    case.responsible = responsible
    case.save(update_fields=["responsible"])
    # The timeline line points at the new responsible (rendered with the name, timeline.py);
    # the audit event is about the case.
    case_event(
        case=case,
        kind="responsible_changed",
        summary=_("Ny ansvarlig for saken: %(name)s")
        % {"name": responsible.full_name or responsible.username},
        actor=acting_user,
        obj=responsible,
    )
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=acting_user,
        centre=case.centre,
        object_type="case",
        object_id=case.pk,
        details={
            "step": "responsible_changed",
            "from_user": previous_id,
            "to_user": responsible.pk,
        },
    )
    return case


@transaction.atomic
def case_close(*, acting_user: User, case: Case, reason: str) -> Case:
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if not reason:
        raise ValidationError({"reason": _("Velg en årsak.")})
    case.status = CaseStatus.CLOSED
    case.closed_at = clock.now()
    case.closed_by = acting_user
    case.close_reason = reason
    case.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    case_change(
        case=case,
        actor=acting_user,
        obj=case,
        kind="case_closed",
        summary=_("Sak avsluttet"),
        action=AuditAction.CASE_CLOSED,
        object_type="case",
        reason=reason,
    )
    return case


# An accompanying child is a minor; a little slack for a child who turned 18 during the stay.
MAX_CHILD_AGE = 20
MAX_NOTE_LENGTH = 500


def check_birth_year(birth_year: int | None) -> None:
    """A birth year may not lie in the future, nor further back than a child can be."""
    if birth_year is None:
        return
    this_year = clock.today().year
    if birth_year > this_year:
        raise ValidationError(
            {
                "birth_year": _("Fødselsåret kan ikke være fram i tid (senest %(year)s).")
                % {"year": this_year}
            }
        )
    if birth_year < this_year - MAX_CHILD_AGE:
        raise ValidationError(
            {
                "birth_year": _(
                    "Fødselsåret kan ikke være før %(year)s: et medfølgende barn er under 18 år. "
                    "Sjekk årstallet."
                )
                % {"year": this_year - MAX_CHILD_AGE}
            }
        )


@transaction.atomic
def child_add(*, acting_user: User, case: Case, label: str, birth_year: int | None) -> CaseChild:
    """Register an accompanying child (K1: each child gets their own mapping).

    The label must be unique among the case's children in the stay (case-insensitive), so that
    a mapping is never recorded for the wrong child."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Skriv en betegnelse, for eksempel «Barn 1».")})
    if (refused := national_id_error(_("Betegnelse"), label)) is not None:
        raise ValidationError({"label": refused})
    check_birth_year(birth_year)
    # Serialise registrations in one case: two requests cannot both add "Barn 1".
    Case.objects.select_for_update().only("pk").get(pk=case.pk)
    if CaseChild.objects.filter(removed_at__isnull=True, case=case, label__iexact=label).exists():
        raise ValidationError(
            {
                "label": _(
                    "Det finnes allerede et barn med betegnelsen «%(label)s» i saken. "
                    "Velg en annen, for eksempel «Barn 2»."
                )
                % {"label": label}
            }
        )
    child = CaseChild.objects.create(
        centre_id=case.centre_id, case=case, label=label, birth_year=birth_year
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=child,
        kind="child_added",
        summary=_("Medfølgende barn registrert"),
        action=AuditAction.CASE_UPDATED,
        object_type="case_child",
    )
    return child


@transaction.atomic
def child_remove(
    *,
    acting_user: User,
    case: Case,
    child: CaseChild,
    reason: str,
    note: str = "",
    confirm_mapped: bool = False,
) -> CaseChild:
    """Mark a child as registered in error (never deleted: mappings and the timeline point at
    it, and nothing saved may be lost). The child leaves the stay: K1 no longer asks for a
    mapping of them. A child with a risk mapping is removed only when ``confirm_mapped`` says
    that staff have seen that the mapping stays in the case, attached to a removed child."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if child.case_id != case.pk or child.centre_id != case.centre_id:
        raise ValidationError({"child": _("Barnet hører ikke til denne saken.")})
    if child.is_removed:
        raise ValidationError({"child": _("Barnet er allerede markert som feilregistrert.")})
    if reason not in ChildRemovalReason.values:
        raise ValidationError({"reason": _("Velg hvorfor barnet var feilregistrert.")})
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(
            {"note": _("Merknaden kan ha høyst %(n)s tegn.") % {"n": MAX_NOTE_LENGTH}}
        )
    mapped = child.risk_mappings.exists()
    if mapped and not confirm_mapped:
        raise ValidationError(
            {
                "confirm_mapped": _(
                    "Barnet har en risikokartlegging. Den blir stående i saken, men barnet "
                    "regnes ikke lenger med. Kryss av for at dette er riktig."
                )
            }
        )
    child.removed_at = clock.now()
    child.removed_by = acting_user
    child.removal_reason = reason
    child.removal_note = note
    child.save(update_fields=["removed_at", "removed_by", "removal_reason", "removal_note"])
    case_change(
        case=case,
        actor=acting_user,
        obj=child,
        kind="child_removed",
        summary=_("Medfølgende barn markert som feilregistrert"),
        action=AuditAction.CASE_UPDATED,
        object_type="case_child",
        details={"step": "removed", "had_mapping": mapped},
        reason=reason,
    )
    return child


@transaction.atomic
def case_reopen(*, acting_user: User, case: Case, reason: str) -> Case:
    """Open a closed case again, for example when a user who went back to the perpetrator
    comes back (G8: new threats can come; the case goes straight onto the reassessment list).

    Any staff member who works with cases may reopen a case of her centre (ansatt or leder):
    a returning user may come at night, when no leader is at work, and the safety work cannot
    wait. The reopening is audited with its reason and stands on the timeline; the earlier
    closing stays on the timeline and in the audit log."""
    ensure_same_centre(case, acting_user)
    if not case.is_closed:
        raise ValidationError(_("Saken er ikke avsluttet."))
    if reason not in ReopenReason.values:
        raise ValidationError({"reason": _("Velg hvorfor saken åpnes igjen.")})
    previous_reason = case.close_reason
    case.status = CaseStatus.OPEN
    case.closed_at = None
    case.closed_by = None
    case.close_reason = ""
    case.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    case_change(
        case=case,
        actor=acting_user,
        obj=case,
        kind="case_reopened",
        summary=_("Sak gjenåpnet"),
        action=AuditAction.CASE_REOPENED,
        object_type="case",
        details={"step": "reopened", "closed_as": previous_reason or None},
        reason=reason,
    )
    # G8: a returning user is a new situation: the case calls for a new assessment now.
    trigger_add(acting_user=acting_user, case=case, kind=TriggerKind.CASE_REOPENED)
    return case


def case_viewed(*, acting_user: User, case: Case, request: HttpRequest | None) -> None:
    """Log one read of a case (page view, API read); call exactly once per access."""
    audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=acting_user,
        centre=case.centre,
        object_type="case",
        object_id=case.pk,
        request=request,
    )


def centre_settings_for(centre_id: int) -> CentreSettings:
    settings_row, _created = CentreSettings.objects.get_or_create(centre_id=centre_id)
    return settings_row


def trigger_summary(label: str, description: str) -> str:
    """The timeline line of a new event: its kind, and what happened when it was described."""
    if description:
        return _("Ny hendelse: %(kind)s – %(description)s") % {
            "kind": label,
            "description": description,
        }
    return _("Ny hendelse: %(kind)s") % {"kind": label}


@transaction.atomic
def trigger_add(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    occurs_on: dt.date | None = None,
    description: str = "",
) -> ReassessmentTrigger:
    """Record an event that calls for a new assessment now (G8), with an optional description
    of what happened (shown on the timeline)."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    description = description.strip()
    if (message := too_long(description, MAX_NOTE_LENGTH)) is not None:
        raise ValidationError({"description": message})
    trigger = ReassessmentTrigger.objects.create(
        centre_id=case.centre_id,
        case=case,
        kind=kind,
        occurs_on=occurs_on,
        description=description,
        recorded_by=acting_user,
    )
    label = dict(TriggerKind.choices).get(kind, kind)
    case_change(
        case=case,
        actor=acting_user,
        obj=trigger,
        kind="trigger",
        summary=trigger_summary(str(label), description),
        action=AuditAction.CASE_UPDATED,
        object_type="reassessment_trigger",
        details={"kind": kind},
    )
    return trigger
