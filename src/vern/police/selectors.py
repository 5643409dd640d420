"""Reads for police contacts and deviations, always scoped to the user's centre (404 otherwise)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.cases.panels import CaseReads, read_list_once, register_probe
from vern.consent.models import Consent, RecipientKind
from vern.consent.selectors import EXPIRED, WITHDRAWN, withdrawn_by
from vern.police.models import ContactStatus, Deviation, LegalGround, PoliceContact
from vern.police.services import require_leader
from vern.rules import load_rulebook
from vern.rules.program import valid_on

DUTY_TO_AVERT_STEP = "contact_police_under_duty_to_avert"


def _lang() -> str:
    lang = (translation.get_language() or "nb")[:2]
    return lang if lang in {"nb", "nn", "en"} else "nb"


# --------------------------------------------------------------------------- rulebook choices


def offence_196_choices(*, on: dt.date) -> list[tuple[str, str]]:
    """The offences on the § 196 list in force on ``on`` (G11), as form choices."""
    lang = _lang()
    return [
        (offence.id, f"{offence.title.get(lang)} ({offence.section})")
        for offence in load_rulebook().offences
        if offence.in_196_list and valid_on(offence.valid_from, offence.valid_until, on)
    ]


def offence_avert_choices(*, on: dt.date) -> list[tuple[str, str]]:
    """The offences in force on ``on`` for the duty to avert (L2): those on the § 196 list first,
    then the others, marked as not on the list, so that staff who name one (say § 264) record
    what happened and get a deviation, rather than finding no box to tick."""
    lang = _lang()
    offences = [o for o in load_rulebook().offences if valid_on(o.valid_from, o.valid_until, on)]
    listed = [(o.id, f"{o.title.get(lang)} ({o.section})") for o in offences if o.in_196_list]
    unlisted = [
        (
            o.id,
            str(_("%(title)s (%(section)s, ikke på listen i § 196)"))
            % {"title": o.title.get(lang), "section": o.section},
        )
        for o in offences
        if not o.in_196_list
    ]
    return listed + unlisted


def offence_labels() -> dict[str, str]:
    lang = _lang()
    return {
        offence.id: f"{offence.title.get(lang)} ({offence.section})"
        for offence in load_rulebook().offences
    }


def measure_choices(*, on: dt.date) -> list[tuple[str, str]]:
    """The measures of the catalogue that exist on ``on``, in catalogue order (P1)."""
    lang = _lang()
    measures = sorted(load_rulebook().measures, key=lambda measure: measure.order)
    return [
        (measure.id, measure.title.get(lang))
        for measure in measures
        if valid_on(measure.valid_from, measure.valid_until, on)
    ]


def measure_labels() -> dict[str, str]:
    lang = _lang()
    return {measure.id: measure.title.get(lang) for measure in load_rulebook().measures}


# --------------------------------------------------------------------------- per case


def contact_get(*, user: User, case: Case, pk: int) -> PoliceContact:
    """A contact of ``case`` in the user's centre, else Http404."""
    return PoliceContact.objects.select_related(
        "case", "consent", "duty_to_avert_decided_by", "recorded_by"
    ).get_for_user_or_404(user, pk=pk, case=case)


def consent_lapse(contact: PoliceContact, *, at: dt.datetime) -> str:
    """Why the consent a contact rests on no longer holds for it *now*, '' when it does (C1).

    ``ground_valid`` is the ground as checked when the contact was recorded. A *planned*
    contact is still to be made: a consent withdrawn since (or one that has run out by the
    time of the contact or now, whichever is later) leaves it without a ground, and the plan
    must be corrected. A *done* contact loses its ground only to a withdrawal at or before the
    contact's minute (``consent.selectors.withdrawn_by``; the withdrawal service also records
    that with ``services.contact_ground_lost``). Reason codes: ``withdrawn``, ``expired``.
    Reads ``contact.consent`` (select it with the contact: no query per contact)."""
    consent = contact.consent if contact.consent_id is not None else None
    if contact.legal_ground != LegalGround.CONSENT or consent is None:
        return ""
    if contact.status == ContactStatus.DONE:
        return WITHDRAWN if withdrawn_by(consent.withdrawn_at, contact.contact_at) else ""
    moment = max(contact.contact_at, at)
    if withdrawn_by(consent.withdrawn_at, moment):
        return WITHDRAWN
    if consent.expires_at is not None and consent.expires_at <= moment:
        return EXPIRED
    return ""


def ground_valid_now(contact: PoliceContact, *, at: dt.datetime) -> bool:
    """The contact's ground as it stands at ``at``: what the case page, the contact page, the
    API and the case state show as "valid ground" (issue 14)."""
    return contact.ground_valid and not consent_lapse(contact, at=at)


def contacts_for_case(*, case: Case) -> QuerySet[PoliceContact]:
    return (
        PoliceContact.objects.filter(case=case)
        .select_related("duty_to_avert_decided_by", "consent")
        .prefetch_related(
            Prefetch("deviations", queryset=Deviation.objects.order_by("-opened_at", "-id"))
        )
        .order_by("-contact_at", "-id")
    )


def ground_reason_codes(contact: PoliceContact) -> list[str]:
    """Why a *done* contact has no valid ground, as its deviations recorded it (C1: also a
    ground lost afterwards, ``services.contact_ground_lost``), oldest first, no code twice.
    Uses ``contact.deviations.all()``: no query when prefetched (the case panel)."""
    if contact.ground_valid or contact.status != ContactStatus.DONE:
        return []
    codes: list[str] = []
    for deviation in sorted(contact.deviations.all(), key=lambda d: (d.opened_at, d.pk)):
        codes.extend(code for code in deviation.reasons if code not in codes)
    return codes


