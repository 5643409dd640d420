"""The consented handover of a case to a destination centre in this Vern (R3, issue 14).

When the user moves to a centre that uses the same Vern, and a valid consent to that centre
covers it, ``relocation_hand_over`` creates the case at the receiving centre with only what the
consent's kinds of information cover:

* always: a new case with a reference for the receiving centre (chosen by the sender or made
  up), no name, language ``nb``, and a timeline line saying it was received by handover;
* ``identity`` (name, date of birth and contact details): the case's name;
* ``children``: the accompanying children in the stay (label and birth year);
* ``risk_mapping``: the newest mapping of the user's threat picture, and, when ``children`` is
  covered too, each copied child's newest mapping.

Nothing else is copied: not the assessments (the receiving centre makes its own, G8), not the
timeline, consents, police contacts, deviations or the relocation itself. The other kinds
(``stay``, ``violence``, ``perpetrator``, ``address``) have no record of their own in Vern to
copy; what of them is in the mapping comes with the mapping only.

Both centres' logs get an event: the sending case a ``relocation_recorded`` event (reason
``handed_over``) and a timeline line; the receiving centre a ``case_created`` event (reason
``received_by_handover``). The receipt (when, by whom, under which consent, which kinds) stays
on the relocation; the receiving case is the receiving centre's and is not readable from the
sending centre (tenant isolation). The writes at the receiving centre run with the tenant scope
set to that centre for the duration (PostgreSQL row-level security), never to all centres.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.assessments.models import RiskMapping
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case, CaseChild, CaseEvent
from vern.cases.services import case_change, ensure_open, ensure_same_centre
from vern.centres.models import Centre
from vern.centres.tenancy import CENTRE_SETTING
from vern.consent import selectors as consent_selectors
from vern.consent.models import Consent, InformationCategory, RecipientKind
from vern.core import clock
from vern.relocation.models import Relocation, RelocationStatus
from vern.relocation.services import OBJECT_TYPE, _ensure_writable

# The kinds of information Vern can hand over, in the order a receipt lists them.
HANDED_OVER_KINDS: Final = (
    InformationCategory.IDENTITY,
    InformationCategory.CHILDREN,
    InformationCategory.RISK_MAPPING,
)
REFERENCE_MAX = 40


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


def consent_covers_centre(consent: Consent, centre: Centre) -> bool:
    """The consent is to a crisis centre, and the recipient it names is ``centre``."""
    return consent.recipient_kind == RecipientKind.CRISIS_CENTRE and _normalised(
        consent.recipient_unit
    ) == _normalised(centre.name)


def handover_consent_for(*, relocation: Relocation, at: dt.datetime) -> Consent | None:
    """The newest consent in force at ``at`` to the relocation's destination centre in Vern."""
    centre = relocation.destination_centre
    if centre is None:
        return None
    candidates = Consent.objects.filter(
        case_id=relocation.case_id, recipient_kind=RecipientKind.CRISIS_CENTRE
    ).order_by("-given_at", "-id")
    for consent in candidates:
        if consent_covers_centre(consent, centre) and not consent_selectors.consent_covers(
            consent=consent, categories=[], at=at
        ):
            return consent
    return None


def handover_problem(relocation: Relocation, *, at: dt.datetime) -> str:
    """Why the relocation cannot be handed over now ('' when it can): a code for the page."""
    if relocation.destination_centre_id is None:
        return "outside_vern"
    if relocation.handed_over_at is not None:
        return "already"
    if relocation.status == RelocationStatus.CANCELLED:
        return "cancelled"
    if handover_consent_for(relocation=relocation, at=at) is None:
        return "no_consent"
    return ""


def handover_kinds(consent: Consent) -> list[str]:
    """What this consent lets Vern hand over, in receipt order."""
    scope = set(consent.categories or [])
    return [str(kind) for kind in HANDED_OVER_KINDS if kind in scope]


