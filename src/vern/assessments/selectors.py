"""Reads for risk mappings and assessments, always within one case of the user's centre.

Views get the case with ``vern.cases.selectors.case_get`` (404 for other centres) and the rows
of that case here (404 for rows of another case)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.assessments.factors import FACTORS
from vern.assessments.models import Assessment, RiskMapping, UserView
from vern.assessments.user_view import QUESTIONS, choice_labels, question_labels
from vern.cases.models import Case, CaseChild
from vern.cases.panels import CaseReads, read_once, register_probe
from vern.rules import Rulebook, evaluate, load_rulebook, parse_facts
from vern.rules.errors import FactsError

INVOLVEMENT_ORDER = {"not_indicated": 0, "recommended": 1, "required": 2}


def mapping_get(*, user: User, case: Case, pk: int) -> RiskMapping:
    return RiskMapping.objects.select_related("child", "mapped_by").get_for_user_or_404(
        user, pk=pk, case=case
    )


def mapping_list(*, case: Case) -> QuerySet[RiskMapping]:
    return (
        RiskMapping.objects.filter(case=case)
        .select_related("child", "mapped_by")
        .order_by("-mapped_at", "-id")
    )


def user_mappings(*, case: Case) -> QuerySet[RiskMapping]:
    """Mappings of the user herself (not of a child), newest first."""
    return mapping_list(case=case).filter(child__isnull=True)


@dataclass(frozen=True)
class MappingSubject:
    """The user or one accompanying child, with their newest mapping (K1)."""

    child: CaseChild | None
    latest: RiskMapping | None
    count: int


def case_mappings(*, case: Case, reads: CaseReads | None = None) -> list[RiskMapping]:
    """``mapping_list`` as a list, read once per case page (the panel and the timeline)."""
    return read_once(reads, "assessments.mappings", lambda: list(mapping_list(case=case)))


def mapping_subjects(*, case: Case, reads: CaseReads | None = None) -> list[MappingSubject]:
    """One line for the user and one per child: each gets their own mapping (K1)."""
    mappings = case_mappings(case=case, reads=reads)
    subjects: list[MappingSubject] = []
    # Children marked as registered in error are not in the stay (their mappings stay listed).
    in_stay = (reads or CaseReads(case)).children_in_stay
    children: list[CaseChild | None] = [None, *in_stay]
    for child in children:
        own = [m for m in mappings if m.child_id == (child.pk if child else None)]
        subjects.append(MappingSubject(child=child, latest=own[0] if own else None, count=len(own)))
    return subjects


def assessment_get(*, user: User, case: Case, pk: int) -> Assessment:
    return Assessment.objects.select_related(
        "assessed_by", "risk_mapping", "supersedes"
    ).get_for_user_or_404(user, pk=pk, case=case)


def assessment_newest(*, case: Case, reads: CaseReads | None = None) -> Assessment | None:
    """The newest assessment of the case (None when never assessed); with ``reads``, read
    once for every panel of the case page that needs it."""

    def load() -> Assessment | None:
        return (
            Assessment.objects.filter(case=case)
            .select_related("assessed_by")
            .order_by("-assessed_at", "-id")
            .first()
        )

    return load() if reads is None else reads.get("assessment_newest", load)


@dataclass(frozen=True)
class HistoryLine:
    assessment: Assessment
    previous: Assessment | None
    change: str  # "first", "same", "up", "down"
    next_step_text: str = ""


def assessment_history(*, case: Case, lang: str = "nb") -> list[HistoryLine]:
    """Every assessment of the case, newest first, with how the outcome changed (G6-G8) and
    the next step in ``lang``."""
    rows = list(
        Assessment.objects.filter(case=case)
        .select_related("assessed_by")
        .order_by("-assessed_at", "-id")
    )
    lines: list[HistoryLine] = []
    for index, row in enumerate(rows):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        if previous is None:
            change = "first"
        else:
            now_rank = INVOLVEMENT_ORDER.get(row.police_involvement, 0)
            before = INVOLVEMENT_ORDER.get(previous.police_involvement, 0)
            change = "same" if now_rank == before else ("up" if now_rank > before else "down")
        lines.append(
            HistoryLine(
                assessment=row,
                previous=previous,
                change=change,
                next_step_text=next_step_text(row, lang),
            )
        )
    return lines


def outcome_for_display(assessment: Assessment, lang: str) -> tuple[dict[str, Any], str]:
    """The outcome to show in ``lang``, and the language it is actually in.

    The stored snapshot is in bokmål and is the record of what was shown when the assessment
    was made. For nynorsk or English the stored facts are re-evaluated - but only with the
    very rulebook version that made the snapshot (the current packaged one); when the rulebook
    has changed since, re-evaluating could give a different outcome, so the bokmål snapshot is
    shown as it is."""
    snapshot: dict[str, Any] = dict(assessment.outcome)
    if lang == "nb":
        return snapshot, "nb"
    book = load_rulebook()
    if book.meta.id != assessment.rulebook_id or book.meta.version != assessment.rulebook_version:
        return snapshot, "nb"
    try:
        outcome = evaluate(parse_facts(assessment.facts, rulebook=book), book)
    except FactsError:
        return snapshot, "nb"
    return outcome.to_dict(lang=lang), lang


def next_step_text(assessment: Assessment, lang: str) -> str:
    """The next step's label in ``lang``: the stored (bokmål) snapshot for bokmål, else the
    rulebook's label for the stored code (decisions.yaml has nb, nn and en); the snapshot
    when the code is unknown to the current rulebook."""
    stored = str((assessment.outcome or {}).get("next_step_text", "") or assessment.next_step)
    if lang == "nb":
        return stored
    decision = load_rulebook().decisions.get("next_step")
    if decision is None:
        return stored
    try:
        return decision.label(assessment.next_step).get(lang)
    except (KeyError, ValueError):
        return stored


@dataclass(frozen=True)
class ReferenceLine:
    id: str
    title: str
    section: str
    source: str
    under_verification: bool
    known: bool


def reference_lines(ids: list[str], book: Rulebook | None = None) -> list[ReferenceLine]:
    """Titles and sections of legal references from the rulebook; status 'check' = under
    verification. Ids unknown to the current rulebook are shown as they are."""
    book = book or load_rulebook()
    lines: list[ReferenceLine] = []
    for ident in ids:
        ref = book.references.get(ident)
        if ref is None:
            lines.append(
                ReferenceLine(
                    id=ident,
                    title=ident,
                    section="",
                    source="",
                    under_verification=False,
                    known=False,
                )
            )
        else:
            lines.append(
                ReferenceLine(
                    id=ident,
                    title=ref.title,
                    section=ref.section,
                    source=ref.source,
                    under_verification=ref.status == "check",
                    known=True,
                )
            )
    return lines


def offence_choices(*, on: Any, lang: str) -> list[tuple[str, str]]:
    """The offence table on ``on`` as form choices, labelled with section, name and penalty."""
    book = load_rulebook()
    program = book.programs.for_date(on)
    if program is None:
        return []
    choices: list[tuple[str, str]] = []
    for ident, (offence, _line) in program.offences.items():
        penalty = _("strafferamme %(years)s år") % {"years": f"{offence.max_penalty_years:g}"}
        choices.append((ident, f"{offence.section} – {offence.title.get(lang)} ({penalty})"))
    return choices


@dataclass(frozen=True)
class FactorReason:
    """One reason line per ticked factor (issue 14 point 12)."""

    number: int
    label: str
    text: str
    rule: str
    overridden: bool


def factor_reasons(
    assessment: Assessment, outcome: dict[str, Any], lang: str
) -> list[FactorReason]:
    """A reason line of its own for every factor that holds in ``assessment``.

    The outcome's ``reasons`` are the rules that *decided*: when factor 4 (required) and
    factor 1 (recommended) are both ticked, the rule of factor 1 is overridden and has no line
    there. Here each factor gets the text of the rule that rests on it: a deciding rule's text
    from the outcome, else an overridden rule's text from the rulebook (marked as such), else
    the factor's own wording (e.g. factor 9 with no listed offence, which decides nothing)."""

    book = load_rulebook()
    decided = {str(r.get("rule")): r for r in outcome.get("reasons", []) if isinstance(r, dict)}
    overridden = [
        str(o.get("rule")) for o in outcome.get("rules_overridden", []) if isinstance(o, dict)
    ]
    lines: list[FactorReason] = []
    for factor in FACTORS:
        if not (assessment.factors or {}).get(factor.id):
            continue
        line = FactorReason(
            factor.number, str(factor.label), str(factor.label), rule="", overridden=False
        )
        for rule_id in [*decided, *overridden]:
            rule = book.rules.get(rule_id)
            if rule is None or rule.decides is None:
                continue
            if not any(
                name == factor.id and True in values for cond in rule.when for name, values in cond
            ):
                continue
            if rule_id in decided:
                text = str(decided[rule_id].get("text", ""))
            else:
                text = rule.text.get(lang) if rule.text is not None else str(factor.label)
            line = FactorReason(
                factor.number,
                str(factor.label),
                text,
                rule=rule_id,
                overridden=rule_id not in decided,
            )
            break
        lines.append(line)
    return lines


