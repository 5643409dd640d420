"""One derivation of a case's state: what is true now and what is due (issue 14).

``case_state(case=..)`` for one case, ``case_states(cases=..)`` for a list (a constant number
of queries for any number of cases). The case page's summary, the case list's tags, the home
counts, the reassessment dashboard and ``GET /api/v1/cases/N`` all read this, so they cannot
disagree. Nothing is stored: the state is derived on every read, so a withdrawal, a refusal, a
new event, a closing or a new rulebook version shows at once.

The engine's outcome (the newest assessment's ``next_step``) is the starting point; the case
facts recorded since adjust it (never the engine contract, src/vern/rules):

* a closed case has no next step, no reassessment date and no live tags;
* an open trigger (a new event, a reopening, a rulebook change, G8) makes "reassess now" the
  next step and the reassessment due now, whatever date the last assessment set;
* a refusal since the last consent (G13, C1) is a state of the case until a consent is given:
  the consent steps become "respect the refusal, offer information, reassess";
* a step already done is not shown as next: informed about public prosecution (G5, G15) moves
  "inform" on to "ask for consent"; a consent in force moves "ask for consent" on to
  "contact the police"."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Final

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vern.assessments.models import Assessment
from vern.assessments.questions import ui_lang
from vern.assessments.selectors import assessment_newest
from vern.cases.models import Case, CaseStatus, ReassessmentTrigger
from vern.cases.panels import CaseReads, register_probe
from vern.childwelfare.models import ChildWelfareConcern
from vern.childwelfare.selectors import case_concerns
from vern.consent.models import (
    Consent,
    ConsentRefusal,
    InformationKind,
    InformationRecord,
    RecipientKind,
    last_day_of,
)
from vern.consent.selectors import (
    ACTIVE,
    EXPIRED,
    WITHDRAWN,
    case_consents,
    case_information,
    case_refusals,
    consent_status,
    refusal_holds,
)
from vern.core import clock
from vern.police.models import ContactStatus, Deviation, PoliceContact
from vern.police.selectors import case_contacts, case_open_deviations, consent_lapse
from vern.relocation.models import Relocation, RelocationStatus
from vern.relocation.selectors import case_relocations
from vern.rules import load_rulebook

# Consent states (``CaseState.consent``).
CONSENT_NONE: Final = "none"
CONSENT_ACTIVE: Final = "active"
CONSENT_EXPIRING: Final = "expiring"
CONSENT_EXPIRED: Final = "expired"
CONSENT_WITHDRAWN: Final = "withdrawn"
CONSENT_REFUSED: Final = "refused"
CONSENT_STATES: Final = (
    CONSENT_NONE,
    CONSENT_ACTIVE,
    CONSENT_EXPIRING,
    CONSENT_EXPIRED,
    CONSENT_WITHDRAWN,
    CONSENT_REFUSED,
)
# A consent in force that ends within this window is "expiring" (the dashboard's window).
CONSENT_EXPIRY_WINDOW: Final = dt.timedelta(days=14)

# Reassessment (``CaseState.due``).
DUE_NONE: Final = "none"  # closed
DUE_NEVER_ASSESSED: Final = "never_assessed"
DUE_OVERDUE: Final = "overdue"
DUE_TODAY: Final = "today"
DUE_LATER: Final = "later"

# Next steps the desk adds to the engine's (``CaseState.next_step``; the engine's codes are in
# rulebook/decisions.yaml, ``next_step``).
STEP_CLOSED: Final = "closed"
STEP_ASSESS: Final = "assess"
STEP_REASSESS: Final = "reassess"
STEP_RESPECT_REFUSAL: Final = "respect_refusal"
ENGINE_INFORM: Final = "inform_about_public_prosecution"
ENGINE_OBTAIN_CONSENT: Final = "obtain_consent"
ENGINE_CONTACT_POLICE: Final = "contact_police"
CONSENT_STEPS: Final = frozenset({ENGINE_INFORM, ENGINE_OBTAIN_CONSENT, ENGINE_CONTACT_POLICE})

STEP_TEXTS: Final[dict[str, Promise]] = {
    STEP_CLOSED: _("Saken er avsluttet. Åpne den igjen hvis brukeren kommer tilbake."),
    STEP_ASSESS: _("Gjør en felles vurdering med brukeren (G6, G7)."),
    STEP_REASSESS: _("Vurder saken på nytt nå: noe nytt har skjedd (G8)."),
    STEP_RESPECT_REFUSAL: _(
        "Brukeren har sagt nei til kontakt med politiet. Respekter valget, tilby informasjon om "
        "hva politiet kan gjøre (G13), og vurder saken på nytt ved neste revurdering."
    ),
}

# Why the next step is what it is (``CaseState.next_step_why``).
WHY_CLOSED: Final = "closed"
WHY_NEVER_ASSESSED: Final = "never_assessed"
WHY_NEW_EVENT: Final = "new_event"
WHY_REFUSED: Final = "refused"
WHY_INFORMED: Final = "informed"
WHY_CONSENT_IN_FORCE: Final = "consent_in_force"
WHY_ASSESSMENT: Final = "assessment"
WHY_TEXTS: Final[dict[str, Promise]] = {
    WHY_CLOSED: _("Saken er avsluttet."),
    WHY_NEVER_ASSESSED: _("Saken er ikke vurdert ennå."),
    WHY_NEW_EVENT: _("En ny hendelse er registrert etter siste vurdering."),
    WHY_REFUSED: _("Brukeren har sagt nei etter siste samtykke."),
    WHY_INFORMED: _(
        "Brukeren er informert om offentlig påtale, så neste steg er å spørre om samtykke."
    ),
    WHY_CONSENT_IN_FORCE: _("Et samtykke til politiet gjelder."),
    WHY_ASSESSMENT: _("Fra siste felles vurdering."),
}

# Tags of the case list (``CaseState.tags``), in the order shown.
TAG_OVERDUE: Final = "overdue"
TAG_DUE: Final = "due"
TAG_TRIGGER: Final = "trigger"
TAG_OPEN_DEVIATION: Final = "open_deviation"
TAG_CONTACT_WITHOUT_GROUND: Final = "contact_without_ground"
TAG_PENDING_CONSENT: Final = "pending_consent"
TAG_REFUSED: Final = "refused"
TAG_CHILD_WELFARE: Final = "child_welfare"
TAG_RELOCATION: Final = "relocation"


@dataclass(frozen=True)
class TriggerLine:
    """An open reassessment trigger (a new event no assessment has answered yet, G8)."""

    id: int
    kind: str
    label: str
    occurs_on: dt.date | None
    recorded_at: dt.datetime


@dataclass(frozen=True)
class ContactLine:
    """A police contact with its ground as it stands now (``police.selectors.ground_valid_now``)."""

    id: int
    status: str
    contact_at: dt.datetime
    legal_ground: str
    ground_valid: bool
    # Why the ground no longer holds now (``withdrawn``/``expired``), '' otherwise.
    lapse: str

    @property
    def is_planned(self) -> bool:
        return self.status == ContactStatus.PLANNED


@dataclass(frozen=True)
class DeviationLine:
    id: int
    kind: str
    opened_at: dt.datetime
    police_contact_id: int | None


@dataclass(frozen=True)
class CaseState:
    """What is true about one case at ``at``, and what is due. Frozen: derive again to refresh."""

    case_id: int
    at: dt.datetime
    closed: bool
    # Next step: a desk code (STEP_*) or the engine's code; why: a WHY_* code.
    next_step: str
    next_step_why: str
    # The newest assessment's own next step ('' when never assessed).
    engine_next_step: str
    assessed_at: dt.datetime | None
    # Reassessment: the date (None when closed or never assessed) and the DUE_* state of that
    # date; an open trigger makes it due now whatever the date (``reassess_now``).
    reassessment_on: dt.date | None
    due: str
    open_triggers: tuple[TriggerLine, ...]
    # Consent to the police: a CONSENT_* state, the last day of the consent in force (C1).
    consent: str
    consent_last_day: dt.date | None
    # The soonest end (exclusive ``expires_at``) of a police consent not withdrawn that ends
    # within 14 days either side of ``at``: the dashboard's "consent expiring" (G8, C1).
    consent_expiry_near: dt.datetime | None
    refused_at: dt.datetime | None
    refusal_information_offered: bool
    informed_public_prosecution: bool
    contacts: tuple[ContactLine, ...]
    open_deviations: tuple[DeviationLine, ...]
    pending_relocation: bool
    # Labels of the children with a concern for the child welfare service not yet notified (B1).
    children_with_pending_concerns: tuple[str, ...]
    tags: tuple[str, ...] = field(default=())

    @property
    def overdue(self) -> bool:
        return self.due == DUE_OVERDUE

    @property
    def reassess_now(self) -> bool:
        """Due now: an open trigger (a new event, G8), overdue, due today or never assessed."""
        if self.closed:
            return False
        return bool(self.open_triggers) or self.due in {DUE_OVERDUE, DUE_TODAY, DUE_NEVER_ASSESSED}

    @property
    def refused(self) -> bool:
        return self.consent == CONSENT_REFUSED

    @property
    def pending_contacts(self) -> tuple[ContactLine, ...]:
        return tuple(line for line in self.contacts if line.is_planned)

    @property
    def contacts_without_ground(self) -> tuple[ContactLine, ...]:
        """Planned contacts whose ground does not hold now (the plan must be corrected)."""
        return tuple(line for line in self.pending_contacts if not line.ground_valid)

    @property
    def pending_consent(self) -> bool:
        return TAG_PENDING_CONSENT in self.tags

    @property
    def next_step_text(self) -> str:
        return next_step_text(self.next_step)

    @property
    def consent_text(self) -> str:
        return str(CONSENT_TEXTS.get(self.consent, self.consent))

    @property
    def next_step_why_text(self) -> str:
        return str(WHY_TEXTS.get(self.next_step_why, ""))

    @property
    def live_at_close(self) -> dict[str, object]:
        """What is still live when the case is closed (the close page lists it)."""
        return {
            "pending_contacts": self.pending_contacts,
            "open_deviations": self.open_deviations,
            "active_consent": self.consent in {CONSENT_ACTIVE, CONSENT_EXPIRING},
            "pending_relocation": self.pending_relocation,
            "children_with_pending_concerns": self.children_with_pending_concerns,
        }

    @property
    def has_live_items(self) -> bool:
        return any(self.live_at_close.values())


def next_step_text(code: str) -> str:
    """The next step in the reader's language: the desk's own codes, else the rulebook's label."""
    if code in STEP_TEXTS:
        return str(STEP_TEXTS[code])
    decision = load_rulebook().decisions.get("next_step")
    if decision is None:
        return code
    try:
        return decision.label(code).get(ui_lang())
    except (KeyError, ValueError):
        return code


