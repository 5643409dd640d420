"""Writes for risk mappings (K1) and joint assessments (G6, G7, G8).

Every function writes its audit event and its timeline line in the same transaction as the
change; the state rules (K1 gate, append-only chain, derived factors 7 and 8, closed cases) are
enforced here, not only in the forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.assessments import factors as g7
from vern.assessments.models import (
    Assessment,
    MappingMethod,
    RiskMapping,
    RiskResult,
    UserView,
    UserViewSource,
)
from vern.assessments.questions import QUESTION_IDS
from vern.assessments.sources import consent_facts
from vern.assessments.user_view import MAX_WORDS_LENGTH, QUESTIONS
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case, CaseChild, CentreSettings, ReassessmentTrigger
from vern.cases.services import (
    case_change,
    centre_settings_for,
    ensure_open,
    ensure_same_centre,
)
from vern.childwelfare import selectors as childwelfare_selectors
from vern.core import clock
from vern.rules import Facts, FactsError, Outcome, evaluate, load_rulebook, parse_facts

MAX_ANSWER_LENGTH = 5000
MAX_TEXT_LENGTH = 10000
# A mapping may be dated a little ahead of the server clock (a slow form), never more.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
INSTRUMENTS = frozenset(
    {
        MappingMethod.SARA,
        MappingMethod.B_SAFER,
        MappingMethod.PATRIARK,
        MappingMethod.DANGER_ASSESSMENT,
        MappingMethod.OTHER,
    }
)
MIN_DAYS, MAX_DAYS = 1, 365


# --------------------------------------------------------------------------- risk mapping — K1


@transaction.atomic
def risk_mapping_record(
    *,
    acting_user: User,
    case: Case,
    method: str,
    result: str,
    child: CaseChild | None = None,
    mapped_at: dt.datetime | None = None,
    method_other: str = "",
    answers: Mapping[str, str] | None = None,
    reasoning: str = "",
) -> RiskMapping:
    """Record one mapping of the threat picture (K1, forskrift om fysisk sikkerhet § 4 a).

    ``child`` empty = the user herself; each accompanying child gets their own entry and must
    belong to ``case``. ``answers`` (question id -> free text) are kept only for the guidance's
    own question list: for a licensed instrument (SARA, B-SAFER, PATRIARK, Danger Assessment,
    other) only its name, the result and the reasoning are stored, never its items."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    errors: dict[str, str] = {}
    if child is not None and (child.case_id != case.pk or child.centre_id != case.centre_id):
        errors["child"] = _("Barnet hører ikke til denne saken.")
    elif child is not None and child.is_removed:
        errors["child"] = _("Barnet er markert som feilregistrert og kan ikke kartlegges.")
    if method not in MappingMethod.values:
        errors["method"] = _("Velg en metode for kartleggingen.")
    method_other = method_other.strip()
    if method == MappingMethod.OTHER and not method_other:
        errors["method_other"] = _("Skriv navnet på verktøyet som ble brukt.")
    if method != MappingMethod.OTHER:
        method_other = ""
    if result not in RiskResult.values:
        errors["result"] = _("Velg om det er risiko for ny alvorlig vold: ja, nei eller uavklart.")
    now = clock.now()
    at = mapped_at or now
    if at > now + FUTURE_TOLERANCE:
        errors["mapped_at"] = _("Tidspunktet for kartleggingen kan ikke være fram i tid.")
    clean_answers = _clean_answers(answers, method=method, errors=errors)
    if len(reasoning) > MAX_TEXT_LENGTH:
        errors["reasoning"] = _("Begrunnelsen er for lang.")
    if errors:
        raise ValidationError(errors)

    mapping = RiskMapping.objects.create(
        centre_id=case.centre_id,
        case=case,
        child=child,
        mapped_by=acting_user,
        mapped_at=at,
        method=method,
        method_other=method_other,
        answers=clean_answers,
        result=result,
        reasoning=reasoning.strip(),
    )
    whom = child.label if child is not None else _("brukeren")
    case_change(
        case=case,
        actor=acting_user,
        obj=mapping,
        kind="risk_mapping",
        summary=_("Risikokartlegging registrert (%(whom)s): %(result)s")
        % {"whom": whom, "result": mapping.get_result_display()},
        action=AuditAction.RISK_MAPPING_SAVED,
        object_type="risk_mapping",
        details={
            "method": method,
            "result": result,
            "for_child": child is not None,
            "answers": len(clean_answers),
        },
    )
    return mapping


