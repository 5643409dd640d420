"""Placeholders of the authorization matrix: what ``args: {pk: own_case}`` means.

A row of ``authz_matrix.yaml`` names its URL arguments by placeholder. This registry turns a
placeholder into a value for ``reverse()``, creating the object it needs in a ``World``.

Two kinds of placeholder:

* **Centre objects**, registered with ``@centre_object("case")``: the factory gets the world
  and a centre and returns the object's URL value (usually its pk). Registering ``case`` defines
  both ``own_case`` (in the requester's centre, "Senter A") and ``other_case`` (in the other
  centre). For the columns ``ansatt_other`` and ``leder_other`` the matrix test swaps every
  ``own_`` placeholder of the row for its ``other_`` twin. Text fields of objects made for the
  other centre must carry ``world.canary``: the test fails if it appears in any response to
  ansatt or leder.
* **Plain values**, registered with ``@value("invitation_token")``: not tied to a centre
  (a one-time token, say).

To add one (for example for a new app's URLs), define a factory in this module next to the
others and use its placeholder in the YAML. Create tenant rows inside ``system_scope()``: on
PostgreSQL row-level security (FORCE) refuses rows written without a centre scope.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope

URLValue = int | str
CentreFactory = Callable[["World", Centre], URLValue]
ValueFactory = Callable[["World"], URLValue]
T = TypeVar("T")

OWN = "own_"
OTHER = "other_"

CENTRE_OBJECTS: dict[str, CentreFactory] = {}
VALUES: dict[str, ValueFactory] = {}
_seq = itertools.count(1)


def new_canary() -> str:
    return f"KANARI-{uuid.uuid4().hex[:12]}"


@dataclass
class World:
    """The data one matrix cell runs against: the requester's centre and the other centre,
    whose every text carries ``canary``."""

    centre: Centre
    other_centre: Centre
    canary: str
    memo: dict[str, object] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], T]) -> T:
        """Create a shared helper object once per world (an author for cases, say)."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]  # type: ignore[return-value]

    def label(self, centre: Centre) -> str:
        """Text for an object of ``centre``: the canary in the other centre."""
        return self.canary if centre.pk == self.other_centre.pk else "eget"

    def resolve(self, placeholder: str) -> URLValue:
        if placeholder.startswith(OWN) and placeholder[len(OWN) :] in CENTRE_OBJECTS:
            return CENTRE_OBJECTS[placeholder[len(OWN) :]](self, self.centre)
        if placeholder.startswith(OTHER) and placeholder[len(OTHER) :] in CENTRE_OBJECTS:
            return CENTRE_OBJECTS[placeholder[len(OTHER) :]](self, self.other_centre)
        if placeholder in VALUES:
            return VALUES[placeholder](self)
        msg = f"unknown placeholder {placeholder!r}: register it in tests/security/objects.py"
        raise KeyError(msg)


def known(placeholder: str) -> bool:
    for prefix in (OWN, OTHER):
        if placeholder.startswith(prefix) and placeholder[len(prefix) :] in CENTRE_OBJECTS:
            return True
    return placeholder in VALUES


def other_side(placeholder: str) -> str:
    """``own_case`` -> ``other_case``; anything else is unchanged."""
    if placeholder.startswith(OWN) and placeholder[len(OWN) :] in CENTRE_OBJECTS:
        return OTHER + placeholder[len(OWN) :]
    return placeholder


def centre_object(kind: str) -> Callable[[CentreFactory], CentreFactory]:
    def register(factory: CentreFactory) -> CentreFactory:
        if kind in CENTRE_OBJECTS:
            msg = f"centre object {kind!r} registered twice"
            raise ValueError(msg)
        CENTRE_OBJECTS[kind] = factory
        return factory

    return register


def value(name: str) -> Callable[[ValueFactory], ValueFactory]:
    def register(factory: ValueFactory) -> ValueFactory:
        if name in VALUES:
            msg = f"value {name!r} registered twice"
            raise ValueError(msg)
        VALUES[name] = factory
        return factory

    return register


