"""parse_facts reads the contract's JSON strictly; errors are one line naming the problem."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from vern.rules import Factors, Facts, FactsError, parse_facts


def test_defaults_for_missing_keys() -> None:
    facts = parse_facts({}, today=dt.date(2026, 11, 27))
    assert facts == Facts(on=dt.date(2026, 11, 27))
    assert facts.risk_of_new_serious_violence == "unknown"
    assert facts.factors == Factors()
    assert facts.consent_form is None
    assert facts.suspected_offences == ()


def test_round_trip_through_to_dict() -> None:
    facts = parse_facts(
        {
            "on": "2024-04-08",
            "risk_of_new_serious_violence": "no",
            "factors": {"duty_to_avert": True},
            "consent_form": "written",
            "suspected_offences": ["straffeloven-282", "straffeloven-282", "straffeloven-263"],
        }
    )
    assert facts.suspected_offences == ("straffeloven-282", "straffeloven-263")
    assert parse_facts(facts.to_dict()) == facts


def test_facts_are_frozen() -> None:
    facts = Facts(on=dt.date(2026, 11, 27))
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.on = dt.date(2020, 1, 1)  # type: ignore[misc]


def test_default_date_is_today_in_norway() -> None:
    assert parse_facts({}).on >= dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"x": 1}, "unknown key 'x'"),
        ({"factors": {"y": True}}, "unknown key 'factors.y'"),
        (
            {"factors": {"duty_to_avert": None}},
            "'factors.duty_to_avert' must be true or false, got null",
        ),
        ({"on": "2026-02-30"}, "'on' must be a date written YYYY-MM-DD, got '2026-02-30'"),
        ({"suspected_offences": ["straffeloven-1"]}, "unknown offence id 'straffeloven-1'"),
        ({"consent_form": True}, "'consent_form' must be 'written', 'verbal' or null, got true"),
    ],
)
def test_errors_name_the_key_or_value(data: object, message: str) -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