@contextmanager
def _scope_of(centre_id: int) -> Iterator[None]:
    """Inside the request transaction, the tenant scope of ``centre_id`` for the block (the
    receiving centre's rows only; PostgreSQL row-level security), then the scope before it."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), set_config(%s, %s, true)",
            [CENTRE_SETTING, CENTRE_SETTING, str(centre_id)],
        )
        row = cursor.fetchone()
    previous = (row[0] if row else "") or ""
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [CENTRE_SETTING, previous])


def _reference(centre: Centre, wanted: str) -> str:
    wanted = " ".join(wanted.split())
    if wanted:
        if len(wanted) > REFERENCE_MAX:
            raise ValidationError(
                {"reference": _("Referansen kan ha høyst %(n)s tegn.") % {"n": REFERENCE_MAX}}
            )
        if Case.objects.filter(centre=centre, reference__iexact=wanted).exists():
            raise ValidationError(
                {
                    "reference": _(
                        "Referansen er allerede i bruk ved det nye senteret. Velg en annen, "
                        "eller la feltet stå tomt."
                    )
                }
            )
        return wanted
    while True:
        made = f"OVF-{secrets.token_hex(3).upper()}"
        if not Case.objects.filter(centre=centre, reference__iexact=made).exists():
            return made


@dataclass(frozen=True)
class HandoverReceipt:
    """What was handed over (for the sending centre: never the receiving case itself)."""

    at: dt.datetime
    kinds: list[str]
    children: int
    mappings: int


def _copy_mapping(mapping: RiskMapping, case: Case, child: CaseChild | None, by: User) -> None:
    RiskMapping.objects.create(
        centre_id=case.centre_id,
        case=case,
        child=child,
        mapped_by=by,
        mapped_at=mapping.mapped_at,
        method=mapping.method,
        method_other=mapping.method_other,
        answers=mapping.answers,
        result=mapping.result,
        reasoning=mapping.reasoning,
    )


def _newest_mapping(case: Case, child: CaseChild | None) -> RiskMapping | None:
    mappings = RiskMapping.objects.filter(case=case, child=child).order_by("-mapped_at", "-id")
    return mappings.first()


@transaction.atomic
def relocation_hand_over(
    *, acting_user: User, relocation: Relocation, reference: str = ""
) -> HandoverReceipt:
    """Create the case at the destination centre with only what the handover consent covers,
    with an audit event at both centres and a receipt on the relocation (R3)."""
    _ensure_writable_for_handover(relocation, acting_user)
    now = clock.now()
    problem = handover_problem(relocation, at=now)
    if problem == "outside_vern":
        raise ValidationError(
            _("Det nye senteret bruker ikke Vern. Saken kan ikke overleveres her.")
        )
    if problem == "already":
        raise ValidationError(_("Saken er allerede overlevert til det nye senteret."))
    if problem == "cancelled":
        raise ValidationError(_("Flyttingen er avbrutt."))
    consent = handover_consent_for(relocation=relocation, at=now)
    if consent is None:
        raise ValidationError(
            _(
                "Det finnes ikke noe gyldig samtykke til å gi opplysninger til det nye "
                "senteret (R3). Samtykket må ha det nye senteret som mottaker."
            )
        )
    destination = relocation.destination_centre
    assert destination is not None  # noqa: S101 - checked by handover_problem
    kinds = handover_kinds(consent)
    source = relocation.case
    children = (
        list(CaseChild.objects.filter(case=source, removed_at__isnull=True).order_by("created_at"))
        if InformationCategory.CHILDREN in kinds
        else []
    )
    user_mapping = (
        _newest_mapping(source, None) if InformationCategory.RISK_MAPPING in kinds else None
    )
    child_mappings = (
        {child.pk: _newest_mapping(source, child) for child in children}
        if InformationCategory.RISK_MAPPING in kinds
        else {}
    )
    mappings = 0
    with _scope_of(destination.pk):
        received = Case.objects.create(
            centre=destination,
            reference=_reference(destination, reference),
            name=source.name if InformationCategory.IDENTITY in kinds else "",
            created_by=acting_user,
        )
        for child in children:
            copy = CaseChild.objects.create(
                centre=destination,
                case=received,
                label=child.label,
                birth_year=child.birth_year,
            )
            mapping = child_mappings.get(child.pk)
            if mapping is not None:
                _copy_mapping(mapping, received, copy, acting_user)
                mappings += 1
        if user_mapping is not None:
            _copy_mapping(user_mapping, received, None, acting_user)
            mappings += 1
        CaseEvent.objects.create(
            centre=destination,
            case=received,
            at=now,
            kind="case_received",
            summary=_("Sak mottatt fra et annet krisesenter med brukerens samtykke (R3)"),
            actor=acting_user,
            object_type="case",
            object_id=received.pk,
        )
        audit_record(
            action=AuditAction.CASE_CREATED,
            actor=acting_user,
            centre=destination,
            object_type="case",
            object_id=received.pk,
            reason="received_by_handover",
            details={
                "from_centre": source.centre_id,
                "kinds": len(kinds),
                "children": len(children),
                "mappings": mappings,
            },
        )
    relocation.handed_over_at = now
    relocation.handed_over_by = acting_user
    relocation.handed_over_categories = kinds
    relocation.handed_over_consent = consent
    relocation.save(
        update_fields=[
            "handed_over_at",
            "handed_over_by",
            "handed_over_categories",
            "handed_over_consent",
        ]
    )
    case_change(
        case=source,
        actor=acting_user,
        obj=relocation,
        kind="relocation_handed_over",
        summary=_("Saken er overlevert til det nye krisesenteret med brukerens samtykke (R3)"),
        action=AuditAction.RELOCATION_RECORDED,
        object_type=OBJECT_TYPE,
        details={
            "step": "handed_over",
            "consent_id": consent.pk,
            "kinds": len(kinds),
            "children": len(children),
            "mappings": mappings,
        },
        reason="handed_over",
    )
    return HandoverReceipt(at=now, kinds=kinds, children=len(children), mappings=mappings)


def _ensure_writable_for_handover(relocation: Relocation, acting_user: User) -> None:
    """A planned or completed move of an open case (a completed one is usually handed over)."""
    if relocation.status == RelocationStatus.PLANNED:
        _ensure_writable(relocation, acting_user)
        return
    ensure_same_centre(relocation.case, acting_user)
    ensure_open(relocation.case)