def _staff(world: World, centre: Centre, role: str) -> User:
    user = make_user(role, centre, username=f"{role}-obj-{next(_seq)}")
    user.full_name = f"{world.label(centre)} {role} {user.pk}"
    user.save(update_fields=["full_name"])
    return user


def case_author(world: World, centre: Centre) -> User:
    """The staff member who created the world's cases of ``centre``."""
    return world.once(f"author-{centre.pk}", lambda: _staff(world, centre, Role.ANSATT))


# --- Accounts -------------------------------------------------------------------------------


@centre_object("ansatt")
def _ansatt(world: World, centre: Centre) -> URLValue:
    """A staff member (not the requester) of the centre."""
    return _staff(world, centre, Role.ANSATT).pk


@centre_object("leder")
def _leder(world: World, centre: Centre) -> URLValue:
    """A leader (not the requester) of the centre."""
    return _staff(world, centre, Role.LEDER).pk


@value("relocation_end")
def _relocation_end(world: World) -> URLValue:
    """One end of a move in a URL: ``avreise`` (the police where the user lives now, G14)."""
    return "avreise"


@value("together_step")
def _together_step(world: World) -> URLValue:
    """A screen of the "Assess together" mode (issue 17)."""
    return "start"


@value("invitation_token")
def _invitation_token(world: World) -> URLValue:
    """The one-time token of an open invitation to the requester's centre."""
    from vern.accounts.services import invitation_create

    inviter = world.once("inviter", lambda: _staff(world, world.centre, Role.LEDER))
    n = next(_seq)
    _invitation, link = invitation_create(
        acting_user=inviter,
        email=f"invitert-{n}@example.invalid",
        username=f"invitert-{n}",
        full_name="Invitert Person",
        role=Role.ANSATT,
        centre=None,
        accept_url_base="http://testserver/",
    )
    return link.rstrip("/").rsplit("/", 1)[-1]


def _reset_user(world: World) -> User:
    return world.once("reset-user", lambda: _staff(world, world.centre, Role.ANSATT))


@value("reset_uid")
def _reset_uid(world: World) -> URLValue:
    """uidb64 of a password reset link (pairs with ``reset_token``)."""
    return urlsafe_base64_encode(force_bytes(_reset_user(world).pk))


@value("reset_token")
def _reset_token(world: World) -> URLValue:
    """A valid password reset token (pairs with ``reset_uid``)."""
    return default_token_generator.make_token(_reset_user(world))


# --- Cases (other apps add their objects below, in the same style) --------------------------


@centre_object("case")
def _case(world: World, centre: Centre) -> URLValue:
    """An open case of the centre; in the other centre its reference and name are canaries."""
    from vern.cases.models import Case

    author = case_author(world, centre)
    label = world.label(centre)
    with system_scope():
        case = Case.objects.create(
            centre=centre,
            reference=f"{label}-{next(_seq)}"[:40],
            name=f"{label} Navn",
            created_by=author,
        )
    return case.pk


@centre_object("pairing_case")
def _pairing_case(world: World, centre: Centre) -> URLValue:
    """The case of ``own_pairing`` (a second screen's pairing made by the case's author)."""
    return _pairing_objects(world, centre)[0]


@centre_object("pairing")
def _pairing(world: World, centre: Centre) -> URLValue:
    """A pairing of a second screen for "Assess together" (issue 17), made by another staff
    member than the requester: its status page is that staff member's alone (404)."""
    return _pairing_objects(world, centre)[1]


def _pairing_objects(world: World, centre: Centre) -> tuple[int, int]:
    def make() -> tuple[int, int]:
        from vern.cases.models import Case
        from vern.together.services import pairing_create

        author = case_author(world, centre)
        with system_scope():
            case = Case.objects.create(
                centre=centre, reference=f"{world.label(centre)}-{next(_seq)}"[:40],
                name=f"{world.label(centre)} Navn", created_by=author,
            )  # fmt: skip
            pairing, _code = pairing_create(acting_user=author, case=case)
        return case.pk, pairing.pk

    return world.once(f"pairing-{centre.pk}", make)