def case_state(
    *, case: Case, at: dt.datetime | None = None, reads: CaseReads | None = None
) -> CaseState:
    """The state of one case at ``at`` (default now). With ``reads`` (the case page), the rows
    the panels read too are read once for both (``_shared_rows``): the same derivation."""
    if reads is not None:
        if reads.case.pk != case.pk:
            msg = "reads of another case"
            raise ValueError(msg)
        at = at or clock.now()
        return _derive_all([case], at, _shared_rows(case, reads, at))[case.pk]
    return case_states(cases=[case], at=at)[case.pk]


def case_states(*, cases: Iterable[Case], at: dt.datetime | None = None) -> dict[int, CaseState]:
    """The states of ``cases`` at ``at`` (default now), by case id: nine queries for any number.

    ``cases`` come from a selector (already scoped to the user's centre)."""
    at = at or clock.now()
    rows = list(cases)
    ids = [case.pk for case in rows]
    if not ids:
        return {}
    return _derive_all(rows, at, _batch_rows(ids, at))


@dataclass
class _Rows:
    """What the derivation reads, by case id (``_batch_rows`` or ``_shared_rows``)."""

    latest: dict[int, tuple[str, dt.datetime]]
    triggers: dict[int, list[TriggerLine]]
    consents: dict[int, list[Consent]]
    refusals: dict[int, ConsentRefusal]
    informed: set[int]
    contacts: dict[int, list[ContactLine]]
    deviations: dict[int, list[DeviationLine]]
    relocating: set[int]
    concerns: dict[int, list[str]]


