"""Property tests: the issue's semantics and invariants hold for every combination of facts."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.rules.oracle import ELECTRONIC, ELECTRONIC_FROM, Expected, expected, offence_table

from vern.rules import Factors, Facts, FactsError, Outcome, evaluate, load_rulebook
from vern.rules.engine import state_key
from vern.rules.program import state_of
from vern.rules.rulebook import PACKAGED_RULEBOOK
from vern.rules.vocabulary import FACTOR_NAMES

RULEBOOK = load_rulebook()
OFFENCES = offence_table(RULEBOOK.offences)


def observed(outcome: Outcome) -> Expected:
    """The part of an outcome that the hand-written semantics (tests/rules/oracle.py) predict."""
    return Expected(
        police_involvement=outcome.police_involvement,
        consent_needed=outcome.consent_needed,
        no_consent_grounds=outcome.no_consent_grounds,
        next_step=outcome.next_step,
        actions=frozenset(a.id for a in outcome.actions),
        victim_wish_given_weight=outcome.public_prosecution.victim_wish_given_weight,
        electronic_monitoring=any(m.id == ELECTRONIC for m in outcome.measures),
    )


factors_strategy = st.builds(Factors, **{name: st.booleans() for name in FACTOR_NAMES})
facts_strategy = st.builds(
    Facts,
    on=st.dates(min_value=dt.date(2018, 3, 8), max_value=dt.date(2035, 12, 31)),
    risk_of_new_serious_violence=st.sampled_from(["yes", "no", "unknown"]),
    factors=factors_strategy,
    consent_form=st.sampled_from([None, "written", "verbal"]),
    suspected_offences=st.lists(st.sampled_from(sorted(OFFENCES)), max_size=4, unique=True).map(
        tuple
    ),
    danger_to_life_or_health=st.booleans(),
    child_welfare_concern=st.booleans(),
)


def _listed(facts: Facts) -> bool:
    program = RULEBOOK.programs.for_date(facts.on)
    assert program is not None
    return any(program.offences[ident][0].in_196_list for ident in facts.suspected_offences)


@given(facts_strategy)
def test_outcome_follows_the_semantics_of_the_issue(facts: Facts) -> None:
    assert observed(evaluate(facts)) == expected(facts, OFFENCES)


def test_outcome_follows_the_semantics_for_every_combination_of_facts() -> None:
    # No offence; within the line, not listed; above the line, not listed (§ 264); listed
    # (§ 282); and listed beside unlisted (the duty to avert needs only one listed offence).
    offence_sets = [
        (),
        ("straffeloven-263",),
        ("straffeloven-264",),
        ("straffeloven-282",),
        ("straffeloven-264", "straffeloven-282"),
    ]
    count = 0
    for flags in itertools.product([False, True], repeat=len(FACTOR_NAMES)):
        factors = Factors(**dict(zip(FACTOR_NAMES, flags, strict=True)))
        for risk, form, offences, danger, child in itertools.product(
            ("yes", "no", "unknown"),
            (None, "written", "verbal"),
            offence_sets,
            (False, True),
            (False, True),
        ):
            facts = Facts(
                on=dt.date(2026, 11, 27),
                risk_of_new_serious_violence=risk,  # type: ignore[arg-type]
                factors=factors,
                consent_form=form,  # type: ignore[arg-type]
                suspected_offences=offences,
                danger_to_life_or_health=danger,
                child_welfare_concern=child,
            )
            assert observed(evaluate(facts)) == expected(facts, OFFENCES), facts
            count += 1
    assert count == 512 * 3 * 3 * 5 * 2 * 2


@given(facts_strategy)
def test_invariants(facts: Facts) -> None:
    outcome = evaluate(facts)
    f = facts.factors
    if outcome.next_step == "contact_police":
        assert f.user_consents
        assert f.user_informed_about_public_prosecution
    # Contract v2's invariants.
    assert outcome.consent_needed == (not outcome.no_consent_grounds)
    if not outcome.consent_needed:
        assert (f.duty_to_avert and _listed(facts)) or facts.danger_to_life_or_health
    if outcome.next_step == "contact_police_under_duty_to_avert":
        assert f.duty_to_avert
        assert _listed(facts)
    if outcome.next_step == "contact_police_to_prevent_danger":
        assert facts.danger_to_life_or_health
        assert not f.user_consents
    cited = [(a.basis, a.requirements) for a in outcome.actions]
    cited += [(r.basis, r.requirements) for r in outcome.reasons]
    for basis, requirements in cited:
        assert basis or requirements
        assert set(basis) <= set(RULEBOOK.references)
        assert set(requirements) <= set(RULEBOOK.requirements)
    data = outcome.to_dict()
    assert data["rulebook"] == {"id": "vern-politiinvolvering", "version": RULEBOOK.version}


@given(facts_strategy)
def test_required_recommended_and_not_indicated_mean_what_the_issue_says(facts: Facts) -> None:
    f = facts.factors
    outcome = evaluate(facts)
    required_ground = (
        f.needs_police_or_court_safety_measures
        or f.needs_relocation_for_safety
        or (f.duty_to_avert and _listed(facts))
    )
    recommended_ground = facts.risk_of_new_serious_violence == "yes" or any(
        (f.great_danger, f.threat_picture_unclear, f.needs_information_only_police_have,
         f.user_wants_to_report, facts.danger_to_life_or_health)
    )  # fmt: skip
    assert (outcome.police_involvement == "required") == required_ground
    assert (outcome.police_involvement == "recommended") == (
        recommended_ground and not required_ground
    )
    assert (outcome.police_involvement == "not_indicated") == (
        not required_ground and not recommended_ground
    )


@given(facts_strategy)
def test_evaluation_is_deterministic(facts: Facts) -> None:
    first = evaluate(facts)
    assert evaluate(facts) == first
    assert evaluate(facts).to_dict("en") == first.to_dict("en")
    # The memo changes nothing: a direct run of the compiled rules gives the same result.
    program = RULEBOOK.programs.for_date(facts.on)
    assert program is not None
    key, _ = state_key(facts, program)
    assert program.run(state_of(key)) == program.decide(key)


@given(facts_strategy)
def test_electronic_monitoring_is_offered_only_from_8_april_2024(facts: Facts) -> None:
    measures = {m.id for m in evaluate(facts).measures}
    assert (ELECTRONIC in measures) == (facts.on >= ELECTRONIC_FROM)


def _reversed_copy(tmp: Path) -> Path:
    """The packaged rulebook with every list in reverse order."""
    for path in PACKAGED_RULEBOOK.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in document.items():
            if isinstance(value, list):
                document[key] = list(reversed(value))
        (tmp / path.name).write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return tmp


def test_outcome_does_not_depend_on_yaml_order(tmp_path: Path) -> None:
    reordered = load_rulebook(_reversed_copy(tmp_path))
    for flags in itertools.product([False, True], repeat=len(FACTOR_NAMES)):
        for risk in ("yes", "no", "unknown"):
            facts = Facts(
                on=dt.date(2026, 11, 27),
                risk_of_new_serious_violence=risk,
                factors=Factors(**dict(zip(FACTOR_NAMES, flags, strict=True))),
                consent_form="verbal",
                suspected_offences=("straffeloven-271", "straffeloven-282"),
            )
            assert evaluate(facts, reordered).to_dict("nn") == evaluate(facts).to_dict("nn")


@settings(max_examples=50)
@given(st.dates(max_value=dt.date(2018, 3, 7)))
def test_dates_before_the_rulebook_applies_are_refused(day: dt.date) -> None:
    with pytest.raises(FactsError, match=r"'on' .* is before the rulebook applies"):
        evaluate(Facts(on=day))