def _clean_answers(
    answers: Mapping[str, str] | None, *, method: str, errors: dict[str, str]
) -> dict[str, str]:
    """The answers to the guidance's own questions, stripped; problems go into ``errors``. A
    licensed instrument's items are never stored (only its name, result and reasoning)."""
    clean: dict[str, str] = {}
    for key, value in (answers or {}).items():
        if key not in QUESTION_IDS:
            errors["answers"] = _("Ukjent spørsmål i kartleggingen.")
            continue
        text = str(value).strip()
        if len(text) > MAX_ANSWER_LENGTH:
            errors["answers"] = _("Et svar er for langt (høyst %(n)s tegn).") % {
                "n": MAX_ANSWER_LENGTH
            }
        elif text:
            clean[key] = text
    if clean and method in INSTRUMENTS:
        errors["method"] = _(
            "Svar på veilederens spørsmål lagres bare når metoden er veilederens spørsmål. "
            "For et annet verktøy registreres bare navnet og resultatet, aldri spørsmålene "
            "i verktøyet."
        )
    return clean


# --------------------------------------------------------------------------- derived factors


@dataclass(frozen=True)
class DerivedFactors:
    """Factors 7 and 8 (G7) and the consent form, read from the records at ``at``."""

    consent: object | None  # vern.consent.models.Consent
    information: object | None  # vern.consent.models.InformationRecord
    # B1: a child in the stay has a child-welfare concern with no notification recorded.
    child_welfare_concern: bool = False
    # G13, C1: the user's refusal, in force until a consent to the police is given after it
    # (vern.consent.models.ConsentRefusal). Shown on the form; the case's next step respects
    # it (vern.desk.state) while the engine sees factor 7 as no consent.
    refusal: object | None = None

    @property
    def user_consents(self) -> bool:
        return self.consent is not None

    @property
    def user_informed_about_public_prosecution(self) -> bool:
        return self.information is not None

    @property
    def consent_form(self) -> str | None:
        form = getattr(self.consent, "form", None)
        return str(form) if form in {"written", "verbal"} else None


def derive_factors(*, case: Case, at: dt.datetime) -> DerivedFactors:
    """Factor 7 = a valid consent to the police now (G3, C1); factor 8 = the user was informed
    about public prosecution (G5, G15). Never ticked by hand. Raises ``ImproperlyConfigured``
    when no consent reader is registered (vern.assessments.sources)."""
    # Consent is above this app: it registers the reader (vern.assessments.sources), which
    # raises when none is registered rather than derive "no consent" for every case.
    read = consent_facts(case=case, at=at)
    return DerivedFactors(
        consent=read.consent,
        information=read.information,
        child_welfare_concern=_child_welfare_concern(case),
        refusal=read.refusal,
    )


def _child_welfare_concern(case: Case) -> bool:
    """B1: whether a child in the stay has a concern without a recorded notification (the
    engine's ``child_welfare_concern`` fact: the action to notify the child welfare service)."""
    return childwelfare_selectors.case_has_pending_concern(case)


# --------------------------------------------------------------------------- assessment — G6 to G8


def shortest_reassessment_days(settings_row: CentreSettings) -> int:
    """The shortest interval the centre uses for any outcome (G8)."""
    return min(
        settings_row.reassess_days_required,
        settings_row.reassess_days_recommended,
        settings_row.reassess_days_not_indicated,
    )


def reassessment_days(
    settings_row: CentreSettings, police_involvement: str, *, mapping_incomplete: bool = False
) -> int:
    """Days to the next reassessment for an outcome, from the centre's settings (G8).

    K1, G8: when the mapping is incomplete (the user's risk is unclear, or a child in the stay
    is not mapped or mapped as unclear) the outcome rests on a threat picture nobody knows
    well enough, so the next reassessment comes at the centre's shortest interval."""
    if mapping_incomplete:
        return shortest_reassessment_days(settings_row)
    if police_involvement == "required":
        return settings_row.reassess_days_required
    if police_involvement == "recommended":
        return settings_row.reassess_days_recommended
    return settings_row.reassess_days_not_indicated


