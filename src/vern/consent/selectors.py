"""Reads for information duties and consent (G3, G4, G5, G15, C1, R3).

Other apps depend on these names (police contacts check consent with ``valid_police_consent``
and ``consent_covers``; relocation checks the handover consent with ``valid_handover_consent``):
keep them and their reason codes stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.cases.panels import CaseReads, read_list_once, read_once, register_probe
from vern.consent.models import (
    Consent,
    ConsentForm,
    ConsentRefusal,
    InformationCategory,
    InformationKind,
    InformationRecord,
    RecipientKind,
    SignedConsentFile,
)

# Why a consent does not cover something (stable codes: stored and tested by other apps).
NOT_YET_GIVEN: Final = "not_yet_given"
WITHDRAWN: Final = "withdrawn"
EXPIRED: Final = "expired"
OUT_OF_SCOPE: Final = "out_of_scope"
NOT_INFORMED: Final = "not_informed"
INFORMATION_AFTER_CONSENT: Final = "information_after_consent"

REASON_TEXTS: Final[dict[str, Promise]] = {
    NOT_YET_GIVEN: _("Samtykket var ikke gitt ennå på dette tidspunktet."),
    WITHDRAWN: _("Samtykket er trukket tilbake."),
    EXPIRED: _("Samtykket har utløpt."),
    OUT_OF_SCOPE: _("Samtykket omfatter ikke alle opplysningene (C1)."),
    NOT_INFORMED: _(
        "Brukeren er ikke registrert informert om offentlig påtale før samtykket (G15)."
    ),
    INFORMATION_AFTER_CONSENT: _(
        "Informasjonen om offentlig påtale ble gitt etter samtykket, ikke før (G15)."
    ),
}

# Consent status on the case page.
ACTIVE: Final = "active"


def public_prosecution_information(*, case: Case) -> InformationRecord | None:
    """The newest record that the user was informed about public prosecution (G5, G15)."""
    return (
        InformationRecord.objects.filter(case=case, kind=InformationKind.PUBLIC_PROSECUTION)
        .order_by("-given_at", "-id")
        .first()
    )


def police_help_information(*, case: Case) -> InformationRecord | None:
    """The newest record that the user was told what the police can do (G12, G13)."""
    return (
        InformationRecord.objects.filter(case=case, kind=InformationKind.POLICE_HELP_AND_MEASURES)
        .order_by("-given_at", "-id")
        .first()
    )


def withdrawal_cutoff(at: dt.datetime) -> dt.datetime:
    """The first moment after ``at``'s minute: a withdrawal stamped before it binds at ``at``.

    The one rule of "withdrawn before this moment" (C1, issue 14/22). Staff type the time of a
    police contact to the minute (14:05 is stored as 14:05:00), while a withdrawal is stamped
    with seconds (14:05:30). A contact typed 14:05 may have been made at 14:05:59, after the
    withdrawal, so the consent must not be taken to cover it: a withdrawal counts from the start
    of its minute. ``withdrawn_at < withdrawal_cutoff(at)`` says "withdrawn at ``at``"; use
    :func:`withdrawn_by` (Python) or :func:`not_withdrawn_q` (queries), never ``<``/``<=``."""
    return at.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def withdrawn_by(withdrawn_at: dt.datetime | None, at: dt.datetime) -> bool:
    """True when a consent withdrawn at ``withdrawn_at`` no longer holds at ``at`` (the minute
    rule of :func:`withdrawal_cutoff`: a withdrawal in the same minute counts as before)."""
    return withdrawn_at is not None and withdrawn_at < withdrawal_cutoff(at)


def withdrawal_binds_from(withdrawn_at: dt.datetime) -> dt.datetime:
    """The earliest contact time a withdrawal binds: the start of the withdrawal's minute.

    ``contact_at >= withdrawal_binds_from(w)`` is the same rule as ``withdrawn_by(w, contact_at)``
    (a contact typed in the withdrawal's minute counts as after it)."""
    return withdrawn_at.replace(second=0, microsecond=0)


def not_withdrawn_q(at: dt.datetime, prefix: str = "") -> Q:
    """The query form of ``not withdrawn_by(withdrawn_at, at)``."""
    return Q(**{f"{prefix}withdrawn_at__isnull": True}) | Q(
        **{f"{prefix}withdrawn_at__gte": withdrawal_cutoff(at)}
    )


def _valid_at(at: dt.datetime) -> Q:
    return (
        Q(given_at__lte=at)
        & not_withdrawn_q(at)
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=at))
    )


