"""Request and response shapes of the API (they are the OpenAPI document).

Inputs are strict: unknown properties are refused, strings are not turned into numbers or
booleans, and times must be ISO 8601 strings. What the schema cannot say (the rules of the
guidance) the services check, answering 422 with the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from annotated_types import Ge, Le
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from vern.accounts.models import User
from vern.assessments.models import MappingMethod, RiskResult
from vern.cases.models import DOCUMENT_LANGUAGES
from vern.centres.models import PoliceDistrict
from vern.consent.limits import PURPOSE_MAX, VERBAL_REASON_MAX, WITHDRAWAL_NOTE_MAX
from vern.consent.models import (
    Consent,
    ConsentForm,
    InformationCategory,
    InformationKind,
    RecipientKind,
    WithdrawalManner,
    WrittenMethod,
)
from vern.police.ground import LONG_TEXT, SHORT_TEXT, UNIT_TEXT, ContactInput
from vern.police.models import (
    AvertAction,
    Channel,
    ContactRole,
    ContactStatus,
    DangerConsent,
    DecidedAs,
    LegalGround,
    ReprisalProtection,
    ReprisalRisk,
    ReprisalRoute,
)

MAX_ID = 2**63 - 1
# No NUL characters anywhere (PostgreSQL cannot store them); text that must say something has
# at least one character that is not white space.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"


def _iso_text(value: object) -> object:
    """Only an ISO string becomes a date or time (no Unix timestamps, no numbers)."""
    if not isinstance(value, str):
        msg = "must be an ISO 8601 string"
        raise ValueError(msg)  # noqa: TRY004 (pydantic turns ValueError into a 422)
    return value


def _whole_number(value: object) -> object:
    """JSON Schema counts 5.0 as an integer; so does the API. Strings and booleans are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _with_offset(value: dt.datetime) -> dt.datetime:
    """A moment names its UTC offset (RFC 3339, as ``format: date-time`` says): a time without
    one is ambiguous, and the services compare moments with the (aware) clock."""
    if value.tzinfo is None or value.utcoffset() is None:
        msg = "must include a UTC offset, for example +01:00 or Z"
        raise ValueError(msg)
    return value


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_text), AfterValidator(_with_offset)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_text)]
Id = Annotated[StrictInt, Ge(1), Le(MAX_ID), BeforeValidator(_whole_number)]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


def _patch_strings(node: Any) -> None:
    """Say in the schema what ``Input`` enforces: free text has no NUL characters."""
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and not {"enum", "format", "pattern", "const"} & set(node):
        node["pattern"] = NO_NUL
    for key in ("items", "additionalProperties"):
        _patch_strings(node.get(key))
    for key in ("anyOf", "allOf", "oneOf"):
        for sub in node.get(key) or []:
            _patch_strings(sub)


def _input_schema(schema: dict[str, Any]) -> None:
    for prop in (schema.get("properties") or {}).values():
        _patch_strings(prop)