# The case page's probe (CaseReads.has_rows): no trigger query for a case that has none.
register_probe("cases.triggers", ReassessmentTrigger)


def _trigger_lines(ids: list[int]) -> dict[int, list[TriggerLine]]:
    trigger_labels = dict(ReassessmentTrigger._meta.get_field("kind").choices or [])
    triggers: dict[int, list[TriggerLine]] = defaultdict(list)
    for trigger in ReassessmentTrigger.objects.filter(
        case_id__in=ids, resolved_by__isnull=True
    ).order_by("-recorded_at", "-id"):
        triggers[trigger.case_id].append(
            TriggerLine(
                id=trigger.pk,
                kind=trigger.kind,
                label=str(trigger_labels.get(trigger.kind, trigger.kind)),
                occurs_on=trigger.occurs_on,
                recorded_at=trigger.recorded_at,
            )
        )
    return triggers


def _contact_line(contact: PoliceContact, at: dt.datetime) -> ContactLine:
    lapse = consent_lapse(contact, at=at)
    return ContactLine(
        id=contact.pk,
        status=contact.status,
        contact_at=contact.contact_at,
        legal_ground=contact.legal_ground,
        ground_valid=contact.ground_valid and not lapse,
        lapse=lapse,
    )


def _deviation_line(deviation: Deviation) -> DeviationLine:
    return DeviationLine(
        id=deviation.pk,
        kind=deviation.kind,
        opened_at=deviation.opened_at,
        police_contact_id=deviation.police_contact_id,
    )


