"""The semantics of issue 3 and contract v2 (issue 13), written out by hand: the one reference
the engine is checked against.

Used by the property tests
(tests/rules/test_the_rules_keep_their_invariants_for_every_combination_of_facts.py) and by the
benchmark's if/else baseline (benchmarks/bench_rules.py). It must stay independent of the
engine, because it checks the engine: nothing here reads rules.yaml or runs ``vern.rules``
(its types are imported for the type checker only). The law's data is the caller's: the
offence table (maximum penalty, § 196 list) comes from the rulebook, and an offence entry
applies from ``valid_from`` through ``valid_until`` (inclusive), as docs/rulebook.md says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vern.rules import Facts
    from vern.rules.rulebook import Offence

# Besøksforbud med elektronisk kontroll (straffeprosessloven § 222 g) is offered from this day.
ELECTRONIC = "besoksforbud-elektronisk-kontroll"
ELECTRONIC_FROM = dt.date(2024, 4, 8)
# Straffeprosessloven § 62 a: the victim's wish is given weight when every suspected offence has
# a maximum penalty at or under two years.
TWO_YEAR_LINE = 2

OffenceTable = Mapping[str, tuple["Offence", ...]]


@dataclass(frozen=True, slots=True)
class Expected:
    police_involvement: str
    consent_needed: bool
    no_consent_grounds: tuple[str, ...]
    next_step: str
    actions: frozenset[str]
    victim_wish_given_weight: bool | None
    electronic_monitoring: bool


def offence_table(entries: Iterable[Offence]) -> dict[str, tuple[Offence, ...]]:
    """The rulebook's offence entries by id (an id has one entry per period of the law)."""
    table: dict[str, tuple[Offence, ...]] = {}
    for entry in entries:
        table[entry.id] = (*table.get(entry.id, ()), entry)
    return table


def _offence_on(table: OffenceTable, ident: str, day: dt.date) -> Offence:
    for entry in table[ident]:
        if (entry.valid_from is None or entry.valid_from <= day) and (
            entry.valid_until is None or day <= entry.valid_until
        ):
            return entry
    msg = f"offence {ident!r} is not in the offence table on {day.isoformat()}"
    raise LookupError(msg)


def expected(facts: Facts, offences: OffenceTable) -> Expected:
    """What the `vern assess` contract (issue 3, as changed by contract v2 of issue 13) says the
    outcome of ``facts`` is."""
    f = facts.factors
    risk = facts.risk_of_new_serious_violence

    listed = False  # some suspected offence is on the § 196 list on that date
    within = True  # every suspected offence is within the two-year line
    for ident in facts.suspected_offences:
        offence = _offence_on(offences, ident, facts.on)
        listed = listed or offence.in_196_list
        within = within and offence.max_penalty_years <= TWO_YEAR_LINE
    avert = f.duty_to_avert and listed
    danger = facts.danger_to_life_or_health
    no_consent_path = avert or (danger and not f.user_consents)

    if f.needs_police_or_court_safety_measures or f.needs_relocation_for_safety or avert:
        involvement = "required"
    elif (
        risk == "yes"
        or f.great_danger
        or f.threat_picture_unclear
        or f.needs_information_only_police_have
        or f.user_wants_to_report
        or danger
    ):
        involvement = "recommended"
    else:
        involvement = "not_indicated"
    indicated = involvement != "not_indicated"

    if avert:
        next_step = "contact_police_under_duty_to_avert"
    elif indicated:
        if danger and not f.user_consents:
            next_step = "contact_police_to_prevent_danger"
        elif not f.user_informed_about_public_prosecution:
            next_step = "inform_about_public_prosecution"
        elif not f.user_consents:
            next_step = "obtain_consent"
        else:
            next_step = "contact_police"
    elif risk == "unknown":
        next_step = "complete_risk_mapping"
    else:
        next_step = "no_police_contact"

    actions = {"reassess_safety"}
    if risk == "unknown":
        actions.add("complete_risk_mapping")
    if indicated and not no_consent_path:
        if not f.user_informed_about_public_prosecution:
            actions.add("inform_about_public_prosecution")
        if not f.user_consents:
            actions.add("obtain_consent")
        elif facts.consent_form != "written":  # verbal, or no form recorded
            actions.add("obtain_written_consent")
    if indicated and not f.user_consents and not avert:
        actions.add("explain_police_help_and_measures")
    if indicated:
        actions.add("assess_reprisal_risk")
    if avert:
        actions.add("document_duty_to_avert_grounds")
    if f.duty_to_avert and not listed:
        actions.add("name_offence_for_duty_to_avert")
    if danger and not f.user_consents:
        actions.add("document_danger_grounds")
    if no_consent_path:
        actions |= {"share_only_what_is_necessary", "tell_user_about_police_contact"}
    if f.needs_police_or_court_safety_measures:
        actions.add("contact_police_for_safety_measures")
    if f.needs_relocation_for_safety:
        actions |= {"involve_police_in_relocation", "involve_destination_police_before_move"}
    if f.user_wants_to_report:
        actions.add("support_report_to_police")
    if listed and not f.duty_to_avert:
        actions.add("consider_duty_to_avert")
    if facts.child_welfare_concern:
        actions.add("notify_child_welfare_services")

    grounds = []
    if avert:
        grounds.append("duty_to_avert")
    if danger:
        grounds.append("danger_to_life_or_health")
    return Expected(
        police_involvement=involvement,
        consent_needed=not (avert or danger),
        no_consent_grounds=tuple(grounds),
        next_step=next_step,
        actions=frozenset(actions),
        victim_wish_given_weight=within if facts.suspected_offences else None,
        electronic_monitoring=facts.on >= ELECTRONIC_FROM,
    )
