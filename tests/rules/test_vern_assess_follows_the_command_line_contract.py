"""`vern assess` follows the command-line contract of issue 3."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from vern.rules import load_rulebook
from vern.rules.cli import main

CONTRACT_KEYS = {
    "rulebook", "police_involvement", "consent_needed", "no_consent_grounds", "next_step",
    "actions", "reasons", "public_prosecution",
}  # fmt: skip
FACTS = {
    "on": "2026-11-27",
    "risk_of_new_serious_violence": "yes",
    "factors": {"user_consents": True, "user_informed_about_public_prosecution": True},
    "consent_form": "verbal",
    "suspected_offences": ["straffeloven-263"],
}


def run(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_from_a_file_has_exactly_the_contract_keys_and_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    code, out, err = run([str(path)], capsys, monkeypatch)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) >= CONTRACT_KEYS
    assert data["rulebook"]["id"] == "vern-politiinvolvering"
    assert data["police_involvement"] == "recommended"
    assert data["next_step"] == "contact_police"
    assert data["no_consent_grounds"] == []
    assert [a["id"] for a in data["actions"]] == [
        "obtain_written_consent", "assess_reprisal_risk", "reassess_safety",
    ]  # fmt: skip
    for action in data["actions"]:
        assert {"id", "basis", "text"} <= set(action)
    for reason in data["reasons"]:
        assert {"rule", "requirements", "basis", "text"} <= set(reason)
    assert data["public_prosecution"]["victim_wish_given_weight"] is True
    assert data["public_prosecution"]["offences"][0] == {
        "id": "straffeloven-263",
        "max_penalty_years": 1,
        "duty_to_avert": False,
        "title": "Trusler",
        "duty_to_avert_condition": None,
    }
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    assert "ø" in out or "å" in out  # ensure_ascii=False


def test_reads_stdin_with_dash_and_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(["-"], capsys, monkeypatch, json.dumps(FACTS))
    second = run([], capsys, monkeypatch, json.dumps(FACTS))
    assert first == second
    assert first[0] == 0


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nb", "Neste steg"), ("nn", "Grunngiving"), ("en", "Next step")],
)
def test_text_format_in_each_language(
    lang: str, words: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(
        ["--format", "text", "--lang", lang], capsys, monkeypatch, json.dumps(FACTS)
    )
    assert (code, err) == (0, "")
    assert words in out
    assert f"vern-politiinvolvering {load_rulebook().version}" in out


def test_json_texts_follow_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run(["--lang", "en"], capsys, monkeypatch, json.dumps(FACTS))
    assert json.loads(out)["next_step_text"] == "Contact the police"


def test_contract_v2_a_danger_without_consent_and_a_child_welfare_concern(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = {
        "on": "2026-12-01",
        "risk_of_new_serious_violence": "yes",
        "factors": {"great_danger": True, "user_informed_about_public_prosecution": True},
        "danger_to_life_or_health": True,
        "child_welfare_concern": True,
    }
    code, out, err = run(["-"], capsys, monkeypatch, json.dumps(facts))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["rulebook"]["version"].split(".")[0] == "2"
    assert data["consent_needed"] is False
    assert data["no_consent_grounds"] == ["danger_to_life_or_health"]
    assert data["next_step"] == "contact_police_to_prevent_danger"
    actions = {a["id"]: a for a in data["actions"]}
    assert "notify_child_welfare_services" in actions
    assert set(actions["notify_child_welfare_services"]["basis"]) == {
        "krisesenterlova-6",
        "barnevernsloven-13-2",
    }
    assert actions["document_danger_grounds"]["basis"] == ["krisesenterlova-5"]
    assert "obtain_consent" not in actions


def test_the_duty_to_avert_with_an_offence_outside_the_196_list_needs_consent(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13's finding: § 264 is not on the § 196 list, so factor 9 with it lifts nothing."""
    for offences in ([], ["straffeloven-264"]):
        facts = {"factors": {"duty_to_avert": True}, "suspected_offences": offences}
        code, out, _ = run(["-"], capsys, monkeypatch, json.dumps(facts))
        data = json.loads(out)
        assert code == 0
        assert data["consent_needed"] is True
        assert data["no_consent_grounds"] == []
        assert data["next_step"] != "contact_police_under_duty_to_avert"
        assert "name_offence_for_duty_to_avert" in {a["id"] for a in data["actions"]}


@pytest.mark.parametrize(
    ("stdin", "names"),
    [
        ("{", "invalid JSON"),
        ("", "invalid JSON"),
        ("[]", "JSON object"),
        ('{"colour": "red"}', "'colour'"),
        ('{"factors": {"great_dangr": true}}', "'factors.great_dangr'"),
        ('{"factors": {"great_danger": "yes"}}', "'factors.great_danger'"),
        ('{"factors": {"great_danger": 1}}', "'factors.great_danger'"),
        ('{"factors": []}', "'factors'"),
        ('{"risk_of_new_serious_violence": "maybe"}', "'maybe'"),
        ('{"risk_of_new_serious_violence": true}', "'risk_of_new_serious_violence'"),
        ('{"consent_form": "email"}', "'email'"),
        ('{"suspected_offences": ["straffeloven-999"]}', "'straffeloven-999'"),
        ('{"suspected_offences": "straffeloven-263"}', "'suspected_offences'"),
        ('{"suspected_offences": [263]}', "'suspected_offences'"),
        ('{"on": "2026-13-01"}', "'on'"),
        ('{"on": "27.11.2026"}', "'on'"),
        ('{"on": 20261127}', "'on'"),
        ('{"on": "2010-01-01"}', "'on'"),
        ('{"on": "2026-11-27", "on": "2026-11-28"}', "duplicate key 'on'"),
        # Contract v2: the new top-level facts take true or false only.
        ('{"danger_to_life_or_health": "yes"}', "'danger_to_life_or_health'"),
        ('{"danger_to_life_or_health": 1}', "'danger_to_life_or_health'"),
        ('{"danger_to_life_or_health": null}', "'danger_to_life_or_health'"),
        ('{"child_welfare_concern": "true"}', "'child_welfare_concern'"),
        ('{"child_welfare_concern": []}', "'child_welfare_concern'"),
        ('{"factors": {"danger_to_life_or_health": true}}', "'factors.danger_to_life_or_health'"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_problem(
    stdin: str, names: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(["-"], capsys, monkeypatch, stdin)
    assert code == 2
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1
    assert err.startswith("vern assess: error: ")
    assert names in err


def test_missing_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run([str(tmp_path / "nope.json")], capsys, monkeypatch)
    assert (code, out) == (2, "")
    assert "nope.json" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [["--format", "xml"], ["--lang", "de"], ["--colour"], ["a.json", "b.json"], ["--format"]],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(argv, capsys, monkeypatch, json.dumps(FACTS))
    assert (code, out) == (2, "")
    assert err.startswith("vern assess: error: ")
    assert err.count("\n") == 1


def test_help_exits_0(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(["--help"], capsys, monkeypatch)
    assert code == 0
    assert out.startswith("usage: vern assess")


def test_runs_as_a_process_without_django_or_a_database(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "vern.rules.cli", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["next_step"] == "contact_police"
    bad = subprocess.run(
        [sys.executable, "-m", "vern.rules.cli", "-"],
        input='{"x": 1}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
