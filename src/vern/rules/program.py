"""The rulebook precompiled into bit masks, one program per period in which nothing changes.

Every (variable, value) pair gets one bit; a condition becomes one mask per variable it tests
(the OR of the allowed values' bits), and holds when the state shares a bit with every mask.
Precedence ("overrides", closed transitively) becomes one mask per rule of the rules that
defeat it. Each program is then flattened (``_flatten``, the data ``Flat``) and written out as
Python source that is compiled at load time (``vern.rules.unrolled``), which
``Program.run_violations`` runs. Results are memoised per program and input state
(``Program.decide``): the engine is a pure function of the facts, so the same state always
gives the same result.

Imports go one way only: ``model`` (entries), ``outcome`` (results, ``Decided``) and
``unrolled`` (``Flat`` and its generated code) below, ``checks`` and ``loader`` above;
``valid_on``, ``Decided`` and ``Flat`` are re-exported here for older imports.
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
from vern.rules.unrolled import ActionEntry, Flat, Stage, StageEntry, Unrolled, unroll
from vern.rules.vocabulary import (
    DECISIONS,
    FACTOR_NAMES,
    INPUT_VARIABLES,
    Value,
)

if TYPE_CHECKING:
    from vern.rules.model import ActionDef, DecisionDef, Measure, Offence, Parameter, Rule

__all__ = [
    "BITS",
    "CompiledRule",
    "Decided",
    "Flat",
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


def _flatten(  # noqa: C901, PLR0912, PLR0915 (one pass over the program, kept in one place)
    stages: tuple[tuple[str, tuple[CompiledRule, ...]], ...],
    action_rules: tuple[CompiledRule, ...],
    actions: Mapping[str, ActionDef],
    decisions: Mapping[str, DecisionDef],
    start: dt.date,
) -> Flat:
    ordered = [c for _, rules in stages for c in rules] + list(action_rules)
    slot = {c.rule.id: 1 << index for index, c in enumerate(ordered)}
    violations = [0] * len(BITS)
    next_extra = 1 << len(ordered)
    # Per rule: the slot if it has a conjunction (0 if not), and its further conjunctions.
    shape: dict[str, tuple[int, int]] = {}
    # The decisions a rule may test: those of earlier stages (rule_dependencies orders them so;
    # checked here because the flat program relies on it), every decision for action rules.
    may_test = {
        c.rule.id: {d for d, _ in stages[:index]}
        for index, (_, rules) in enumerate(stages)
        for c in rules
    }
    for compiled in ordered:
        rule = compiled.rule
        extra = 0
        for index, (condition, masks) in enumerate(
            zip(rule.when, compiled.conditions, strict=True)
        ):
            if index == 0:
                bit = slot[rule.id]
            else:
                bit, next_extra = next_extra, next_extra << 1
                extra |= bit
            for (name, _allowed), mask in zip(condition, masks, strict=True):
                if name in DECISIONS and name not in may_test.get(rule.id, DECISIONS):
                    msg = f"on {start}: rule {rule.id} tests {name} before it is decided"
                    raise RulebookError([msg])
                for (variable, _value), value_bit in BITS.items():
                    if variable == name and not value_bit & mask:
                        violations[value_bit.bit_length() - 1] |= bit
        shape[rule.id] = (slot[rule.id] if rule.when else 0, extra)

    def defeaters(compiled: CompiledRule) -> tuple[int, dict[int, Overridden]]:
        mask = 0
        alone: dict[int, Overridden] = {}
        for other in ordered:
            if other.bit & compiled.defeaters:
                mask |= slot[other.rule.id]
                alone[slot[other.rule.id]] = Overridden(rule=compiled.rule.id, by=(other.rule.id,))
        return mask, alone

    def common(rules: tuple[CompiledRule, ...]) -> tuple[int, tuple[tuple[int, int], ...], int]:
        live = 0
        multi: list[tuple[int, int]] = []
        overridable = 0
        for compiled in rules:
            first, extra = shape[compiled.rule.id]
            live |= first
            if extra:
                multi.append((extra, slot[compiled.rule.id]))
            if compiled.defeaters:
                overridable |= slot[compiled.rule.id]
        return live, tuple(multi), overridable

    order = sorted(decisions, key=lambda name: decisions[name].order)
    flat_stages: list[Stage] = []
    for decision, rules in stages:
        entries: dict[int, StageEntry] = {}
        for compiled in rules:
            rule = compiled.rule
            assert rule.text is not None  # noqa: S101 (checked at load)
            reason = Reason(
                rule=rule.id,
                decision=decision,
                value=rule.value,
                requirements=rule.requirements,
                basis=rule.references,
                text=rule.text,
            )
            same = 0
            for other in rules:
                if {other.rule.value, rule.value} == {rule.value}:  # the old check's set
                    same |= slot[other.rule.id]
            entries[slot[rule.id]] = (
                rule.id, *defeaters(compiled), rule.value,
                violations[compiled.value_bit.bit_length() - 1], rule.no_consent_ground, reason,
                same,
            )  # fmt: skip
        flat_stages.append((decision, order.index(decision), *common(rules), entries))

    action_bit = {ident: 1 << index for index, ident in enumerate(sorted(actions))}
    action_entries: dict[int, ActionEntry] = {}
    for compiled in action_rules:
        rule = compiled.rule
        assert rule.action is not None  # noqa: S101 (checked at load)
        action = Action(
            id=rule.action,
            basis=rule.references,
            requirements=rule.requirements,
            text=actions[rule.action].text,
            rule=rule.id,
        )
        action_entries[slot[rule.id]] = (
            rule.id, *defeaters(compiled), action_bit[rule.action], action
        )  # fmt: skip

    inputs = {
        (name, value): violations[BITS[name, value].bit_length() - 1]
        for name, values in INPUT_VARIABLES.items()
        for value in values
    }
    involvement, next_step = decisions["police_involvement"], decisions["next_step"]
    labels: dict[tuple[Value, Value], Labels] = {}
    for a, _ in involvement.labels:
        for b, _ in next_step.labels:  # DecisionDef.label: the first label of a value counts
            labels.setdefault((a, b), Labels(involvement.label(a), next_step.label(b)))
    return Flat(
        stages=tuple(flat_stages),
        actions=(*common(action_rules), action_entries),
        violations=tuple(violations),
        inputs=inputs,
        factors=tuple((inputs[name, True], inputs[name, False]) for name in FACTOR_NAMES),
        labels=labels,
        in_order=[place for _, place, *_ in flat_stages] == list(range(len(flat_stages))),
    )


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
    flat: Flat = field(repr=False)
    unrolled: Unrolled = field(repr=False)
    memo: dict[StateKey, Decided] = field(default_factory=dict, repr=False)

    def decide(self, key: StateKey) -> Decided:
        decided = self.memo.get(key)
        if decided is None:
            decided = self.memo[key] = self.run(state_of(key))
        return decided

    def run(self, state: int) -> Decided:
        """Evaluate the compiled rules on one input state (no memo)."""
        violations = self.flat.violations
        violated = 0
        while state:
            low = state & -state
            violated |= violations[low.bit_length() - 1]
            state ^= low
        return self.run_violations(violated)

    def run_violations(self, violated: int) -> Decided:
        """Evaluate the compiled rules given the conjunctions the input values make false
        (the generated code of ``vern.rules.unrolled``)."""
        return self.unrolled.run_violations(violated)


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
        flat = _flatten(stages, action_rules, actions, decisions, start)
        programs.append(
            Program(
                start=start,
                stages=stages,
                action_rules=action_rules,
                actions=actions,
                decisions=decisions,
                flat=flat,
                unrolled=unroll(flat, start, decisions),
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