def mapping_gaps(*, case: Case, risk_mapping: RiskMapping) -> list[dict[str, object]]:
    """Who is not mapped, or mapped as unclear, for this assessment (K1).

    The user: the chosen mapping's result is "unknown". Each accompanying child in the stay
    (not marked as registered in error): no mapping, or the newest one is "unknown"."""
    gaps: list[dict[str, object]] = []
    if risk_mapping.result == RiskResult.UNKNOWN:
        gaps.append({"who": "user", "child_id": None, "label": "", "problem": "unknown"})
    newest: dict[int, str] = {}
    for child_id, result in (
        RiskMapping.objects.filter(case=case, child__isnull=False)
        .order_by("-mapped_at", "-id")
        .values_list("child_id", "result")
    ):
        newest.setdefault(child_id, result)
    for child in CaseChild.objects.filter(removed_at__isnull=True, case=case).order_by(
        "created_at", "id"
    ):
        if child.pk not in newest:
            problem = "not_mapped"
        elif newest[child.pk] == RiskResult.UNKNOWN:
            problem = "unknown"
        else:
            continue
        gaps.append(
            {"who": "child", "child_id": child.pk, "label": child.label, "problem": problem}
        )
    return gaps


def _facts_without_date(facts: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in facts.items() if key != "on"}


@dataclass(frozen=True)
class AssessmentInput:
    """What one assessment is made of: checked from the form or the API (``assessment_input``)
    or copied from the case's newest assessment (``assessment_reevaluate``). Factors 7 and 8
    and the consent form are not inputs: they are derived from the records (G7)."""

    risk_mapping: RiskMapping
    # The seven ticked factors (1-6 and 9); a missing one is not ticked.
    ticked: Mapping[str, bool]
    notes: Mapping[str, str]
    user_participated: bool
    user_view: str
    staff_judgement: str
    offences: tuple[str, ...]
    danger: bool = False
    # Empty for a joint assessment; a short code (for example "consent_withdrawn") when a
    # changed consent or information record re-derives the assessment.
    cause: str = ""
    # G8: an earlier date for the next reassessment that staff chose; None = the automatic one.
    chosen_next_on: dt.date | None = None


@dataclass(frozen=True)
class AssessmentState:
    """What the check needs from the records, read under the case's lock by ``_save``."""

    today: dt.date
    derived: DerivedFactors
    settings_row: CentreSettings
    # K1: who is not mapped, or mapped as unclear (``mapping_gaps``).
    gaps: tuple[dict[str, object], ...] = ()
    # The next reassessment date of the case's newest assessment, if it has one.
    previous_next_on: dt.date | None = None


@dataclass(frozen=True)
class AssessmentPlan:
    """What the check decided: everything the write stores besides the input."""

    factors: dict[str, bool]
    facts: Facts
    outcome: Outcome
    next_on: dt.date
    chosen: bool
    gaps: tuple[dict[str, object], ...]
    consent_form: str
    child_welfare_concern: bool


