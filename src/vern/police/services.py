"""Writes for police contacts and deviations (issue 5, parts 6 and 7).

Rules enforced here, not only in forms:

* G3, C1: a contact on the ground of consent needs a consent of *this* case that is valid at
  the contact time, covers the shared kinds of information and the recipient, and was preceded
  by the information about public prosecution (G5, G15).
* G11: the duty to avert (straffeloven § 196) needs no consent, but the offence(s) must be on the
  § 196 list of the rulebook and the reason why it is certain or most likely must be written.
* G3: an anonymous consultation shares nothing that can identify the user (see
  ``CATEGORY_IDENTIFIES``: only what happened, told in general terms).
* "Reality is never refused": a *done* contact whose ground is not valid is still saved, with
  ``ground_valid=False``, and opens a deviation (avvik) for the centre's leader. A *planned*
  contact is saved too; it can be corrected (``police_contact_update``) and its ground is
  checked again when it is marked done.
* G9: the reprisal-risk check is required, planned or done, for every contact in which the
  police learn whose case it is (``reprisal_check_needed``); under the duty to avert (G11) it
  never blocks, and a missing check is shown to the leader (``reprisal_check_blocks``) and can be
  recorded afterwards on the done contact (``police_contact_reprisal_check_add``).
* C1: a done contact whose consent turns out to have been withdrawn before it (a backdated
  withdrawal) loses its ground and gets a deviation in one go (``contact_ground_lost``).
* Free text has the same maxima for the web forms and the API (``TEXT_LIMITS``).
* P1: measures the police decided never require a recorded report.
* Only a leader closes a deviation, with a comment.

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
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.cases.models import Case
from vern.cases.services import case_change, ensure_open, ensure_same_centre
from vern.centres.models import PoliceDistrict
from vern.consent import selectors as consent_selectors
from vern.consent.models import Consent, InformationCategory, RecipientKind
from vern.core import clock
from vern.core.forms import too_long
from vern.police.models import (
    Channel,
    ContactRole,
    ContactStatus,
    Deviation,
    DeviationKind,
    LegalGround,
    ManualDeviationReason,
    PoliceContact,
    ReprisalProtection,
    ReprisalRisk,
    ReprisalRoute,
)
from vern.rules import load_rulebook
from vern.rules.program import valid_on

# G3: which kinds of information identify the user, decided one by one. The duty of
# confidentiality (krisesenterlova § 5, reference krisesenterlova-5 in docs/sources) covers not
# only name and address but "anything that can reveal that a person has been in contact with the
# service". An anonymous discussion may therefore carry only what cannot lead the police to the
# user; when in doubt, identifying.
CATEGORY_IDENTIFIES: Final[dict[str, bool]] = {
    # Name, date of birth and contact details: identify her directly.
    InformationCategory.IDENTITY: True,
    # That she lives at or is in contact with the centre: exactly what § 5 protects.
    InformationCategory.STAY: True,
    # Where she is staying now: identifies her and tells where to find her.
    InformationCategory.ADDRESS: True,
    # The perpetrator: from his name (or a description of him) the police find his partner or
    # former partner in their registers, so naming him names her.
    InformationCategory.PERPETRATOR: True,
    # The children: names, ages, school or kindergarten identify the family, and her with it.
    InformationCategory.CHILDREN: True,
    # The mapping of the threat picture: who the perpetrator is, whom she lives with, the
    # children, where the violence happens, earlier reports. As a whole it identifies her.
    InformationCategory.RISK_MAPPING: True,
    # What happened (the kinds of violence and threats), told in general terms without names,
    # places or dates: this is what an anonymous discussion is for, and it alone is allowed.
    InformationCategory.VIOLENCE: False,
}

# Kinds of information that identify the user: sharing any of them is not anonymous (G3). A
# kind added later without a decision in CATEGORY_IDENTIFIES counts as identifying.
IDENTIFYING_CATEGORIES: Final = frozenset(
    code for code in InformationCategory.values if CATEGORY_IDENTIFIES.get(code, True)
)

# A done contact may be recorded a little ahead of the server clock (clock skew), not more.
FUTURE_SLACK = dt.timedelta(minutes=5)

# Maximum lengths of what staff type, for the web forms and the API alike (a limit of the
# service, not only of a form). Short lines fit one sentence; notes a few paragraphs.
UNIT_TEXT: Final = 200
SHORT_TEXT: Final = 300
LONG_TEXT: Final = 4000
# Field (as the web form and the errors name it) -> its maximum.
TEXT_LIMITS: Final[dict[str, int]] = {
    "police_unit": UNIT_TEXT,
    "duty_to_avert_why": LONG_TEXT,
    "outcome_note": LONG_TEXT,
    "reprisal_routes_other": SHORT_TEXT,
    "reprisal_protections_other": SHORT_TEXT,
    "reprisal_note": LONG_TEXT,
}

_CODE_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")

# Why a ground is not valid. Codes are stored on the deviation and in the audit log; the
# labels are for staff. The consent codes (withdrawn, expired, not_yet_given, out_of_scope,
# not_informed, information_after_consent) and their texts come from vern.consent.selectors.
REASON_LABELS: dict[str, Promise] = {
    "consent_missing": gettext_lazy(
        "Samtykke er oppgitt som grunnlag, men intet samtykke er valgt."
    ),
    "consent_other_case": gettext_lazy("Samtykket hører ikke til denne saken."),
    "consent_not_for_police": gettext_lazy("Samtykket gjelder ikke politiet som mottaker."),
    "district_outside_consent": gettext_lazy(
        "Samtykket gjelder et annet politidistrikt enn det som ble kontaktet."
    ),
    "identifying_shared": gettext_lazy(
        "En anonym drøfting kan bare inneholde hva som har skjedd, fortalt uten navn, steder "
        "eller datoer. Navn, oppholdssted, at brukeren bor på senteret, opplysninger om "
        "utøveren eller barna og kartleggingen kan avsløre hvem hun er (krisesenterlova § 5)."
    ),
    "offence_missing": gettext_lazy("Avvergeplikt: ingen straffbar handling er valgt."),
    "offence_not_in_196_list": gettext_lazy(
        "Avvergeplikt: den valgte straffbare handlingen står ikke på listen i straffeloven § 196."
    ),
    "why_missing": gettext_lazy(
        "Avvergeplikt: det er ikke skrevet hvorfor det er sikkert eller mest sannsynlig."
    ),
    "no_ground": gettext_lazy("Det er ikke valgt noe rettslig grunnlag for kontakten."),
}

# Consent reasons that mean "the consent was fine, but more was shared than it covers".
SCOPE_REASONS = frozenset({consent_selectors.OUT_OF_SCOPE, "district_outside_consent"})


# How a reason reads about a contact that has happened (deviations, done contacts): the
# consent texts of vern.consent.selectors speak of the present ("er trukket tilbake").
DONE_REASON_LABELS: dict[str, Promise] = {
    consent_selectors.WITHDRAWN: gettext_lazy(
        "Samtykket var trukket tilbake da kontakten skjedde (C1)."
    ),
}


def reason_label(code: str, *, done: bool = False) -> str:
    """The text of a reason code; ``done``: about a contact that has happened (a deviation)."""
    label = (
        (DONE_REASON_LABELS.get(code) if done else None)
        or REASON_LABELS.get(code)
        or consent_selectors.REASON_TEXTS.get(code)
        or dict(ManualDeviationReason.choices).get(code)
    )
    return str(label) if label is not None else code


def require_leader(user: User) -> None:
    """Leader pages and leader decisions: a leder of a centre, nobody else."""
    if not (user.works_with_cases and user.is_leader):
        raise PermissionDenied


# --------------------------------------------------------------------------- rulebook look-ups


def _local_day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def offences_on(day: dt.date) -> dict[str, bool]:
    """Offence id -> whether it is on the § 196 list, for the offences in force on ``day``."""
    rulebook = load_rulebook()
    return {
        offence.id: offence.in_196_list
        for offence in rulebook.offences
        if valid_on(offence.valid_from, offence.valid_until, day)
    }


def measures_on(day: dt.date) -> set[str]:
    """Ids of the measures of the catalogue that exist in law on ``day`` (P1)."""
    return {
        measure.id
        for measure in load_rulebook().measures
        if valid_on(measure.valid_from, measure.valid_until, day)
    }


# --------------------------------------------------------------------------- the legal ground


def contact_ground_reasons(
    *,
    case: Case,
    legal_ground: str,
    at: dt.datetime,
    categories: Iterable[str],
    police_district: str = "",
    consent: Consent | None = None,
    offences: Iterable[str] = (),
    why: str = "",
) -> list[str]:
    """Why the ground of a contact is not valid at ``at``; an empty list means it is valid.

    Pure read: the view calls it to warn before saving, the services to decide the deviation.
    """
    categories = list(categories)
    if legal_ground == LegalGround.CONSENT:
        return _consent_reasons(
            case=case,
            consent=consent,
            at=at,
            categories=categories,
            police_district=police_district,
        )
    if legal_ground == LegalGround.DUTY_TO_AVERT:
        # G11: no consent needed; the grounds themselves are what make the contact lawful.
        reasons = []
        offence_ids = list(offences)
        in_force = offences_on(_local_day(at))
        if not offence_ids:
            reasons.append("offence_missing")
        elif not all(in_force.get(offence_id, False) for offence_id in offence_ids):
            reasons.append("offence_not_in_196_list")
        if not why.strip():
            reasons.append("why_missing")
        return reasons
    if legal_ground == LegalGround.ANONYMOUS:
        if IDENTIFYING_CATEGORIES.intersection(categories):
            return ["identifying_shared"]
        return []
    return ["no_ground"]


def _consent_reasons(
    *,
    case: Case,
    consent: Consent | None,
    at: dt.datetime,
    categories: list[str],
    police_district: str,
) -> list[str]:
    if consent is None:
        return ["consent_missing"]
    if consent.case_id != case.pk or consent.centre_id != case.centre_id:
        return ["consent_other_case"]
    reasons = list(consent_selectors.consent_covers(consent=consent, categories=categories, at=at))
    if consent.recipient_kind != RecipientKind.POLICE and "consent_not_for_police" not in reasons:
        reasons.append("consent_not_for_police")
    if consent.police_district and police_district and consent.police_district != police_district:
        reasons.append("district_outside_consent")
    return reasons


def _deviation_kind(legal_ground: str, reasons: Sequence[str]) -> str:
    if legal_ground == LegalGround.CONSENT and reasons and set(reasons) <= SCOPE_REASONS:
        return DeviationKind.SHARED_OUTSIDE_CONSENT
    return DeviationKind.CONTACT_WITHOUT_GROUND


# --------------------------------------------------------------------------- input checks


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


def reprisal_check_clean(data: Mapping[str, Any] | None, *, required: bool) -> dict[str, Any]:
    """The G9 check as stored: known codes only; with ``required`` the check must be complete.

    Keys: routes, routes_other, risk, protections, protections_other, note."""
    data = dict(data or {})
    routes = [str(code) for code in data.get("routes") or []]
    protections = [str(code) for code in data.get("protections") or []]
    risk = str(data.get("risk") or "")
    errors: dict[str, str] = {}
    if any(code not in ReprisalRoute.values for code in routes):
        errors["reprisal_routes"] = _("Ukjent valg for hvordan utøveren kan få vite om kontakten.")
    if any(code not in ReprisalProtection.values for code in protections):
        errors["reprisal_protections"] = _("Ukjent valg for hva som beskytter brukeren.")
    if risk and risk not in ReprisalRisk.values:
        errors["reprisal_risk"] = _("Ukjent valg for risiko for represalier.")
    clean = {
        "routes": sorted(set(routes), key=routes.index),
        "routes_other": str(data.get("routes_other") or "").strip(),
        "risk": risk,
        "protections": sorted(set(protections), key=protections.index),
        "protections_other": str(data.get("protections_other") or "").strip(),
        "note": str(data.get("note") or "").strip(),
    }
    for key in ("routes_other", "protections_other", "note"):
        limit = TEXT_LIMITS[f"reprisal_{key}"]
        if message := too_long(str(clean[key]), limit):
            errors[f"reprisal_{key}"] = message
    if required:
        if not clean["routes"]:
            errors.setdefault(
                "reprisal_routes",
                _("Velg minst én måte utøveren kan få vite om kontakten på (G9)."),
            )
        if not clean["risk"]:
            errors.setdefault("reprisal_risk", _("Velg risikoen for represalier (G9)."))
        if not clean["protections"]:
            errors.setdefault(
                "reprisal_protections",
                _(
                    "Velg minst én ting som beskytter brukeren hvis utøveren "
                    "får vite om kontakten (G9)."
                ),
            )
    if ReprisalRoute.OTHER in clean["routes"] and not clean["routes_other"]:
        errors["reprisal_routes_other"] = _("Beskriv den andre måten utøveren kan få vite det på.")
    if ReprisalProtection.OTHER in clean["protections"] and not clean["protections_other"]:
        errors["reprisal_protections_other"] = _("Beskriv hva annet som beskytter brukeren.")
    if errors:
        raise ValidationError(errors)
    if not required and not any(clean[key] for key in clean):
        return {}
    return clean


def reprisal_check_needed(*, legal_ground: str, categories: Iterable[str]) -> bool:
    """G9: whether the contact needs the reprisal-risk check, planned or done.

    The perpetrator can learn that the police are involved in *her* case only when the police
    know whose case it is: every contact that rests on consent or the duty to avert, and every
    contact that shares anything that identifies her (``IDENTIFYING_CATEGORIES``, G3). An
    anonymous discussion of what happened, in general terms, gives the police nothing to act on
    towards him, and needs no check."""
    if legal_ground in (LegalGround.CONSENT, LegalGround.DUTY_TO_AVERT):
        return True
    return bool(IDENTIFYING_CATEGORIES.intersection(categories))


def reprisal_check_blocks(legal_ground: str) -> bool:
    """Whether a missing G9 check stops the record (True) or is recorded as missing (False).

    G9 and G11 weighed: under the duty to avert (straffeloven § 196) the police must be told
    *now*, without consent, because a serious crime is to be averted; staff may call the
    operations centre before there is time to go through how the perpetrator might learn of it.
    Refusing the record until the check is filled in would not stop the call, only its
    documentation ("reality is never refused"). So under the duty to avert the check is asked
    for but never required: a contact without it is saved, marked as missing the check in the
    audit event, shown as such on the contact page and in the leader's list of duty-to-avert
    contacts (G11), a planned one can be completed with the check later, and a done one gets it
    afterwards (``police_contact_reprisal_check_add``). Every other ground
    has no such urgency, and the check is required before the record is saved."""
    return legal_ground != LegalGround.DUTY_TO_AVERT


def reprisal_check_for(
    *, legal_ground: str, categories: Iterable[str], reprisal_check: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The G9 check as it will be stored for a contact with this ground and these categories;
    raises the field errors when it is required and incomplete. The views call it before they
    warn about the ground, so that staff see every error at once."""
    categories = list(categories)
    needed = reprisal_check_needed(legal_ground=legal_ground, categories=categories)
    return reprisal_check_clean(
        reprisal_check, required=needed and reprisal_check_blocks(legal_ground)
    )