class Input(Schema):
    """Strict input: no unknown properties, no NUL characters (PostgreSQL cannot store them)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=False, json_schema_extra=_input_schema
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            msg = "text may not contain NUL characters"
            raise ValueError(msg)
        return data


# --------------------------------------------------------------------------- cases


LANGUAGE_CODES = tuple(code for code, _label in DOCUMENT_LANGUAGES)


class CaseIn(Input):
    reference: str = Field(min_length=1, max_length=40, pattern=NOT_BLANK)
    name: str = Field(default="", max_length=200)
    language: str = Field(default="nb", pattern="^(" + "|".join(LANGUAGE_CODES) + ")$")


class CaseOut(Schema):
    id: int
    reference: str
    status: str
    language: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    next_reassessment_on: dt.date | None


class AssessmentSummary(Schema):
    id: int
    assessed_at: dt.datetime
    police_involvement: str
    next_step: str
    rulebook_version: str
    next_reassessment_on: dt.date


class ConsentOut(Schema):
    id: int
    recipient_kind: str
    police_district: str
    form: str
    categories: list[str]
    given_at: dt.datetime
    expires_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    status: str


class PoliceContactOut(Schema):
    id: int
    status: str
    contact_at: dt.datetime
    police_district: str
    legal_ground: str
    ground_valid: bool
    deviation_opened: bool = False
    # Why the ground is not valid (reason codes, docs/api.md); empty when valid.
    reasons: list[str] = Field(default_factory=list)
    shared_categories: list[str] = Field(default_factory=list)
    duty_to_avert_offences: list[str] = Field(default_factory=list)
    duty_to_avert_why: str = ""
    decided_by_id: int | None = None
    avert_action: str = ""
    avert_action_note: str = ""
    necessity_why: str = ""
    danger_what: str = ""
    danger_consent: str = ""
    danger_consent_why: str = ""
    decided_as: str = ""
    leader_told_at: dt.datetime | None = None
    user_told_at: dt.datetime | None = None
    user_told_how: str = ""
    user_not_told_why: str = ""


class TriggerState(Schema):
    id: int
    kind: str
    occurs_on: dt.date | None
    recorded_at: dt.datetime


class ContactState(Schema):
    id: int
    status: str
    contact_at: dt.datetime
    legal_ground: str
    # The ground as it stands now (a consent withdrawn since a plan: false).
    ground_valid: bool
    # Why it no longer holds now: "withdrawn" or "expired"; "" otherwise.
    lapse: str


class DeviationState(Schema):
    id: int
    kind: str
    opened_at: dt.datetime
    police_contact_id: int | None


class CaseStateOut(Schema):
    """The case's state, the same facts as the case page's summary (vern.desk.state)."""

    at: dt.datetime
    closed: bool
    next_step: str
    next_step_why: str
    engine_next_step: str
    reassessment_on: dt.date | None
    due: str
    reassess_now: bool
    open_triggers: list[TriggerState]
    consent: str
    consent_last_day: dt.date | None
    refused_at: dt.datetime | None
    refusal_information_offered: bool
    informed_public_prosecution: bool
    pending_contacts: list[ContactState]
    open_deviations: list[DeviationState]
    pending_relocation: bool
    children_with_pending_concerns: list[str]
    tags: list[str]


class CaseDetail(CaseOut):
    name: str
    latest_assessment: AssessmentSummary | None
    consents: list[ConsentOut]
    police_contacts: list[PoliceContactOut]
    state: CaseStateOut


class CaseList(Schema):
    count: int
    items: list[CaseOut]


# --------------------------------------------------------------------------- assessments


class RiskMappingIn(Input):
    method: MappingMethod
    result: RiskResult
    method_other: str = Field(default="", max_length=100)
    reasoning: str = Field(default="", max_length=10000)


class RiskMappingOut(Schema):
    id: int
    method: str
    result: str
    mapped_at: dt.datetime


class TickedFactors(Input):
    """Factors 1-6 and 9 (G7). Factors 7 and 8 come from the consent and information records."""

    great_danger: StrictBool = False
    threat_picture_unclear: StrictBool = False
    needs_information_only_police_have: StrictBool = False
    needs_police_or_court_safety_measures: StrictBool = False
    needs_relocation_for_safety: StrictBool = False
    user_wants_to_report: StrictBool = False
    duty_to_avert: StrictBool = False


class AssessmentIn(Input):
    user_participated: StrictBool
    factors: TickedFactors = Field(default_factory=TickedFactors)
    risk_mapping_id: Id | None = None
    suspected_offences: list[str] = Field(default_factory=list, max_length=50)
    user_view: str = Field(default="", max_length=10000)
    staff_judgement: str = Field(default="", max_length=10000)
    # L1: necessary to prevent danger to life or serious harm to health (krl. § 5 second para.).
    danger_to_life_or_health: StrictBool = False


class AssessmentOut(Schema):
    id: int
    case_id: int
    assessed_at: dt.datetime
    next_reassessment_on: dt.date
    outcome: dict[str, Any]


# --------------------------------------------------------------------------- consent


class InformationIn(Input):
    kind: InformationKind
    language: str = Field(min_length=1, max_length=40, pattern=NOT_BLANK)
    interpreter_used: StrictBool = False
    given_at: IsoDateTime | None = None


class InformationOut(Schema):
    id: int
    kind: str
    given_at: dt.datetime
    rulebook_version: str


class ConsentIn(Input):
    """A consent (C1, G4). The rules that depend on other fields, checked by the service
    (422 naming the field): with ``recipient_kind`` police, ``police_district`` is required
    and the information on public prosecution must come first (G15); ``form`` written takes
    ``written_method`` ``on_screen`` with ``signed_by_name`` and ``signature_confirmed`` true
    (a signed form is uploaded afterwards with ``POST .../signed-file``); ``form`` verbal
    takes ``verbal_witness`` and ``verbal_reason``; ``expires_at`` not before ``given_at``."""

    recipient_kind: RecipientKind
    purpose: str = Field(min_length=1, max_length=PURPOSE_MAX, pattern=NOT_BLANK)
    categories: list[InformationCategory] = Field(min_length=1)
    form: ConsentForm
    police_district: PoliceDistrict | None = None
    recipient_unit: str = Field(default="", max_length=200)
    written_method: WrittenMethod | None = None
    signed_by_name: str = Field(default="", max_length=200)
    signature_confirmed: StrictBool = False
    verbal_witness: str = Field(default="", max_length=200)
    verbal_reason: str = Field(default="", max_length=VERBAL_REASON_MAX)
    given_at: IsoDateTime | None = None
    expires_at: IsoDateTime | None = None


class ConsentWithdrawIn(Input):
    """C1: when and how the user withdrew her consent. All optional: without a body (or with
    ``{}``) the withdrawal counts from now, manner not stated."""

    withdrawn_at: IsoDateTime | None = Field(
        default=None,
        description=(
            "When the user withdrew it (default now). Not in the future, not before the consent "
            "was given, and from 2018-03-08 to ten years ahead. A backdated withdrawal binds from "
            "that moment: done police contacts under the consent at or after it lose their "
            "ground and open a deviation for the leader."
        ),
    )
    manner: WithdrawalManner | None = Field(
        default=None, description="How the user withdrew it (oral, written, phone, other)."
    )
    note: str = Field(
        default="",
        max_length=WITHDRAWAL_NOTE_MAX,
        description="A short note, for example who took the message (never in the audit log).",
    )


# --------------------------------------------------------------------------- police


# Free text: the same maxima as the web forms (``vern.police.services.TEXT_LIMITS``, which the
# service also enforces); a longer text is a 422 naming the field.


class ReprisalCheckIn(Input):
    routes: list[ReprisalRoute] = Field(default_factory=list)
    routes_other: str = Field(default="", max_length=SHORT_TEXT)
    risk: ReprisalRisk | None = None
    protections: list[ReprisalProtection] = Field(default_factory=list)
    protections_other: str = Field(default="", max_length=SHORT_TEXT)
    note: str = Field(default="", max_length=LONG_TEXT)


class GroundRecordIn(Input):
    """The record of a no-consent ground (L1, L2); only the chosen ground's own fields are
    kept. Free text has the web forms' maxima."""

    duty_to_avert_offences: list[str] = Field(default_factory=list, max_length=50)
    duty_to_avert_why: str = Field(default="", max_length=LONG_TEXT)
    decided_by_id: Id | None = Field(
        default=None,
        description=(
            "Who decided a contact without consent (staff of the centre; default: the token's "
            "owner). On the danger ground with decided_as=leader it must be a leader."
        ),
    )
    avert_action: AvertAction | None = None
    avert_action_note: str = Field(default="", max_length=LONG_TEXT)
    necessity_why: str = Field(default="", max_length=LONG_TEXT)
    danger_what: str = Field(default="", max_length=LONG_TEXT)
    danger_consent: DangerConsent | None = None
    danger_consent_why: str = Field(default="", max_length=LONG_TEXT)
    decided_as: DecidedAs | None = None
    leader_told_at: IsoDateTime | None = None
    user_told_at: IsoDateTime | None = None
    user_told_how: str = Field(default="", max_length=LONG_TEXT)
    user_not_told_why: str = Field(default="", max_length=LONG_TEXT)
    reprisal_check: ReprisalCheckIn | None = None


