"""The flattened rule program (issue 19, target 6) gives exactly the outcome of a plain reading
of the rules (tests/rules/reference.py): the whole outcome object and its JSON in every
language, with and without the memo, for random facts on any date the rulebook covers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.rules.reference import reference_evaluate

from vern.rules import Factors, Facts, FactsError, evaluate, load_rulebook, render_text
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


def _same(facts: Facts) -> None:
    try:
        want = reference_evaluate(facts, RULEBOOK)
    except FactsError as exc:  # an offence not in the table on that date: the same error
        for memo in (False, True):
            with pytest.raises(FactsError, match=f"^{re.escape(str(exc))}$"):
                evaluate(facts, memo=memo)
        return
    for memo in (False, True):
        got = evaluate(facts, memo=memo)
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
