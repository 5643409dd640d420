"""The legal check of a police contact: is its ground valid, and if not, why (issue 16 point 3).

The one rule a contact is judged by, for the web forms, the API and every write alike. It takes
already-loaded objects (a ``ContactInput`` with its consent and decider) and, except for the
consent's G15 order (which reads the case's information records), needs no database:

* G3, C1: consent of *this* case, valid at the contact time, covering what is shared and the
  recipient, preceded by the information about public prosecution (G5, G15).
* L2 (G11): the duty to avert (straffeloven § 196) needs no consent; it is established only when
  every named offence is on the § 196 list (at least one named), with why it is certain or most
  likely, what was done to avert it (a report or another way), what was shared and why that was
  needed. When and how the user was told may follow later; the leader sees it missing.
* L1: danger to life or health (krisesenterlova § 5 second paragraph), a right, not a duty: what
  the danger is, why consent could not be had or was refused, what was shared and why that was
  necessary, who decided (the leader, or a staff member with the leader told at once, and when),
  and when and how the user was told, or why not yet.
* G3: an anonymous discussion shares nothing that identifies the user, so it needs no consent.

A *done* contact whose ground is not valid is still recorded, after confirmation, with a deviation
for the leader ("reality is never refused"): ``DeviationNeedsConfirmation`` asks for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from vern.consent import selectors as consent_selectors
from vern.consent.models import InformationCategory, RecipientKind
from vern.police.models import (
    AvertAction,
    ContactStatus,
    DecidedAs,
    DeviationKind,
    LegalGround,
    ManualDeviationReason,
)
from vern.rules import load_rulebook
from vern.rules.program import valid_on

if TYPE_CHECKING:
    from vern.accounts.models import User
    from vern.cases.models import Case
    from vern.consent.models import Consent
    from vern.police.models import PoliceContact

# G3: which kinds of information identify the user, decided one by one. The duty of
# confidentiality (krisesenterlova § 5) covers not only name and address but "anything that can
# reveal that a person has been in contact with the service". An anonymous discussion may
# therefore carry only what cannot lead the police to the user; when in doubt, identifying.
CATEGORY_IDENTIFIES: Final[dict[str, bool]] = {
    # Name, date of birth and contact details: identify the user directly.
    InformationCategory.IDENTITY: True,
    # That the user lives at or is in contact with the centre: exactly what § 5 protects.
    InformationCategory.STAY: True,
    # Where the user is staying now: identifies the user and tells where to find them.
    InformationCategory.ADDRESS: True,
    # The perpetrator: from the perpetrator's name (or a description) the police find the
    # partner or former partner in their registers, so naming the perpetrator names the user.
    InformationCategory.PERPETRATOR: True,
    # The children: names, ages, school or kindergarten identify the family, and the user too.
    InformationCategory.CHILDREN: True,
    # The mapping of the threat picture: who the perpetrator is, whom the user lives with, the
    # children, where the violence happens, earlier reports. As a whole it identifies the user.
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

# The grounds on which the police are told without consent (L1, L2): the leader sees every
# contact on them, and they record what was shared and why, and when the user was told.
NO_CONSENT_GROUNDS: Final = frozenset({LegalGround.DUTY_TO_AVERT, LegalGround.DANGER})

# Maximum lengths of what staff type, for the web forms and the API alike (a limit of the
# service, not only of a form). Short lines fit one sentence; notes a few paragraphs.
UNIT_TEXT: Final = 200
SHORT_TEXT: Final = 300
LONG_TEXT: Final = 4000
# Field (as the web form and the errors name it) -> its maximum.
TEXT_LIMITS: Final[dict[str, int]] = {
    "police_unit": UNIT_TEXT,
    "duty_to_avert_why": LONG_TEXT,
    "avert_action_note": LONG_TEXT,
    "necessity_why": LONG_TEXT,
    "danger_what": LONG_TEXT,
    "danger_consent_why": LONG_TEXT,
    "user_told_how": LONG_TEXT,
    "user_not_told_why": LONG_TEXT,
    "outcome_note": LONG_TEXT,
    "reprisal_routes_other": SHORT_TEXT,
    "reprisal_protections_other": SHORT_TEXT,
    "reprisal_note": LONG_TEXT,
}

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
        "utøveren eller barna og kartleggingen kan avsløre hvem brukeren er (krisesenterlova § 5)."
    ),
    "offence_missing": gettext_lazy("Avvergeplikt: ingen straffbar handling er valgt."),
    "offence_not_in_196_list": gettext_lazy(
        "Avvergeplikt: den valgte straffbare handlingen står ikke på listen i straffeloven § 196."
    ),
    "why_missing": gettext_lazy(
        "Avvergeplikt: det er ikke skrevet hvorfor det er sikkert eller mest sannsynlig."
    ),
    "avert_action_missing": gettext_lazy(
        "Avvergeplikt: det er ikke registrert hva som ble gjort for å avverge handlingen "
        "(melding til politiet eller på annen måte), med en beskrivelse."
    ),
    "shared_missing": gettext_lazy("Det er ikke registrert hva som ble delt med politiet."),
    "necessity_missing": gettext_lazy(
        "Det er ikke skrevet hvorfor det var nødvendig å dele opplysningene."
    ),
    "danger_what_missing": gettext_lazy(
        "Fare for liv eller helse: det er ikke beskrevet hva faren er."
    ),
    "danger_consent_missing": gettext_lazy(
        "Fare for liv eller helse: det er ikke registrert om samtykke ble nektet eller ikke "
        "kunne innhentes, og hvorfor."
    ),
    "decided_missing": gettext_lazy(
        "Fare for liv eller helse: det er ikke registrert om leder besluttet, eller en ansatt "
        "med leder varslet straks."
    ),
    "decider_not_leader": gettext_lazy(
        "Fare for liv eller helse: den som er oppgitt å ha besluttet som leder, er ikke leder "
        "ved senteret."
    ),
    "leader_told_missing": gettext_lazy(
        "Fare for liv eller helse: en ansatt besluttet, men det er ikke registrert når leder "
        "ble varslet."
    ),
    "user_told_missing": gettext_lazy(
        "Fare for liv eller helse: det er ikke registrert når og hvordan brukeren ble "
        "informert, eller hvorfor det ikke er gjort ennå."
    ),
    "no_ground": gettext_lazy("Det er ikke valgt noe rettslig grunnlag for kontakten."),
    # vern.relocation: an end of a move without the police (G14, R2), with the staff's reason.
    "relocation_no_police_departure": gettext_lazy(
        "Flytting: politiet der brukeren bor nå ble ikke kontaktet (G14)."
    ),
    "relocation_no_police_destination": gettext_lazy(
        "Flytting: politiet på det nye stedet ble ikke kontaktet før flyttingen (R2)."
    ),
}

# How a reason reads about a contact that has happened (deviations, done contacts): the
# consent texts of vern.consent.selectors speak of the present ("er trukket tilbake").
DONE_REASON_LABELS: dict[str, Promise] = {
    consent_selectors.WITHDRAWN: gettext_lazy(
        "Samtykket var trukket tilbake da kontakten skjedde (C1)."
    ),
}

# Consent reasons that mean "the consent was fine, but more was shared than it covers".
SCOPE_REASONS = frozenset({consent_selectors.OUT_OF_SCOPE, "district_outside_consent"})


def reason_label(code: str, *, done: bool = False) -> str:
    """The text of a reason code; ``done``: about a contact that has happened (a deviation)."""
    label = (
        (DONE_REASON_LABELS.get(code) if done else None)
        or REASON_LABELS.get(code)
        or consent_selectors.REASON_TEXTS.get(code)
        or dict(ManualDeviationReason.choices).get(code)
    )
    return str(label) if label is not None else code


class DeviationNeedsConfirmation(Exception):  # noqa: N818 - the name says what the caller must do
    """A *done* contact whose ground is not valid, not confirmed: nothing was saved. The web view
    shows its confirm page with ``reasons``, the API answers 409; confirmed, the service records
    the contact with a deviation for the leader."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(", ".join(self.reasons))

    def labels(self) -> list[str]:
        return [reason_label(code) for code in self.reasons]