def assessment_input(
    *,
    case: Case,
    risk_mapping: RiskMapping | None,
    factors: Mapping[str, bool],
    user_participated: bool,
    factor_notes: Mapping[str, str] | None = None,
    user_view: str = "",
    staff_judgement: str = "",
    suspected_offences: Sequence[str] = (),
    next_reassessment_on: dt.date | None = None,
    danger_to_life_or_health: bool = False,
) -> AssessmentInput:
    """The checked input of a joint assessment, or ``ValidationError`` (K1, G7). Pure: reads
    no database (the mapping's case and centre are compared by id)."""
    errors: dict[str, str] = {}
    if risk_mapping is None:
        errors["risk_mapping"] = _(
            "Vurderingen kan ikke fullføres før trusselbildet er kartlagt (forskrift om fysisk "
            "sikkerhet § 4 a). Registrer en risikokartlegging av brukeren først."
        )
    elif risk_mapping.case_id != case.pk or risk_mapping.centre_id != case.centre_id:
        errors["risk_mapping"] = _("Kartleggingen hører ikke til denne saken.")
    elif risk_mapping.child_id is not None:
        errors["risk_mapping"] = _("Velg en kartlegging av brukeren selv, ikke av et barn.")
    unknown = [key for key in factors if key not in g7.TICKED]
    if any(key in g7.DERIVED for key in unknown):
        errors["factors"] = _(
            "Faktor 7 (samtykke) og 8 (informert om offentlig påtale) hentes fra det som er "
            "registrert, og kan ikke krysses av."
        )
    elif unknown:
        errors["factors"] = _("Ukjent faktor i vurderingen.")
    notes = {
        key: str(value).strip()
        for key, value in (factor_notes or {}).items()
        if key in g7.BY_ID or key == g7.DANGER
    }
    if (
        any(len(note) > MAX_TEXT_LENGTH for note in notes.values())
        or max(len(user_view), len(staff_judgement)) > MAX_TEXT_LENGTH
    ):
        errors["user_view"] = _("En av tekstene er for lang.")
    offences = tuple(dict.fromkeys(suspected_offences))
    known = load_rulebook().offence_ids
    if any(ident not in known for ident in offences):
        errors["suspected_offences"] = _("Ukjent lovbrudd i listen over mistenkte lovbrudd.")
    if errors or risk_mapping is None:
        raise ValidationError(errors)
    return AssessmentInput(
        risk_mapping=risk_mapping,
        ticked={key: bool(value) for key, value in factors.items()},
        notes=notes,
        user_participated=user_participated,
        user_view=user_view.strip(),
        staff_judgement=staff_judgement.strip(),
        offences=offences,
        danger=bool(danger_to_life_or_health),
        chosen_next_on=next_reassessment_on,
    )


def assessment_factors(
    data: AssessmentInput, *, derived: DerivedFactors, today: dt.date
) -> tuple[dict[str, bool], dict[str, object]]:
    """All nine factors (7 and 8 derived, G7) and the facts for the rules engine. Pure."""
    all_factors = {name: bool(data.ticked.get(name, False)) for name in g7.TICKED}
    all_factors["user_consents"] = derived.user_consents
    all_factors["user_informed_about_public_prosecution"] = (
        derived.user_informed_about_public_prosecution
    )
    facts: dict[str, object] = {
        "on": today.isoformat(),
        "risk_of_new_serious_violence": data.risk_mapping.result,
        "factors": {name: all_factors[name] for name in (f.id for f in g7.FACTORS)},
        "consent_form": derived.consent_form,
        "suspected_offences": list(data.offences),
        "danger_to_life_or_health": data.danger,
        "child_welfare_concern": derived.child_welfare_concern,
    }
    return all_factors, facts


def facts_unchanged(previous: Mapping[str, object], facts: Mapping[str, object]) -> bool:
    """Whether a re-derivation would store the same facts as the newest assessment (the date
    aside): then nothing is saved. Pure."""
    return _facts_without_date(previous) == _facts_without_date(facts)


def assessment_check(data: AssessmentInput, state: AssessmentState) -> AssessmentPlan:
    """Decide an assessment: the rules engine's outcome and the next reassessment date (G7,
    G8), or ``ValidationError``. Pure: reads no database and writes nothing."""
    all_factors, facts_dict = assessment_factors(data, derived=state.derived, today=state.today)
    book = load_rulebook()
    try:
        facts = parse_facts(facts_dict, rulebook=book)
        outcome = evaluate(facts, book)
    except FactsError as exc:
        raise ValidationError(
            {"suspected_offences": _("Vurderingen kunne ikke gjøres: %(error)s") % {"error": exc}}
        ) from exc
    next_on = state.today + dt.timedelta(
        days=reassessment_days(
            state.settings_row, outcome.police_involvement, mapping_incomplete=bool(state.gaps)
        )
    )
    if data.cause and state.previous_next_on is not None:
        # A re-derivation after a consent or information record is not a new safety
        # assessment (G8): it may bring the date forward, never push it back.
        next_on = min(next_on, state.previous_next_on)
    chosen = False
    if data.chosen_next_on is not None:
        _check_chosen_date(data.chosen_next_on, automatic=next_on, today=state.today)
        chosen = data.chosen_next_on < next_on
        next_on = data.chosen_next_on
    return AssessmentPlan(
        factors=all_factors,
        facts=facts,
        outcome=outcome,
        next_on=next_on,
        chosen=chosen,
        gaps=state.gaps,
        consent_form=state.derived.consent_form or "",
        child_welfare_concern=state.derived.child_welfare_concern,
    )


