"""Writes for police contacts and deviations (issue 5 parts 6 and 7, issue 16 point 3).

One entry point per write that decides and writes: the web form and the API schema each build
one ``ContactInput`` (``vern.police.ground``) and call one service here; the service checks the
input, runs the legal check once (``ground.ground_reasons``) and, for a *done* contact whose
ground is not valid and that was not confirmed, raises ``DeviationNeedsConfirmation`` (the view
shows its confirm page, the API answers 409). Rules enforced here, not only in forms:

* The legal grounds (G3, C1, G15, L1, L2/G11, anonymous discussion): ``vern.police.ground``.
* "Reality is never refused": a confirmed *done* contact whose ground is not valid is saved,
  with ``ground_valid=False``, and opens a deviation (avvik) for the centre's leader. A *planned*
  contact is saved too; it can be corrected (``police_contact_update``) and its ground is
  checked again when it is marked done.
* G9: the reprisal-risk check (``vern.police.reprisal``) is required, planned or done, for every
  contact in which the police learn whose case it is; on the no-consent grounds (duty to avert,
  danger to life or health) it never blocks, is shown to the leader as missing and can be
  recorded afterwards (``police_contact_reprisal_check_add``). Likewise when and how the user was
  told of a no-consent contact (``police_contact_user_told_add``).
* C1: a done contact whose consent turns out to have been withdrawn before it (a backdated
  withdrawal) loses its ground and gets a deviation in one go (``contact_ground_lost``).
* Free text has the same maxima for the web forms and the API (``TEXT_LIMITS``).
* P1: measures the police decided never require a recorded report.
* Only a leader closes a deviation, with a comment (and, for a contact without a ground, an
  optional after-the-fact justification such as nødrett, straffeloven § 17).

Every write records its audit event and timeline line in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.cases.models import Case
from vern.cases.services import case_change, ensure_open, ensure_same_centre
from vern.centres.models import PoliceDistrict
from vern.consent.models import InformationCategory
from vern.core import clock
from vern.core.forms import too_long
from vern.police.ground import (
    CATEGORY_IDENTIFIES,
    DONE_REASON_LABELS,
    IDENTIFYING_CATEGORIES,
    LONG_TEXT,
    NO_CONSENT_GROUNDS,
    REASON_LABELS,
    SCOPE_REASONS,
    SHORT_TEXT,
    TEXT_LIMITS,
    UNIT_TEXT,
    ContactInput,
    DeviationNeedsConfirmation,
    deviation_kind,
    ground_reasons,
    local_day,
    needs_confirmation,
    offences_on,
    reason_label,
)
from vern.police.models import (
    AvertAction,
    Channel,
    ContactRole,
    ContactStatus,
    DangerConsent,
    DecidedAs,
    Deviation,
    DeviationKind,
    Justification,
    LegalGround,
    PoliceContact,
)
from vern.police.reprisal import (
    reprisal_check_blocks,
    reprisal_check_clean,
    reprisal_check_for,
    reprisal_check_missing,
    reprisal_check_needed,
    reprisal_state,
)
from vern.rules import load_rulebook
from vern.rules.program import valid_on

__all__ = [
    "CATEGORY_IDENTIFIES",
    "DONE_REASON_LABELS",
    "IDENTIFYING_CATEGORIES",
    "LONG_TEXT",
    "REASON_LABELS",
    "SCOPE_REASONS",
    "SHORT_TEXT",
    "TEXT_LIMITS",
    "UNIT_TEXT",
    "ContactInput",
    "DeviationNeedsConfirmation",
    "ground_reasons",
    "offences_on",
    "reason_label",
    "reprisal_check_blocks",
    "reprisal_check_clean",
    "reprisal_check_for",
    "reprisal_check_missing",
    "reprisal_check_needed",
]

# A done contact may be recorded a little ahead of the server clock (clock skew), not more.
FUTURE_SLACK = dt.timedelta(minutes=5)

_CODE_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def require_leader(user: User) -> None:
    """Leader pages and leader decisions: a leder of a centre, nobody else."""
    if not (user.works_with_cases and user.is_leader):
        raise PermissionDenied


def measures_on(day: dt.date) -> set[str]:
    """Ids of the measures of the catalogue that exist in law on ``day`` (P1)."""
    return {
        measure.id
        for measure in load_rulebook().measures
        if valid_on(measure.valid_from, measure.valid_until, day)
    }


def contact_reasons(contact: PoliceContact) -> list[str]:
    """Why a stored contact's ground is not valid at its time (for the pages that show a plan)."""
    return ground_reasons(case=contact.case, data=ContactInput.from_contact(contact))