def reprisal_check_missing(contact: PoliceContact) -> bool:
    """G9: the contact needs the reprisal-risk check and has none (duty to avert, or a contact
    recorded before the check was required for done contacts). Shown to the leader."""
    return not contact.reprisal_check and reprisal_check_needed(
        legal_ground=contact.legal_ground, categories=contact.shared_categories
    )


def _reprisal_state(check: Mapping[str, Any], needed: bool) -> str:
    """Short code for the audit event: recorded, missing or not_needed."""
    if check:
        return "recorded"
    return "missing" if needed else "not_needed"


def _categories_clean(categories: Iterable[str]) -> list[str]:
    values = list(dict.fromkeys(categories))
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


def _offences_clean(offences: Iterable[str]) -> list[str]:
    """Known offence ids only; whether they are on the § 196 list is part of the ground."""
    values = list(dict.fromkeys(offences))
    known = load_rulebook().offence_ids
    if any(code not in known for code in values):
        raise ValidationError({"duty_to_avert_offences": _("Ukjent straffbar handling.")})
    return values


# --------------------------------------------------------------------------- contacts


@dataclass(frozen=True)
class _Ground:
    """A contact's shared categories, its G9 check, the chosen ground's own fields, cleaned,
    and why the ground is not valid (empty: valid)."""

    categories: list[str]
    check: dict[str, Any]
    needs_check: bool
    offences: list[str]
    why: str
    decider: User | None
    consent: Consent | None
    reasons: list[str]