# --------------------------------------------------------------------------- the user's view


@dataclass(frozen=True)
class UserViewRow:
    question: str
    answer: str
    words: str


def user_view_rows(view: UserView) -> list[UserViewRow]:
    """The user's view (issue 17) as rows in the staff's language, in the order asked; only
    what the user answered."""
    questions = question_labels()
    choices = choice_labels()
    rows = []
    for question in QUESTIONS:
        answer = choices.get(str(view.answers.get(question, "")), "")
        words = str(view.words.get(question, ""))
        if answer or words:
            rows.append(UserViewRow(question=questions[question], answer=answer, words=words))
    return rows


def user_view_newest(*, case: Case, reads: CaseReads | None = None) -> UserView | None:
    """The newest view the user gave in "Assess together" on this case (with ``reads``, no
    query when the case page's probe found none)."""
    if reads is not None and not reads.has_rows("assessments.user_views"):
        return None
    return UserView.objects.filter(case=case).order_by("-given_at", "-id").first()


def user_view_for(*, assessment: Assessment) -> UserView | None:
    """The user's own view that stood when ``assessment`` was saved: the newest one given in
    "Assess together" on its case at or before it (issue 17)."""
    return (
        UserView.objects.filter(case_id=assessment.case_id, given_at__lte=assessment.assessed_at)
        .order_by("-given_at", "-id")
        .first()
    )


register_probe("assessments.user_views", UserView)