# --------------------------------------------------------------------------- input checks


class ContactInputError(ValidationError):
    """Bad input for a contact (field errors), with the reasons its ground is not valid as far as
    they could be judged, so a page can show both at once."""

    def __init__(self, errors: ValidationError, reasons: Sequence[str]) -> None:
        super().__init__(errors.error_dict if hasattr(errors, "error_dict") else errors.messages)
        self.reasons = list(reasons)


def texts_check(texts: Mapping[str, str]) -> None:
    """Free text within ``TEXT_LIMITS``, else a ValidationError naming each field too long."""
    errors = {
        field: message
        for field, text in texts.items()
        if (message := too_long(text, TEXT_LIMITS[field]))
    }
    if errors:
        raise ValidationError(errors)


def _choice(value: str, choices: Iterable[str], field: str, message: str) -> str:
    if value not in set(choices):
        raise ValidationError({field: message})
    return value


def _categories_clean(categories: Iterable[str]) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(categories))
    if any(code not in InformationCategory.values for code in values):
        raise ValidationError({"shared_categories": _("Ukjent type opplysning.")})
    return values


def _measures_clean(measures: Iterable[str], day: dt.date) -> list[str]:
    values = list(dict.fromkeys(measures))
    valid = measures_on(day)
    if any(code not in valid for code in values):
        raise ValidationError(
            {
                "measures_decided": _(
                    "Et valgt tiltak finnes ikke i tiltakskatalogen på datoen for kontakten."
                )
            }
        )
    return values


def _done_time(contact_at: dt.datetime) -> None:
    if contact_at > clock.now() + FUTURE_SLACK:
        raise ValidationError(
            {
                "contact_at": _(
                    "En gjennomført kontakt kan ikke ligge fram i tid. Registrer den som planlagt."
                )
            }
        )


def _decider(user: User | None, acting_user: User, case: Case) -> User:
    decider = user or acting_user
    if not decider.works_with_cases or decider.centre_id != case.centre_id or not decider.is_active:
        raise ValidationError(
            {"duty_to_avert_decided_by": _("Den som besluttet må være ansatt ved senteret.")}
        )
    return decider


def _offences_clean(offences: Iterable[str]) -> tuple[str, ...]:
    """Known offence ids only; whether they are on the § 196 list is part of the ground."""
    values = tuple(dict.fromkeys(offences))
    known = load_rulebook().offence_ids
    if any(code not in known for code in values):
        raise ValidationError({"duty_to_avert_offences": _("Ukjent straffbar handling.")})
    return values


def _user_told_clean(
    told_at: dt.datetime | None, how: str, not_why: str, *, when: str = "user_told_at"
) -> dict[str, Any]:
    """L1, L2: when and how the user was told, both or neither; or why not yet."""
    errors: dict[str, str] = {}
    if told_at is not None and not how:
        errors["user_told_how"] = _("Skriv hvordan brukeren ble informert.")
    if how and told_at is None:
        errors[when] = _("Skriv når brukeren ble informert.")
    if told_at is not None and told_at > clock.now() + FUTURE_SLACK:
        errors[when] = _("Tidspunktet brukeren ble informert kan ikke ligge fram i tid.")
    if errors:
        raise ValidationError(errors)
    return {
        "user_told_at": told_at,
        "user_told_how": how,
        # Once told, "why not yet" is history: kept only while the user has not been told.
        "user_not_told_why": "" if told_at is not None else not_why,
    }


