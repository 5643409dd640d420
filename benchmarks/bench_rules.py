"""Evaluations per second of the rules engine beside a hand-written if/else baseline.

Run: PYTHONPATH=src python benchmarks/bench_rules.py [--seconds 1.0]

Both sides get the same facts (every factor combination, the three risk values, three consent
forms, four offence sets, dates on both sides of 8 April 2024) and both produce a frozen result
with involvement, consent, next step, actions and the two-year line. The baseline knows the
semantics of issue 3 by heart (tests/rules/oracle.py, the same reference the property tests check
the engine against); the engine reads them from the rulebook.

The baseline does less than the engine: it returns the decided values and a set of action ids
only. The engine's ``Outcome`` also carries why (the reasons with their texts and citations, the
rules that fired and those overridden and by which), the actions in order with their texts and
citations, the labels, the offence lines, the measures and the rulebook's version.

The honest figure comes first: ``evaluate(facts, memo=False)``, the whole ``Outcome`` with every
call running the compiled rules. The memoised figure second: the sample's facts repeat, so after
the first call for each input state every call is a memo hit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from vern.rules import Factors, Facts, Outcome, evaluate, load_rulebook
from vern.rules.outcome import Decided, build_outcome, setters
from vern.rules.vocabulary import FACTOR_NAMES

# The baseline lives with the property tests (one copy of the semantics): put the repository
# root on the path so that ``tests.rules.oracle`` imports when this file is run as a script.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.rules.oracle import ELECTRONIC, Expected, expected, offence_table

RULEBOOK = load_rulebook()
T = TypeVar("T")
ALL_MEASURES = tuple(m.id for m in sorted(RULEBOOK.measures, key=lambda m: m.order))
OLD_MEASURES = tuple(m for m in ALL_MEASURES if m != ELECTRONIC)
# The baseline: the hand-written semantics the property tests check the engine against.
baseline: Callable[[Facts], Expected] = partial(expected, offences=offence_table(RULEBOOK.offences))


def engine_uncached(facts: Facts) -> object:
    """The whole outcome, the engine's compiled rules run for every call (no memo)."""
    return evaluate(facts, memo=False)


_DECIDED_FIELDS = (
    "police_involvement",
    "consent_needed",
    "no_consent_grounds",
    "next_step",
    "victim_wish_given_weight",
    "actions",
    "reasons",
    "rules_fired",
    "rules_overridden",
    "labels",
)
_DECIDED_SETTERS = tuple(setters(Decided)[name] for name in _DECIDED_FIELDS)


def rebuild(outcome: Outcome) -> Outcome:
    """Only the construction of an outcome the engine already computed (its frozen objects and
    tuples), no rules: what the engine must build on top of what the baseline builds. Built as
    the engine builds them since 2026-12-08: from the slots (``vern.rules.outcome.setters``),
    without the dataclasses' ``__init__``."""
    d = outcome.decided
    pp = outcome.public_prosecution
    decided = object.__new__(Decided)
    for setter, value in zip(
        _DECIDED_SETTERS,
        (
            d.police_involvement,
            d.consent_needed,
            d.no_consent_grounds,
            d.next_step,
            d.victim_wish_given_weight,
            (*d.actions,),
            (*d.reasons,),
            (*d.rules_fired,),
            (*d.rules_overridden,),
            d.labels,
        ),
        strict=True,
    ):
        setter(decided, value)
    return build_outcome(
        outcome.rulebook_id,
        outcome.rulebook_version,
        outcome.on,
        decided,
        pp.victim_wish_given_weight,
        pp.offences,
        pp.two_year_line,
        outcome.measures,
        outcome.measures_note,
    )


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
    """The sides give the same answers, or the comparison means nothing."""
    for item in facts:
        mine, theirs = evaluate(item), baseline(item)
        if engine_uncached(item) != mine:
            msg = f"the engine with and without its memo disagree on {item}"
            raise AssertionError(msg)
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
            ALL_MEASURES if theirs.electronic_monitoring else OLD_MEASURES,
        )
        if got != want:
            msg = f"engine and baseline disagree on {item}: {got} != {want}"
            raise AssertionError(msg)


def rate(function: Callable[[T], object], facts: Sequence[T], seconds: float) -> float:
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
    base = rate(baseline, facts, args.seconds)
    # The honest figure first: every call runs the compiled rules (no memo).
    uncached = rate(engine_uncached, facts, args.seconds)
    rate(evaluate, facts, 0.2)  # warm up (fills the memo)
    engine = rate(evaluate, facts, args.seconds)
    built = rate(rebuild, [evaluate(item) for item in facts], args.seconds)
    rows = (
        ("facts in the sample", f"{len(facts):>10}", ""),
        ("baseline (if/else)", f"{base:>10,.0f} evaluations/s", ""),
        (
            f"engine {RULEBOOK.version}, no memo",
            f"{uncached:>10,.0f} evaluations/s",
            (
                f"baseline/engine {base / uncached:6.2f}x (target: within 3x; "
                f"{'met' if base / uncached <= 3 else 'missed'})"
            ),
        ),
        (
            f"engine {RULEBOOK.version}, memoised",
            f"{engine:>10,.0f} evaluations/s",
            f"baseline/engine {base / engine:6.2f}x (repeated facts hit the memo)",
        ),
        (
            "outcome objects alone",
            f"{built:>10,.0f} outcomes/s",
            f"baseline/building {base / built:6.2f}x (no rules: only the engine's objects)",
        ),
    )
    for label, figure, ratio in rows:
        print(f"{label + ':':<28}{figure:<28}{ratio}".rstrip())
    print(
        "(the baseline returns the decided values and action ids only; the engine's outcome also "
        "has the reasons, texts, citations, overridden rules, labels, offence lines and measures;\n"
        " 'outcome objects alone' times only building those frozen objects from a finished result)"
    )


if __name__ == "__main__":
    main()