def _shared_rows(case: Case, reads: CaseReads, at: dt.datetime) -> _Rows:
    """The rows of one case from the reads the case page's panels share (the same rows as
    ``_batch_rows`` filters, in the same order: the selectors' orders are the same)."""
    newest = assessment_newest(case=case, reads=reads)
    consents = [
        c for c in case_consents(case=case, reads=reads) if c.recipient_kind == RecipientKind.POLICE
    ]
    refusals = case_refusals(case=case, reads=reads)
    informed = any(
        record.kind == InformationKind.PUBLIC_PROSECUTION
        for record in case_information(case=case, reads=reads)
    )
    pk = case.pk
    labels: list[str] = []
    for concern in case_concerns(case=case, reads=reads):
        if concern.notification_id is None and concern.resolved_at is None:
            label = concern.child.label
            if label not in labels:
                labels.append(label)
    return _Rows(
        latest={pk: (newest.next_step, newest.assessed_at)} if newest is not None else {},
        triggers=_trigger_lines([pk]) if reads.has_rows("cases.triggers") else {},
        consents={pk: consents},
        refusals={pk: refusals[0]} if refusals else {},
        informed={pk} if informed else set(),
        contacts={pk: [_contact_line(c, at) for c in case_contacts(case=case, reads=reads)]},
        deviations={pk: [_deviation_line(d) for d in case_open_deviations(case=case, reads=reads)]},
        relocating=(
            {pk}
            if any(
                r.status == RelocationStatus.PLANNED
                for r in case_relocations(case=case, reads=reads)
            )
            else set()
        ),
        concerns={pk: labels},
    )


def _batch_rows(ids: list[int], at: dt.datetime) -> _Rows:
    latest: dict[int, tuple[str, dt.datetime]] = {}
    for case_id, step, assessed_at in (
        Assessment.objects.filter(case_id__in=ids)
        .order_by("case_id", "-assessed_at", "-id")
        .values_list("case_id", "next_step", "assessed_at")
    ):
        latest.setdefault(case_id, (step, assessed_at))
    triggers = _trigger_lines(ids)
    consents: dict[int, list[Consent]] = defaultdict(list)
    for consent in Consent.objects.filter(
        case_id__in=ids, recipient_kind=RecipientKind.POLICE
    ).order_by("-given_at", "-id"):
        consents[consent.case_id].append(consent)
    refusals: dict[int, ConsentRefusal] = {}
    for refusal in ConsentRefusal.objects.filter(case_id__in=ids).order_by(
        "case_id", "-refused_at", "-id"
    ):
        refusals.setdefault(refusal.case_id, refusal)
    informed = set(
        InformationRecord.objects.filter(
            case_id__in=ids, kind=InformationKind.PUBLIC_PROSECUTION
        ).values_list("case_id", flat=True)
    )
    contacts: dict[int, list[ContactLine]] = defaultdict(list)
    for contact in (
        PoliceContact.objects.filter(case_id__in=ids)
        .select_related("consent")
        .order_by("-contact_at", "-id")
    ):
        contacts[contact.case_id].append(_contact_line(contact, at))
    deviations: dict[int, list[DeviationLine]] = defaultdict(list)
    for deviation in Deviation.objects.filter(case_id__in=ids, closed_at__isnull=True).order_by(
        "-opened_at", "-id"
    ):
        deviations[deviation.case_id].append(_deviation_line(deviation))
    relocating = set(
        Relocation.objects.filter(case_id__in=ids, status=RelocationStatus.PLANNED).values_list(
            "case_id", flat=True
        )
    )
    concerns: dict[int, list[str]] = defaultdict(list)
    for case_id, label in (
        ChildWelfareConcern.objects.filter(
            case_id__in=ids, notification__isnull=True, resolved_at__isnull=True
        )
        .order_by("recorded_at", "id")
        .values_list("case_id", "child__label")
    ):
        if label not in concerns[case_id]:
            concerns[case_id].append(label)
    return _Rows(
        latest=latest,
        triggers=triggers,
        consents=consents,
        refusals=refusals,
        informed=informed,
        contacts=contacts,
        deviations=deviations,
        relocating=relocating,
        concerns=concerns,
    )


