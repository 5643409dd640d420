"""Evaluate facts against the rulebook: the pure decision function of Vern."""

from __future__ import annotations

import operator

from vern.rules.errors import FactsError
from vern.rules.facts import Facts
from vern.rules.loader import Rulebook, load_rulebook
from vern.rules.outcome import OffenceLine, Outcome, build_outcome
from vern.rules.program import Program, StateKey
from vern.rules.vocabulary import FACTOR_NAMES

_FLAGS = operator.attrgetter(*FACTOR_NAMES)


def evaluate(facts: Facts, rulebook: Rulebook | None = None, *, memo: bool = True) -> Outcome:
    """Decide police involvement, consent, next step and actions for ``facts`` on ``facts.on``.

    Deterministic: the same facts (date included) and rulebook always give the same outcome.
    Raises FactsError when the date is before the rulebook applies or an offence is not in the
    offence table on that date. ``memo=False`` runs the compiled rules on every call (the
    benchmark's honest figure; the outcome is the same).
    """
    book = rulebook if rulebook is not None else load_rulebook()
    program = book.programs.for_date(facts.on)
    if program is None:
        msg = (
            f"'on' {facts.on.isoformat()} is before the rulebook applies "
            f"(from {book.meta.applies_from.isoformat()})"
        )
        raise FactsError(msg)

    if memo:
        key, lines = state_key(facts, program)
        decided = program.decide(key)
    else:
        offence_class, in_196, lines = _offences(facts, program)
        unrolled = program.unrolled
        decided = unrolled.run_violations(unrolled.violations(facts, offence_class, in_196))
    meta = book.meta
    return build_outcome(
        meta.id,
        meta.version,
        facts.on,
        decided,
        decided.victim_wish_given_weight,
        lines,
        program.two_year_line,
        program.measures,
        book.measures_note,
    )


def state_key(facts: Facts, program: Program) -> tuple[StateKey, tuple[OffenceLine, ...]]:
    """The input state the rules see, and the offence lines, for ``facts`` under ``program``."""
    offence_class, in_196, lines = _offences(facts, program)
    key = (
        *_FLAGS(facts.factors),
        facts.risk_of_new_serious_violence,
        facts.consent_form or "none",
        offence_class,
        in_196,
        facts.danger_to_life_or_health,
        facts.child_welfare_concern,
    )
    return key, lines


def _offences(facts: Facts, program: Program) -> tuple[str, bool, tuple[OffenceLine, ...]]:
    lines: list[OffenceLine] = []
    above_line = in_196 = False
    for ident in facts.suspected_offences:
        entry = program.offences.get(ident)
        if entry is None:
            msg = f"offence {ident!r} is not in the offence table on {facts.on.isoformat()}"
            raise FactsError(msg)
        offence, line = entry
        lines.append(line)
        above_line = above_line or offence.max_penalty_years > program.two_year_line
        in_196 = in_196 or offence.in_196_list
    if not lines:
        offence_class = "none"
    elif above_line:
        offence_class = "some_above_two_year_line"
    else:
        offence_class = "all_within_two_year_line"
    return offence_class, in_196, tuple(lines)