def _ground_resolve(
    *,
    acting_user: User,
    case: Case,
    legal_ground: str,
    at: dt.datetime,
    shared_categories: Iterable[str],
    police_district: str,
    contact_role: str,
    channel: str,
    consent: Consent | None,
    reprisal_check: Mapping[str, Any] | None,
    duty_to_avert_offences: Iterable[str],
    duty_to_avert_why: str,
    duty_to_avert_decided_by: User | None,
) -> _Ground:
    """The input a contact is recorded or corrected with, checked by one rule: the choices,
    the shared categories, the G9 reprisal check (required for every contact the perpetrator
    could learn of; under the duty to avert recorded as missing, never refused: G11), and the
    chosen ground with only its own fields - the duty to avert's offences, reason and decider
    (G11); the consent only under consent, never one of another case or centre (G3, C1)."""
    _choice(police_district, PoliceDistrict.values, "police_district", _("Velg politidistrikt."))
    _choice(contact_role, ContactRole.values, "contact_role", _("Velg kontaktpersonens rolle."))
    _choice(channel, Channel.values, "channel", _("Velg kanal."))
    _choice(legal_ground, LegalGround.values, "legal_ground", _("Velg rettslig grunnlag."))
    categories = _categories_clean(shared_categories)
    needs_check = reprisal_check_needed(legal_ground=legal_ground, categories=categories)
    check = reprisal_check_for(
        legal_ground=legal_ground, categories=categories, reprisal_check=reprisal_check
    )
    offences: list[str] = []
    why = ""
    decider: User | None = None
    if legal_ground == LegalGround.DUTY_TO_AVERT:
        offences = _offences_clean(duty_to_avert_offences)
        why = duty_to_avert_why.strip()
        decider = _decider(duty_to_avert_decided_by, acting_user, case)
    if legal_ground != LegalGround.CONSENT:
        consent = None
    reasons = contact_ground_reasons(
        case=case,
        legal_ground=legal_ground,
        at=at,
        categories=categories,
        police_district=police_district,
        consent=consent,
        offences=offences,
        why=why,
    )
    if consent is not None and "consent_other_case" in reasons:
        consent = None  # never link a consent of another case (or centre)
    return _Ground(categories, check, needs_check, offences, why, decider, consent, reasons)


