"""A rulebook that differs from 1.1.0 for the upgrade tests: the verbatim copy in
tests/fixtures/rulebook-1.1.0 with the duty to avert narrowed to listed offences (as in
contract v2, issue 13 point 3), raised to version 1.2.0-test style "1.2.0"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from vern.rules import Rulebook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULEBOOK_1_1_0 = FIXTURES / "rulebook-1.1.0"

NARROWED_RULES = (
    "involvement.required.duty-to-avert",
    "consent.not-needed.duty-to-avert",
    "next-step.contact-police-under-duty-to-avert",
    "action.document-duty-to-avert-grounds",
)


def modified_rulebook(target: Path, *, version: str = "1.2.0") -> Path:
    """Copy 1.1.0 into ``target`` and make the duty-to-avert rules need a listed offence."""
    shutil.copytree(RULEBOOK_1_1_0, target, ignore=shutil.ignore_patterns("scenarios"))
    rules = (target / "rules.yaml").read_text(encoding="utf-8")
    before = "    when: {duty_to_avert: true}\n"
    assert rules.count(before) == len(NARROWED_RULES)
    rules = rules.replace(
        before, "    when: {duty_to_avert: true, suspected_offence_in_196_list: true}\n"
    )
    (target / "rules.yaml").write_text(rules, encoding="utf-8")
    meta = (target / "meta.yaml").read_text(encoding="utf-8")
    meta = meta.replace("  version: 1.1.0\n", f"  version: {version}\n", 1)
    meta = meta.replace(
        "changelog:\n",
        "changelog:\n"
        f"  - version: {version}\n"
        "    date: 2026-12-01\n"
        "    changes:\n"
        "      - >-\n"
        "        Test change: the duty to avert applies only when a suspected offence is on\n"
        "        the straffeloven § 196 list.\n",
        1,
    )
    (target / "meta.yaml").write_text(meta, encoding="utf-8")
    return target


def reprisal_check_only_when_required(target: Path, *, version: str = "1.2.0") -> Path:
    """1.1.0 where the reprisal-risk action is added only when contact is *required*: many demo
    cases (those where contact is recommended) lose that action."""
    modified_rulebook(target, version=version)
    rules = (target / "rules.yaml").read_text(encoding="utf-8")
    old = (
        "    when: {police_involvement: [required, recommended]}\n    action: assess_reprisal_risk"
    )
    assert old in rules
    rules = rules.replace(
        old, "    when: {police_involvement: [required]}\n    action: assess_reprisal_risk"
    )
    (target / "rules.yaml").write_text(rules, encoding="utf-8")
    return target


@contextmanager
def assessments_made_with(rulebook: Rulebook) -> Iterator[None]:
    """Inside the block, the assessment services assess with ``rulebook`` instead of the
    packaged one, so that assessments are stored as made with its version (for an upgrade
    test from that version to the packaged one, e.g. the demo from 1.1.0 to 2.0.0)."""
    with mock.patch("vern.assessments.services.load_rulebook", return_value=rulebook):
        yield