class PoliceContactPlanIn(GroundRecordIn):
    """A planned contact as corrected (PUT): the same fields as recording it, without the status
    and the outcome."""

    contact_at: IsoDateTime
    police_district: PoliceDistrict
    contact_role: ContactRole
    channel: Channel
    legal_ground: LegalGround
    shared_categories: list[InformationCategory] = Field(default_factory=list)
    police_unit: str = Field(default="", max_length=UNIT_TEXT)
    consent_id: Id | None = None

    def contact_input(
        self, *, consent: Consent | None, decider: User | None, status: str = "planned"
    ) -> ContactInput:
        """The one input value the service takes, as the web form builds it."""
        outcome = self.model_dump(include={"measures_decided", "follow_up_on", "outcome_note"})
        return ContactInput(
            status=status,
            contact_at=self.contact_at,
            police_district=self.police_district,
            police_unit=self.police_unit,
            contact_role=self.contact_role,
            channel=self.channel,
            legal_ground=self.legal_ground,
            shared_categories=[str(c) for c in self.shared_categories],
            consent=consent,
            duty_to_avert_offences=self.duty_to_avert_offences,
            duty_to_avert_why=self.duty_to_avert_why,
            duty_to_avert_decided_by=decider,
            avert_action=self.avert_action or "",
            avert_action_note=self.avert_action_note,
            necessity_why=self.necessity_why,
            danger_what=self.danger_what,
            danger_consent=self.danger_consent or "",
            danger_consent_why=self.danger_consent_why,
            decided_as=self.decided_as or "",
            leader_told_at=self.leader_told_at,
            user_told_at=self.user_told_at,
            user_told_how=self.user_told_how,
            user_not_told_why=self.user_not_told_why,
            reprisal_check=self.reprisal_check.model_dump(mode="json")
            if self.reprisal_check is not None
            else None,
            **outcome,
        )


