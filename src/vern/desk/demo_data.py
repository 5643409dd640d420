"""Demo cases in every state of the workflow, built through the real services.

Used by ``vern demo``. Idempotent: a case whose reference exists is left as it is. All names and
stories are invented. The few dates pushed into the past (an overdue reassessment) are set
directly on the rows after the services ran, and only here."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from vern.accounts.models import User
from vern.assessments.models import RiskMapping
from vern.assessments.services import assessment_record, risk_mapping_record, user_view_record
from vern.cases import services as cases
from vern.cases.models import Case
from vern.consent import services as consent
from vern.consent.models import Consent
from vern.core import clock
from vern.police import services as police
from vern.relocation import services as relocation

SAFE_REPRISAL_CHECK = {
    "routes": ["police_contacts_him"],
    "risk": "medium",
    "protections": ["stays_at_shelter", "police_informed"],
    "note": "",
}
POLICE_SCOPE = ["identity", "violence", "risk_mapping"]
FACTOR_NAMES = (
    "great_danger",
    "threat_picture_unclear",
    "needs_information_only_police_have",
    "needs_police_or_court_safety_measures",
    "needs_relocation_for_safety",
    "user_wants_to_report",
    "duty_to_avert",
)


def _case(staff: User, reference: str, name: str = "", language: str = "nb") -> Case | None:
    """A new demo case, or None when it exists already (idempotent)."""
    if Case.objects.filter(centre=staff.centre, reference=reference).exists():
        return None
    return cases.case_create(acting_user=staff, reference=reference, name=name, language=language)


def _map(staff: User, case: Case, result: str, reasoning: str) -> None:
    risk_mapping_record(
        acting_user=staff,
        case=case,
        method="guidance_questions",
        result=result,
        answers={},
        reasoning=reasoning,
    )


def _assess(
    staff: User, case: Case, *, offences: list[str] | None = None, view: str = "", **factors: bool
) -> None:
    mapping = RiskMapping.objects.filter(case=case, child__isnull=True).order_by("-id").first()
    assessment_record(
        acting_user=staff,
        case=case,
        risk_mapping=mapping,
        factors={name: factors.get(name, False) for name in FACTOR_NAMES},
        user_participated=True,
        user_view=view,
        staff_judgement="",
        suspected_offences=offences or [],
    )


def _inform(staff: User, case: Case) -> None:
    consent.information_record(
        acting_user=staff, case=case, kind="public_prosecution", language="nb"
    )


def _written_consent(staff: User, case: Case, *, recipient_kind: str = "police") -> Consent:
    return consent.consent_create(
        acting_user=staff,
        case=case,
        recipient_kind=recipient_kind,
        police_district=staff.centre.police_district if staff.centre else "",
        recipient_unit="Familievoldskoordinator"
        if recipient_kind == "police"
        else "Krisesenteret på nytt sted",
        purpose="Vurdere og sette i verk sikkerhetstiltak"
        if recipient_kind == "police"
        else "Overføre kartleggingen ved flytting",
        categories=POLICE_SCOPE if recipient_kind == "police" else ["risk_mapping"],
        form="written",
        written_method="on_screen",
        signed_by_name="Demo Bruker",
        signature_confirmed=True,
    )


def build(staff: User, leader: User) -> list[str]:
    """Create the demo cases; returns the references created now."""
    created: list[str] = []
    now = clock.now()
    district = staff.centre.police_district if staff.centre else "oslo"

    def step(reference: str, build_case: Callable[[Case], None], **kwargs: str) -> None:
        case = _case(staff, reference, **kwargs)
        if case is not None:
            build_case(case)
            created.append(reference)

    # 1. New: nothing mapped yet.
    step("Demo-01 ny", lambda case: None)

    # 2. Mapped, assessed: police recommended; next step is informing about public prosecution.
    def mapped(case: Case) -> None:
        _map(staff, case, "yes", "Drapstrusler siste uke, tilgang til våpen.")
        _assess(staff, case, great_danger=True, offences=["straffeloven-264"])

    step("Demo-02 vurdert", mapped)

    # 3. Informed, written consent, police contact done with measures.
    def consented(case: Case) -> None:
        _map(staff, case, "yes", "Gjentatt vold, eskalerende.")
        _inform(staff, case)
        given = _written_consent(staff, case)
        _assess(
            staff,
            case,
            needs_police_or_court_safety_measures=True,
            offences=["straffeloven-282"],
            view="Jeg vil ha voldsalarm.",
        )
        police.police_contact_record(
            acting_user=staff,
            case=case,
            data=police.ContactInput(
                status="done",
                # Not ``now`` (taken before the consent was recorded): a contact dated before its
                # consent has no ground and would open a deviation the demo does not mean to show.
                contact_at=clock.now(),
                police_district=district,
                contact_role="family_violence_coordinator",
                channel="phone",
                legal_ground="consent",
                shared_categories=POLICE_SCOPE,
                consent=given,
                reprisal_check=SAFE_REPRISAL_CHECK,
                measures_decided=["mobil-voldsalarm", "besoksforbud"],
                follow_up_on=clock.today() + dt.timedelta(days=7),
            ),
        )

    step("Demo-03 samtykke", consented, language="en")

    # 4. The user says no: refusal recorded, case under reassessment.
    def refused(case: Case) -> None:
        _map(staff, case, "yes", "Trusler på telefon.")
        _inform(staff, case)
        _assess(
            staff,
            case,
            threat_picture_unclear=True,
            offences=["straffeloven-263"],
            view="Jeg er redd for hva som skjer om utøveren får vite det.",
        )
        consent.consent_refusal_record(
            acting_user=staff,
            case=case,
            reasons="Redd for represalier.",
            information_offered=True,
        )

    step("Demo-04 nei takk", refused)

    # 5. Duty to avert: contact without consent, shown to the leader.
    def avert(case: Case) -> None:
        _map(staff, case, "yes", "Utøveren har truet med å drepe brukeren i helgen.")
        _assess(staff, case, duty_to_avert=True, great_danger=True, offences=["straffeloven-282"])
        police.police_contact_record(
            acting_user=staff,
            case=case,
            data=police.ContactInput(
                status="done",
                contact_at=now,
                police_district=district,
                contact_role="operations_centre",
                channel="phone",
                legal_ground="duty_to_avert",
                shared_categories=["identity", "violence"],
                duty_to_avert_offences=["straffeloven-282"],
                duty_to_avert_why="Konkret og tidfestet trussel; mest sannsynlig gjennomføres den.",
                duty_to_avert_decided_by=leader,
                reprisal_check=SAFE_REPRISAL_CHECK,
                avert_action="report",
                avert_action_note="Ringte operasjonssentralen og meldte trusselen.",
                necessity_why="Politiet trengte navn og trussel for å rykke ut i tide.",
                user_not_told_why="Brukeren sov; informeres i morgen tidlig.",
            ),
        )

    step("Demo-05 avvergeplikt", avert)

    # 6. Relocation with the police at both ends, completed.
    def relocated(case: Case) -> None:
        _map(staff, case, "yes", "Utøver vet hvor senteret ligger.")
        _inform(staff, case)
        police_consent = _written_consent(staff, case)
        _written_consent(staff, case, recipient_kind="crisis_centre")
        _assess(staff, case, needs_relocation_for_safety=True)
        move = relocation.relocation_plan(
            acting_user=staff,
            case=case,
            reason="Utøver har oppsøkt senteret.",
            destination_name="Krisesenteret i Sørby",
            destination_police_district="agder",
            chosen_with_user=True,
            chosen_with_police=True,
            planned_on=clock.today(),
        )
        # G14, R2: the police at both ends, as real contacts on the consent given above.
        district = staff.centre.police_district if staff.centre else "oslo"
        for end in ("departure", "destination"):
            relocation.relocation_police_contact_record(
                acting_user=staff,
                relocation=move,
                end=end,
                data=police.ContactInput(
                    contact_at=clock.now(),  # after the consent given above (C1)
                    police_district=district,
                    contact_role="family_violence_coordinator",
                    channel="phone",
                    legal_ground="consent",
                    consent=police_consent,
                    shared_categories=["identity", "risk_mapping"],
                    reprisal_check=SAFE_REPRISAL_CHECK,
                ),
            )
        relocation.relocation_complete(
            acting_user=staff, relocation=move, handover="consent", completed_at=clock.now()
        )

    step("Demo-06 flyttet", relocated)

    # 7. A contact without a valid ground: saved, and a deviation for the leader.
    def deviation(case: Case) -> None:
        _map(staff, case, "unknown", "Kartlegging ikke fullført.")
        police.police_contact_record(
            acting_user=staff,
            case=case,
            data=police.ContactInput(
                status="done",
                contact_at=now,
                police_district=district,
                contact_role="patrol",
                channel="meeting",
                legal_ground="none",
                shared_categories=["identity", "stay"],
                reprisal_check=SAFE_REPRISAL_CHECK,
            ),
            confirm_deviation=True,
        )

    step("Demo-07 avvik", deviation)

    # 8. Overdue reassessment and a new threat.
    def overdue(case: Case) -> None:
        _map(staff, case, "no", "Ingen nye trusler ved innkomst.")
        _assess(staff, case)
        past = clock.today() - dt.timedelta(days=5)
        case.assessments.update(next_reassessment_on=past)
        Case.objects.filter(pk=case.pk).update(next_reassessment_on=past)
        cases.trigger_add(acting_user=staff, case=case, kind="new_threat")

    step("Demo-08 forfalt", overdue)

    # 9. With an accompanying child, each mapped.
    def with_child(case: Case) -> None:
        child = cases.child_add(acting_user=staff, case=case, label="Barn 1", birth_year=2018)
        _map(staff, case, "yes", "Barnet har sett volden.")
        risk_mapping_record(
            acting_user=staff,
            case=case,
            child=child,
            method="guidance_questions",
            result="unknown",
            answers={},
            reasoning="Barnet kartlegges videre med barnevernet.",
        )
        _assess(staff, case, great_danger=True)

    step("Demo-09 med barn", with_child)

    # 10. Closed.
    def closed(case: Case) -> None:
        _map(staff, case, "no", "Trygg bosituasjon hos familie.")
        _assess(staff, case)
        cases.case_close(acting_user=staff, case=case, reason="moved_out_safe")

    step("Demo-10 avsluttet", closed)

    # 11. "Assess together" (issue 17): a case in Arabic (the unreviewed sample, right to left)
    # where the user has already given their own view in the mode once; open "Vurder sammen"
    # from the case to walk it again.
    def together(case: Case) -> None:
        _map(staff, case, "yes", "Trusler og kontroll.")
        _assess(staff, case, great_danger=True, offences=["straffeloven-263"])
        user_view_record(
            acting_user=staff,
            case=case,
            language="ar",
            answers={"danger": "yes", "report": "unsure", "move": "no", "consent": "unsure"},
            words={"wants": "أن أكون في أمان مع أطفالي"},
        )

    step("Demo-11 vurder sammen", together, language="ar")

    created.extend(_statistics_cases(staff))
    return created


def _statistics_cases(staff: User, count: int = 40) -> list[str]:
    """Enough varied cases for the statistics charts (cells under 5 are suppressed)."""
    rng = random.Random(2026)  # noqa: S311  (deterministic demo data, not security)
    created = []
    for n in range(1, count + 1):
        reference = f"Stat-{n:03d}"
        case = _case(staff, reference)
        if case is None:
            continue
        result = rng.choice(["yes", "yes", "no", "unknown"])
        _map(staff, case, result, "")
        informed = rng.random() < 0.6
        if informed:
            _inform(staff, case)
            if rng.random() < 0.6:
                _written_consent(staff, case)
        _assess(
            staff,
            case,
            great_danger=rng.random() < 0.3,
            needs_police_or_court_safety_measures=rng.random() < 0.3,
            user_wants_to_report=rng.random() < 0.2,
            offences=[rng.choice(["straffeloven-263", "straffeloven-271", "straffeloven-282"])],
        )
        created.append(reference)
    return created
