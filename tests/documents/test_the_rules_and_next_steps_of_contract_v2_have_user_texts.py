"""Issue 13 point 3 (contract v2): the new and changed rules, the new next step and the new
action rules have a plain-language text for the user in nb, nn and en, keyed by exactly the ids
of the contract (``rule.<rule id>``, ``next.<next step>``), written to the user ("du", "you").
Until rulebook 2 is merged the documents test of every deciding rule cannot see them; this test
pins the keys."""

from __future__ import annotations

import re

import pytest

from vern.documents.texts import REQUIRED_LANGS, language

RULE_IDS = (
    "involvement.required.duty-to-avert",
    "involvement.recommended.danger-to-life-or-health",
    "consent.not-needed.duty-to-avert",
    "consent.not-needed.danger-to-life-or-health",
    "next-step.contact-police-under-duty-to-avert",
    "next-step.contact-police-to-prevent-danger",
    "action.name-offence-for-duty-to-avert",
    "action.document-danger-grounds",
    "action.share-only-what-is-necessary",
    "action.tell-user-about-police-contact",
    "action.notify-child-welfare-services",
)
NEXT_STEPS = ("contact_police_under_duty_to_avert", "contact_police_to_prevent_danger")
SECOND_PERSON = {"nb": r"\b(du|deg|din|ditt|dine)\b", "nn": r"\b(du|deg|din|di|ditt|dine)\b",
                 "en": r"\b(you|your)\b"}  # fmt: skip


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
@pytest.mark.parametrize("key", [f"rule.{r}" for r in RULE_IDS] + [f"next.{n}" for n in NEXT_STEPS])
def test_each_id_has_a_text_written_to_the_user(lang: str, key: str) -> None:
    texts = language(lang).texts
    assert key in texts
    assert re.search(SECOND_PERSON[lang], texts[key], re.IGNORECASE), texts[key]


@pytest.mark.parametrize("key", [f"rule.{r}" for r in RULE_IDS] + [f"next.{n}" for n in NEXT_STEPS])
def test_each_text_is_translated_not_copied(key: str) -> None:
    nb, nn, en = (language(lang).texts[key] for lang in REQUIRED_LANGS)
    assert en not in (nb, nn)
