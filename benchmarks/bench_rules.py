"""Evaluations per second of the rules engine beside a hand-written if/else baseline.

Run: PYTHONPATH=src python benchmarks/bench_rules.py [--seconds 1.0]

Both sides get the same facts (every factor combination, the three risk values, three consent
forms, four offence sets, dates on both sides of 8 April 2024) and both produce a frozen result
with involvement, consent, next step, actions and the two-year line. The baseline knows the
semantics of issue 3 by heart; the engine reads them from the rulebook. The engine is also
measured with its memo disabled (every call runs the compiled rules).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vern.rules import Factors, Facts, evaluate, load_rulebook
from vern.rules.engine import state_key
from vern.rules.program import state_of
from vern.rules.vocabulary import FACTOR_NAMES

RULEBOOK = load_rulebook()
OFFENCES = {o.id: o for o in RULEBOOK.offences}
ELECTRONIC_FROM = dt.date(2024, 4, 8)
ALL_MEASURES = tuple(m.id for m in sorted(RULEBOOK.measures, key=lambda m: m.order))
OLD_MEASURES = tuple(m for m in ALL_MEASURES if m != "besoksforbud-elektronisk-kontroll")


@dataclass(frozen=True, slots=True)
class BaselineOutcome:
    police_involvement: str
    consent_needed: bool
    next_step: str
    actions: tuple[str, ...]
    victim_wish_given_weight: bool | None
    offences: tuple[tuple[str, float, bool], ...]
    measures: tuple[str, ...]


def baseline(facts: Facts) -> BaselineOutcome:
    """Issue 3's semantics as plain if/else."""
    f = facts.factors
    risk = facts.risk_of_new_serious_violence
    if f.needs_police_or_court_safety_measures or f.needs_relocation_for_safety or f.duty_to_avert:
        involvement = "required"
    elif (
        risk == "yes"
        or f.great_danger
        or f.threat_picture_unclear
        or f.needs_information_only_police_have
        or f.user_wants_to_report
    ):
        involvement = "recommended"
    else:
        involvement = "not_indicated"
    indicated = involvement != "not_indicated"
    if f.duty_to_avert:
        next_step = "contact_police_under_duty_to_avert"
    elif indicated:
        if not f.user_informed_about_public_prosecution:
            next_step = "inform_about_public_prosecution"
        elif not f.user_consents:
            next_step = "obtain_consent"
        else:
            next_step = "contact_police"
    elif risk == "unknown":
        next_step = "complete_risk_mapping"
    else:
        next_step = "no_police_contact"
    offences = [OFFENCES[i] for i in facts.suspected_offences]
    in_196 = False
    within = True
    for offence in offences:
        in_196 = in_196 or offence.in_196_list
        within = within and offence.max_penalty_years <= 2
    actions: list[str] = []
    if f.duty_to_avert:
        actions.append("document_duty_to_avert_grounds")
    elif in_196:
        actions.append("consider_duty_to_avert")
    if risk == "unknown":
        actions.append("complete_risk_mapping")
    if indicated and not f.duty_to_avert:
        if not f.user_informed_about_public_prosecution:
            actions.append("inform_about_public_prosecution")
        if not f.user_consents:
            actions += ["explain_police_help_and_measures", "obtain_consent"]
        elif facts.consent_form != "written":
            actions.append("obtain_written_consent")
    if indicated:
        actions.append("assess_reprisal_risk")
    if f.needs_police_or_court_safety_measures:
        actions.append("contact_police_for_safety_measures")
    if f.needs_relocation_for_safety:
        actions += ["involve_police_in_relocation", "involve_destination_police_before_move"]
    if f.user_wants_to_report:
        actions.append("support_report_to_police")
    actions.append("reassess_safety")
    return BaselineOutcome(
        police_involvement=involvement,
        consent_needed=not f.duty_to_avert,
        next_step=next_step,
        actions=tuple(actions),
        victim_wish_given_weight=within if offences else None,
        offences=tuple((o.id, o.max_penalty_years, o.in_196_list) for o in offences),
        measures=ALL_MEASURES if facts.on >= ELECTRONIC_FROM else OLD_MEASURES,
    )


def engine_uncached(facts: Facts) -> object:
    """The engine's compiled rules, run for every call (no memo)."""
    program = RULEBOOK.programs.for_date(facts.on)
    if program is None:
        raise ValueError(facts.on)
    key, lines = state_key(facts, program)
    return program.run(state_of(key)), lines, program.measures


def sample() -> list[Facts]:
    offence_sets = [(), ("straffeloven-263",), ("straffeloven-264", "straffeloven-271"),
                    ("straffeloven-282",)]  # fmt: skip
    dates = [dt.date(2024, 4, 7), dt.date(2026, 11, 27)]
    facts = []
    for flags in itertools.product([False, True], repeat=len(FACTOR_NAMES)):
        factors = Factors(**dict(zip(FACTOR_NAMES, flags, strict=True)))
        for risk, form, offences, on in itertools.product(
            ("yes", "no", "unknown"), (None, "written", "verbal"), offence_sets, dates
        ):
            facts.append(
                Facts(
                    on=on,
                    risk_of_new_serious_violence=risk,  # type: ignore[arg-type]
                    factors=factors,
                    consent_form=form,  # type: ignore[arg-type]
                    suspected_offences=offences,
                )
            )
    return facts


def agree(facts: Sequence[Facts]) -> None:
    """The two sides give the same answers, or the comparison means nothing."""
    for item in facts:
        mine, theirs = evaluate(item), baseline(item)
        got = (
            mine.police_involvement,
            mine.consent_needed,
            mine.next_step,
            sorted(a.id for a in mine.actions),
            mine.public_prosecution.victim_wish_given_weight,
            tuple(m.id for m in mine.measures),
        )
        want = (
            theirs.police_involvement,
            theirs.consent_needed,
            theirs.next_step,
            sorted(theirs.actions),
            theirs.victim_wish_given_weight,
            theirs.measures,
        )
        if got != want:
            msg = f"engine and baseline disagree on {item}: {got} != {want}"
            raise AssertionError(msg)


def rate(function: Callable[[Facts], object], facts: Sequence[Facts], seconds: float) -> float:
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for item in facts:
            function(item)
        calls += len(facts)
        now = time.perf_counter()
        if now >= deadline:
            return calls / (now - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    args = parser.parse_args()
    facts = sample()
    agree(facts)
    rate(evaluate, facts, 0.2)  # warm up (fills the memo)
    base = rate(baseline, facts, args.seconds)
    engine = rate(evaluate, facts, args.seconds)
    uncached = rate(engine_uncached, facts, args.seconds)
    print(f"facts in the sample:            {len(facts):>10}")
    print(f"baseline (if/else):             {base:>10,.0f} evaluations/s")
    print(f"engine (rulebook {RULEBOOK.version}):         {engine:>10,.0f} evaluations/s")
    print(f"engine, memo disabled:          {uncached:>10,.0f} evaluations/s")
    print(f"ratio baseline/engine:          {base / engine:>10.2f}x (target: within 3x)")
    print(f"ratio baseline/engine, no memo: {base / uncached:>10.2f}x")


if __name__ == "__main__":
    main()