# --- Relocation (G14, R1-R3) ------------------------------------------------------------------


def _relocation_object(world: World, centre: Centre) -> tuple[int, int]:
    """(case pk, relocation pk) of one planned relocation per centre and world, on its own
    case; in the other centre its destination and reason are canaries (the destination must
    never leak anywhere)."""
    from vern.cases.models import Case
    from vern.relocation.models import Relocation

    def make() -> tuple[int, int]:
        label = world.label(centre)
        with system_scope():
            case = Case.objects.get(pk=_case(world, centre))
            relocation = Relocation.objects.create(
                centre=centre,
                case=case,
                reason=f"{label} grunn",
                destination_name=f"{label} krisesenter",
                destination_police_district="vest",
                recorded_by=case_author(world, centre),
            )
        return case.pk, relocation.pk

    return world.once(f"relocation-{centre.pk}", make)


@centre_object("relocation_case")
def _relocation_case(world: World, centre: Centre) -> URLValue:
    """The case of ``relocation``: a row uses both, {case_pk: ..., pk: ...}."""
    return _relocation_object(world, centre)[0]


@centre_object("relocation")
def _relocation(world: World, centre: Centre) -> URLValue:
    return _relocation_object(world, centre)[1]


# --- Child welfare duty (B1) -----------------------------------------------------------------


def _child_welfare_objects(world: World, centre: Centre) -> tuple[int, int, int]:
    """(case pk, child pk, concern pk) of one pending concern per centre and world, on its own
    case; in the other centre the child's label and the concern's reason are canaries."""
    from vern.cases.models import Case, CaseChild
    from vern.childwelfare.models import ChildWelfareConcern
    from vern.core import clock

    def make() -> tuple[int, int, int]:
        label = world.label(centre)
        author = case_author(world, centre)
        with system_scope():
            case = Case.objects.create(
                centre=centre,
                reference=f"{label}-bv-{next(_seq)}"[:40],
                name=f"{label} Navn",
                created_by=author,
            )
            child = CaseChild.objects.create(centre=centre, case=case, label=f"{label} barn"[:40])
            concern = ChildWelfareConcern.objects.create(
                centre=centre,
                case=case,
                child=child,
                grounds=["mistreated"],
                reason=f"{label} grunn",
                recorded_by=author,
                recorded_at=clock.now(),
            )
        return case.pk, child.pk, concern.pk

    return world.once(f"childwelfare-{centre.pk}", make)


@centre_object("child_welfare_case")
def _child_welfare_case(world: World, centre: Centre) -> URLValue:
    """The case of ``child_welfare_child`` and ``child_welfare_concern``."""
    return _child_welfare_objects(world, centre)[0]


@centre_object("child_welfare_child")
def _child_welfare_child(world: World, centre: Centre) -> URLValue:
    return _child_welfare_objects(world, centre)[1]


@centre_object("child_welfare_concern")
def _child_welfare_concern(world: World, centre: Centre) -> URLValue:
    return _child_welfare_objects(world, centre)[2]


# --- Assessments (K1, G6-G8) ------------------------------------------------------------------


def _assessment_objects(world: World, centre: Centre) -> tuple[int, int, int]:
    """(case pk, risk mapping pk, assessment pk) of one assessed case per centre and world; in
    the other centre the mapping's answers and reasoning and the user's view are canaries."""
    from vern.assessments.services import assessment_record, risk_mapping_record
    from vern.cases.models import Case

    def make() -> tuple[int, int, int]:
        label = world.label(centre)
        author = case_author(world, centre)
        with system_scope():
            case = Case.objects.get(pk=_case(world, centre))
            mapping = risk_mapping_record(
                acting_user=author,
                case=case,
                method="guidance_questions",
                result="yes",
                answers={"why_now": f"{label} svar"},
                reasoning=f"{label} begrunnelse",
            )
            assessment = assessment_record(
                acting_user=author,
                case=case,
                risk_mapping=mapping,
                factors={"great_danger": True},
                user_participated=True,
                user_view=f"{label} syn",
                staff_judgement=f"{label} vurdering",
            )
        return case.pk, mapping.pk, assessment.pk

    return world.once(f"assessment-{centre.pk}", make)