def _derive_all(rows: list[Case], at: dt.datetime, found: _Rows) -> dict[int, CaseState]:
    return {
        case.pk: _derive(
            case=case,
            at=at,
            latest=found.latest.get(case.pk),
            triggers=tuple(found.triggers.get(case.pk, ())),
            consents=found.consents.get(case.pk, []),
            refusal=found.refusals.get(case.pk),
            informed=case.pk in found.informed,
            contacts=tuple(found.contacts.get(case.pk, ())),
            deviations=tuple(found.deviations.get(case.pk, ())),
            relocating=case.pk in found.relocating,
            concerns=tuple(found.concerns.get(case.pk, ())),
        )
        for case in rows
    }


def _consent_state(
    consents: list[Consent], refusal: ConsentRefusal | None, at: dt.datetime
) -> tuple[str, dt.date | None]:
    """The consent state: refused since the last consent given (G13, C1: a refusal holds until
    a consent is given), else the consent in force (expiring within 14 days), else what became
    of the newest consent (withdrawn, expired), else none. Consents to the police only."""
    newest_given = consents[0].given_at if consents else None
    if refusal is not None and refusal_holds(refusal.refused_at, newest_given):
        return CONSENT_REFUSED, None
    active = [c for c in consents if consent_status(consent=c, at=at) == ACTIVE]
    if active:
        ends = [c.expires_at for c in active]
        if any(end is None for end in ends):
            return CONSENT_ACTIVE, None
        last = max(end for end in ends if end is not None)
        state = CONSENT_EXPIRING if last - at <= CONSENT_EXPIRY_WINDOW else CONSENT_ACTIVE
        return state, last_day_of(last)
    if consents:
        status = consent_status(consent=consents[0], at=at)
        if status == WITHDRAWN:
            return CONSENT_WITHDRAWN, None
        if status == EXPIRED:
            return CONSENT_EXPIRED, last_day_of(consents[0].expires_at)
    return CONSENT_NONE, None


def _expiry_near(consents: list[Consent], at: dt.datetime) -> dt.datetime | None:
    ends = [
        c.expires_at
        for c in consents
        if c.withdrawn_at is None
        and c.expires_at is not None
        and abs(c.expires_at - at) <= CONSENT_EXPIRY_WINDOW
    ]
    return min(ends) if ends else None


def _derive(
    *,
    case: Case,
    at: dt.datetime,
    latest: tuple[str, dt.datetime] | None,
    triggers: tuple[TriggerLine, ...],
    consents: list[Consent],
    refusal: ConsentRefusal | None,
    informed: bool,
    contacts: tuple[ContactLine, ...],
    deviations: tuple[DeviationLine, ...],
    relocating: bool,
    concerns: tuple[str, ...],
) -> CaseState:
    closed = case.status == CaseStatus.CLOSED
    consent, last_day = _consent_state(consents, refusal, at)
    refused = consent == CONSENT_REFUSED
    engine_step, assessed_at = latest if latest is not None else ("", None)
    step, why = _next_step(
        closed=closed,
        engine_step=engine_step,
        triggers=bool(triggers),
        consent=consent,
        informed=informed,
    )
    today = timezone.localtime(at).date()
    if closed:
        due = DUE_NONE
    elif case.next_reassessment_on is None:
        due = DUE_NEVER_ASSESSED
    elif case.next_reassessment_on < today:
        due = DUE_OVERDUE
    elif case.next_reassessment_on == today:
        due = DUE_TODAY
    else:
        due = DUE_LATER
    state = CaseState(
        case_id=case.pk,
        at=at,
        closed=closed,
        next_step=step,
        next_step_why=why,
        engine_next_step=engine_step,
        assessed_at=assessed_at,
        reassessment_on=None if closed else case.next_reassessment_on,
        due=due,
        open_triggers=() if closed else triggers,
        consent=consent,
        consent_last_day=last_day,
        consent_expiry_near=_expiry_near(consents, at),
        refused_at=refusal.refused_at if refused and refusal is not None else None,
        refusal_information_offered=refused and refusal is not None and refusal.information_offered,
        informed_public_prosecution=informed,
        contacts=contacts,
        open_deviations=deviations,
        pending_relocation=relocating,
        children_with_pending_concerns=concerns,
    )
    return _with_tags(state)


