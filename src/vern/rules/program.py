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


# The flat program: what ``Program.run`` needs per call, precomputed once per program from its
# compiled rules (immutable, shared by every call). Each active rule gets a slot: one bit, in
# the order in which the rules are evaluated (stages in dependency order, rule ids within a
# stage, then the action rules by action order and rule id), so iterating a mask's bits from
# the lowest visits rules in that order. Each conjunction of a rule's ``when`` gets a bit too
# (the first one shares the rule's slot, further ones come after all slots); for each
# (variable, value) of ``BITS``, ``violations`` holds the conjunctions that the value makes
# false. A call ORs the violations of the input values (and, stage by stage, of each decided
# value): a rule fires when one of its conjunctions is left.
StageEntry = tuple[str, int, Mapping[int, Overridden], Value, int, str | None, Reason, int]
"""(rule id, the slots of the rules that defeat it, its ``Overridden`` by each of them alone,
value, violations of the value, no-consent ground, the reason it gives when it wins, the slots
of the stage's rules with its value)."""
ActionEntry = tuple[str, int, Mapping[int, Overridden], int, Action]
"""(rule id, the slots of the rules that defeat it, its ``Overridden`` by each of them alone,
action bit, the action it adds)."""
Stage = tuple[str, int, int, tuple[tuple[int, int], ...], int, Mapping[int, StageEntry]]
"""(decision, its place in the decisions' order, the slots of the stage's rules with a
conjunction, (further conjunctions, slot) per rule with several, the slots of the rules
something can defeat, the entry of each slot)."""


@dataclass(frozen=True, slots=True)
class Flat:
    stages: tuple[Stage, ...]
    actions: tuple[int, tuple[tuple[int, int], ...], int, Mapping[int, ActionEntry]]
    """As a stage, without decision and place."""
    violations: tuple[int, ...]
    """Indexed by a ``BITS`` bit's position."""
    inputs: Mapping[tuple[str, Value], int]
    """``violations`` of each input (variable, value), keyed like ``BITS``."""
    factors: tuple[tuple[int, int], ...]
    """Violations of each factor (in FACTOR_NAMES order) when true and when false."""
    labels: Mapping[tuple[Value, Value], Labels]
    in_order: bool
    """Whether the stages come in the decisions' order (then the reasons need no regrouping)."""


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


def _ids(mask: int, entries: Mapping[int, StageEntry] | Mapping[int, ActionEntry]) -> list[str]:
    """The rule ids of the slots in ``mask``, lowest slot first."""
    ids: list[str] = []
    while mask:
        low = mask & -mask
        mask ^= low
        ids.append(entries[low][0])
    return ids


def _fired(ok: int, live: int, multi: tuple[tuple[int, int], ...]) -> int:
    fired = ok & live
    for extra, slot in multi:
        if ok & extra:
            fired |= slot
    return fired


def _beaten(
    fired: int,
    overridable: int,
    entries: Mapping[int, StageEntry] | Mapping[int, ActionEntry],
    overridden: list[Overridden],
) -> int:
    """The fired slots that another fired rule defeats; each goes to ``overridden``."""
    beaten = 0
    candidates = fired & overridable
    while candidates:
        low = candidates & -candidates
        candidates ^= low
        entry = entries[low]
        by = entry[1] & fired
        if by:
            beaten |= low
            if by & (by - 1):  # more than one: built here, in slot order
                overridden.append(Overridden(rule=entry[0], by=tuple(_ids(by, entries))))
            else:
                overridden.append(entry[2][by])
    return beaten


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
        """Evaluate the compiled rules given the conjunctions the input values make false."""
        ok = ~violated
        values: dict[str, Value] = {}
        fired_ids: list[str] = []
        overridden: list[Overridden] = []
        grounds: set[str] = set()
        flat = self.flat
        reasons: list[Reason] = []
        groups: list[list[Reason]] | None = None if flat.in_order else [[] for _ in flat.stages]
        for decision, place, live, multi, overridable, entries in flat.stages:
            fired = _fired(ok, live, multi) if multi else ok & live
            winners = (
                fired & ~_beaten(fired, overridable, entries, overridden)
                if fired & overridable
                else fired
            )
            first = entries[winners & -winners] if winners else None
            if first is None or winners & ~first[7]:
                msg = f"on {self.start}: rules {_ids(winners, entries)} decide {decision}"
                raise RulebookError([msg])
            values[decision] = first[3]
            ok &= ~first[4]
            group = reasons if groups is None else groups[place]
            while winners:
                low = winners & -winners
                winners ^= low
                entry = entries[low]
                fired_ids.append(entry[0])
                if entry[5] is not None:
                    grounds.add(entry[5])
                group.append(entry[6])
        actions: list[Action] = []
        seen = 0
        live, multi, overridable, action_entries = flat.actions
        fired = _fired(ok, live, multi) if multi else ok & live
        winners = (
            fired & ~_beaten(fired, overridable, action_entries, overridden)
            if fired & overridable
            else fired
        )
        while winners:
            low = winners & -winners
            winners ^= low
            action_entry = action_entries[low]
            fired_ids.append(action_entry[0])
            if not seen & action_entry[3]:
                seen |= action_entry[3]
                actions.append(action_entry[4])
        involvement, next_step = values["police_involvement"], values["next_step"]
        labels = flat.labels.get((involvement, next_step))
        if labels is None:  # a value without a label: DecisionDef.label says which
            labels = Labels(
                police_involvement=self.decisions["police_involvement"].label(involvement),
                next_step=self.decisions["next_step"].label(next_step),
            )
        return Decided(
            police_involvement=str(involvement),
            consent_needed=bool(values["consent_needed"]),
            no_consent_grounds=(
                tuple(g for g in NO_CONSENT_GROUNDS if g in grounds) if grounds else ()
            ),
            next_step=str(next_step),
            victim_wish_given_weight=_optional_bool(values["victim_wish_given_weight"]),
            actions=tuple(actions),
            reasons=(
                tuple(reasons)
                if groups is None
                else tuple(reason for group in groups for reason in group)
            ),
            rules_fired=tuple(fired_ids),
            rules_overridden=tuple(overridden),
            labels=labels,
        )


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
                flat=_flatten(stages, action_rules, actions, decisions, start),
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