def _no_consent_clean(data: ContactInput, acting_user: User, case: Case) -> dict[str, Any]:
    """Only the chosen ground's own fields are kept (L1, L2); codes are checked."""
    ground = data.legal_ground
    blank: dict[str, Any] = {
        "duty_to_avert_offences": (),
        "duty_to_avert_why": "",
        "duty_to_avert_decided_by": None,
        "avert_action": "",
        "avert_action_note": "",
        "necessity_why": "",
        "danger_what": "",
        "danger_consent": "",
        "danger_consent_why": "",
        "decided_as": "",
        "leader_told_at": None,
        "user_told_at": None,
        "user_told_how": "",
        "user_not_told_why": "",
    }
    if ground not in NO_CONSENT_GROUNDS:
        return blank
    values = {
        **blank,
        "duty_to_avert_decided_by": _decider(data.duty_to_avert_decided_by, acting_user, case),
        "necessity_why": data.necessity_why,
        **_user_told_clean(data.user_told_at, data.user_told_how, data.user_not_told_why),
    }
    if ground == LegalGround.DUTY_TO_AVERT:
        _choice(
            data.avert_action,
            ["", *AvertAction.values],
            "avert_action",
            _("Ukjent valg for hva som ble gjort."),
        )
        values |= {
            "duty_to_avert_offences": _offences_clean(data.duty_to_avert_offences),
            "duty_to_avert_why": data.duty_to_avert_why,
            "avert_action": data.avert_action,
            "avert_action_note": data.avert_action_note,
        }
    else:
        _choice(
            data.danger_consent,
            ["", *DangerConsent.values],
            "danger_consent",
            _("Ukjent valg for samtykke."),
        )
        _choice(data.decided_as, ["", *DecidedAs.values], "decided_as", _("Ukjent valg."))
        staff = data.decided_as == DecidedAs.STAFF_LEADER_TOLD
        values |= {
            "danger_what": data.danger_what,
            "danger_consent": data.danger_consent,
            "danger_consent_why": data.danger_consent_why,
            "decided_as": data.decided_as,
            "leader_told_at": data.leader_told_at if staff else None,
        }
    return values


# --------------------------------------------------------------------------- contacts


@dataclass(frozen=True)
class _Checked:
    """A contact's input cleaned (only the chosen ground's own fields kept), its G9 check, and
    why its ground is not valid (empty: valid)."""

    data: ContactInput
    check: dict[str, Any]
    needs_check: bool
    reasons: list[str]


def _contact_check(*, acting_user: User, case: Case, data: ContactInput) -> _Checked:
    """The input a contact is recorded or corrected with, checked by one rule: the choices, the
    free text, the shared categories, the G9 reprisal check (required for every contact the
    perpetrator could learn of; on the no-consent grounds recorded as missing, never refused),
    the chosen ground with only its own fields, and the legal check itself (``ground_reasons``);
    the consent only under consent, never one of another case or centre (G3, C1)."""
    _choice(
        data.police_district, PoliceDistrict.values, "police_district", _("Velg politidistrikt.")
    )
    _choice(
        data.contact_role, ContactRole.values, "contact_role", _("Velg kontaktpersonens rolle.")
    )
    _choice(data.channel, Channel.values, "channel", _("Velg kanal."))
    _choice(data.legal_ground, LegalGround.values, "legal_ground", _("Velg rettslig grunnlag."))
    texts_check(data.texts())
    categories = _categories_clean(data.shared_categories)
    needs_check = reprisal_check_needed(legal_ground=data.legal_ground, categories=categories)
    fields = _no_consent_clean(data, acting_user, case)
    consent = data.consent if data.legal_ground == LegalGround.CONSENT else None
    clean = data.replace(shared_categories=categories, consent=consent, **fields)
    reasons = ground_reasons(case=case, data=clean)
    try:
        check = reprisal_check_for(
            legal_ground=data.legal_ground,
            categories=categories,
            reprisal_check=data.reprisal_check,
        )
    except ValidationError as exc:
        # G9 is bad input, shown together with why the ground is not valid.
        raise ContactInputError(exc, reasons if data.done else []) from exc
    if consent is not None and "consent_other_case" in reasons:
        clean = clean.replace(consent=None)  # never link a consent of another case (or centre)
    return _Checked(clean, check, needs_check, reasons)


def _ground_details(data: ContactInput) -> dict[str, Any]:
    """Short codes for the audit event about the no-consent record (never its text)."""
    if data.legal_ground not in NO_CONSENT_GROUNDS:
        return {}
    details: dict[str, Any] = {
        "user_told": "told"
        if data.user_told_at is not None
        else ("not_yet" if data.user_not_told_why else "missing"),
    }
    if data.legal_ground == LegalGround.DUTY_TO_AVERT:
        details["avert_action"] = data.avert_action or None
    else:
        details["danger_consent"] = data.danger_consent or None
        details["decided_as"] = data.decided_as or None
    return details