def _check_chosen_date(chosen: dt.date, *, automatic: dt.date, today: dt.date) -> None:
    """G8 (the rulebook's action "set a date to reassess safety"): staff may choose an earlier
    date than the automatic one, never a later one, and never one before today."""
    if chosen < today:
        raise ValidationError(
            {"next_reassessment_on": _("Datoen for ny vurdering kan ikke være før i dag.")}
        )
    if chosen > automatic:
        raise ValidationError(
            {
                "next_reassessment_on": _(
                    "Datoen kan ikke være senere enn den automatiske datoen for ny "
                    "vurdering (%(date)s). La feltet stå tomt for å bruke den."
                )
                % {"date": formats.date_format(automatic, "SHORT_DATE_FORMAT")}
            }
        )


def _save(*, acting_user: User, case: Case, data: AssessmentInput) -> Assessment | None:
    """Read what the check needs under the case's lock, check, write. A re-derivation
    (``data.cause`` given) saves nothing and returns None when the facts did not change."""
    # Serialise assessments of one case: the supersede chain never forks.
    Case.objects.select_for_update().only("pk").get(pk=case.pk)
    now = clock.now()
    today = clock.today()
    derived = derive_factors(case=case, at=now)
    previous = Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    if (
        data.cause
        and previous is not None
        and facts_unchanged(
            previous.facts, assessment_factors(data, derived=derived, today=today)[1]
        )
    ):
        return None
    state = AssessmentState(
        today=today,
        derived=derived,
        settings_row=centre_settings_for(case.centre_id),
        gaps=tuple(mapping_gaps(case=case, risk_mapping=data.risk_mapping)),
        previous_next_on=previous.next_reassessment_on if previous is not None else None,
    )
    plan = assessment_check(data, state)
    return _assessment_write(
        acting_user=acting_user, case=case, data=data, plan=plan, previous=previous, at=now
    )


def _assessment_write(
    *,
    acting_user: User,
    case: Case,
    data: AssessmentInput,
    plan: AssessmentPlan,
    previous: Assessment | None,
    at: dt.datetime,
) -> Assessment:
    """Store the checked assessment, superseding ``previous``; set the case's next
    reassessment date; a joint assessment resolves the open triggers (G8); the timeline line
    and the audit event in the same transaction."""
    outcome = plan.outcome
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                centre_id=case.centre_id,
                case=case,
                assessed_by=acting_user,
                assessed_at=at,
                risk_mapping=data.risk_mapping,
                factors=plan.factors,
                factor_notes={k: v for k, v in data.notes.items() if v},
                user_participated=data.user_participated,
                user_view=data.user_view,
                staff_judgement=data.staff_judgement,
                consent_form=plan.consent_form,
                suspected_offences=list(data.offences),
                danger_to_life_or_health=data.danger,
                child_welfare_concern=plan.child_welfare_concern,
                facts=plan.facts.to_dict(),
                outcome=outcome.to_dict(lang="nb"),
                rulebook_id=outcome.rulebook_id,
                rulebook_version=outcome.rulebook_version,
                police_involvement=outcome.police_involvement,
                next_step=outcome.next_step,
                next_reassessment_on=plan.next_on,
                supersedes=previous,
                cause=data.cause,
                mapping_gaps=list(plan.gaps),
                next_reassessment_chosen=plan.chosen,
            )
    except IntegrityError:
        raise ValidationError(
            _("Saken ble vurdert av noen andre samtidig. Last siden på nytt og prøv igjen.")
        ) from None

    case.next_reassessment_on = plan.next_on
    case.save(update_fields=["next_reassessment_on"])
    if not data.cause:
        # A joint assessment answers the events that called for one (G8).
        ReassessmentTrigger.objects.filter(case=case, resolved_by__isnull=True).update(
            resolved_by=assessment
        )
    label = {
        "required": _("politikontakt påkrevd"),
        "recommended": _("politikontakt anbefalt"),
        "not_indicated": _("politikontakt ikke aktuelt nå"),
    }.get(outcome.police_involvement, outcome.police_involvement)
    summary = (
        _("Vurdering lagret: %(outcome)s") % {"outcome": label}
        if not data.cause
        else _("Vurderingen ble oppdatert etter ny registrering: %(outcome)s") % {"outcome": label}
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=assessment,
        kind="assessment",
        summary=summary,
        action=AuditAction.ASSESSMENT_SAVED,
        object_type="assessment",
        details={
            "police_involvement": outcome.police_involvement,
            "next_step": outcome.next_step,
            "no_consent_grounds": ",".join(outcome.no_consent_grounds),
            "rulebook_version": outcome.rulebook_version,
            "mapping_incomplete": bool(plan.gaps),
            "mapping_gaps": len(plan.gaps),
            "date_chosen": plan.chosen,
        },
        reason=data.cause,
    )
    return assessment