CONFIRM_DESCRIPTION = (
    "A done contact whose legal ground is not valid is saved and opens a deviation for the "
    "leader; without this confirmation the API answers 409 deviation_not_confirmed with the "
    "reason codes."
)


class PoliceContactIn(PoliceContactPlanIn):
    status: ContactStatus
    measures_decided: list[str] = Field(default_factory=list, max_length=50)
    follow_up_on: IsoDate | None = None
    outcome_note: str = Field(default="", max_length=LONG_TEXT)
    confirm_deviation: StrictBool = Field(default=False, description=CONFIRM_DESCRIPTION)


class PoliceContactCompleteIn(Input):
    """Mark a planned contact done (the ground is checked again at that time)."""

    contact_at: IsoDateTime | None = None
    measures_decided: list[str] = Field(default_factory=list, max_length=50)
    follow_up_on: IsoDate | None = None
    outcome_note: str = Field(default="", max_length=LONG_TEXT)
    reprisal_check: ReprisalCheckIn | None = None
    confirm_deviation: StrictBool = Field(default=False, description=CONFIRM_DESCRIPTION)


# --------------------------------------------------------------------------- audit, statistics


class AuditStatus(Schema):
    ok: bool
    checked: int
    head_seq: int
    first_broken_seq: int | None
    problem: str | None
    message: str


class StatRow(Schema):
    label: str
    cells: list[str]


class StatTableOut(Schema):
    id: str
    title: str
    columns: list[str]
    rows: list[StatRow]


class StatisticsOut(Schema):
    scope: str
    period_start: dt.date
    period_end: dt.date
    suppression_threshold: int
    tables: list[StatTableOut]