def valid_police_consent(*, case: Case, at: dt.datetime) -> Consent | None:
    """The newest consent to the police that is in force at ``at`` (G3, C1).

    In force: given at or before ``at``, not withdrawn at ``at`` (withdrawal takes effect at
    once, from the start of its minute: ``withdrawn_by``), not expired. Use ``consent_covers``
    for scope and the G15 order."""
    return (
        Consent.objects.filter(case=case, recipient_kind=RecipientKind.POLICE)
        .filter(_valid_at(at))
        .order_by("-given_at", "-id")
        .first()
    )


def valid_handover_consent(*, case: Case, at: dt.datetime) -> Consent | None:
    """The newest consent to a (destination) crisis centre, in force at ``at`` and covering
    the risk mapping: the mapping may follow the user to the new centre only then (R3)."""
    candidates = (
        Consent.objects.filter(case=case, recipient_kind=RecipientKind.CRISIS_CENTRE)
        .filter(_valid_at(at))
        .order_by("-given_at", "-id")
    )
    for consent in candidates:
        if not consent_covers(
            consent=consent, categories=[InformationCategory.RISK_MAPPING], at=at
        ):
            return consent
    return None


def consent_covers(*, consent: Consent, categories: Iterable[str], at: dt.datetime) -> list[str]:
    """Why ``consent`` does NOT cover sharing ``categories`` at ``at``: an empty list = covered.

    Reason codes (stable): ``not_yet_given``, ``withdrawn``, ``expired``, ``out_of_scope``
    (C1: a category outside the consent's kinds of information), and for consents to the
    police ``not_informed`` / ``information_after_consent`` (G15: the user must have been told
    about public prosecution before she consented)."""
    reasons: list[str] = []
    if consent.given_at > at:
        reasons.append(NOT_YET_GIVEN)
    if withdrawn_by(consent.withdrawn_at, at):
        reasons.append(WITHDRAWN)
    if consent.expires_at is not None and consent.expires_at <= at:
        reasons.append(EXPIRED)
    scope = set(consent.categories or [])
    wanted = {str(category) for category in categories}
    if wanted - scope:
        reasons.append(OUT_OF_SCOPE)
    if consent.recipient_kind == RecipientKind.POLICE:
        order_problem = _g15_order_problem(consent)
        if order_problem:
            reasons.append(order_problem)
    return reasons


def _g15_order_problem(consent: Consent) -> str:
    """'' when public-prosecution information was recorded at or before the consent."""
    info = consent.information_record
    if info is not None and info.kind == InformationKind.PUBLIC_PROSECUTION:
        if info.given_at <= consent.given_at:
            return ""
        return INFORMATION_AFTER_CONSENT
    records = InformationRecord.objects.filter(
        case_id=consent.case_id, kind=InformationKind.PUBLIC_PROSECUTION
    )
    if records.filter(given_at__lte=consent.given_at).exists():
        return ""
    if records.exists():
        return INFORMATION_AFTER_CONSENT
    return NOT_INFORMED


def uncovered_categories(*, consent: Consent, categories: Iterable[str]) -> list[str]:
    """The categories of ``categories`` that the consent does not cover, in the given order."""
    scope = set(consent.categories or [])
    return [str(category) for category in categories if str(category) not in scope]


def consent_status(*, consent: Consent, at: dt.datetime) -> str:
    """``active``, ``withdrawn``, ``expired`` or ``not_yet_given`` at ``at``."""
    if withdrawn_by(consent.withdrawn_at, at):
        return WITHDRAWN
    if consent.expires_at is not None and consent.expires_at <= at:
        return EXPIRED
    if consent.given_at > at:
        return NOT_YET_GIVEN
    return ACTIVE


def refusal_holds(refused_at: dt.datetime, newest_police_consent_at: dt.datetime | None) -> bool:
    """A refusal is a state of the case until a consent to the police is given after it
    (G13, C1; issue 14 point 5). The one rule for the consent panel, the assessment form and
    the case state (``vern.desk.state``)."""
    return newest_police_consent_at is None or refused_at >= newest_police_consent_at


def refusal_in_force(*, case: Case) -> ConsentRefusal | None:
    """The newest refusal of ``case`` when no consent to the police was given after it."""
    refusal = refusal_list(case=case).first()
    if refusal is None:
        return None
    newest = (
        Consent.objects.filter(case=case, recipient_kind=RecipientKind.POLICE)
        .order_by("-given_at")
        .values_list("given_at", flat=True)
        .first()
    )
    return refusal if refusal_holds(refusal.refused_at, newest) else None


def consent_get(*, user: User, case: Case, pk: int) -> Consent:
    """A consent of ``case`` in the user's centre, else Http404."""
    return Consent.objects.select_related("case").get_for_user_or_404(user, pk=pk, case=case)


def signed_file_get(*, user: User, consent: Consent, pk: int) -> SignedConsentFile:
    """A signed consent file of ``consent`` in the user's centre, else Http404."""
    return SignedConsentFile.objects.get_for_user_or_404(user, pk=pk, consent=consent)


