"""What a jurist reviews in a rulebook version (issue 13 point 5): a pure data model.

``build_report(rulebook)`` gathers, from a loaded rulebook and its scenarios, everything the
review document shows: the entries still marked ``check`` first, then every rule (dates,
conditions as structured terms, outcome, precedence both ways, requirements, references),
every reference and offence with its source, status and checked date, every scenario, and the
changelog. No Django and no words of the user interface here: the documents app turns the
terms into sentences in nb, nn or en (``vern.documents.rulebook_report``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from vern.rules.loader import Rulebook
from vern.rules.model import ChangelogEntry, Rule
from vern.rules.vocabulary import FACTOR_NAMES, Value


def checked_on(entry: object) -> dt.date | None:
    """The date an entry (reference, offence or measure) was last compared with its source."""
    value = getattr(entry, "checked_on", None)
    return value if isinstance(value, dt.date) else None


def status_note(entry: object) -> str | None:
    """An entry's ``status_note`` (references, measures), None when it has none."""
    value = getattr(entry, "status_note", None)
    return str(value) if value else None


@dataclass(frozen=True, slots=True)
class Term:
    """One condition of a rule: ``variable`` takes one of ``values`` (a factor is
    ``factor`` 1-9, else 0)."""

    variable: str
    values: tuple[Value, ...]
    factor: int = 0


@dataclass(frozen=True, slots=True)
class RuleLine:
    id: str
    valid_from: dt.date
    valid_until: dt.date | None
    # Alternatives (any of them); each a conjunction of terms (all must hold). ((),) = always.
    conditions: tuple[tuple[Term, ...], ...]
    decides: str | None
    value: Value
    action: str | None
    overrides: tuple[str, ...]
    overridden_by: tuple[str, ...]
    requirements: tuple[str, ...]
    references: tuple[str, ...]
    rule: Rule

    @property
    def always(self) -> bool:
        return self.conditions == ((),)


@dataclass(frozen=True, slots=True)
class CheckItem:
    """An entry still marked ``check``: to be confirmed against the source."""

    kind: str  # "reference" | "offence" | "measure"
    id: str
    title: str
    section: str
    status_note: str | None
    note: str | None
    source: str
    checked_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ReferenceLine:
    id: str
    title: str
    section: str
    gist: str
    source: str
    status: str
    status_note: str | None
    checked_on: dt.date | None
    cited_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScenarioLine:
    file: str
    name: str
    date: dt.date | None
    facts: Mapping[str, object]
    expect: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class RulebookReport:
    rulebook: Rulebook
    checks: tuple[CheckItem, ...]
    rules: tuple[RuleLine, ...]
    references: tuple[ReferenceLine, ...]
    scenarios: tuple[ScenarioLine, ...]
    current_changes: ChangelogEntry | None
    previous_version: str | None
    earlier_changes: tuple[ChangelogEntry, ...]


def _terms(condition: tuple[tuple[str, tuple[Value, ...]], ...]) -> tuple[Term, ...]:
    return tuple(
        Term(
            variable=name,
            values=values,
            factor=FACTOR_NAMES.index(name) + 1 if name in FACTOR_NAMES else 0,
        )
        for name, values in condition
    )


def _rule_lines(rulebook: Rulebook) -> tuple[RuleLine, ...]:
    overridden_by: dict[str, list[str]] = {ident: [] for ident in rulebook.rules}
    for rule in rulebook.rules.values():
        for target in rule.overrides:
            overridden_by.setdefault(target, []).append(rule.id)
    return tuple(
        RuleLine(
            id=rule.id,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
            conditions=tuple(_terms(c) for c in rule.when),
            decides=rule.decides,
            value=rule.value,
            action=rule.action,
            overrides=rule.overrides,
            overridden_by=tuple(sorted(overridden_by.get(rule.id, []))),
            requirements=rule.requirements,
            references=rule.references,
            rule=rule,
        )
        for rule in rulebook.rules.values()
    )


def _checks(rulebook: Rulebook, lang: str) -> tuple[CheckItem, ...]:
    items = [
        CheckItem(
            kind="reference",
            id=ref.id,
            title=ref.title,
            section=ref.section,
            status_note=status_note(ref),
            note=ref.gist,
            source=ref.source,
            checked_on=checked_on(ref),
        )
        for ref in rulebook.references.values()
        if ref.status == "check"
    ]
    items.extend(
        CheckItem(
            kind="offence",
            id=off.id,
            title=off.title.get(lang),
            section=off.section,
            status_note=status_note(off),
            note=off.note,
            source=off.source,
            checked_on=checked_on(off),
        )
        for off in rulebook.offences
        if off.status == "check"
    )
    items.extend(
        CheckItem(
            kind="measure",
            id=m.id,
            title=m.title.get(lang),
            section=", ".join(m.basis),
            status_note=status_note(m),
            note=m.basis_note,
            source="",
            checked_on=None,
        )
        for m in sorted(rulebook.measures, key=lambda m: m.order)
        if m.status == "check"
    )
    return tuple(items)


def _references(rulebook: Rulebook) -> tuple[ReferenceLine, ...]:
    cited: dict[str, list[str]] = {ident: [] for ident in rulebook.references}
    for rule in rulebook.rules.values():
        for ref in rule.references:
            cited.setdefault(ref, []).append(rule.id)
    return tuple(
        ReferenceLine(
            id=ref.id,
            title=ref.title,
            section=ref.section,
            gist=ref.gist,
            source=ref.source,
            status=ref.status,
            status_note=status_note(ref),
            checked_on=checked_on(ref),
            cited_by=tuple(cited.get(ref.id, [])),
        )
        for ref in rulebook.references.values()
    )


def scenarios_dir(rulebook: Rulebook) -> Path:
    base = rulebook.path if rulebook.path.is_dir() else rulebook.path.parent
    return base / "scenarios"


def load_scenarios(directory: Path) -> tuple[ScenarioLine, ...]:
    """Every scenario of ``directory/*.yaml`` in file and list order (no checking: the test
    suite runs them)."""
    lines: list[ScenarioLine] = []
    for file in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        entries = document.get("scenarios", []) if isinstance(document, Mapping) else []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, Mapping):
                continue
            date = entry.get("date")
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            facts = entry.get("facts")
            expect = entry.get("expect")
            lines.append(
                ScenarioLine(
                    file=file.name,
                    name=str(entry.get("name", "")),
                    date=date if isinstance(date, dt.date) else None,
                    facts=facts if isinstance(facts, Mapping) else {},
                    expect=expect if isinstance(expect, Mapping) else {},
                )
            )
    return tuple(lines)


def build_report(rulebook: Rulebook, *, lang: str = "nb") -> RulebookReport:
    """The review document's content for ``rulebook`` (texts from the rulebook in ``lang``)."""
    changelog = rulebook.changelog
    current = next((c for c in changelog if c.version == rulebook.version), None)
    earlier = tuple(
        sorted(
            (c for c in changelog if c is not current),
            key=lambda c: tuple(int(p) for p in c.version.split(".") if p.isdigit()),
            reverse=True,
        )
    )
    return RulebookReport(
        rulebook=rulebook,
        checks=_checks(rulebook, lang),
        rules=_rule_lines(rulebook),
        references=_references(rulebook),
        scenarios=load_scenarios(scenarios_dir(rulebook)),
        current_changes=current,
        previous_version=earlier[0].version if earlier else None,
        earlier_changes=earlier,
    )
