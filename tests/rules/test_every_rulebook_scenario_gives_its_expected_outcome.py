"""The scenarios in vern/rulebook/scenarios/*.yaml are the tests of the rulebook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from vern.rules import Outcome, evaluate, load_rulebook, parse_facts
from vern.rules.rulebook import PACKAGED_RULEBOOK
from vern.rules.vocabulary import FACTOR_NAMES, NEXT_STEPS

SCENARIO_DIR = PACKAGED_RULEBOOK / "scenarios"
EXPECT_KEYS = {
    "police_involvement", "consent_needed", "no_consent_grounds", "next_step", "actions",
    "reasons", "overridden", "victim_wish_given_weight", "offences", "measures_include",
    "measures_exclude",
}  # fmt: skip
REQUIRED_EXPECT_KEYS = {"police_involvement", "consent_needed", "next_step", "actions"}


def _scenario_files() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.yaml"))


def _scenarios() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in _scenario_files():
        for scenario in yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]:
            yield f"{path.stem}: {scenario['name']}", scenario


SCENARIOS = list(_scenarios())


def _run(scenario: Mapping[str, Any]) -> Outcome:
    date = scenario["date"]
    assert isinstance(date, dt.date)
    return evaluate(parse_facts({**scenario["facts"], "on": date.isoformat()}))


def test_there_are_at_least_forty_scenarios_with_unique_names() -> None:
    names = [name for name, _ in SCENARIOS]
    assert len(names) >= 40
    assert len(names) == len(set(names))


@pytest.mark.parametrize("scenario", [s for _, s in SCENARIOS], ids=[n for n, _ in SCENARIOS])
def test_scenario(scenario: dict[str, Any]) -> None:
    expect = scenario["expect"]
    assert set(expect) <= EXPECT_KEYS, f"unknown expectation {set(expect) - EXPECT_KEYS}"
    assert set(expect) >= REQUIRED_EXPECT_KEYS
    outcome = _run(scenario)
    assert outcome.police_involvement == expect["police_involvement"]
    assert outcome.consent_needed is expect["consent_needed"]
    assert outcome.next_step == expect["next_step"]
    if "no_consent_grounds" in expect:
        assert list(outcome.no_consent_grounds) == expect["no_consent_grounds"]
    assert sorted(a.id for a in outcome.actions) == sorted(expect["actions"])
    if "reasons" in expect:
        assert sorted(r.rule for r in outcome.reasons) == sorted(expect["reasons"])
    if "overridden" in expect:
        assert sorted(o.rule for o in outcome.rules_overridden) == sorted(expect["overridden"])
    if "victim_wish_given_weight" in expect:
        wish = outcome.public_prosecution.victim_wish_given_weight
        assert wish is expect["victim_wish_given_weight"]
    if "offences" in expect:
        got = [
            {"id": o.id, "max_penalty_years": o.max_penalty_years, "duty_to_avert": o.duty_to_avert}
            for o in outcome.public_prosecution.offences
        ]
        assert got == expect["offences"]
    measures = {m.id for m in outcome.measures}
    assert set(expect.get("measures_include", [])) <= measures
    assert not set(expect.get("measures_exclude", [])) & measures


def _all_outcomes() -> list[tuple[dict[str, Any], Outcome]]:
    return [(scenario, _run(scenario)) for _, scenario in SCENARIOS]


def test_scenarios_cover_every_rule_next_step_and_action() -> None:
    rulebook = load_rulebook()
    outcomes = [outcome for _, outcome in _all_outcomes()]
    fired = {rule for outcome in outcomes for rule in outcome.rules_fired}
    assert set(rulebook.rules) - fired == set()
    assert {o.next_step for o in outcomes} == set(NEXT_STEPS)
    assert {a.id for o in outcomes for a in o.actions} == set(rulebook.actions)
    assert {o.police_involvement for o in outcomes} == {"required", "recommended", "not_indicated"}
    assert {o.public_prosecution.victim_wish_given_weight for o in outcomes} == {True, False, None}


def test_scenarios_cover_every_factor_alone_and_every_risk_value_alone() -> None:
    alone: set[str] = set()
    risks_alone: set[str] = set()
    for scenario, _ in _all_outcomes():
        facts = scenario["facts"]
        on = [name for name, flag in facts.get("factors", {}).items() if flag]
        if facts.get("suspected_offences"):
            continue
        if len(on) == 1 and facts.get("risk_of_new_serious_violence") == "no":
            alone.add(on[0])
        if not on:
            risks_alone.add(facts.get("risk_of_new_serious_violence", "unknown"))
    assert alone == set(FACTOR_NAMES)
    assert risks_alone == {"yes", "no", "unknown"}


def test_scenarios_cover_every_offence_alone() -> None:
    alone = {
        scenario["facts"]["suspected_offences"][0]
        for scenario, _ in _all_outcomes()
        if len(scenario["facts"].get("suspected_offences", [])) == 1
    }
    assert alone == load_rulebook().offence_ids


def test_scenarios_cover_the_date_of_electronic_monitoring() -> None:
    dates = {scenario["date"] for scenario, _ in _all_outcomes()}
    line = dt.date(2024, 4, 8)
    assert any(d < line for d in dates)
    assert any(d >= line for d in dates)