def consent_list(*, case: Case) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(case=case)
        .select_related("recorded_by", "withdrawn_recorded_by")
        .prefetch_related("signed_files")
        .order_by("-given_at", "-id")
    )


def refusal_list(*, case: Case) -> QuerySet[ConsentRefusal]:
    return (
        ConsentRefusal.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("-refused_at", "-id")
    )


def information_list(*, case: Case) -> QuerySet[InformationRecord]:
    return (
        InformationRecord.objects.filter(case=case)
        .select_related("given_by")
        .order_by("-given_at", "-id")
    )


def case_consents(*, case: Case, reads: CaseReads | None = None) -> list[Consent]:
    """``consent_list`` as a list, read once per case page (the panel and the case state)."""
    return read_once(reads, "consent.consents", lambda: list(consent_list(case=case)))


def case_refusals(*, case: Case, reads: CaseReads | None = None) -> list[ConsentRefusal]:
    """``refusal_list`` as a list, read once per case page (the panel and the case state)."""
    return read_list_once(reads, "consent.refusals", lambda: list(refusal_list(case=case)))


def case_information(*, case: Case, reads: CaseReads | None = None) -> list[InformationRecord]:
    """``information_list`` as a list, read once per case page (the panel and the state)."""
    return read_once(reads, "consent.information", lambda: list(information_list(case=case)))


def suspected_offences(*, case: Case) -> list[str]:
    """The suspected offences of the case's newest assessment (ids in the offence table)."""
    latest = (
        Assessment.objects.filter(case=case)
        .order_by("-assessed_at", "-id")
        .values_list("suspected_offences", flat=True)
        .first()
    )
    return [str(item) for item in (latest or [])]


@dataclass(frozen=True)
class ConsentLine:
    """One consent as shown on the case page."""

    consent: Consent
    status: str
    category_labels: list[str]
    needs_written: bool
    files: list[SignedConsentFile] = field(default_factory=list)


@dataclass(frozen=True)
class ConsentOverview:
    """Everything the consent panel shows, computed with a fixed number of queries."""

    informed: InformationRecord | None
    information: list[InformationRecord]
    consents: list[ConsentLine]
    refusals: list[ConsentRefusal]
    active_police: list[Consent]
    ask_written: list[Consent]
    latest_refusal: ConsentRefusal | None
    refused_since_last_consent: bool


def consent_overview(
    *, case: Case, at: dt.datetime, reads: CaseReads | None = None
) -> ConsentOverview:
    information = case_information(case=case, reads=reads)
    consents = case_consents(case=case, reads=reads)
    refusals = case_refusals(case=case, reads=reads)
    informed = next(
        (item for item in information if item.kind == InformationKind.PUBLIC_PROSECUTION), None
    )
    labels = dict(InformationCategory.choices)
    lines: list[ConsentLine] = []
    written_active: list[Consent] = []
    for consent in consents:
        status = consent_status(consent=consent, at=at)
        if status == ACTIVE and consent.form == ConsentForm.WRITTEN:
            written_active.append(consent)
    for consent in consents:
        status = consent_status(consent=consent, at=at)
        files = list(consent.signed_files.all())
        lines.append(
            ConsentLine(
                consent=consent,
                status=status,
                category_labels=[str(labels.get(c, c)) for c in consent.categories or []],
                needs_written=status == ACTIVE and _needs_written(consent, files, written_active),
                files=files,
            )
        )
    active_police = [
        line.consent
        for line in lines
        if line.status == ACTIVE and line.consent.recipient_kind == RecipientKind.POLICE
    ]
    police_given = [c.given_at for c in consents if c.recipient_kind == RecipientKind.POLICE]
    latest_refusal = refusals[0] if refusals else None
    refused_since = latest_refusal is not None and refusal_holds(
        latest_refusal.refused_at, max(police_given, default=None)
    )
    return ConsentOverview(
        informed=informed,
        information=information,
        consents=lines,
        refusals=refusals,
        active_police=active_police,
        ask_written=[line.consent for line in lines if line.needs_written],
        latest_refusal=latest_refusal,
        refused_since_last_consent=refused_since,
    )


def _needs_written(
    consent: Consent, files: list[SignedConsentFile], written_active: list[Consent]
) -> bool:
    """G4: a verbal consent keeps asking for a written one until the signed form is uploaded
    to it or a written consent to the same kind of recipient was given after it."""
    if consent.form != ConsentForm.VERBAL or files:
        return False
    return not any(
        other.recipient_kind == consent.recipient_kind and other.given_at >= consent.given_at
        for other in written_active
    )


register_probe("consent.refusals", ConsentRefusal)