@transaction.atomic
def police_contact_record(
    *, acting_user: User, case: Case, data: ContactInput, confirm_deviation: bool = False
) -> PoliceContact:
    """Record a planned or done police contact with its legal ground and G9 check.

    Never refuses a done contact because of its ground: unconfirmed, an invalid ground raises
    ``DeviationNeedsConfirmation`` (nothing saved); confirmed, it is saved with
    ``ground_valid=False`` and opens a deviation for the leader."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    _choice(
        data.status,
        ContactStatus.values,
        "status",
        _("Velg om kontakten er planlagt eller gjennomført."),
    )
    if data.done:
        _done_time(data.contact_at)
    checked = _contact_check(acting_user=acting_user, case=case, data=data)
    clean, check, reasons = checked.data, checked.check, checked.reasons
    measures = _measures_clean(clean.measures_decided, local_day(clean.contact_at))
    if not clean.done and (measures or clean.outcome_note or clean.follow_up_on):
        raise ValidationError(
            {"measures_decided": _("Utfallet registreres når kontakten er gjennomført.")}
        )
    needs_confirmation(clean, reasons, confirmed=confirm_deviation)

    values = {name: getattr(clean, name) for name in STORED}
    values["shared_categories"] = list(clean.shared_categories)
    values["duty_to_avert_offences"] = list(clean.duty_to_avert_offences)
    contact = PoliceContact.objects.create(
        centre_id=case.centre_id,
        case=case,
        status=clean.status,
        **values,
        measures_decided=measures,
        follow_up_on=clean.follow_up_on,
        outcome_note=clean.outcome_note,
        ground_valid=not reasons,
        reprisal_check=check,
        recorded_by=acting_user,
    )
    ground_label = LegalGround(clean.legal_ground).label
    if clean.done:
        summary = _("Politikontakt registrert (grunnlag: %(ground)s)") % {"ground": ground_label}
    else:
        summary = _("Politikontakt planlagt (grunnlag: %(ground)s)") % {"ground": ground_label}
    case_change(
        case=case,
        actor=acting_user,
        obj=contact,
        kind=f"police_contact_{clean.status}",
        summary=summary,
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        details={
            "status": clean.status,
            "ground": clean.legal_ground,
            "ground_valid": not reasons,
            "identifying": bool(IDENTIFYING_CATEGORIES.intersection(clean.shared_categories)),
            "categories": len(clean.shared_categories),
            "offences": len(clean.duty_to_avert_offences),
            "measures": len(measures),
            "reprisal_risk": check.get("risk") or None,
            "reprisal_check": reprisal_state(check, checked.needs_check),
            **_ground_details(clean),
        },
    )
    if reasons and clean.done:
        _deviation_create(
            acting_user=acting_user,
            case=case,
            kind=deviation_kind(clean.legal_ground, reasons),
            reasons=reasons,
            police_contact=contact,
        )
    return contact


# What ``police_contact_record`` stores from the cleaned input as it is (the outcome, status and
# G9 check are written apart).
STORED: Final = (
    "contact_at",
    "police_district",
    "police_unit",
    "contact_role",
    "channel",
    "shared_categories",
    "legal_ground",
    "consent",
    "duty_to_avert_offences",
    "duty_to_avert_why",
    "duty_to_avert_decided_by",
    "avert_action",
    "avert_action_note",
    "necessity_why",
    "danger_what",
    "danger_consent",
    "danger_consent_why",
    "decided_as",
    "leader_told_at",
    "user_told_at",
    "user_told_how",
    "user_not_told_why",
)


@transaction.atomic
def police_contact_complete(
    *,
    acting_user: User,
    contact: PoliceContact,
    contact_at: dt.datetime | None = None,
    measures_decided: Iterable[str] = (),
    follow_up_on: dt.date | None = None,
    outcome_note: str = "",
    reprisal_check: Mapping[str, Any] | None = None,
    confirm_deviation: bool = False,
) -> PoliceContact:
    """Mark a planned contact as done, with its outcome (P1: measures need no report).

    The ground is checked again at the actual time (a consent may have been withdrawn or may
    have expired since the plan); unconfirmed, an invalid ground raises
    ``DeviationNeedsConfirmation``; confirmed, it opens a deviation."""
    case = contact.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("Kontakten er allerede registrert som gjennomført."))
    at = contact_at or contact.contact_at
    _done_time(at)
    outcome_note = outcome_note.strip()
    texts_check({"outcome_note": outcome_note})
    measures = _measures_clean(measures_decided, local_day(at))
    data = ContactInput.from_contact(contact).replace(status=ContactStatus.DONE, contact_at=at)
    reasons = ground_reasons(case=case, data=data)
    # G9: a plan recorded without the check (no-consent grounds, or before the check was
    # required) gets it now; only the no-consent grounds may still go without it.
    needs_check = reprisal_check_needed(
        legal_ground=contact.legal_ground, categories=contact.shared_categories
    )
    blocks = needs_check and reprisal_check_blocks(contact.legal_ground)
    new_check = dict(contact.reprisal_check or {})
    try:
        if reprisal_check is not None and any(reprisal_check.values()):
            new_check = reprisal_check_clean(reprisal_check, required=blocks)
        elif blocks and not contact.reprisal_check:
            reprisal_check_clean({}, required=True)  # raises the errors of the empty check
    except ValidationError as exc:
        raise ContactInputError(exc, reasons) from exc
    needs_confirmation(data, reasons, confirmed=confirm_deviation)
    contact.reprisal_check = new_check
    contact.status = ContactStatus.DONE
    contact.contact_at = at
    contact.measures_decided = measures
    contact.follow_up_on = follow_up_on
    contact.outcome_note = outcome_note
    contact.ground_valid = not reasons
    contact.save(
        update_fields=[
            "status",
            "contact_at",
            "measures_decided",
            "follow_up_on",
            "outcome_note",
            "ground_valid",
            "reprisal_check",
        ]
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=contact,
        kind="police_contact_done",
        summary=_("Planlagt politikontakt gjennomført"),
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        reason="completed",
        details={
            "status": contact.status,
            "ground": contact.legal_ground,
            "ground_valid": not reasons,
            "measures": len(measures),
            "reprisal_check": reprisal_state(contact.reprisal_check, needs_check),
        },
    )
    if reasons and not contact.deviations.filter(closed_at__isnull=True).exists():
        _deviation_create(
            acting_user=acting_user,
            case=case,
            kind=deviation_kind(contact.legal_ground, reasons),
            reasons=reasons,
            police_contact=contact,
        )
    return contact


# Fields of a plan that ``police_contact_update`` may change, by the group the audit event
# names (``<group>_changed``: booleans, never the values).
PLAN_FIELD_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "time": ("contact_at",),
    "district": ("police_district", "police_unit"),
    "contact": ("contact_role", "channel"),
    "categories": ("shared_categories",),
    "ground": (
        "legal_ground",
        "duty_to_avert_offences",
        "duty_to_avert_why",
        "duty_to_avert_decided_by",
        "avert_action",
        "avert_action_note",
        "necessity_why",
        "danger_what",
        "danger_consent",
        "danger_consent_why",
        "decided_as",
        "leader_told_at",
    ),
    "user_told": ("user_told_at", "user_told_how", "user_not_told_why"),
    "consent": ("consent",),
    "reprisal": ("reprisal_check",),
}
PLAN_FIELDS: Final = tuple(name for names in PLAN_FIELD_GROUPS.values() for name in names)


@transaction.atomic
def police_contact_update(
    *, acting_user: User, contact: PoliceContact, data: ContactInput
) -> PoliceContact:
    """Correct a *planned* contact: its ground and the ground's record, consent, what will be
    shared, district and the G9 check (a consent obtained after the plan can be linked here).

    ``data.status`` and the outcome are ignored: a plan stays a plan. The ground is checked again
    and ``ground_valid`` updated; a plan opens no deviation (that happens if it is marked done
    without a valid ground). A done contact is the record of what happened and is not edited."""
    case = contact.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(
            _("Bare en planlagt kontakt kan endres. En gjennomført kontakt er dokumentasjon.")
        )
    data = data.replace(
        status=ContactStatus.PLANNED, measures_decided=(), follow_up_on=None, outcome_note=""
    )
    # The same rule as when recording it (choices, categories, G9 check, ground).
    checked = _contact_check(acting_user=acting_user, case=case, data=data)
    clean, check, reasons = checked.data, checked.check, checked.reasons
    new_values: dict[str, Any] = {name: getattr(clean, name) for name in STORED}
    new_values["shared_categories"] = list(clean.shared_categories)
    new_values["duty_to_avert_offences"] = list(clean.duty_to_avert_offences)
    new_values["reprisal_check"] = check
    changed = {name for name in PLAN_FIELDS if getattr(contact, name) != new_values[name]}
    for name, value in new_values.items():
        setattr(contact, name, value)
    contact.ground_valid = not reasons
    contact.save(update_fields=[*PLAN_FIELDS, "ground_valid"])
    case_change(
        case=case,
        actor=acting_user,
        obj=contact,
        kind="police_contact_updated",
        summary=_("Planlagt politikontakt endret (grunnlag: %(ground)s)")
        % {"ground": LegalGround(clean.legal_ground).label},
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        reason="updated",
        details={
            "status": contact.status,
            "ground": clean.legal_ground,
            "ground_valid": not reasons,
            "identifying": bool(IDENTIFYING_CATEGORIES.intersection(clean.shared_categories)),
            "categories": len(clean.shared_categories),
            **{
                f"{group}_changed": bool(changed.intersection(names))
                for group, names in PLAN_FIELD_GROUPS.items()
            },
            "reprisal_check": reprisal_state(check, checked.needs_check),
        },
    )
    return contact


def user_told_missing(contact: PoliceContact) -> bool:
    """L1, L2: a no-consent contact on which it is not recorded that the user was told (a
    reason why not yet still counts as not told). Shown to the leader until recorded."""
    return contact.legal_ground in NO_CONSENT_GROUNDS and contact.user_told_at is None


@transaction.atomic
def police_contact_user_told_add(
    *, acting_user: User, contact: PoliceContact, user_told_at: dt.datetime, user_told_how: str
) -> PoliceContact:
    """L1, L2: record afterwards, on a *done* no-consent contact, when and how the user was told
    of it. Like the G9 check added afterwards, the moment it was recorded is kept
    (``user_told_added_at``); the contact's ground is not judged again (a deviation already
    opened stays for the leader)."""
    case = contact.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    locked = PoliceContact.objects.select_for_update().get(pk=contact.pk)
    if locked.status != ContactStatus.DONE or not user_told_missing(locked):
        raise ValidationError(
            _("Det er allerede registrert at brukeren er informert, eller det trengs ikke.")
        )
    how = user_told_how.strip()
    texts_check({"user_told_how": how})
    if user_told_at is None:
        raise ValidationError({"user_told_at": _("Skriv når brukeren ble informert.")})
    if not how:
        raise ValidationError({"user_told_how": _("Skriv hvordan brukeren ble informert.")})
    told = _user_told_clean(user_told_at, how, "")
    for name, value in told.items():
        setattr(locked, name, value)
        setattr(contact, name, value)
    locked.user_told_added_at = contact.user_told_added_at = clock.now()
    locked.save(update_fields=[*told, "user_told_added_at"])
    case_change(
        case=case,
        actor=acting_user,
        obj=locked,
        kind="police_contact_user_told",
        summary=_("Registrert at brukeren er informert om kontakten med politiet"),
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        reason="user_told_added",
        details={"status": locked.status, "ground": locked.legal_ground, "user_told": "told"},
    )
    return contact


@transaction.atomic
def police_contact_reprisal_check_add(
    *,
    acting_user: User,
    contact: PoliceContact,
    reprisal_check: Mapping[str, Any] | None,
) -> PoliceContact:
    """G9, G11: record the reprisal-risk check afterwards on a *done* contact that lacks it.

    Under the duty to avert the check never blocks the record (``reprisal_check_blocks``): the
    police are called first, and the check is shown to the leader as missing. Once the urgent
    moment has passed, the centre documents it here. Afterwards there is no urgency, so the
    check must be complete. Only a missing check is added: a recorded check is the record of
    what was weighed before the contact and is never overwritten (a planned contact is
    corrected with ``police_contact_update``). The moment it was added is stored with it
    (``added_at``), so nobody reads it as weighed before the contact."""
    case = contact.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    locked = PoliceContact.objects.select_for_update().get(pk=contact.pk)
    if locked.status != ContactStatus.DONE:
        raise ValidationError(
            _("En planlagt kontakt får vurderingen av represalier ved å endre planen.")
        )
    if not reprisal_check_missing(locked):
        raise ValidationError(
            _("Kontakten har allerede en vurdering av represalier, eller trenger ingen.")
        )
    check = reprisal_check_clean(reprisal_check, required=True)
    check["added_at"] = clock.now().isoformat()
    contact.reprisal_check = locked.reprisal_check = check
    locked.save(update_fields=["reprisal_check"])
    case_change(
        case=case,
        actor=acting_user,
        obj=locked,
        kind="police_contact_reprisal_check",
        summary=_("Vurdering av represalier registrert etter kontakten (G9)"),
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        reason="reprisal_check_added",
        details={
            "status": locked.status,
            "ground": locked.legal_ground,
            "reprisal_risk": check["risk"],
            "reprisal_check": "recorded_after",
        },
    )
    return contact


# --------------------------------------------------------------------------- deviations


def _deviation_create(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    reasons: Sequence[str],
    description: str = "",
    police_contact: PoliceContact | None = None,
) -> Deviation:
    deviation = Deviation.objects.create(
        centre_id=case.centre_id,
        case=case,
        kind=kind,
        police_contact=police_contact,
        reasons=list(reasons),
        description=description.strip(),
        opened_at=clock.now(),
        opened_by=acting_user,
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=deviation,
        kind="deviation_opened",
        summary=_("Avvik åpnet: %(kind)s") % {"kind": DeviationKind(kind).label},
        action=AuditAction.DEVIATION_OPENED,
        object_type="deviation",
        reason=reasons[0] if reasons else "",
        details={
            "kind": kind,
            "reasons": len(reasons),
            "police_contact": police_contact.pk if police_contact else None,
        },
    )
    return deviation


@transaction.atomic
def deviation_open(
    *,
    acting_user: User,
    case: Case,
    reasons: Sequence[str],
    kind: str = DeviationKind.OTHER,
    description: str = "",
    police_contact: PoliceContact | None = None,
) -> Deviation:
    """Open a deviation on a case by hand (kind ``other`` with a reason code), or from another
    area's service (relocation without police, say)."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    _choice(kind, DeviationKind.values, "kind", _("Ukjent type avvik."))
    codes = [str(code) for code in reasons]
    if not codes or not all(_CODE_RE.fullmatch(code) for code in codes):
        raise ValidationError({"reason": _("Velg en årsak.")})
    if police_contact is not None and police_contact.case_id != case.pk:
        raise PermissionDenied
    return _deviation_create(
        acting_user=acting_user,
        case=case,
        kind=kind,
        reasons=codes,
        description=description,
        police_contact=police_contact,
    )