# --------------------------------------------------------------------------- the input value


def _strip(value: str | None) -> str:
    return (value or "").strip()


@dataclass(frozen=True, kw_only=True)
class ContactInput:
    """What a police contact is recorded or corrected with: built once by the web form
    (``PoliceContactForm.contact_input``) or the API schema, judged by ``ground_reasons`` and
    written by ``vern.police.services``. Texts are stripped; lists become tuples."""

    contact_at: dt.datetime
    police_district: str
    contact_role: str
    channel: str
    legal_ground: str
    status: str = ContactStatus.DONE
    shared_categories: Sequence[str] = ()
    police_unit: str = ""
    consent: Consent | None = None
    # L2: the duty to avert. The decider is also the one who decided on the danger ground (L1).
    duty_to_avert_offences: Sequence[str] = ()
    duty_to_avert_why: str = ""
    duty_to_avert_decided_by: User | None = None
    avert_action: str = ""
    avert_action_note: str = ""
    # L1, L2: why what was shared had to be shared.
    necessity_why: str = ""
    # L1: the danger ground.
    danger_what: str = ""
    danger_consent: str = ""
    danger_consent_why: str = ""
    decided_as: str = ""
    leader_told_at: dt.datetime | None = None
    # L1, L2: when and how the user was told, or why not yet.
    user_told_at: dt.datetime | None = None
    user_told_how: str = ""
    user_not_told_why: str = ""
    # G9, and the outcome of a done contact.
    reprisal_check: Mapping[str, Any] | None = None
    measures_decided: Sequence[str] = ()
    follow_up_on: dt.date | None = None
    outcome_note: str = ""

    def __post_init__(self) -> None:
        for name in ("shared_categories", "duty_to_avert_offences", "measures_decided"):
            object.__setattr__(self, name, tuple(str(code) for code in getattr(self, name)))
        for name in TEXT_FIELDS:
            object.__setattr__(self, name, _strip(getattr(self, name)))

    def texts(self) -> dict[str, str]:
        """The free text fields, by the name ``TEXT_LIMITS`` and the errors use."""
        return {name: getattr(self, name) for name in TEXT_FIELDS}

    @property
    def done(self) -> bool:
        return self.status == ContactStatus.DONE

    def replace(self, **changes: Any) -> ContactInput:
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_contact(cls, contact: PoliceContact) -> ContactInput:
        """A stored contact as input (to check its ground again, e.g. when it is marked done)."""
        return cls(
            status=contact.status,
            **{name: getattr(contact, name) for name in STORED_FIELDS},
            reprisal_check=contact.reprisal_check,
        )


