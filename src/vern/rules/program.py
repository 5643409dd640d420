"""The rulebook precompiled into bit masks, one program per period in which nothing changes.

Every (variable, value) pair gets one bit; a condition becomes one mask per variable it tests
(the OR of the allowed values' bits), and holds when the state shares a bit with every mask.
Precedence ("overrides", closed transitively) becomes one mask per rule of the rules that
defeat it. Results are memoised per program and input state: the engine is a pure function
of the facts, so the same state always gives the same result.

Imports go one way only: ``model`` (entries) and ``outcome`` (results, ``Decided``) below,
``checks`` and ``loader`` above; ``valid_on`` and ``Decided`` are re-exported here for older
imports.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from vern.rules.errors import RulebookError
from vern.rules.model import valid_on
from vern.rules.outcome import Action, Decided, Labels, OffenceLine, Overridden, Reason
from vern.rules.vocabulary import (
    DECISIONS,
    FACTOR_NAMES,
    INPUT_VARIABLES,
    NO_CONSENT_GROUNDS,
    Value,
)

if TYPE_CHECKING:
    from vern.rules.model import ActionDef, DecisionDef, Measure, Offence, Parameter, Rule

__all__ = [
    "BITS",
    "CompiledRule",
    "Decided",
    "Program",
    "Programs",
    "StateKey",
    "compile_programs",
    "override_closure",
    "rule_dependencies",
    "state_of",
    "valid_on",
]

StateKey = tuple[object, ...]
"""(nine factor flags, risk, consent form, offence class, any offence in the § 196 list,
danger to life or health, child-welfare concern)."""


def _bit_table() -> dict[tuple[str, Value], int]:
    table: dict[tuple[str, Value], int] = {}
    for name, values in (*INPUT_VARIABLES.items(), *DECISIONS.items()):
        for value in values:
            table[name, value] = 1 << len(table)
    return table


BITS = _bit_table()
_FACTOR_BITS = tuple((BITS[name, True], BITS[name, False]) for name in FACTOR_NAMES)


def state_of(key: StateKey) -> int:
    flags = key[:9]
    risk, consent_form, offence_class, in_196, danger, child = (
        cast("Value", item) for item in key[9:]
    )
    state = 0
    for flag, (if_true, if_false) in zip(flags, _FACTOR_BITS, strict=True):
        state |= if_true if flag else if_false
    state |= BITS["risk_of_new_serious_violence", risk]
    state |= BITS["consent_form", consent_form]
    state |= BITS["suspected_offences", offence_class]
    state |= BITS["suspected_offence_in_196_list", in_196]
    state |= BITS["danger_to_life_or_health", danger]
    state |= BITS["child_welfare_concern", child]
    return state


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    bit: int
    conditions: tuple[tuple[int, ...], ...]
    defeaters: int
    value_bit: int

    def holds(self, state: int) -> bool:
        return any(all(state & mask for mask in masks) for masks in self.conditions)


@dataclass(frozen=True, eq=False)
class Program:
    start: dt.date
    stages: tuple[tuple[str, tuple[CompiledRule, ...]], ...]
    action_rules: tuple[CompiledRule, ...]
    actions: Mapping[str, ActionDef]
    decisions: Mapping[str, DecisionDef]
    measures: tuple[Measure, ...]
    offences: Mapping[str, tuple[Offence, OffenceLine]]
    two_year_line: float
    memo: dict[StateKey, Decided] = field(default_factory=dict, repr=False)

    def decide(self, key: StateKey) -> Decided:
        decided = self.memo.get(key)
        if decided is None:
            decided = self.memo[key] = self.run(state_of(key))
        return decided

    def run(self, state: int) -> Decided:
        """Evaluate the compiled rules on one input state (no memo)."""
        values: dict[str, Value] = {}
        reasons: list[Reason] = []
        fired_ids: list[str] = []
        overridden: list[Overridden] = []
        grounds: set[str] = set()
        for decision, rules in self.stages:
            fired = [rule for rule in rules if rule.holds(state)]
            winners = self._settle(fired, overridden)
            chosen = {rule.rule.value for rule in winners}
            if len(chosen) != 1:
                msg = f"on {self.start}: rules {[r.rule.id for r in winners]} decide {decision}"
                raise RulebookError([msg])
            winner = winners[0].rule
            values[decision] = winner.value
            state |= winners[0].value_bit
            for compiled in winners:
                rule = compiled.rule
                fired_ids.append(rule.id)
                if rule.no_consent_ground is not None:
                    grounds.add(rule.no_consent_ground)
                assert rule.text is not None  # noqa: S101 (checked at load)
                reasons.append(
                    Reason(
                        rule=rule.id,
                        decision=decision,
                        value=rule.value,
                        requirements=rule.requirements,
                        basis=rule.references,
                        text=rule.text,
                    )
                )
        actions: dict[str, Action] = {}
        for compiled in self._settle(
            [rule for rule in self.action_rules if rule.holds(state)], overridden
        ):
            rule = compiled.rule
            assert rule.action is not None  # noqa: S101 (checked at load)
            fired_ids.append(rule.id)
            if rule.action not in actions:
                actions[rule.action] = Action(
                    id=rule.action,
                    basis=rule.references,
                    requirements=rule.requirements,
                    text=self.actions[rule.action].text,
                    rule=rule.id,
                )
        reasons.sort(key=lambda r: (self.decisions[r.decision].order, r.rule))
        return Decided(
            police_involvement=str(values["police_involvement"]),
            consent_needed=bool(values["consent_needed"]),
            no_consent_grounds=tuple(g for g in NO_CONSENT_GROUNDS if g in grounds),
            next_step=str(values["next_step"]),
            victim_wish_given_weight=_optional_bool(values["victim_wish_given_weight"]),
            actions=tuple(sorted(actions.values(), key=lambda a: self.actions[a.id].order)),
            reasons=tuple(reasons),
            rules_fired=tuple(fired_ids),
            rules_overridden=tuple(overridden),
            labels=Labels(
                police_involvement=self.decisions["police_involvement"].label(
                    values["police_involvement"]
                ),
                next_step=self.decisions["next_step"].label(values["next_step"]),
            ),
        )

    @staticmethod
    def _settle(fired: list[CompiledRule], overridden: list[Overridden]) -> list[CompiledRule]:
        fired_mask = 0
        for rule in fired:
            fired_mask |= rule.bit
        winners: list[CompiledRule] = []
        for rule in fired:
            if rule.defeaters & fired_mask:
                by = tuple(other.rule.id for other in fired if other.bit & rule.defeaters)
                overridden.append(Overridden(rule=rule.rule.id, by=by))
            else:
                winners.append(rule)
        return winners


def _optional_bool(value: Value) -> bool | None:
    return None if value is None else bool(value)


@dataclass(frozen=True, eq=False)
class Programs:
    starts: tuple[dt.date, ...]
    programs: tuple[Program, ...]

    def for_date(self, day: dt.date) -> Program | None:
        index = bisect.bisect_right(self.starts, day) - 1
        return None if index < 0 else self.programs[index]


def rule_dependencies(rules: tuple[Rule, ...]) -> tuple[str, ...]:
    """The decisions in an order where each comes after the decisions its rules test.

    Ties are broken by the contract's order of decisions, so YAML order never matters.
    Raises ValueError on a cycle.
    """
    needs: dict[str, set[str]] = {name: set() for name in DECISIONS}
    for rule in rules:
        if rule.decides is None:
            continue
        for condition in rule.when:
            needs[rule.decides].update(name for name, _ in condition if name in DECISIONS)
    ordered: list[str] = []
    while len(ordered) < len(needs):
        ready = [n for n in DECISIONS if n not in ordered and needs[n] <= set(ordered)]
        if not ready:
            cycle = sorted(n for n in DECISIONS if n not in ordered)
            msg = f"rules: decisions depend on each other in a cycle: {', '.join(cycle)}"
            raise ValueError(msg)
        ordered.append(ready[0])
    return tuple(ordered)


def override_closure(rules: tuple[Rule, ...]) -> dict[str, set[str]]:
    """For each rule id, the ids of the rules that override it, directly or transitively.

    A rule that ends up in its own set sits on a cycle of overrides (a schema error).
    """
    defeated_by: dict[str, set[str]] = {rule.id: set() for rule in rules}
    for rule in rules:
        for target in rule.overrides:
            if target in defeated_by:
                defeated_by[target].add(rule.id)
    changed = True
    while changed:
        changed = False
        for ident, defeaters in defeated_by.items():
            extra = set().union(*(defeated_by[d] for d in defeaters)) - defeaters
            if extra:
                defeated_by[ident] = defeaters | extra
                changed = True
    return defeated_by


def compile_programs(
    *,
    applies_from: dt.date,
    rules: tuple[Rule, ...],
    decisions: Mapping[str, DecisionDef],
    actions: Mapping[str, ActionDef],
    measures: tuple[Measure, ...],
    offences: tuple[Offence, ...],
    two_year_line: tuple[Parameter, ...],
) -> Programs:
    """One program per period between dates at which some rule, measure or value changes."""
    boundaries = {applies_from}
    dated: list[tuple[dt.date | None, dt.date | None]] = [
        *((r.valid_from, r.valid_until) for r in rules),
        *((m.valid_from, m.valid_until) for m in measures),
        *((o.valid_from, o.valid_until) for o in offences),
        *((p.valid_from, p.valid_until) for p in two_year_line),
    ]
    for start, end in dated:
        if start is not None and start > applies_from:
            boundaries.add(start)
        if end is not None and end >= applies_from:
            boundaries.add(end + dt.timedelta(days=1))
    starts = tuple(sorted(boundaries))

    ordered_rules = tuple(sorted(rules, key=lambda rule: rule.id))
    rule_bit = {rule.id: 1 << index for index, rule in enumerate(ordered_rules)}
    defeated_by = override_closure(ordered_rules)
    order = rule_dependencies(ordered_rules)

    def compiled(rule: Rule) -> CompiledRule:
        conditions = tuple(
            tuple(_mask(name, allowed) for name, allowed in condition) for condition in rule.when
        )
        defeaters = 0
        for ident in defeated_by[rule.id]:
            defeaters |= rule_bit[ident]
        value_bit = BITS[rule.decides, rule.value] if rule.decides is not None else 0
        return CompiledRule(rule, rule_bit[rule.id], conditions, defeaters, value_bit)

    all_compiled = {rule.id: compiled(rule) for rule in ordered_rules}
    programs: list[Program] = []
    for start in starts:
        active = [all_compiled[r.id] for r in ordered_rules if r.valid_on(start)]
        stages = tuple((name, tuple(c for c in active if c.rule.decides == name)) for name in order)
        action_rules = tuple(
            sorted(
                (c for c in active if c.rule.action is not None),
                key=lambda c: (actions[str(c.rule.action)].order, c.rule.id),
            )
        )
        lines = [p.value for p in two_year_line if valid_on(p.valid_from, p.valid_until, start)]
        if len(lines) != 1:
            msg = f"parameter 'two_year_line': {len(lines)} values on {start.isoformat()}"
            raise RulebookError([msg])
        offence_table = {
            o.id: (
                o,
                OffenceLine(
                    o.id, o.max_penalty_years, o.in_196_list, o.title, o.duty_to_avert_condition
                ),
            )
            for o in offences
            if valid_on(o.valid_from, o.valid_until, start)
        }
        programs.append(
            Program(
                start=start,
                stages=stages,
                action_rules=action_rules,
                actions=actions,
                decisions=decisions,
                measures=tuple(
                    sorted(
                        (m for m in measures if valid_on(m.valid_from, m.valid_until, start)),
                        key=lambda m: (m.order, m.id),
                    )
                ),
                offences=offence_table,
                two_year_line=lines[0],
            )
        )
    return Programs(starts=starts, programs=tuple(programs))


def _mask(name: str, allowed: tuple[Value, ...]) -> int:
    mask = 0
    for value in allowed:
        mask |= BITS[name, value]
    return mask