@centre_object("assessment_case")
def _assessment_case(world: World, centre: Centre) -> URLValue:
    """The case of ``assessment`` and ``risk_mapping``: {case_pk: ..., pk: ...}."""
    return _assessment_objects(world, centre)[0]


@centre_object("risk_mapping")
def _risk_mapping(world: World, centre: Centre) -> URLValue:
    return _assessment_objects(world, centre)[1]


@centre_object("assessment")
def _assessment(world: World, centre: Centre) -> URLValue:
    return _assessment_objects(world, centre)[2]


# --- Police contacts and deviations (G3, G9, G11) ------------------------------------------------


def _police_objects(world: World, centre: Centre) -> tuple[int, int, int]:
    """(case pk, planned police contact pk, open deviation pk) per centre and world, on its own
    case; in the other centre the contact's unit, reprisal note and the deviation's description
    are canaries."""
    from vern.cases.models import Case
    from vern.core import clock
    from vern.police.models import Deviation, PoliceContact

    def make() -> tuple[int, int, int]:
        label = world.label(centre)
        author = case_author(world, centre)
        with system_scope():
            case = Case.objects.get(pk=_case(world, centre))
            contact = PoliceContact.objects.create(
                centre=centre,
                case=case,
                status="planned",
                contact_at=clock.now(),
                police_district="oslo",
                police_unit=f"{label} enhet",
                contact_role="investigator",
                channel="phone",
                shared_categories=["identity"],
                legal_ground="none",
                ground_valid=False,
                reprisal_check={
                    "routes": ["phone"],
                    "risk": "high",
                    "protections": ["alarm"],
                    "note": f"{label} merknad",
                },
                recorded_by=author,
            )
            deviation = Deviation.objects.create(
                centre=centre,
                case=case,
                kind="other",
                reasons=["other"],
                description=f"{label} avvik",
                opened_at=clock.now(),
                opened_by=author,
            )
        return case.pk, contact.pk, deviation.pk

    return world.once(f"police-{centre.pk}", make)


@centre_object("police_case")
def _police_case(world: World, centre: Centre) -> URLValue:
    """The case of ``police_contact``: a row uses both, {case_pk: ..., pk: ...}."""
    return _police_objects(world, centre)[0]


@centre_object("police_contact")
def _police_contact(world: World, centre: Centre) -> URLValue:
    return _police_objects(world, centre)[1]


@centre_object("deviation")
def _deviation(world: World, centre: Centre) -> URLValue:
    return _police_objects(world, centre)[2]


@centre_object("no_consent_contact")
def _no_consent_contact(world: World, centre: Centre) -> URLValue:
    """A done contact under the duty to avert, not yet reviewed by the leader (issue 14), on
    the police case; in the other centre its unit and texts are canaries."""
    from vern.cases.models import Case
    from vern.core import clock
    from vern.police.models import PoliceContact

    def make() -> int:
        label = world.label(centre)
        with system_scope():
            case = Case.objects.get(pk=_police_objects(world, centre)[0])
            return PoliceContact.objects.create(
                centre=centre,
                case=case,
                status="done",
                contact_at=clock.now(),
                police_district="oslo",
                police_unit=f"{label} avverge",
                contact_role="operations_centre",
                channel="phone",
                shared_categories=["identity"],
                legal_ground="duty_to_avert",
                ground_valid=False,
                duty_to_avert_why=f"{label} hvorfor",
                necessity_why=f"{label} nødvendig",
                recorded_by=case_author(world, centre),
            ).pk

    return world.once(f"no-consent-contact-{centre.pk}", make)


