"""A rulebook upgrade reaches the open cases (issue 13 point 6, G8).

When the packaged rulebook's version differs from the version an open case's latest
assessment was made with, the assessment's stored facts are evaluated again under the new
rulebook, on the day of the upgrade (the question is what staff should do *now*; a rule that
starts on a later date than the assessment counts). When the outcome differs —
``police_involvement``, ``consent_needed``, ``next_step`` or the set of action ids — the case
gets a ``rules_changed`` reassessment trigger ("Reglene er endret") holding the old and the new
outcome (``ReassessmentTrigger.outcome_change``), with a timeline line and an audit event; the
case is then on the reassessment list until a joint assessment resolves the trigger. No
assessment is written: a new assessment is a joint session with the user (G6).

The "old" outcome is the assessment's stored snapshot (what staff were told), unless a
``from_rulebook`` is given: then the stored facts are evaluated under it too (tests use the
verbatim 1.1.0 rulebook in tests/fixtures/rulebook-1.1.0 this way).

Idempotent: a case gets at most one ``rules_changed`` trigger per (rulebook id, target version),
and ``RulebookApplied`` records each applied version. Runs from ``vern rulebook upgrade``, after
``vern migrate`` (post_migrate) and when ``vern serve`` starts; ``rulebook_impact`` is the same
evaluation without writing anything (``vern rulebook impact``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from vern.assessments.models import Assessment, RulebookApplied
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case, CaseStatus, ReassessmentTrigger, TriggerKind
from vern.cases.services import case_change
from vern.centres.tenancy import system_scope
from vern.core import clock
from vern.rules import FactsError, Outcome, Rulebook, RulebookError, evaluate, load_rulebook
from vern.rules import parse_facts as _parse_facts

logger = logging.getLogger(__name__)

DECISION_KEYS = ("police_involvement", "consent_needed", "next_step")


@dataclass(frozen=True)
class OutcomeSummary:
    """What a rulebook change is judged on: three decisions and the set of actions."""

    police_involvement: str
    consent_needed: bool
    next_step: str
    actions: tuple[str, ...]  # sorted ids

    @classmethod
    def of(cls, outcome: Outcome) -> OutcomeSummary:
        return cls(
            police_involvement=outcome.police_involvement,
            consent_needed=outcome.consent_needed,
            next_step=outcome.next_step,
            actions=tuple(sorted(action.id for action in outcome.actions)),
        )

    @classmethod
    def of_snapshot(cls, assessment: Assessment) -> OutcomeSummary:
        """The outcome stored with the assessment (the nb snapshot of ``Outcome.to_dict``)."""
        stored = assessment.outcome if isinstance(assessment.outcome, Mapping) else {}
        actions = stored.get("actions", [])
        return cls(
            police_involvement=str(stored.get("police_involvement", assessment.police_involvement)),
            consent_needed=bool(stored.get("consent_needed", True)),
            next_step=str(stored.get("next_step", assessment.next_step)),
            actions=tuple(
                sorted(
                    str(a.get("id")) if isinstance(a, Mapping) else str(a)
                    for a in (actions if isinstance(actions, list) else [])
                )
            ),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> OutcomeSummary | None:
        if "next_step" not in data:
            return None
        actions = data.get("actions", [])
        return cls(
            police_involvement=str(data.get("police_involvement", "")),
            consent_needed=bool(data.get("consent_needed")),
            next_step=str(data.get("next_step", "")),
            actions=tuple(str(a) for a in (actions if isinstance(actions, list) else [])),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "police_involvement": self.police_involvement,
            "consent_needed": self.consent_needed,
            "next_step": self.next_step,
            "actions": list(self.actions),
        }


@dataclass(frozen=True)
class Change:
    """One difference: a decision from → to, or an action added (+) or dropped (−)."""

    key: str  # police_involvement | consent_needed | next_step | action_added | action_removed
    old: str
    new: str

    def line(self) -> str:
        if self.key == "action_added":
            return f"actions: + {self.new}"
        if self.key == "action_removed":
            return f"actions: - {self.old}"
        return f"{self.key}: {self.old} → {self.new}"


def _code(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def changes_between(before: OutcomeSummary, after: OutcomeSummary) -> list[Change]:
    changes = [
        Change(key, _code(getattr(before, key)), _code(getattr(after, key)))
        for key in DECISION_KEYS
        if getattr(before, key) != getattr(after, key)
    ]
    changes.extend(
        Change("action_added", "", a) for a in sorted(set(after.actions) - set(before.actions))
    )
    changes.extend(
        Change("action_removed", a, "") for a in sorted(set(before.actions) - set(after.actions))
    )
    return changes


@dataclass(frozen=True)
class CaseImpact:
    case: Case
    assessment: Assessment
    from_version: str
    before: OutcomeSummary
    after: OutcomeSummary | None
    error: str = ""

    @property
    def changes(self) -> list[Change]:
        return [] if self.after is None else changes_between(self.before, self.after)

    @property
    def changed(self) -> bool:
        return self.after is None or bool(self.changes)


@dataclass
class Impact:
    """The evaluation of every open case against ``rulebook`` (nothing written)."""

    rulebook: Rulebook
    open_with_assessment: int = 0
    already_current: int = 0
    cases: list[CaseImpact] = field(default_factory=list)

    @property
    def evaluated(self) -> int:
        return len(self.cases)

    @property
    def changed(self) -> list[CaseImpact]:
        return [c for c in self.cases if c.changed]

    def counts(self) -> Counter[str]:
        """Cases per change line ("next_step: a → b"), a case counted once per line."""
        counter: Counter[str] = Counter()
        for case in self.cases:
            if case.after is None:
                counter["not evaluated: " + case.error] += 1
            for change in case.changes:
                counter[change.line()] += 1
        return counter

    def from_versions(self) -> Counter[str]:
        return Counter(case.from_version for case in self.cases)


def _evaluate(
    assessment: Assessment, rulebook: Rulebook, on: dt.date
) -> tuple[OutcomeSummary | None, str]:
    stored = assessment.facts if isinstance(assessment.facts, Mapping) else {}
    data = {**stored, "on": on.isoformat()}
    try:
        facts = _parse_facts(data, rulebook=rulebook)
        return OutcomeSummary.of(evaluate(facts, rulebook)), ""
    except FactsError as exc:
        return None, str(exc)


def latest_open_assessments() -> list[Assessment]:
    """The latest assessment of every open case, every centre (call inside system_scope)."""
    newest = Assessment.objects.filter(case=OuterRef("case")).order_by("-assessed_at", "-id")
    return list(
        Assessment.objects.filter(case__status=CaseStatus.OPEN)
        .filter(pk=Subquery(newest.values("pk")[:1]))
        .select_related("case", "case__centre")
        .order_by("centre_id", "case_id")
    )


def rulebook_impact(
    *,
    rulebook: Rulebook | None = None,
    from_rulebook: Rulebook | None = None,
    on: dt.date | None = None,
    assessments: Iterable[Assessment] | None = None,
) -> Impact:
    """Evaluate the latest assessment of every open case under ``rulebook`` (default: the
    packaged one) and compare with its stored outcome (or with ``from_rulebook``'s outcome for
    the same facts). Writes nothing; reads every centre (runs in system scope)."""
    book = rulebook or load_rulebook()
    day = on or clock.today()
    impact = Impact(rulebook=book)
    with system_scope():
        rows = list(assessments) if assessments is not None else latest_open_assessments()
    for assessment in rows:
        impact.open_with_assessment += 1
        from_version = from_rulebook.version if from_rulebook else assessment.rulebook_version
        from_id = from_rulebook.id if from_rulebook else assessment.rulebook_id
        if (from_id, from_version) == (book.id, book.version):
            impact.already_current += 1
            continue
        if from_rulebook is not None:
            before, error = _evaluate(assessment, from_rulebook, day)
            if before is None:
                before = OutcomeSummary.of_snapshot(assessment)
        else:
            before = OutcomeSummary.of_snapshot(assessment)
        after, error = _evaluate(assessment, book, day)
        impact.cases.append(
            CaseImpact(
                case=assessment.case,
                assessment=assessment,
                from_version=from_version,
                before=before,
                after=after,
                error=error,
            )
        )
    return impact


@dataclass(frozen=True)
class UpgradeResult:
    rulebook_id: str
    version: str
    evaluated: int
    changed: int
    triggers_added: int
    already_applied: bool


def _outcome_change(impact: CaseImpact, book: Rulebook) -> dict[str, object]:
    return {
        "rulebook_id": book.id,
        "from_version": impact.from_version,
        "to_version": book.version,
        "assessment_id": impact.assessment.pk,
        "from": impact.before.to_dict(),
        "to": impact.after.to_dict() if impact.after else {"error": impact.error[:200]},
    }


def _has_trigger(case: Case, book: Rulebook) -> bool:
    return ReassessmentTrigger.objects.filter(
        case=case,
        kind=TriggerKind.RULES_CHANGED,
        outcome_change__rulebook_id=book.id,
        outcome_change__to_version=book.version,
    ).exists()


def rulebook_upgrade(
    *,
    rulebook: Rulebook | None = None,
    from_rulebook: Rulebook | None = None,
    on: dt.date | None = None,
) -> UpgradeResult:
    """Apply ``rulebook`` (default: the packaged one) to the open cases: a ``rules_changed``
    trigger for each case whose outcome changes, at most one per case and version; then record
    the version in ``RulebookApplied``. One transaction, in system scope (every centre)."""
    book = rulebook or load_rulebook()
    with system_scope(), transaction.atomic():
        impact = rulebook_impact(rulebook=book, from_rulebook=from_rulebook, on=on)
        added = 0
        for case_impact in impact.changed:
            case = case_impact.case
            if _has_trigger(case, book):
                continue
            trigger = ReassessmentTrigger.objects.create(
                centre_id=case.centre_id,
                case=case,
                kind=TriggerKind.RULES_CHANGED,
                occurs_on=on or clock.today(),
                recorded_by=None,
                outcome_change=_outcome_change(case_impact, book),
            )
            case_change(
                case=case,
                actor=None,
                obj=trigger,
                kind="trigger",
                summary=_("Ny hendelse: %(kind)s") % {"kind": TriggerKind.RULES_CHANGED.label},
                action=AuditAction.CASE_UPDATED,
                object_type="reassessment_trigger",
                details={
                    "kind": TriggerKind.RULES_CHANGED.value,
                    "from_version": case_impact.from_version,
                    "to_version": book.version,
                    "evaluated": case_impact.after is not None,
                    "changes": len(case_impact.changes),
                },
            )
            added += 1
        _applied, created = RulebookApplied.objects.get_or_create(
            rulebook_id=book.id,
            version=book.version,
            defaults={
                "applied_at": clock.now(),
                "cases_evaluated": impact.evaluated,
                "cases_changed": len(impact.changed),
            },
        )
        if created and impact.evaluated:
            audit_record(
                action=AuditAction.RULEBOOK_APPLIED,
                object_type="rulebook",
                object_id=book.version,
                details={
                    "rulebook_id": book.id,
                    "version": book.version,
                    "evaluated": impact.evaluated,
                    "changed": len(impact.changed),
                    "triggers": added,
                },
            )
    return UpgradeResult(
        rulebook_id=book.id,
        version=book.version,
        evaluated=impact.evaluated,
        changed=len(impact.changed),
        triggers_added=added,
        already_applied=not created,
    )


def last_applied() -> RulebookApplied | None:
    return RulebookApplied.objects.order_by("-applied_at", "-id").first()


def upgrade_if_needed(*, using: str = DEFAULT_DB_ALIAS) -> UpgradeResult | None:
    """Apply the packaged rulebook unless its version is recorded as applied (startup and
    post_migrate). Never stops a start: a missing table (migrations not applied yet) or a
    broken rulebook (the system check reports it) is logged and skipped."""
    if using != DEFAULT_DB_ALIAS:
        return None
    try:
        book = load_rulebook()
    except RulebookError:
        logger.warning("rulebook upgrade skipped: the rulebook does not load (vern check)")
        return None
    try:
        tables = set(connections[using].introspection.table_names())
        needed = {
            RulebookApplied._meta.db_table,
            ReassessmentTrigger._meta.db_table,
            Assessment._meta.db_table,
        }
        if not needed <= tables:
            return None
        with system_scope():
            if RulebookApplied.objects.filter(rulebook_id=book.id, version=book.version).exists():
                return None
        result = rulebook_upgrade(rulebook=book)
    except DatabaseError:
        logger.exception("rulebook upgrade failed; run `vern rulebook upgrade`")
        return None
    logger.info(
        "rulebook %s %s applied: %s open cases evaluated, %s changed, %s triggers",
        result.rulebook_id, result.version, result.evaluated, result.changed,
        result.triggers_added,
    )  # fmt: skip
    return result


# --------------------------------------------------------------------------- in words (leader)


def _label(book: Rulebook, decision: str, value: object, lang: str) -> str:
    definition = book.decisions.get(decision)
    if definition is None:
        return _code(value)
    for candidate, texts in definition.labels:
        if _code(candidate) == _code(value):
            return texts.get(lang)
    return _code(value)


def _action_text(book: Rulebook, ident: str, lang: str) -> str:
    action = book.actions.get(ident)
    return action.text.get(lang) if action is not None else ident


def change_lines(outcome_change: Mapping[str, object], lang: str = "nb") -> list[str]:
    """The stored old → new outcome of a ``rules_changed`` trigger in words, in ``lang``
    (labels and action texts from the packaged rulebook; an unknown code is shown as is)."""
    book = load_rulebook()
    lang = lang if lang in ("nb", "nn", "en") else "nb"
    raw_before, raw_after = outcome_change.get("from"), outcome_change.get("to")
    before = OutcomeSummary.from_dict(raw_before) if isinstance(raw_before, Mapping) else None
    after = OutcomeSummary.from_dict(raw_after) if isinstance(raw_after, Mapping) else None
    if before is None:
        return []
    if after is None:
        error = raw_after.get("error", "") if isinstance(raw_after, Mapping) else ""
        return [
            _("Vurderingen kunne ikke gjøres etter de nye reglene: %(error)s") % {"error": error}
        ]
    names = {
        "police_involvement": _("Politiinvolvering"),
        "consent_needed": _("Samtykke"),
        "next_step": _("Neste steg"),
    }
    lines = []
    for change in changes_between(before, after):
        if change.key == "action_added":
            lines.append(
                _("Nytt tiltak: %(action)s") % {"action": _action_text(book, change.new, lang)}
            )
        elif change.key == "action_removed":
            lines.append(
                _("Tiltaket faller bort: %(action)s")
                % {"action": _action_text(book, change.old, lang)}
            )
        else:
            old = change.old == "true" if change.key == "consent_needed" else change.old
            new = change.new == "true" if change.key == "consent_needed" else change.new
            lines.append(
                _("%(decision)s: «%(old)s» → «%(new)s»")
                % {
                    "decision": names[change.key],
                    "old": _label(book, change.key, old, lang),
                    "new": _label(book, change.key, new, lang),
                }
            )
    return lines