@transaction.atomic
def contact_ground_lost(
    *,
    acting_user: User,
    contact: PoliceContact,
    reason: str,
    kind: str = DeviationKind.CONTACT_WITHOUT_GROUND,
) -> Deviation:
    """A *done* contact turns out not to have had a valid ground (C1: a consent withdrawn with
    a moment at or before the contact, recorded afterwards): in one transaction its
    ``ground_valid`` becomes False, the change is audited and stands on the timeline with the
    reason code, and a deviation with that reason opens for the leader. The contact itself (what
    happened) is not changed: reality is never refused, it is flagged.

    A planned contact is not handled here: its ground is checked again when it is marked done
    (``police_contact_complete``).

    Allowed on a closed case: withdrawing a consent is the one write a closed case takes (C1),
    and what it reveals about the contacts made under the consent must reach the leader like
    on an open case (G11 review); the deviation is oversight, not a change of the case."""
    case = contact.case
    ensure_same_centre(case, acting_user)
    _choice(kind, DeviationKind.values, "kind", _("Ukjent type avvik."))
    if not _CODE_RE.fullmatch(reason):
        raise ValidationError({"reason": _("Velg en årsak.")})
    locked = PoliceContact.objects.select_for_update().get(pk=contact.pk)
    if locked.case_id != case.pk or locked.status != ContactStatus.DONE:
        raise ValidationError(
            _("Bare en gjennomført kontakt kan miste grunnlaget. En plan sjekkes når den gjøres.")
        )
    was_valid = locked.ground_valid
    locked.ground_valid = False
    locked.save(update_fields=["ground_valid"])
    contact.ground_valid = False
    case_change(
        case=case,
        actor=acting_user,
        obj=locked,
        kind="police_contact_ground_lost",
        summary=_("Politikontakten mistet grunnlaget: %(reason)s")
        % {"reason": reason_label(reason, done=True)},
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        reason="ground_lost",
        details={
            "status": locked.status,
            "ground": locked.legal_ground,
            "ground_valid": False,
            "was_valid": was_valid,
            "cause": reason,
        },
    )
    return _deviation_create(
        acting_user=acting_user,
        case=case,
        kind=kind,
        reasons=[reason],
        police_contact=locked,
    )