# --- Consent (G3-G5, G15, C1; issue 7 signed form) ---------------------------------------------


def _consent_objects(world: World, centre: Centre) -> tuple[int, int, int]:
    """(case pk, consent pk, signed file pk): one case per centre and world with the
    public-prosecution information, a verbal consent to the police and its signed form (a
    tiny PDF stored in the database); in the other centre the texts are canaries."""
    from vern.cases.models import Case
    from vern.consent import filestore, uploads
    from vern.consent.models import Consent, InformationRecord, SignedConsentFile
    from vern.core import clock

    def make() -> tuple[int, int, int]:
        label = world.label(centre)
        author = case_author(world, centre)
        now = clock.now()
        with system_scope():
            case = Case.objects.get(pk=_case(world, centre))
            info = InformationRecord.objects.create(
                centre=centre,
                case=case,
                kind="public_prosecution",
                given_by=author,
                given_at=now,
                language="nb",
            )
            consent = Consent.objects.create(
                centre=centre,
                case=case,
                recipient_kind="police",
                police_district="oslo",
                recipient_unit=f"{label} enhet",
                purpose=f"{label} formål",
                categories=["identity"],
                form="verbal",
                verbal_witness=f"{label} vitne",
                verbal_reason=f"{label} grunn",
                given_at=now,
                recorded_by=author,
                information_record=info,
            )
            clean = uploads.CleanUpload(content=b"%PDF-1.4\n%%EOF\n", content_type=uploads.PDF)
            signed = SignedConsentFile.objects.create(
                centre=centre,
                consent=consent,
                sha256=clean.sha256,
                content_type=clean.content_type,
                size=clean.size,
                stored_name=filestore.new_stored_name(centre_id=centre.pk, extension="pdf"),
                uploaded_by=author,
                uploaded_at=now,
            )
            filestore.save_content(signed=signed, content=clean.content)
        return case.pk, consent.pk, signed.pk

    return world.once(f"consent-{centre.pk}", make)


@centre_object("consent_case")
def _consent_case(world: World, centre: Centre) -> URLValue:
    """The case of ``consent``: a row uses both, {case_pk: ..., pk: ...}."""
    return _consent_objects(world, centre)[0]


@centre_object("consent")
def _consent(world: World, centre: Centre) -> URLValue:
    return _consent_objects(world, centre)[1]


@centre_object("signed_consent_file")
def _signed_consent_file(world: World, centre: Centre) -> URLValue:
    return _consent_objects(world, centre)[2]


# --- API tokens (issue 8) -------------------------------------------------------------------


@value("api_token")
def _api_token(world: World) -> URLValue:
    """A token of another staff member of the requester's centre: nobody revokes it but its
    owner, so every requester gets 404."""
    from vern.api.services import api_token_create

    owner = world.once("token-owner", lambda: _staff(world, world.centre, Role.ANSATT))
    return api_token_create(acting_user=owner, name="Eier", days=30).token.pk


# --- Passkeys (issue 18) ----------------------------------------------------------------------


@value("passkey")
def _passkey(world: World) -> URLValue:
    """A passkey of another staff member of the requester's centre: nobody but its owner sees
    or removes it, so every requester gets 404. (A stored row; the ceremonies that make real
    ones are tested in test_a_passkey_is_added_with_a_fresh_code_...)"""
    from django_otp_webauthn.models import WebAuthnCredential

    owner = world.once("passkey-owner", lambda: _staff(world, world.centre, Role.ANSATT))
    credential = WebAuthnCredential.objects.create(
        user=owner,
        name="Eiers nøkkel",
        credential_id=b"matrix-credential-" + str(owner.pk).encode(),
        public_key=b"not-used",
        aaguid="00000000-0000-0000-0000-000000000000",
    )
    return int(credential.pk)


# --- One record of every kind (issue 22) ------------------------------------------------------


