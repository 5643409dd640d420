"""The rulebook's cross checks: what no single entry can tell (citations, precedence, dates).

``loader`` parses each entry and reports what is wrong with it; the checks here run on all
parsed entries together (``Parts``) and return the problems, empty when the rulebook is sound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from vern.rules.model import (
    ActionDef,
    ChangelogEntry,
    Condition,
    DecisionDef,
    Measure,
    Meta,
    Offence,
    Parameter,
    Reference,
    Requirement,
    Rule,
    value_in,
)
from vern.rules.program import override_closure, rule_dependencies
from vern.rules.vocabulary import DECISIONS


def _overlap(
    a: tuple[dt.date | None, dt.date | None], b: tuple[dt.date | None, dt.date | None]
) -> bool:
    a_start, a_end = a
    b_start, b_end = b
    starts_before_b_ends = a_start is None or b_end is None or a_start <= b_end
    ends_after_b_starts = a_end is None or b_start is None or b_start <= a_end
    return starts_before_b_ends and ends_after_b_starts


def _exclusive(first: Condition, second: Condition) -> bool:
    """True when two conjunctions can never hold together (they disagree on a variable)."""
    wanted = dict(first)
    for name, allowed in second:
        if name in wanted and not any(value_in(v, wanted[name]) for v in allowed):
            return True
    return False


def _never_together(a: Rule, b: Rule) -> bool:
    return all(_exclusive(x, y) for x in a.when for y in b.when)


@dataclass(frozen=True)
class Parts:
    """Everything parsed from the YAML, before the cross checks."""

    meta: Meta | None
    changelog: list[ChangelogEntry]
    references: Mapping[str, Reference]
    requirements: Mapping[str, Requirement]
    offences: list[Offence]
    parameters: Mapping[str, tuple[Parameter, ...]]
    measures: list[Measure]
    actions: Mapping[str, ActionDef]
    decisions: Mapping[str, DecisionDef]
    rules: Mapping[str, Rule]


def _check_citations(parts: Parts) -> list[str]:
    problems: list[str] = []
    for rule in parts.rules.values():
        where = f"rule {rule.id!r}"
        problems.extend(
            f"{where}: unknown reference {ref!r}"
            for ref in rule.references
            if ref not in parts.references
        )
        problems.extend(
            f"{where}: unknown requirement {req!r}"
            for req in rule.requirements
            if req not in parts.requirements
        )
        if not rule.references and not rule.requirements:
            problems.append(f"{where}: cites no reference and no requirement")
        if rule.action is not None and rule.action not in parts.actions:
            problems.append(f"{where}: unknown action {rule.action!r}")
    cited = {req for rule in parts.rules.values() for req in rule.requirements}
    problems.extend(
        f"requirement {req.id!r}: no rule cites it and it has no 'elsewhere' note"
        for req in parts.requirements.values()
        if req.id not in cited and req.elsewhere is None
    )
    for measure in parts.measures:
        problems.extend(
            f"measure {measure.id!r}: unknown reference {ref!r}"
            for ref in measure.basis
            if ref not in parts.references
        )
        if not measure.basis and measure.basis_note is None:
            problems.append(f"measure {measure.id!r}: needs a 'basis' or a 'basis_note'")
    problems.extend(
        f"parameter {parameter.id!r}: unknown reference {ref!r}"
        for versions in parts.parameters.values()
        for parameter in versions
        for ref in parameter.references
        if ref not in parts.references
    )
    return problems


def _check_precedence(rules: Mapping[str, Rule]) -> list[str]:
    problems: list[str] = []
    for rule in rules.values():
        for target in rule.overrides:
            other = rules.get(target)
            if other is None:
                problems.append(f"rule {rule.id!r}: overrides unknown rule {target!r}")
            elif target == rule.id:
                problems.append(f"rule {rule.id!r}: overrides itself")
            elif (other.decides, other.action is None) != (rule.decides, rule.action is None):
                problems.append(
                    f"rule {rule.id!r}: overrides {target!r}, which decides something else"
                )
    defeated_by = override_closure(tuple(rules.values()))
    problems.extend(
        f"rule {ident!r}: overrides form a cycle"
        for ident, defeaters in sorted(defeated_by.items())
        if ident in defeaters
    )
    # Precedence must be written down: two rules that can apply together and decide
    # differently must be ordered by 'overrides'.
    deciding = sorted((r for r in rules.values() if r.decides is not None), key=lambda r: r.id)
    for index, first in enumerate(deciding):
        problems.extend(
            f"rules {first.id!r} and {second.id!r} can both apply and decide "
            f"{first.decides} differently, but neither overrides the other"
            for second in deciding[index + 1 :]
            if first.decides == second.decides
            and not value_in(first.value, [second.value])
            and first.id not in defeated_by[second.id]
            and second.id not in defeated_by[first.id]
            and not _never_together(first, second)
            and _overlap(
                (first.valid_from, first.valid_until), (second.valid_from, second.valid_until)
            )
        )
    try:
        rule_dependencies(tuple(rules.values()))
    except ValueError as exc:
        problems.append(str(exc))
    return problems


def _check_decisions(parts: Parts) -> list[str]:
    problems: list[str] = []
    rules = parts.rules.values()
    used = {rule.decides for rule in rules if rule.decides is not None}
    problems.extend(
        f"decisions: {name!r} is missing" for name in DECISIONS if name not in parts.decisions
    )
    problems.extend(
        f"decision {name!r}: no rule decides it" for name in DECISIONS if name not in used
    )
    for name in DECISIONS:
        defaults = [rule for rule in rules if rule.decides == name and rule.when == ((),)]
        meta = parts.meta
        if meta is not None and not any(rule.valid_on(meta.applies_from) for rule in defaults):
            problems.append(
                f"decision {name!r}: needs a default rule (empty 'when') valid from "
                f"{meta.applies_from.isoformat()}"
            )
        problems.extend(
            f"rule {rule.id!r}: a default rule ends with no successor"
            for rule in defaults
            if rule.valid_until is not None
            and not any(o.valid_from == rule.valid_until + dt.timedelta(days=1) for o in defaults)
        )
    emitted = {rule.action for rule in rules if rule.action is not None}
    problems.extend(
        f"action {action.id!r}: no rule adds it"
        for action in parts.actions.values()
        if action.id not in emitted
    )
    action_orders = [action.order for action in parts.actions.values()]
    if len(action_orders) != len(set(action_orders)):
        problems.append("actions: two actions share an 'order'")
    for section, orders in (
        ("decisions", [decision.order for decision in parts.decisions.values()]),
        ("measures", [measure.order for measure in parts.measures]),
    ):
        if len(orders) != len(set(orders)):
            problems.append(f"{section}: two {section} share an 'order'")
    return problems


def _check_dated_values(parts: Parts) -> list[str]:
    problems: list[str] = []
    meta = parts.meta
    if meta is not None and not any(entry.version == meta.version for entry in parts.changelog):
        problems.append(f"changelog: no entry for version {meta.version}")
    by_id: dict[str, list[Offence]] = {}
    for offence in parts.offences:
        by_id.setdefault(offence.id, []).append(offence)
    for ident, versions in by_id.items():
        if any(
            _overlap((a.valid_from, a.valid_until), (b.valid_from, b.valid_until))
            for index, a in enumerate(versions)
            for b in versions[index + 1 :]
        ):
            problems.append(f"offence {ident!r}: two entries valid on the same day")
    lines = parts.parameters.get("two_year_line", ())
    if not lines:
        problems.append("parameters: 'two_year_line' is missing")
    elif meta is not None and not any(p.valid_from <= meta.applies_from for p in lines):
        problems.append("parameter 'two_year_line': no value on the rulebook's applies_from date")
    return problems


def check_cross_references(parts: Parts) -> list[str]:
    return [
        *_check_citations(parts),
        *_check_precedence(parts.rules),
        *_check_decisions(parts),
        *_check_dated_values(parts),
    ]