# The text fields of ``ContactInput`` (all within ``TEXT_LIMITS``).
TEXT_FIELDS: Final = (
    "police_unit",
    "duty_to_avert_why",
    "avert_action_note",
    "necessity_why",
    "danger_what",
    "danger_consent_why",
    "user_told_how",
    "user_not_told_why",
    "outcome_note",
)
# ``ContactInput`` fields stored as they are on ``PoliceContact`` (besides status and the check).
STORED_FIELDS: Final = (
    "contact_at",
    "police_district",
    "contact_role",
    "channel",
    "legal_ground",
    "shared_categories",
    "police_unit",
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
    "measures_decided",
    "follow_up_on",
    "outcome_note",
)


# --------------------------------------------------------------------------- rulebook look-ups


def local_day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def offences_on(day: dt.date) -> dict[str, bool]:
    """Offence id -> whether it is on the § 196 list, for the offences in force on ``day``."""
    rulebook = load_rulebook()
    return {
        offence.id: offence.in_196_list
        for offence in rulebook.offences
        if valid_on(offence.valid_from, offence.valid_until, day)
    }


# --------------------------------------------------------------------------- the check


def ground_reasons(*, case: Case, data: ContactInput, at: dt.datetime | None = None) -> list[str]:
    """Why the ground of the contact ``data`` describes is not valid at ``at`` (default: its own
    time); an empty list means it is valid. The one legal check of a police contact."""
    at = at or data.contact_at
    ground = data.legal_ground
    if ground == LegalGround.CONSENT:
        return _consent_reasons(case=case, data=data, at=at)
    if ground == LegalGround.DUTY_TO_AVERT:
        return duty_to_avert_reasons(data, at=at)
    if ground == LegalGround.DANGER:
        return danger_reasons(data)
    if ground == LegalGround.ANONYMOUS:
        # G3: nothing identifies the user, so no consent is needed.
        return (
            ["identifying_shared"]
            if IDENTIFYING_CATEGORIES.intersection(data.shared_categories)
            else []
        )
    return ["no_ground"]