@transaction.atomic
def police_contact_record(
    *,
    acting_user: User,
    case: Case,
    status: str,
    contact_at: dt.datetime,
    police_district: str,
    contact_role: str,
    channel: str,
    legal_ground: str,
    shared_categories: Iterable[str] = (),
    police_unit: str = "",
    consent: Consent | None = None,
    duty_to_avert_offences: Iterable[str] = (),
    duty_to_avert_why: str = "",
    duty_to_avert_decided_by: User | None = None,
    reprisal_check: Mapping[str, Any] | None = None,
    measures_decided: Iterable[str] = (),
    follow_up_on: dt.date | None = None,
    outcome_note: str = "",
) -> PoliceContact:
    """Record a planned or done police contact with its legal ground (G3, G11) and G9 check.

    Never refuses a done contact because of its ground: an invalid ground is saved with
    ``ground_valid=False`` and opens a deviation for the leader."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    _choice(
        status,
        ContactStatus.values,
        "status",
        _("Velg om kontakten er planlagt eller gjennomført."),
    )
    texts_check(
        {
            "police_unit": police_unit.strip(),
            "duty_to_avert_why": duty_to_avert_why.strip(),
            "outcome_note": outcome_note.strip(),
        }
    )
    day = _local_day(contact_at)
    planned = status == ContactStatus.PLANNED
    if not planned:
        _done_time(contact_at)
    ground = _ground_resolve(
        acting_user=acting_user,
        case=case,
        legal_ground=legal_ground,
        at=contact_at,
        shared_categories=shared_categories,
        police_district=police_district,
        contact_role=contact_role,
        channel=channel,
        consent=consent,
        reprisal_check=reprisal_check,
        duty_to_avert_offences=duty_to_avert_offences,
        duty_to_avert_why=duty_to_avert_why,
        duty_to_avert_decided_by=duty_to_avert_decided_by,
    )
    categories, check, needs_check = ground.categories, ground.check, ground.needs_check
    offences, why, decider = ground.offences, ground.why, ground.decider
    consent, reasons = ground.consent, ground.reasons
    measures = _measures_clean(measures_decided, day)
    if planned and (measures or outcome_note.strip() or follow_up_on):
        raise ValidationError(
            {"measures_decided": _("Utfallet registreres når kontakten er gjennomført.")}
        )

    contact = PoliceContact.objects.create(
        centre_id=case.centre_id,
        case=case,
        status=status,
        contact_at=contact_at,
        police_district=police_district,
        police_unit=police_unit.strip(),
        contact_role=contact_role,
        channel=channel,
        shared_categories=categories,
        legal_ground=legal_ground,
        ground_valid=not reasons,
        consent=consent,
        duty_to_avert_offences=offences,
        duty_to_avert_why=why,
        duty_to_avert_decided_by=decider,
        measures_decided=measures,
        follow_up_on=follow_up_on,
        outcome_note=outcome_note.strip(),
        reprisal_check=check,
        recorded_by=acting_user,
    )
    ground_label = LegalGround(legal_ground).label
    if planned:
        summary = _("Politikontakt planlagt (grunnlag: %(ground)s)") % {"ground": ground_label}
    else:
        summary = _("Politikontakt registrert (grunnlag: %(ground)s)") % {"ground": ground_label}
    case_change(
        case=case,
        actor=acting_user,
        obj=contact,
        kind=f"police_contact_{status}",
        summary=summary,
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        details={
            "status": status,
            "ground": legal_ground,
            "ground_valid": not reasons,
            "identifying": bool(IDENTIFYING_CATEGORIES.intersection(categories)),
            "categories": len(categories),
            "offences": len(offences),
            "measures": len(measures),
            "reprisal_risk": check.get("risk") or None,
            "reprisal_check": _reprisal_state(check, needs_check),
        },
    )
    if reasons and not planned:
        _deviation_create(
            acting_user=acting_user,
            case=case,
            kind=_deviation_kind(legal_ground, reasons),
            reasons=reasons,
            police_contact=contact,
        )
    return contact


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
) -> PoliceContact:
    """Mark a planned contact as done, with its outcome (P1: measures need no report).

    The ground is checked again at the actual time (a consent may have been withdrawn or may
    have expired since the plan); an invalid ground opens a deviation."""
    case = contact.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("Kontakten er allerede registrert som gjennomført."))
    at = contact_at or contact.contact_at
    _done_time(at)
    texts_check({"outcome_note": outcome_note.strip()})
    measures = _measures_clean(measures_decided, _local_day(at))
    # G9: a plan recorded without the check (duty to avert, or before the check was required)
    # gets it now; only the duty to avert may still go without it (see reprisal_check_blocks).
    needs_check = reprisal_check_needed(
        legal_ground=contact.legal_ground, categories=contact.shared_categories
    )
    blocks = needs_check and reprisal_check_blocks(contact.legal_ground)
    if reprisal_check is not None and any(reprisal_check.values()):
        contact.reprisal_check = reprisal_check_clean(reprisal_check, required=blocks)
    elif blocks and not contact.reprisal_check:
        reprisal_check_clean({}, required=True)  # raises the errors of the empty check
    reasons = contact_ground_reasons(
        case=case,
        legal_ground=contact.legal_ground,
        at=at,
        categories=contact.shared_categories,
        police_district=contact.police_district,
        consent=contact.consent,
        offences=contact.duty_to_avert_offences,
        why=contact.duty_to_avert_why,
    )
    contact.status = ContactStatus.DONE
    contact.contact_at = at
    contact.measures_decided = measures
    contact.follow_up_on = follow_up_on
    contact.outcome_note = outcome_note.strip()
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
            "reprisal_check": _reprisal_state(contact.reprisal_check, needs_check),
        },
    )
    if reasons and not contact.deviations.filter(closed_at__isnull=True).exists():
        _deviation_create(
            acting_user=acting_user,
            case=case,
            kind=_deviation_kind(contact.legal_ground, reasons),
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
    ),
    "consent": ("consent",),
    "reprisal": ("reprisal_check",),
}
PLAN_FIELDS: Final = tuple(name for names in PLAN_FIELD_GROUPS.values() for name in names)


@transaction.atomic
def police_contact_update(
    *,
    acting_user: User,
    contact: PoliceContact,
    contact_at: dt.datetime,
    police_district: str,
    contact_role: str,
    channel: str,
    legal_ground: str,
    shared_categories: Iterable[str] = (),
    police_unit: str = "",
    consent: Consent | None = None,
    duty_to_avert_offences: Iterable[str] = (),
    duty_to_avert_why: str = "",
    duty_to_avert_decided_by: User | None = None,
    reprisal_check: Mapping[str, Any] | None = None,
) -> PoliceContact:
    """Correct a *planned* contact: its ground, consent, what will be shared, district and the G9
    check (a consent obtained after the plan can be linked here).

    The ground is checked again (``contact_ground_reasons``) and ``ground_valid`` updated; a plan
    opens no deviation (that happens if it is marked done without a valid ground). A done
    contact is the record of what happened and is not edited."""
    case = contact.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(
            _("Bare en planlagt kontakt kan endres. En gjennomført kontakt er dokumentasjon.")
        )
    texts_check(
        {"police_unit": police_unit.strip(), "duty_to_avert_why": duty_to_avert_why.strip()}
    )
    # The same rule as when recording it (choices, categories, G9 check, ground).
    ground = _ground_resolve(
        acting_user=acting_user,
        case=case,
        legal_ground=legal_ground,
        at=contact_at,
        shared_categories=shared_categories,
        police_district=police_district,
        contact_role=contact_role,
        channel=channel,
        consent=consent,
        reprisal_check=reprisal_check,
        duty_to_avert_offences=duty_to_avert_offences,
        duty_to_avert_why=duty_to_avert_why,
        duty_to_avert_decided_by=duty_to_avert_decided_by,
    )
    categories, check, needs_check = ground.categories, ground.check, ground.needs_check
    offences, why, decider = ground.offences, ground.why, ground.decider
    consent, reasons = ground.consent, ground.reasons

    new_values: dict[str, Any] = {
        "contact_at": contact_at,
        "police_district": police_district,
        "police_unit": police_unit.strip(),
        "contact_role": contact_role,
        "channel": channel,
        "shared_categories": categories,
        "legal_ground": legal_ground,
        "consent": consent,
        "duty_to_avert_offences": offences,
        "duty_to_avert_why": why,
        "duty_to_avert_decided_by": decider,
        "reprisal_check": check,
    }
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
        % {"ground": LegalGround(legal_ground).label},
        action=AuditAction.POLICE_CONTACT_RECORDED,
        object_type="police_contact",
        reason="updated",
        details={
            "status": contact.status,
            "ground": legal_ground,
            "ground_valid": not reasons,
            "identifying": bool(IDENTIFYING_CATEGORIES.intersection(categories)),
            "categories": len(categories),
            **{
                f"{group}_changed": bool(changed.intersection(names))
                for group, names in PLAN_FIELD_GROUPS.items()
            },
            "reprisal_check": _reprisal_state(check, needs_check),
        },
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
def deviation_close(*, acting_user: User, deviation: Deviation, comment: str) -> Deviation:
    """A leader reviews and closes a deviation with a comment (leader only).

    Allowed on a closed case too: review of what happened is oversight, not a case change."""
    require_leader(acting_user)
    ensure_same_centre(deviation.case, acting_user)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Skriv en kommentar før avviket lukkes.")})
    if deviation.closed_at is not None:
        raise ValidationError(_("Avviket er allerede lukket."))
    deviation.closed_at = clock.now()
    deviation.closed_by = acting_user
    deviation.leader_comment = comment
    deviation.save(update_fields=["closed_at", "closed_by", "leader_comment"])
    case_change(
        case=deviation.case,
        actor=acting_user,
        obj=deviation,
        kind="deviation_closed",
        summary=_("Avvik lukket av leder: %(kind)s")
        % {"kind": DeviationKind(deviation.kind).label},
        action=AuditAction.DEVIATION_CLOSED,
        object_type="deviation",
        details={"kind": deviation.kind},
    )
    return deviation