@transaction.atomic
def assessment_record(
    *,
    acting_user: User,
    case: Case,
    risk_mapping: RiskMapping | None,
    factors: Mapping[str, bool],
    user_participated: bool,
    factor_notes: Mapping[str, str] | None = None,
    user_view: str = "",
    staff_judgement: str = "",
    suspected_offences: Sequence[str] = (),
    next_reassessment_on: dt.date | None = None,
    danger_to_life_or_health: bool = False,
) -> Assessment:
    """Save a joint assessment (G6, G7) and its rules-engine outcome, append-only.

    K1: refused without a recorded risk mapping of the user herself (of this case). ``factors``
    holds the seven ticked factors (1-6 and 9); factors 7 and 8 are derived from the consent and
    information records and may not be given. The new row supersedes the case's newest
    assessment; old rows are never changed. Sets the next reassessment date by outcome (G8),
    at the centre's shortest interval when the mapping is incomplete (K1, see
    ``mapping_gaps``), or at ``next_reassessment_on`` when staff chose an earlier date; and
    resolves the case's open reassessment triggers.

    The input is checked by ``assessment_input``, the outcome and dates decided by
    ``assessment_check`` (both pure), then written."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    data = assessment_input(
        case=case,
        risk_mapping=risk_mapping,
        factors=factors,
        user_participated=user_participated,
        factor_notes=factor_notes,
        user_view=user_view,
        staff_judgement=staff_judgement,
        suspected_offences=suspected_offences,
        next_reassessment_on=next_reassessment_on,
        danger_to_life_or_health=danger_to_life_or_health,
    )
    saved = _save(acting_user=acting_user, case=case, data=data)
    assert saved is not None  # noqa: S101 (a joint assessment, no cause, always saves)
    return saved


@transaction.atomic
def assessment_reevaluate(*, acting_user: User, case: Case, cause: str) -> Assessment | None:
    """Re-derive factors 7 and 8 (and the consent form) after a consent or information record
    changed, and save a new superseding assessment when the facts changed (G7, C1).

    Called by the consent and information services. Copies every other input of the newest
    assessment. Returns None when the case has no assessment yet, is closed, or nothing
    changed. ``cause`` is a short code (for example "consent_withdrawn"), kept on the row and in
    the audit event. It does not resolve reassessment triggers: only a joint assessment does."""
    ensure_same_centre(case, acting_user)
    if case.is_closed:
        return None
    previous = Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    if previous is None:
        return None
    previous_factors = previous.factors if isinstance(previous.factors, dict) else {}
    data = AssessmentInput(
        risk_mapping=previous.risk_mapping,
        ticked={name: bool(previous_factors.get(name, False)) for name in g7.TICKED},
        notes=dict(previous.factor_notes or {}),
        user_participated=previous.user_participated,
        user_view=previous.user_view,
        staff_judgement=previous.staff_judgement,
        offences=tuple(previous.suspected_offences or []),
        danger=previous.danger_to_life_or_health,
        cause=(cause or "reevaluated")[:40],
    )
    return _save(acting_user=acting_user, case=case, data=data)


# --------------------------------------------------------------------------- centre settings — G8


# --------------------------------------------------------------------------- the user's view


def user_view_check(
    answers: Mapping[str, str], words: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The user's answers and own words as they are stored, or a ValidationError naming each
    question that is wrong: an unknown question, a choice the question does not take, words
    that are too long, or nothing at all (issue 17)."""
    errors: dict[str, str] = {}
    clean_answers: dict[str, str] = {}
    clean_words: dict[str, str] = {}
    for question, choice in answers.items():
        if question not in QUESTIONS:
            errors[question] = _("Ukjent spørsmål: %(q)s.") % {"q": question}
        elif not choice:
            continue
        elif choice not in QUESTIONS[question]:
            errors[question] = _("Ukjent svar på spørsmålet %(q)s: %(c)s.") % {
                "q": question,
                "c": choice,
            }
        else:
            clean_answers[question] = choice
    for question, given in words.items():
        text = (given or "").strip()
        if question not in QUESTIONS:
            errors[question] = _("Ukjent spørsmål: %(q)s.") % {"q": question}
        elif len(text) > MAX_WORDS_LENGTH:
            errors[question] = _("Teksten kan ha høyst %(n)s tegn.") % {"n": MAX_WORDS_LENGTH}
        elif text:
            clean_words[question] = text
    if not errors and not clean_answers and not clean_words:
        errors["__all__"] = _("Ingen svar å lagre: svar på minst ett spørsmål.")
    if errors:
        raise ValidationError(errors)
    return clean_answers, clean_words


