"""The schema check catches a broken rulebook at load time (and for the Django system check)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from vern.rules import RulebookError, check_rulebook, load_rulebook
from vern.rules.rulebook import PACKAGED_RULEBOOK

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rulebook.md"
Mutation = Callable[[dict[str, Any]], None]


def copy_with(tmp_path: Path, file: str, mutate: Mutation) -> Path:
    for path in PACKAGED_RULEBOOK.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == file:
            mutate(document)
        (tmp_path / path.name).write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return tmp_path


def rule(document: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(r for r in document["rules"] if r["id"] == ident)


def test_the_packaged_rulebook_is_valid() -> None:
    assert check_rulebook() == []
    rulebook = load_rulebook()
    assert rulebook.id == "vern-politiinvolvering"
    assert re.fullmatch(r"\d+\.\d+\.\d+", rulebook.version)
    assert rulebook.changelog[0].version == rulebook.version
    assert load_rulebook() is rulebook  # cached


def test_every_reference_has_source_status_and_date() -> None:
    for reference in load_rulebook().references.values():
        assert reference.source.startswith("https://")
        assert reference.status in {"verified", "check"}
        assert reference.checked_on.year >= 2026


def test_law_md_statuses_marked_check_stay_check() -> None:
    refs = load_rulebook().references
    for ident in (
        "krisesenterlova-5", "krisesenterlova-2026", "straffeprosessloven-62a",
        "straffeloven-196", "straffeprosessloven-222g",
    ):  # fmt: skip
        assert refs[ident].status == "check", ident
    offences = {o.id: o for o in load_rulebook().offences}
    assert offences["straffeloven-168"].status == "check"


def _drop_source(doc: dict[str, Any]) -> None:
    del doc["references"][0]["source"]


def _drop_nn(doc: dict[str, Any]) -> None:
    del doc["measures"][0]["text"]["nn"]


def _unknown_reference(doc: dict[str, Any]) -> None:
    rule(doc, "consent.needed")["references"] = ["krisesenterlova-99"]


def _unknown_requirement(doc: dict[str, Any]) -> None:
    rule(doc, "consent.needed")["requirements"] = ["G99"]


def _ambiguous(doc: dict[str, Any]) -> None:
    rule(doc, "involvement.required.relocation")["overrides"].remove("involvement.recommended.risk")


def _cycle(doc: dict[str, Any]) -> None:
    rule(doc, "consent.needed")["overrides"] = ["consent.not-needed.duty-to-avert"]


def _typo(doc: dict[str, Any]) -> None:
    rule(doc, "consent.needed")["valid_form"] = rule(doc, "consent.needed").pop("valid_from")


def _bad_version(doc: dict[str, Any]) -> None:
    doc["meta"]["version"] = "1.0"


def _no_changelog_entry(doc: dict[str, Any]) -> None:
    doc["meta"]["version"] = "99.0.0"


def _unknown_variable(doc: dict[str, Any]) -> None:
    rule(doc, "action.support-report-to-police")["when"] = {"user_wants_to_repot": True}


def _unknown_measure_reference(doc: dict[str, Any]) -> None:
    doc["measures"][2]["basis"] = ["straffeprosessloven-999"]


def _no_default(doc: dict[str, Any]) -> None:
    rule(doc, "next-step.no-police-contact")["when"] = {"risk_of_new_serious_violence": "no"}


def _action_without_rule(doc: dict[str, Any]) -> None:
    doc["actions"].append(
        {"id": "call_a_friend", "order": 999, "text": {"nb": "a", "nn": "b", "en": "c"}}
    )


def _uncited_requirement(doc: dict[str, Any]) -> None:
    doc["requirements"].append({"id": "G16", "summary": "new"})


@pytest.mark.parametrize(
    ("file", "mutate", "problem"),
    [
        ("references.yaml", _drop_source, "has no source"),
        ("measures.yaml", _drop_nn, "missing text in nn"),
        ("rules.yaml", _unknown_reference, "unknown reference 'krisesenterlova-99'"),
        ("rules.yaml", _unknown_requirement, "unknown requirement 'G99'"),
        ("rules.yaml", _ambiguous, "neither overrides the other"),
        ("rules.yaml", _cycle, "overrides form a cycle"),
        ("rules.yaml", _typo, "unknown key 'valid_form'"),
        ("meta.yaml", _bad_version, "version must be semantic"),
        ("meta.yaml", _no_changelog_entry, "no entry for version 99.0.0"),
        ("rules.yaml", _unknown_variable, "unknown variable 'user_wants_to_repot'"),
        (
            "measures.yaml",
            _unknown_measure_reference,
            "unknown reference 'straffeprosessloven-999'",
        ),
        ("rules.yaml", _no_default, "needs a default rule"),
        ("decisions.yaml", _action_without_rule, "no rule adds it"),
        ("requirements.yaml", _uncited_requirement, "'G16': no rule cites it"),
    ],
)
def test_a_broken_rulebook_is_refused(
    tmp_path: Path, file: str, mutate: Mutation, problem: str
) -> None:
    path = copy_with(tmp_path, file, mutate)
    problems = check_rulebook(path)
    assert any(problem in p for p in problems), problems
    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    assert caught.value.problems == problems


def test_a_rulebook_in_one_file_loads(tmp_path: Path) -> None:
    merged: dict[str, Any] = {}
    for path in PACKAGED_RULEBOOK.glob("*.yaml"):
        merged.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    single = tmp_path / "rulebook.yaml"
    single.write_text(yaml.safe_dump(merged, allow_unicode=True), encoding="utf-8")
    assert load_rulebook(single).version == load_rulebook().version


def test_invalid_yaml_and_missing_sections_are_problems(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("rules: [\n", encoding="utf-8")
    assert any("not valid YAML" in p for p in check_rulebook(tmp_path))
    (tmp_path / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    assert any("section 'meta' is missing" in p for p in check_rulebook(tmp_path))


def test_docs_map_every_requirement() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rulebook = load_rulebook()
    for ident in rulebook.requirements:
        assert re.search(rf"^\| {ident} \|", text, re.MULTILINE), ident
    for ident in rulebook.rules:
        assert f"`{ident}`" in text, ident