def _next_step(
    *, closed: bool, engine_step: str, triggers: bool, consent: str, informed: bool
) -> tuple[str, str]:
    if closed:
        return STEP_CLOSED, WHY_CLOSED
    if triggers:
        return STEP_REASSESS, WHY_NEW_EVENT
    if not engine_step:
        return STEP_ASSESS, WHY_NEVER_ASSESSED
    if consent == CONSENT_REFUSED and engine_step in CONSENT_STEPS:
        return STEP_RESPECT_REFUSAL, WHY_REFUSED
    if engine_step in {ENGINE_INFORM, ENGINE_OBTAIN_CONSENT} and consent in {
        CONSENT_ACTIVE,
        CONSENT_EXPIRING,
    }:
        return ENGINE_CONTACT_POLICE, WHY_CONSENT_IN_FORCE
    if engine_step == ENGINE_INFORM and informed:
        return ENGINE_OBTAIN_CONSENT, WHY_INFORMED
    return engine_step, WHY_ASSESSMENT


def _with_tags(state: CaseState) -> CaseState:
    """The list's tags: none for a closed case (issue 14 point 11)."""
    if state.closed:
        return state
    tags: list[str] = []
    if state.due == DUE_OVERDUE:
        tags.append(TAG_OVERDUE)
    elif state.due == DUE_TODAY:
        tags.append(TAG_DUE)
    if state.open_triggers:
        tags.append(TAG_TRIGGER)
    if state.open_deviations:
        tags.append(TAG_OPEN_DEVIATION)
    if state.contacts_without_ground:
        tags.append(TAG_CONTACT_WITHOUT_GROUND)
    if state.consent == CONSENT_REFUSED:
        tags.append(TAG_REFUSED)
    elif state.next_step in {ENGINE_INFORM, ENGINE_OBTAIN_CONSENT}:
        tags.append(TAG_PENDING_CONSENT)
    if state.children_with_pending_concerns:
        tags.append(TAG_CHILD_WELFARE)
    if state.pending_relocation:
        tags.append(TAG_RELOCATION)
    return replace(state, tags=tuple(tags))


TAG_TEXTS: Final[dict[str, Promise]] = {
    TAG_OVERDUE: _("Revurdering forfalt"),
    TAG_DUE: _("Revurderes i dag"),
    TAG_TRIGGER: _("Ny hendelse"),
    TAG_OPEN_DEVIATION: _("Åpent avvik"),
    TAG_CONTACT_WITHOUT_GROUND: _("Planlagt kontakt uten gyldig grunnlag"),
    TAG_PENDING_CONSENT: _("Venter på samtykke"),
    TAG_REFUSED: _("Brukeren har sagt nei"),
    TAG_CHILD_WELFARE: _("Barnevernet ikke varslet"),
    TAG_RELOCATION: _("Flytting planlagt"),
}
TAG_COLOURS: Final[dict[str, str]] = {
    TAG_OVERDUE: "danger",
    TAG_OPEN_DEVIATION: "danger",
    TAG_CONTACT_WITHOUT_GROUND: "danger",
    TAG_CHILD_WELFARE: "danger",
}
CONSENT_TEXTS: Final[dict[str, Promise]] = {
    CONSENT_NONE: _("Intet samtykke til politiet"),
    CONSENT_ACTIVE: _("Samtykke til politiet gjelder"),
    CONSENT_EXPIRING: _("Samtykke til politiet utløper snart"),
    CONSENT_EXPIRED: _("Samtykket til politiet har utløpt"),
    CONSENT_WITHDRAWN: _("Samtykket til politiet er trukket tilbake"),
    CONSENT_REFUSED: _("Brukeren har sagt nei til kontakt med politiet"),
}


def tag_list(state: CaseState) -> list[dict[str, str]]:
    """The tags as (code, text, colour) for templates."""
    return [
        {"code": tag, "text": str(TAG_TEXTS[tag]), "color": TAG_COLOURS.get(tag, "warning")}
        for tag in state.tags
    ]