@transaction.atomic
def user_view_record(
    *,
    acting_user: User,
    case: Case,
    language: str,
    answers: Mapping[str, str],
    words: Mapping[str, str],
    texts_version: str = "",
    request: HttpRequest | None = None,
) -> UserView:
    """Save the user's own view, given by the user in the "Assess together" mode (issue 17,
    G6): the answers and the user's words, apart from the staff member's judgement, with its
    timeline line and audit event in this transaction. ``acting_user`` is the staff member who
    opened the mode and sat with the user. Refused (ValidationError) on a closed case or an
    answer ``user_view_check`` refuses; nothing is stored then."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    language = (language or "").strip()
    if not language or len(language) > 10:
        raise ValidationError({"language": _("Oppgi språket brukeren svarte på.")})
    clean_answers, clean_words = user_view_check(answers, words)
    view = UserView.objects.create(
        centre_id=case.centre_id,
        case=case,
        source=UserViewSource.TOGETHER,
        given_at=clock.now(),
        language=language,
        answers=clean_answers,
        words=clean_words,
        texts_version=texts_version[:20],
        present_staff=acting_user,
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=view,
        kind="user_view_given",
        summary=_("Brukerens syn gitt av brukeren selv i «Vurder sammen»"),
        action=AuditAction.USER_VIEW_GIVEN,
        object_type="user_view",
        request=request,
        details={
            "language": language,
            "answers": len(clean_answers),
            "words": len(clean_words),
        },
    )
    return view


@transaction.atomic
def centre_settings_update(
    *,
    acting_user: User,
    reassess_days_required: int,
    reassess_days_recommended: int,
    reassess_days_not_indicated: int,
) -> CentreSettings:
    """A leader sets the days to the next reassessment by outcome for her centre (G8)."""
    if not acting_user.is_leader or acting_user.centre_id is None:
        raise PermissionDenied
    values = {
        "reassess_days_required": reassess_days_required,
        "reassess_days_recommended": reassess_days_recommended,
        "reassess_days_not_indicated": reassess_days_not_indicated,
    }
    errors = {
        key: _("Skriv et antall dager fra %(min)s til %(max)s.")
        % {"min": MIN_DAYS, "max": MAX_DAYS}
        for key, value in values.items()
        if not isinstance(value, int) or not MIN_DAYS <= value <= MAX_DAYS
    }
    if errors:
        raise ValidationError(errors)
    settings_row = centre_settings_for(acting_user.centre_id)
    for key, value in values.items():
        setattr(settings_row, key, value)
    settings_row.save(update_fields=list(values))
    audit_record(
        action=AuditAction.CENTRE_UPDATED,
        actor=acting_user,
        centre=acting_user.centre,
        object_type="centre_settings",
        object_id=settings_row.pk,
        details={
            "required": reassess_days_required,
            "recommended": reassess_days_recommended,
            "not_indicated": reassess_days_not_indicated,
        },
    )
    return settings_row
