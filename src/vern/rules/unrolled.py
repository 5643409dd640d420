"""The flat program (``Flat``) and the Python source generated from it, per program.

``Flat`` is data, built by ``vern.rules.program`` when the rulebook is loaded: masks per rule,
conjunction and input value (ADR 0004, first addendum). Until 2026-12-08 ``Program`` walked it
on every call: a loop step, a dict lookup and tuple indexing per rule that fired, an
``Overridden`` built for each rule beaten by several, and the frozen ``Decided`` built through
its dataclass ``__init__`` (an ``object.__setattr__`` call per field). ``unroll`` writes that
walk out as straight-line source for one program, with the program's masks as integer literals
and its rule ids as string literals, and compiles it with ``compile()`` at load time (ADR 0004,
second addendum). The source is derived only from the ``Flat`` of the loaded rules: nothing
here knows a rule, a decision value or an action by name, and the rulebook stays the YAML data.
``Unrolled.source`` keeps the text for reading and debugging
(``load_rulebook().programs.programs[0].unrolled.source``).

Two functions are generated:

- ``violations(facts, offence_class, in_196)``: the conjunctions that the input values make
  false, the OR of ``Flat.inputs`` for the facts' values;
- ``run_violations(violated)``, stage by stage in the stages' order: the rules with a
  conjunction left fire; a fired rule that a fired rule defeats goes to ``rules_overridden``
  (in slot order; its ``Overridden`` for each set of its defeaters is built here, once); the
  winners must agree on one value (else the same ``RulebookError`` as before), and only the
  rules with that value are tested to add their ids, reasons and no-consent grounds; then the
  action rules likewise; the ``Decided`` is built from its slots without ``__init__`` (the same
  frozen object, see ``vern.rules.outcome.setters``).

Nothing depends on the facts beyond these two functions' arguments, and nothing is cached per
call: the memo (``Program.decide``) is where it was. The property test against a plain reading
of the rules
(tests/rules/test_the_compiled_program_gives_the_outcome_of_a_plain_reading_of_the_rules.py)
checks the generated code, with and without the memo.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from vern.rules.errors import RulebookError
from vern.rules.outcome import Action, Decided, Labels, Overridden, Reason, setters
from vern.rules.vocabulary import EXTRA_FACT_NAMES, FACTOR_NAMES, NO_CONSENT_GROUNDS, Value

if TYPE_CHECKING:
    import datetime as dt

    from vern.rules.model import DecisionDef

__all__ = ["ActionEntry", "Flat", "Stage", "StageEntry", "Unrolled", "unroll"]

# The flat program: what the generated code is written from, precomputed once per program
# from its compiled rules by ``vern.rules.program._flatten`` (immutable). Each active rule gets
# a slot: one bit, in the order in which the rules are evaluated (stages in dependency order,
# rule ids within a stage, then the action rules by action order and rule id), so the rules
# of a mask's bits from the lowest come in that order. Each conjunction of a rule's ``when``
# gets a bit too (the first one shares the rule's slot, further ones come after all slots);
# for each (variable, value) of ``BITS``, ``violations`` holds the conjunctions that the value
# makes false. A call ORs the violations of the input values (and, stage by stage, of each
# decided value): a rule fires when one of its conjunctions is left.
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


_INDENT = "    "
# A rule with at most this many defeaters in its stage gets its ``Overridden`` for every set of
# them built at load time (2**12 objects at most); with more, one beaten by several is built
# when it happens.
_MOST_DEFEATERS = 12
# The decisions' fields of ``Decided`` and how each value is turned into the field's type.
_DECIDED_FIELDS: Mapping[str, Callable[[Value], object]] = {
    "police_involvement": str,
    "consent_needed": bool,
    "next_step": str,
    "victim_wish_given_weight": lambda value: None if value is None else bool(value),
}


@dataclass(frozen=True, eq=False)
class Unrolled:
    """The generated functions of one program, and their source."""

    violations: Callable[[object, str, bool], int]
    run_violations: Callable[[int], Decided]
    source: str = field(repr=False)


def _ids(mask: int, entries: Mapping[int, StageEntry] | Mapping[int, ActionEntry]) -> list[str]:
    ids: list[str] = []
    while mask:
        low = mask & -mask
        mask ^= low
        ids.append(entries[low][0])
    return ids


def _slots(mask: int) -> list[int]:
    """The bits of ``mask``, lowest first."""
    bits: list[int] = []
    while mask:
        low = mask & -mask
        mask ^= low
        bits.append(low)
    return bits


class _Writer:
    """Lines of source, and the objects they name (the generated code's globals)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, object] = {}

    def line(self, depth: int, text: str) -> None:
        self.lines.append(_INDENT * depth + text)

    def name(self, prefix: str, value: object) -> str:
        ident = f"{prefix}{len(self.names)}"
        self.names[ident] = value
        return ident


def _fired(w: _Writer, live: int, multi: tuple[tuple[int, int], ...]) -> None:
    w.line(1, f"fired = ok & {live:#x}")
    for extra, slot in multi:  # a rule with further conjunctions fires when one of them is left
        w.line(1, f"if ok & {extra:#x}:")
        w.line(2, f"fired |= {slot:#x}")


def _beaten(
    w: _Writer,
    overridable: int,
    entries: Mapping[int, StageEntry] | Mapping[int, ActionEntry],
    entries_name: str,
) -> None:
    """``winners``: the fired rules no fired rule defeats; the others go to ``overridden``, in
    slot order. Neighbouring slots with the same defeaters share one test of them."""
    w.line(1, "winners = fired")
    runs: list[tuple[int, list[int]]] = []  # (defeaters, slots), in slot order
    for slot in _slots(overridable):
        defeaters = entries[slot][1]
        if runs and runs[-1][0] == defeaters:
            runs[-1][1].append(slot)
        else:
            runs.append((defeaters, [slot]))
    firing = _slots_of(entries)
    for defeaters, slots in runs:
        w.line(1, f"by = fired & {defeaters:#x}")
        w.line(1, "if by:")
        for slot in slots:
            rule, _, alone = entries[slot][:3]
            w.line(2, f"if fired & {slot:#x}:")
            w.line(3, f"winners ^= {slot:#x}")
            possible = _slots(defeaters & firing)
            if len(possible) <= _MOST_DEFEATERS:
                # Its Overridden for each set of its defeaters that can fire, built here once.
                table: dict[int, Overridden] = {}
                for subset in range(1, 1 << len(possible)):
                    by = sum(bit for index, bit in enumerate(possible) if subset >> index & 1)
                    table[by] = alone.get(by) or Overridden(rule, tuple(_ids(by, entries)))
                w.line(3, f"overridden.append({w.name('OVERRIDDEN', table)}[by])")
            else:
                several = f"by_several({rule!r}, by, {entries_name})"
                w.line(3, f"overridden.append({w.name('ALONE', alone)}.get(by) or {several})")


def _stage(  # noqa: PLR0917 (the writer, the stage and what the whole program shares)
    w: _Writer, index: int, stage: Stage, start: str, reasons: str, full: int
) -> None:
    decision, _place, live, multi, overridable, entries = stage
    entries_name = w.name("ENTRIES", entries)
    w.line(1, f"# stage {index}: {decision}")
    _fired(w, live, multi)
    _beaten(w, overridable, entries, entries_name)
    # The winners must agree on one value: group the stage's slots by the slots with their value.
    groups: dict[int, list[int]] = {}
    for slot in sorted(entries):
        groups.setdefault(entries[slot][7], []).append(slot)
    keyword = "if"
    for same, members in groups.items():
        first = entries[members[0]]
        for slot in members:
            value = entries[slot][3]
            if (
                type(value) is not type(first[3])
                or value != first[3]
                or entries[slot][4] != first[4]
            ):
                msg = f"on {start}: rules {first[0]} and {entries[slot][0]} differ on {decision}"
                raise RulebookError([msg])
        w.line(1, f"{keyword} winners & {same:#x}:")
        w.line(2, f"if winners & {_slots_of(entries) & ~same:#x}:")
        w.line(3, f"conflict(winners, {decision!r}, {entries_name})")
        w.line(2, f"value{index} = {w.name('VALUE', first[3])}")
        converted = _DECIDED_FIELDS[decision](first[3])
        w.line(2, f"field{index} = {w.name('FIELD', converted)}")
        if first[4]:
            w.line(2, f"ok &= {full & ~first[4]:#x}")
        # The winners are rules of this group: each adds its id, reason and ground.
        for slot in members:
            rule, ground, reason = entries[slot][0], entries[slot][5], entries[slot][6]
            depth = 2
            if len(members) > 1:  # one alone is the winner
                w.line(2, f"if winners & {slot:#x}:")
                depth = 3
            w.line(depth, f"fired_ids.append({rule!r})")
            w.line(depth, f"{reasons}.append({w.name('REASON', reason)})")
            if ground in NO_CONSENT_GROUNDS:
                w.line(depth, f"grounds |= {1 << NO_CONSENT_GROUNDS.index(ground):#x}")
        keyword = "elif"
    w.line(1, "else:" if groups else "if True:")
    w.line(2, f"conflict(winners, {decision!r}, {entries_name})")


def _actions(w: _Writer, flat: Flat) -> None:
    live, multi, overridable, entries = flat.actions
    entries_name = w.name("ENTRIES", entries)
    w.line(1, "# the action rules")
    _fired(w, live, multi)
    _beaten(w, overridable, entries, entries_name)
    w.line(1, "actions = []")
    rules_per_action: dict[int, int] = {}
    for entry in entries.values():
        rules_per_action[entry[3]] = rules_per_action.get(entry[3], 0) + 1
    shared = any(count > 1 for count in rules_per_action.values())
    if shared:
        w.line(1, "seen = 0")
    # The action slots come after the stages' slots: shifted down, the tests are on small ints.
    shift = min(entries).bit_length() - 1 if entries else 0
    if shift:
        w.line(1, f"winners >>= {shift}")
    for slot in sorted(entries):
        rule, action_bit, action = entries[slot][0], entries[slot][3], entries[slot][4]
        w.line(1, f"if winners & {slot >> shift:#x}:")
        w.line(2, f"fired_ids.append({rule!r})")
        if rules_per_action[action_bit] > 1:  # the first rule in slot order gives the action
            w.line(2, f"if not seen & {action_bit:#x}:")
            w.line(3, f"seen |= {action_bit:#x}")
            w.line(3, f"actions.append({w.name('ACTION', action)})")
        else:
            w.line(2, f"actions.append({w.name('ACTION', action)})")


def _slots_of(entries: Mapping[int, object]) -> int:
    """The slots of a stage's rules."""
    mask = 0
    for slot in entries:
        mask |= slot
    return mask


def _violations_source(w: _Writer, flat: Flat) -> None:
    """``violations``: the OR of ``Flat.inputs`` over the facts' input values."""
    inputs = flat.inputs
    flags = [
        *((f"factors.{name}", name) for name in FACTOR_NAMES),
        *((f"facts.{name}", name) for name in EXTRA_FACT_NAMES),
        ("in_196", "suspected_offence_in_196_list"),
    ]
    terms = [
        f"({inputs[name, True]:#x} if {test} else {inputs[name, False]:#x})" for test, name in flags
    ]
    for variable, argument in (
        ("risk_of_new_serious_violence", "facts.risk_of_new_serious_violence"),
        ("consent_form", 'facts.consent_form or "none"'),
        ("suspected_offences", "offence_class"),
    ):
        table = {value: mask for (name, value), mask in inputs.items() if name == variable}
        terms.append(f"{w.name('INPUT', table)}[{argument}]")
    w.line(0, "def violations(facts, offence_class, in_196):")
    w.line(1, "factors = facts.factors")
    w.line(1, "return (")
    w.line(2, terms[0])
    for term in terms[1:]:
        w.line(2, f"| {term}")
    w.line(1, ")")


def unroll(flat: Flat, start: dt.date, decisions: Mapping[str, DecisionDef]) -> Unrolled:
    """Generate and compile the functions of the program that starts on ``start``."""
    when = start.isoformat()
    w = _Writer()
    _violations_source(w, flat)
    w.line(0, "")
    w.line(0, "def run_violations(violated):")
    # Every bit a mask of the program uses: ``ok`` stays a non-negative int.
    full = 0
    for mask in flat.violations:
        full |= mask
    parts: list[tuple[int, tuple[tuple[int, int], ...], Mapping[int, object]]] = [
        (live, multi, entries) for _, _, live, multi, _, entries in flat.stages
    ]
    parts.append((flat.actions[0], flat.actions[1], flat.actions[3]))
    for live, multi, entries in parts:
        full |= live | _slots_of(entries)
        for extra, _ in multi:
            full |= extra
    w.line(1, f"ok = {full:#x} ^ violated")
    w.line(1, "fired_ids = []")
    w.line(1, "overridden = []")
    w.line(1, "grounds = 0")
    # One list of reasons when the stages come in the decisions' order, else one per stage.
    lists = ["reasons" if flat.in_order else f"reasons{i}" for i in range(len(flat.stages))]
    for name in dict.fromkeys(lists):
        w.line(1, f"{name} = []")
    stage_of = {stage[0]: index for index, stage in enumerate(flat.stages)}
    for index, stage in enumerate(flat.stages):
        _stage(w, index, stage, when, lists[index], full)
    _actions(w, flat)
    # The reasons in the decisions' order (the stages come in dependency order).
    by_place = sorted(range(len(flat.stages)), key=lambda index: flat.stages[index][1])
    involvement, next_step = stage_of["police_involvement"], stage_of["next_step"]
    w.line(
        1, f"labels = {w.name('LABELS', flat.labels)}.get((value{involvement}, value{next_step}))"
    )
    w.line(1, "if labels is None:  # a value without a label: DecisionDef.label says which")
    w.line(2, f"labels = no_label(value{involvement}, value{next_step})")
    w.line(1, "decided = new(Decided)")
    fields = dict.fromkeys(setters(Decided))
    for decision in _DECIDED_FIELDS:
        fields[decision] = f"field{stage_of[decision]}"
    fields["no_consent_grounds"] = f"{w.name('GROUNDS', _grounds_table())}[grounds]"
    fields["actions"] = "tuple(actions)"
    fields["reasons"] = (
        "tuple(reasons)"
        if flat.in_order
        else "(" + "".join(f"*reasons{index}, " for index in by_place) + ")"
    )
    fields["rules_fired"] = "tuple(fired_ids)"
    fields["rules_overridden"] = "tuple(overridden)"
    fields["labels"] = "labels"
    unset = [name for name, value in fields.items() if value is None]
    if unset:  # a field added to Decided must be given a value here
        msg = f"the generated code sets no value for Decided's fields {unset}"
        raise RulebookError([msg])
    for name, setter in setters(Decided).items():
        w.line(1, f"{w.name('SET', setter)}(decided, {fields[name]})")
    w.line(1, "return decided")
    source = "\n".join(w.lines) + "\n"

    def conflict(winners: int, decision: str, entries: Mapping[int, StageEntry]) -> None:
        msg = f"on {when}: rules {_ids(winners, entries)} decide {decision}"
        raise RulebookError([msg])

    def by_several(rule: str, by: int, entries: Mapping[int, StageEntry]) -> Overridden:
        return Overridden(rule=rule, by=tuple(_ids(by, entries)))

    def no_label(involvement: Value, next_step: Value) -> Labels:
        return Labels(
            police_involvement=decisions["police_involvement"].label(involvement),
            next_step=decisions["next_step"].label(next_step),
        )

    namespace: dict[str, object] = {
        **w.names,
        "Decided": Decided,
        "new": object.__new__,
        "conflict": conflict,
        "by_several": by_several,
        "no_label": no_label,
    }
    exec(compile(source, f"<vern.rules program from {when}>", "exec"), namespace)  # noqa: S102 (generated from the loaded rules, above)
    return Unrolled(
        violations=cast("Callable[[object, str, bool], int]", namespace["violations"]),
        run_violations=cast("Callable[[int], Decided]", namespace["run_violations"]),
        source=source,
    )


def _grounds_table() -> tuple[tuple[str, ...], ...]:
    """The no-consent grounds of each set of ground bits, in the contract's order."""
    return tuple(
        tuple(g for index, g in enumerate(NO_CONSENT_GROUNDS) if bits & 1 << index)
        for bits in range(1 << len(NO_CONSENT_GROUNDS))
    )