def open_deviations_for_case(*, case: Case) -> QuerySet[Deviation]:
    return Deviation.objects.filter(case=case, closed_at__isnull=True).order_by("-opened_at", "-id")


def case_contacts(*, case: Case, reads: CaseReads | None = None) -> list[PoliceContact]:
    """``contacts_for_case`` as a list, read once per case page (the panel and the state)."""
    return read_list_once(reads, "police.contacts", lambda: list(contacts_for_case(case=case)))


def case_open_deviations(*, case: Case, reads: CaseReads | None = None) -> list[Deviation]:
    """``open_deviations_for_case`` as a list, read once per case page (panel and state)."""
    return read_list_once(
        reads, "police.open_deviations", lambda: list(open_deviations_for_case(case=case))
    )


def police_consents(*, case: Case) -> QuerySet[Consent]:
    """Consents of ``case`` (this case only) to the police, newest first, for the form."""
    return Consent.objects.filter(
        case=case, centre_id=case.centre_id, recipient_kind=RecipientKind.POLICE
    ).order_by("-given_at", "-id")


def newest_next_step(*, case: Case) -> str:
    """The next step of the newest assessment ('' when none)."""
    step = (
        Assessment.objects.filter(case=case)
        .order_by("-assessed_at", "-id")
        .values_list("next_step", flat=True)
        .first()
    )
    return step or ""


def centre_staff(*, user: User) -> QuerySet[User]:
    """Active staff of the user's centre who can decide under the duty to avert (G11)."""
    if user.centre_id is None:
        return User.objects.none()
    return User.objects.filter(
        centre_id=user.centre_id, is_active=True, role__in=["ansatt", "leder"]
    ).order_by("full_name", "username")


# --------------------------------------------------------------------------- leader overview


def deviation_get(*, user: User, pk: int) -> Deviation:
    """A deviation of the user's centre, else Http404."""
    return Deviation.objects.select_related(
        "case", "case__centre", "police_contact", "opened_by", "closed_by"
    ).get_for_user_or_404(user, pk=pk)


def open_deviations(*, user: User) -> QuerySet[Deviation]:
    """The centre's open deviations, on open and closed cases alike (the leader closes them):
    the one definition behind the leader's overview, the home page's count and the leader's
    tasks (``vern.reminders``)."""
    return Deviation.objects.for_user(user).filter(closed_at__isnull=True).select_related("case")


@dataclass(frozen=True)
class LeaderOverview:
    open: list[Deviation]
    closed: list[Deviation]
    # Every contact without consent (L1, L2): the duty to avert and danger to life or health.
    no_consent: list[PoliceContact]

    @property
    def duty_to_avert(self) -> list[PoliceContact]:
        return [c for c in self.no_consent if c.legal_ground == LegalGround.DUTY_TO_AVERT]

    @property
    def danger(self) -> list[PoliceContact]:
        return [c for c in self.no_consent if c.legal_ground == LegalGround.DANGER]


def no_consent_contacts(*, user: User, unreviewed_only: bool = False) -> list[PoliceContact]:
    """Every contact of the user's centre without consent (duty to avert, danger ground):
    those the leader has not marked as reviewed first, each group newest first (issue 14).
    ``unreviewed_only`` leaves the reviewed ones out. Leaders only."""
    require_leader(user)
    contacts = (
        PoliceContact.objects.for_user(user)
        .filter(Q(legal_ground__in=[LegalGround.DUTY_TO_AVERT, LegalGround.DANGER]))
        .select_related("case", "duty_to_avert_decided_by", "recorded_by", "leader_reviewed_by")
    )
    if unreviewed_only:
        contacts = contacts.filter(leader_reviewed_at__isnull=True)
    reviewed = ExpressionWrapper(Q(leader_reviewed_at__isnull=False), output_field=BooleanField())
    return list(contacts.annotate(reviewed=reviewed).order_by("reviewed", "-contact_at", "-id"))


def no_consent_contact_get(*, user: User, pk: int) -> PoliceContact:
    """A contact without consent of the user's centre, else Http404 (leaders only)."""
    require_leader(user)
    return (
        PoliceContact.objects.filter(
            legal_ground__in=[LegalGround.DUTY_TO_AVERT, LegalGround.DANGER]
        )
        .select_related("case", "consent", "duty_to_avert_decided_by", "leader_reviewed_by")
        .get_for_user_or_404(user, pk=pk)
    )


def leader_overview(
    *, user: User, closed_limit: int = 100, unreviewed_only: bool = False
) -> LeaderOverview:
    """Open and (recently) closed deviations and every contact of the centre made without
    consent, under the duty to avert or on the danger ground (G11, L1, L2: these paths are
    always visible to the leader), unreviewed first (``no_consent_contacts``). Leaders only."""
    require_leader(user)
    deviations = Deviation.objects.for_user(user).select_related(
        "case", "opened_by", "closed_by", "police_contact"
    )
    return LeaderOverview(
        open=list(
            open_deviations(user=user)
            .select_related("opened_by", "closed_by", "police_contact")
            .order_by("opened_at", "id")
        ),
        closed=list(
            deviations.filter(closed_at__isnull=False).order_by("-closed_at", "-id")[:closed_limit]
        ),
        no_consent=no_consent_contacts(user=user, unreviewed_only=unreviewed_only),
    )


register_probe("police.contacts", PoliceContact)
register_probe("police.open_deviations", Deviation)