def _every_kind_objects(world: World, centre: Centre) -> int:
    """A case of ``centre`` with one record of every kind a page or API operation may list or
    count: done contacts on every legal ground (consent, the duty to avert, danger to life or
    health, anonymous, none), an open deviation of every kind and a closed one with the
    leader's comment, a child-welfare notification with its concern and a resolved concern, a
    consent refusal, both kinds of information record, a consent that expires soon, a
    withdrawn one recorded late, reassessment triggers (one a rulebook change), timeline
    events and audit events (a refused lookup among them). The case is overdue for
    reassessment, and a second, closed case sits next to it.

    The world makes it in the other centre, where every text is the canary: a lost centre
    filter on any list (the leader's overview of contacts without consent, the dashboard, the
    audit log, the child-welfare list ...) puts the canary into a response of the matrix."""
    from vern.audit.actions import AuditAction
    from vern.audit.services import audit_record
    from vern.cases.models import Case, CaseChild, CaseEvent, ReassessmentTrigger
    from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
    from vern.consent.models import Consent, ConsentRefusal, InformationRecord
    from vern.core import clock
    from vern.police.models import Deviation, DeviationKind, LegalGround, PoliceContact

    def make() -> int:
        label = world.label(centre)
        author = case_author(world, centre)
        now = clock.now()
        today = clock.today()
        with system_scope():
            case = Case.objects.create(
                centre=centre,
                reference=f"{label}-alt-{next(_seq)}"[:40],
                name=f"{label} Navn",
                created_by=author,
                next_reassessment_on=today - dt.timedelta(days=3),
            )
            Case.objects.create(
                centre=centre,
                reference=f"{label}-lukket-{next(_seq)}"[:40],
                name=f"{label} Navn",
                created_by=author,
                status="closed",
                closed_at=now,
                closed_by=author,
                close_reason="other",
            )
            for kind in ("public_prosecution", "police_help_and_measures"):
                info = InformationRecord.objects.create(
                    centre=centre,
                    case=case,
                    kind=kind,
                    given_by=author,
                    given_at=now - dt.timedelta(days=2),
                    language=f"{label} språk"[:40],
                )
            consent_fields = {
                "centre": centre,
                "case": case,
                "recipient_kind": "police",
                "police_district": "oslo",
                "recipient_unit": f"{label} enhet",
                "purpose": f"{label} formål",
                "categories": ["identity"],
                "form": "verbal",
                "verbal_witness": f"{label} vitne",
                "verbal_reason": f"{label} grunn",
                "recorded_by": author,
                "information_record": info,
            }
            consent = Consent.objects.create(
                **consent_fields,
                given_at=now - dt.timedelta(days=1),
                expires_at=now + dt.timedelta(days=5),
            )
            Consent.objects.create(
                **consent_fields,
                given_at=now - dt.timedelta(days=2),
                withdrawn_at=now - dt.timedelta(days=1),
                withdrawn_recorded_at=now,
                withdrawn_recorded_by=author,
                withdrawn_note=f"{label} tilbaketrekking",
            )
            ConsentRefusal.objects.create(
                centre=centre,
                case=case,
                recorded_by=author,
                refused_at=now,
                reasons=f"{label} nei",
                information_offered=True,
            )
            contact_fields = {
                "centre": centre,
                "case": case,
                "status": "done",
                "contact_at": now - dt.timedelta(hours=1),
                "police_district": "oslo",
                "police_unit": f"{label} enhet",
                "contact_role": "investigator",
                "channel": "phone",
                "shared_categories": ["identity"],
                "reprisal_check": {"routes": ["phone"], "risk": "high", "note": f"{label} m"},
                "outcome_note": f"{label} utfall",
                "recorded_by": author,
            }
            grounds = {
                LegalGround.CONSENT: {"consent": consent, "ground_valid": True},
                LegalGround.DUTY_TO_AVERT: {
                    "duty_to_avert_offences": ["straffeloven-274"],
                    "duty_to_avert_why": f"{label} hvorfor",
                    "duty_to_avert_decided_by": author,
                    "avert_action": "report",
                    "avert_action_note": f"{label} avverget",
                    "necessity_why": f"{label} nødvendig",
                    "user_not_told_why": f"{label} ikke ennå",
                    "ground_valid": True,
                },
                LegalGround.DANGER: {
                    "danger_what": f"{label} fare",
                    "danger_consent": "not_possible",
                    "danger_consent_why": f"{label} hvorfor ikke",
                    "decided_as": "leader",
                    "necessity_why": f"{label} nødvendig",
                    "user_told_at": now,
                    "user_told_how": f"{label} fortalt",
                    "ground_valid": True,
                },
                LegalGround.ANONYMOUS: {"shared_categories": [], "ground_valid": True},
                LegalGround.NONE: {"ground_valid": False},
            }
            contacts = {
                ground: PoliceContact.objects.create(
                    **{**contact_fields, "legal_ground": ground, **extra}
                )
                for ground, extra in grounds.items()
            }
            for kind in DeviationKind.values:
                Deviation.objects.create(
                    centre=centre,
                    case=case,
                    kind=kind,
                    police_contact=contacts[LegalGround.NONE]
                    if kind == DeviationKind.CONTACT_WITHOUT_GROUND
                    else None,
                    reasons=["other"],
                    description=f"{label} avvik {kind}",
                    opened_at=now,
                    opened_by=author,
                )
            Deviation.objects.create(
                centre=centre,
                case=case,
                kind=DeviationKind.OTHER,
                reasons=["other"],
                description=f"{label} lukket avvik",
                opened_at=now - dt.timedelta(days=1),
                opened_by=author,
                closed_at=now,
                closed_by=author,
                leader_comment=f"{label} lederkommentar",
            )
            child = CaseChild.objects.create(centre=centre, case=case, label=f"{label} b"[:40])
            notification = ChildWelfareNotification.objects.create(
                centre=centre,
                case=case,
                sent_on=today,
                service=f"{label} barnevernstjeneste",
                channel="letter",
                shared_categories=["child_identity"],
                shared_summary=f"{label} delt",
                sent_by=author,
                user_told="no",
                user_not_told_reason=f"{label} ikke fortalt",
                recorded_by=author,
            )
            for resolved in (False, True):
                ChildWelfareConcern.objects.create(
                    centre=centre,
                    case=case,
                    child=child,
                    grounds=["mistreated"],
                    reason=f"{label} bekymring",
                    recorded_by=author,
                    recorded_at=now,
                    notification=None if resolved else notification,
                    resolved_at=now if resolved else None,
                    resolved_by=author if resolved else None,
                    resolution_reason="registered_in_error" if resolved else "",
                    resolution_note=f"{label} løst" if resolved else "",
                )
            ReassessmentTrigger.objects.create(
                centre=centre, case=case, kind="new_threat", occurs_on=today, recorded_by=author
            )
            ReassessmentTrigger.objects.create(
                centre=centre,
                case=case,
                kind="rules_changed",
                outcome_change={"rulebook_id": "no", "from_version": "1", "to_version": "2"},
            )
            CaseEvent.objects.create(
                centre=centre, case=case, at=now, kind="note", summary=f"{label} hendelse"
            )
        audit_record(
            action=AuditAction.CASE_VIEWED,
            actor=author,
            centre=centre,
            object_type="cases.case",
            object_id=case.pk,
        )
        audit_record(
            action=AuditAction.LOOKUP_REFUSED,
            actor=author,
            centre=centre,
            object_type="cases.case",
            object_id=case.pk,
        )
        return case.pk

    return world.once(f"every-kind-{centre.pk}", make)


@centre_object("every_kind_case")
def _every_kind_case(world: World, centre: Centre) -> URLValue:
    """The case with one record of every kind (above); the world makes one in the other
    centre, so every list and count of the matrix's pages has the other centre's canary."""
    return _every_kind_objects(world, centre)