@transaction.atomic
def deviation_close(
    *, acting_user: User, deviation: Deviation, comment: str, justification: str = ""
) -> Deviation:
    """A leader reviews and closes a deviation with a comment (leader only).

    For a contact without a valid ground the leader may record what justified it after the
    fact (``Justification``: nødrett, straffeloven § 17, or another): an exceptional
    justification weighed case by case in the review, never a ground staff plan on. The comment
    is required as always (it says why).

    Allowed on a closed case too: review of what happened is oversight, not a case change."""
    require_leader(acting_user)
    ensure_same_centre(deviation.case, acting_user)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Skriv en kommentar før avviket lukkes.")})
    if deviation.closed_at is not None:
        raise ValidationError(_("Avviket er allerede lukket."))
    _choice(justification, Justification.values, "justification", _("Ukjent rettferdiggjøring."))
    if justification and deviation.kind != DeviationKind.CONTACT_WITHOUT_GROUND:
        raise ValidationError(
            {
                "justification": _(
                    "En rettferdiggjøring registreres bare for kontakt uten gyldig grunnlag."
                )
            }
        )
    deviation.closed_at = clock.now()
    deviation.closed_by = acting_user
    deviation.leader_comment = comment
    deviation.justification = justification
    deviation.save(update_fields=["closed_at", "closed_by", "leader_comment", "justification"])
    case_change(
        case=deviation.case,
        actor=acting_user,
        obj=deviation,
        kind="deviation_closed",
        summary=_("Avvik lukket av leder: %(kind)s")
        % {"kind": DeviationKind(deviation.kind).label},
        action=AuditAction.DEVIATION_CLOSED,
        object_type="deviation",
        details={"kind": deviation.kind, "justification": justification or None},
    )
    return deviation


