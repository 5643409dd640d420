"""The flattened rule program (issue 19, target 6), run as the Python source generated from it
(``vern.rules.unrolled``), gives exactly the outcome of a plain reading of the rules
(tests/rules/reference.py): the whole outcome object and its JSON in every language, with and
without the memo, for random facts on any date the rulebook covers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.rules.reference import reference_evaluate

from vern.rules import (
    Factors,
    Facts,
    FactsError,
    Rulebook,
    evaluate,
    load_rulebook,
    render_text,
    unrolled,
)
from vern.rules.rulebook import PACKAGED_RULEBOOK
from vern.rules.texts import LANGS
from vern.rules.vocabulary import FACTOR_NAMES

RULEBOOK = load_rulebook()

facts_strategy = st.builds(
    Facts,
    on=st.dates(min_value=RULEBOOK.meta.applies_from, max_value=dt.date(2035, 12, 31)),
    risk_of_new_serious_violence=st.sampled_from(["yes", "no", "unknown"]),
    factors=st.builds(Factors, **{name: st.booleans() for name in FACTOR_NAMES}),
    consent_form=st.sampled_from([None, "written", "verbal"]),
    suspected_offences=st.lists(
        st.sampled_from(sorted(RULEBOOK.offence_ids)), max_size=4, unique=True
    ).map(tuple),
    danger_to_life_or_health=st.booleans(),
    child_welfare_concern=st.booleans(),
)


def _decisions_in_reverse_order(tmp: Path) -> Rulebook:
    """The packaged rulebook with the decisions' ``order`` reversed: the stages (dependency
    order) then no longer come in the order the reasons are listed in."""
    for path in PACKAGED_RULEBOOK.glob("*.yaml"):
        shutil.copy(path, tmp / path.name)
    document = yaml.safe_load((tmp / "decisions.yaml").read_text(encoding="utf-8"))
    for decision in document["decisions"]:
        decision["order"] = 10 - decision["order"]
    (tmp / "decisions.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return load_rulebook(tmp)


def _same(facts: Facts, book: Rulebook = RULEBOOK) -> None:
    try:
        want = reference_evaluate(facts, book)
    except FactsError as exc:  # an offence not in the table on that date: the same error
        for memo in (False, True):
            with pytest.raises(FactsError, match=f"^{re.escape(str(exc))}$"):
                evaluate(facts, book, memo=memo)
        return
    for memo in (False, True):
        got = evaluate(facts, book, memo=memo)
        assert got == want
        for lang in LANGS:
            assert json.dumps(got.to_dict(lang), ensure_ascii=False, indent=2) == json.dumps(
                want.to_dict(lang), ensure_ascii=False, indent=2
            )
            assert render_text(got, lang) == render_text(want, lang)


@settings(max_examples=400)
@given(facts_strategy)
def test_the_outcome_is_the_plain_readings_for_random_facts(facts: Facts) -> None:
    _same(facts)


BOUNDARIES = sorted(
    {day + dt.timedelta(days=shift) for day in RULEBOOK.programs.starts for shift in (-1, 0)}
    - {RULEBOOK.meta.applies_from - dt.timedelta(days=1)}
)


@given(facts_strategy, st.sampled_from(BOUNDARIES))
def test_the_outcome_is_the_plain_readings_on_both_sides_of_every_change_of_the_rules(
    facts: Facts, day: dt.date
) -> None:
    _same(dataclasses.replace(facts, on=day))


def test_the_reasons_keep_the_decisions_order_when_the_stages_do_not(tmp_path: Path) -> None:
    book = _decisions_in_reverse_order(tmp_path)
    assert not any(program.flat.in_order for program in book.programs.programs)
    for facts in (
        Facts(on=dt.date(2026, 11, 27)),
        Facts(
            on=dt.date(2026, 11, 27),
            risk_of_new_serious_violence="yes",
            factors=Factors(duty_to_avert=True, user_consents=True),
            suspected_offences=("straffeloven-282",),
            danger_to_life_or_health=True,
        ),
        Facts(on=dt.date(2024, 4, 7), factors=Factors(user_wants_to_report=True)),
    ):
        _same(facts, book)
        decisions = [reason.decision for reason in evaluate(facts, book, memo=False).reasons]
        assert decisions == sorted(decisions, key=lambda d: book.decisions[d].order)
        assert decisions[0] == "victim_wish_given_weight"  # last stage, first in the reasons


def test_the_outcome_is_the_plain_readings_when_overridden_rules_are_built_per_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The generated code builds a rule's ``Overridden`` per call when it has more defeaters
    than ``unrolled._MOST_DEFEATERS`` (no packaged rule has): with the limit at 0, every
    overridden rule takes that path."""
    monkeypatch.setattr(unrolled, "_MOST_DEFEATERS", 0)
    book = load_rulebook(PACKAGED_RULEBOOK)
    assert "OVERRIDDEN" not in book.programs.programs[0].unrolled.source
    rng = random.Random(19)
    offences = sorted(book.offence_ids)
    for _ in range(300):
        facts = Facts(
            on=rng.choice(BOUNDARIES),
            risk_of_new_serious_violence=rng.choice(["yes", "no", "unknown"]),
            factors=Factors(**{name: rng.random() < 0.5 for name in FACTOR_NAMES}),
            consent_form=rng.choice([None, "written", "verbal"]),
            suspected_offences=tuple(rng.sample(offences, rng.randrange(4))),
            danger_to_life_or_health=rng.random() < 0.5,
            child_welfare_concern=rng.random() < 0.5,
        )
        _same(facts, book)
