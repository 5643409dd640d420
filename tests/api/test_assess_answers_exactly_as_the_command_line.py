"""POST /api/v1/assess takes exactly the facts of `vern assess` and returns exactly what
`vern assess --format json` prints; bad facts give the command's one-line message as a 422
``invalid_facts`` naming the offending key (issue 8, issue 3's contract)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from dataclasses import dataclass

import pytest

from tests.api.conftest import Api, error_of

FACTS = [
    {"on": "2026-01-01"},
    {"on": "2026-01-01", "risk_of_new_serious_violence": "yes", "factors": {"great_danger": True}},
    {
        "on": "2024-03-01",
        "risk_of_new_serious_violence": "no",
        "factors": {"needs_police_or_court_safety_measures": True},
        "suspected_offences": ["straffeloven-263"],
    },
    {
        "on": "2026-11-27",
        "factors": {"duty_to_avert": True, "user_consents": True},
        "consent_form": "verbal",
        "suspected_offences": ["straffeloven-274"],
    },
    {
        "on": "2026-11-27",
        "risk_of_new_serious_violence": "yes",
        "factors": {
            "user_consents": True,
            "user_informed_about_public_prosecution": True,
            "user_wants_to_report": True,
        },
        "consent_form": "written",
    },
]

BAD = [
    ({"x": 1}, "x"),
    ({"factors": {"great_danger": 1}}, "factors.great_danger"),
    ({"factors": {"nine": True}}, "factors.nine"),
    ({"on": "27.11.2026"}, "on"),
    ({"risk_of_new_serious_violence": "maybe"}, "risk_of_new_serious_violence"),
    ({"suspected_offences": ["straffeloven-999"]}, "suspected_offences"),
    ({"consent_form": "fax"}, "consent_form"),
]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def _cli(facts: str, *args: str) -> Run:
    """`vern assess - --format json ...` in this process (the command's own main)."""
    from vern.rules.cli import main

    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO(facts)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["-", "--format", "json", *args])
    finally:
        sys.stdin = stdin
    return Run(code, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("facts", FACTS, ids=range(len(FACTS)))
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_outcome_is_identical_to_the_command(ansatt_api: Api, facts: dict, lang: str) -> None:
    cli = _cli(json.dumps(facts), "--lang", lang)
    assert cli.returncode == 0, cli.stderr

    response = ansatt_api.post(f"/assess?lang={lang}", facts)

    assert response.status_code == 200
    assert response.json() == json.loads(cli.stdout)


@pytest.mark.parametrize(("facts", "field"), BAD, ids=[f for _b, f in BAD])
def test_bad_facts_give_the_commands_message_and_the_key(
    ansatt_api: Api, facts: dict, field: str
) -> None:
    cli = _cli(json.dumps(facts))
    assert cli.returncode == 2

    response = ansatt_api.post("/assess", facts)

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_facts"
    assert error["field"] == field
    assert cli.stderr.strip() == f"vern assess: error: {error['message']}"


@pytest.mark.parametrize("raw", ["{", "[]", '{"on": "2026-01-01", "on": "2026-01-02"}', ""])
def test_a_body_that_is_not_a_facts_object_is_invalid_facts(ansatt_api: Api, raw: str) -> None:
    cli = _cli(raw)

    response = ansatt_api.post("/assess", raw=raw)

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_facts"
    assert cli.stderr.strip() == f"vern assess: error: {error_of(response)['message']}"


def test_the_administrator_may_use_the_engine(admin_api: Api) -> None:
    assert admin_api.post("/assess", FACTS[0]).status_code == 200


def test_the_engine_needs_a_token(anonymous_api: Api) -> None:
    assert anonymous_api.post("/assess", FACTS[0]).status_code == 401
