"""A straightforward reading of the rulebook: the reference the compiled program is checked
against (tests/rules/test_the_compiled_program_gives_the_outcome_of_a_plain_reading_of_the_\
rules.py).

It interprets the loaded rules (``Rulebook.rules``) directly, as docs/rulebook.md describes
them and as the engine did before its program was flattened (issue 19, target 6): the rules that
apply on the date, decision by decision in the order of their dependencies, each rule's ``when``
read as "one of these conjunctions holds", precedence by ``overrides`` among the rules of the
same decision that hold, then the action rules. No bit masks, no program periods, no memo: only
the load-time helpers for the order of decisions and the closure of ``overrides`` are shared.
"""

from __future__ import annotations

from vern.rules import Facts, FactsError, Outcome, Rulebook, RulebookError
from vern.rules.model import Rule, valid_on, value_in
from vern.rules.outcome import (
    Action,
    Decided,
    Labels,
    OffenceLine,
    Overridden,
    PublicProsecution,
    Reason,
)
from vern.rules.program import override_closure, rule_dependencies
from vern.rules.vocabulary import FACTOR_NAMES, NO_CONSENT_GROUNDS, Value


def _inputs(facts: Facts, book: Rulebook) -> tuple[dict[str, Value], tuple[OffenceLine, ...]]:
    day = facts.on
    (line,) = (
        p.value
        for p in book.parameters["two_year_line"]
        if valid_on(p.valid_from, p.valid_until, day)
    )
    table = {o.id: o for o in book.offences if valid_on(o.valid_from, o.valid_until, day)}
    lines: list[OffenceLine] = []
    above = listed = False
    for ident in facts.suspected_offences:
        if ident not in table:
            msg = f"offence {ident!r} is not in the offence table on {day.isoformat()}"
            raise FactsError(msg)
        o = table[ident]
        lines.append(
            OffenceLine(
                o.id, o.max_penalty_years, o.in_196_list, o.title, o.duty_to_avert_condition
            )
        )
        above = above or o.max_penalty_years > line
        listed = listed or o.in_196_list
    values: dict[str, Value] = {name: bool(getattr(facts.factors, name)) for name in FACTOR_NAMES}
    values["risk_of_new_serious_violence"] = facts.risk_of_new_serious_violence
    values["consent_form"] = facts.consent_form or "none"
    values["suspected_offences"] = (
        "none" if not lines else "some_above_two_year_line" if above else "all_within_two_year_line"
    )
    values["suspected_offence_in_196_list"] = listed
    values["danger_to_life_or_health"] = bool(facts.danger_to_life_or_health)
    values["child_welfare_concern"] = bool(facts.child_welfare_concern)
    return values, tuple(lines)


def _holds(rule: Rule, values: dict[str, Value]) -> bool:
    return any(
        all(name in values and value_in(values[name], allowed) for name, allowed in condition)
        for condition in rule.when
    )


def _settle(
    fired: list[Rule], defeated_by: dict[str, set[str]], overridden: list[Overridden]
) -> list[Rule]:
    ids = {rule.id for rule in fired}
    winners = []
    for rule in fired:
        if defeated_by[rule.id] & ids:
            by = tuple(other.id for other in fired if other.id in defeated_by[rule.id])
            overridden.append(Overridden(rule=rule.id, by=by))
        else:
            winners.append(rule)
    return winners


def reference_evaluate(facts: Facts, book: Rulebook) -> Outcome:
    """The outcome of ``facts`` under ``book``, read straight from its rules."""
    if facts.on < book.meta.applies_from:
        msg = (
            f"'on' {facts.on.isoformat()} is before the rulebook applies "
            f"(from {book.meta.applies_from.isoformat()})"
        )
        raise FactsError(msg)
    values, lines = _inputs(facts, book)
    rules = tuple(sorted(book.rules.values(), key=lambda rule: rule.id))
    active = [rule for rule in rules if rule.valid_on(facts.on)]
    defeated_by = override_closure(rules)
    reasons: list[Reason] = []
    fired_ids: list[str] = []
    overridden: list[Overridden] = []
    grounds: set[str] = set()
    for decision in rule_dependencies(rules):
        fired = [r for r in active if r.decides == decision and _holds(r, values)]
        winners = _settle(fired, defeated_by, overridden)
        if len({rule.value for rule in winners}) != 1:
            msg = f"rules {[r.id for r in winners]} decide {decision}"
            raise RulebookError([msg])
        values[decision] = winners[0].value
        for rule in winners:
            fired_ids.append(rule.id)
            if rule.no_consent_ground is not None:
                grounds.add(rule.no_consent_ground)
            assert rule.text is not None
            reasons.append(
                Reason(rule.id, decision, rule.value, rule.requirements, rule.references, rule.text)
            )
    action_rules = sorted(
        (r for r in active if r.action is not None),
        key=lambda r: (book.actions[str(r.action)].order, r.id),
    )
    actions: dict[str, Action] = {}
    for rule in _settle([r for r in action_rules if _holds(r, values)], defeated_by, overridden):
        assert rule.action is not None
        fired_ids.append(rule.id)
        if rule.action not in actions:
            text = book.actions[rule.action].text
            actions[rule.action] = Action(
                rule.action, rule.references, rule.requirements, text, rule.id
            )
    reasons.sort(key=lambda r: (book.decisions[r.decision].order, r.rule))
    wish = values["victim_wish_given_weight"]
    decided = Decided(
        police_involvement=str(values["police_involvement"]),
        consent_needed=bool(values["consent_needed"]),
        no_consent_grounds=tuple(g for g in NO_CONSENT_GROUNDS if g in grounds),
        next_step=str(values["next_step"]),
        victim_wish_given_weight=None if wish is None else bool(wish),
        actions=tuple(sorted(actions.values(), key=lambda a: book.actions[a.id].order)),
        reasons=tuple(reasons),
        rules_fired=tuple(fired_ids),
        rules_overridden=tuple(overridden),
        labels=Labels(
            police_involvement=book.decisions["police_involvement"].label(
                values["police_involvement"]
            ),
            next_step=book.decisions["next_step"].label(values["next_step"]),
        ),
    )
    (line,) = (
        p.value
        for p in book.parameters["two_year_line"]
        if valid_on(p.valid_from, p.valid_until, facts.on)
    )
    measures = tuple(
        sorted(
            (m for m in book.measures if valid_on(m.valid_from, m.valid_until, facts.on)),
            key=lambda m: (m.order, m.id),
        )
    )
    return Outcome(
        rulebook_id=book.meta.id,
        rulebook_version=book.meta.version,
        on=facts.on,
        decided=decided,
        public_prosecution=PublicProsecution(
            victim_wish_given_weight=decided.victim_wish_given_weight,
            offences=lines,
            two_year_line=line,
        ),
        measures=measures,
        measures_note=book.measures_note,
    )