def duty_to_avert_reasons(data: ContactInput, *, at: dt.datetime) -> list[str]:
    """L2 (G11): straffeloven § 196 applies only to the offences on its list; every named
    offence must be on it (``all``, not ``any``: one unlisted offence is not averted under
    § 196), and the record says why, what was done, what was shared and why it was needed."""
    reasons: list[str] = []
    in_force = offences_on(local_day(at))
    if not data.duty_to_avert_offences:
        reasons.append("offence_missing")
    elif not all(in_force.get(code, False) for code in data.duty_to_avert_offences):
        reasons.append("offence_not_in_196_list")
    if not data.duty_to_avert_why:
        reasons.append("why_missing")
    if data.avert_action not in AvertAction.values or not data.avert_action_note:
        reasons.append("avert_action_missing")
    reasons.extend(_shared_reasons(data))
    return reasons


def danger_reasons(data: ContactInput) -> list[str]:
    """L1: krisesenterlova § 5 second paragraph, with its record complete."""
    reasons: list[str] = []
    if not data.danger_what:
        reasons.append("danger_what_missing")
    if not data.danger_consent or not data.danger_consent_why:
        reasons.append("danger_consent_missing")
    reasons.extend(_shared_reasons(data))
    if data.decided_as not in DecidedAs.values:
        reasons.append("decided_missing")
    elif data.decided_as == DecidedAs.LEADER:
        decider = data.duty_to_avert_decided_by
        if decider is None or not decider.is_leader:
            reasons.append("decider_not_leader")
    elif data.leader_told_at is None:
        reasons.append("leader_told_missing")
    if not user_told_recorded(data):
        reasons.append("user_told_missing")
    return reasons


def _shared_reasons(data: ContactInput) -> list[str]:
    reasons: list[str] = []
    if not data.shared_categories:
        reasons.append("shared_missing")
    if not data.necessity_why:
        reasons.append("necessity_missing")
    return reasons


def user_told_recorded(data: ContactInput | PoliceContact) -> bool:
    """L1, L2: when and how the user was told is recorded, or why not yet."""
    told = data.user_told_at is not None and bool(data.user_told_how)
    return told or bool(data.user_not_told_why)


def _consent_reasons(*, case: Case, data: ContactInput, at: dt.datetime) -> list[str]:
    consent = data.consent
    if consent is None:
        return ["consent_missing"]
    if consent.case_id != case.pk or consent.centre_id != case.centre_id:
        return ["consent_other_case"]
    reasons = list(
        consent_selectors.consent_covers(consent=consent, categories=data.shared_categories, at=at)
    )
    if consent.recipient_kind != RecipientKind.POLICE and "consent_not_for_police" not in reasons:
        reasons.append("consent_not_for_police")
    district = data.police_district
    if consent.police_district and district and consent.police_district != district:
        reasons.append("district_outside_consent")
    return reasons


def deviation_kind(legal_ground: str, reasons: Iterable[str]) -> str:
    """The kind of deviation a contact with these reasons opens."""
    codes = set(reasons)
    if legal_ground == LegalGround.CONSENT and codes and codes <= SCOPE_REASONS:
        return DeviationKind.SHARED_OUTSIDE_CONSENT
    return DeviationKind.CONTACT_WITHOUT_GROUND


def needs_confirmation(data: ContactInput, reasons: Sequence[str], *, confirmed: bool) -> None:
    """A done contact with an invalid ground is recorded only when confirmed (the one place this
    rule is written); raises ``DeviationNeedsConfirmation`` otherwise."""
    if data.done and reasons and not confirmed:
        raise DeviationNeedsConfirmation(reasons)