@transaction.atomic
def police_contact_review(
    *, acting_user: User, contact: PoliceContact, note: str = ""
) -> PoliceContact:
    """A leader marks a contact without consent (duty to avert or danger ground: L1, L2, G11)
    as reviewed ("Gjennomgått"), with an optional note: who and when are recorded, the audit
    event (``police_contact_reviewed``, no note in it) and a timeline line in the same
    transaction. Leaders of the contact's centre only; once per contact.

    Allowed on a closed case too: review of what happened is oversight, not a case change."""
    require_leader(acting_user)
    ensure_same_centre(contact.case, acting_user)
    if contact.legal_ground not in NO_CONSENT_GROUNDS:
        raise ValidationError(
            _(
                "Bare kontakter etter avvergeplikten eller ved fare for liv eller helse "
                "merkes som gjennomgått her."
            )
        )
    note = note.strip()
    if (message := too_long(note, LONG_TEXT)) is not None:
        raise ValidationError({"note": message})
    # Lock the row: two leaders pressing at once record one review.
    locked = PoliceContact.objects.select_for_update().get(pk=contact.pk)
    if locked.leader_reviewed_at is not None:
        raise ValidationError(_("Kontakten er allerede merket som gjennomgått."))
    contact.leader_reviewed_at = clock.now()
    contact.leader_reviewed_by = acting_user
    contact.leader_review_note = note
    contact.save(update_fields=["leader_reviewed_at", "leader_reviewed_by", "leader_review_note"])
    case_change(
        case=contact.case,
        actor=acting_user,
        obj=contact,
        kind="no_consent_contact_reviewed",
        summary=_("Kontakt med politiet uten samtykke gjennomgått av leder"),
        action=AuditAction.POLICE_CONTACT_REVIEWED,
        object_type="police_contact",
        details={"ground": contact.legal_ground, "with_note": bool(note)},
    )
    return contact
