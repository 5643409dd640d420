"""Issue 7 point 3: the assessment explained is a plain-language document FOR THE USER, made from
the rule trace. Every rule of the rulebook that can decide an outcome (and so appear among its
reasons) and every next step has a text for her in nb, nn and en. The sets come from the
rulebook itself: a new rule or next step without a user text fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import make_assessment, pdf_text
from vern.accounts.models import User
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import REQUIRED_LANGS, Translator, language
from vern.rules import load_rulebook

pytestmark = pytest.mark.django_db


def _reason_rules() -> list[str]:
    """Rules that decide a decision: exactly those that appear in an outcome's reasons."""
    return sorted(rule.id for rule in load_rulebook().rules.values() if rule.decides)


def _next_steps() -> list[str]:
    return sorted(str(value) for value, _ in load_rulebook().decisions["next_step"].labels)


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_issue7_every_rule_that_can_be_a_reason_has_a_user_text(lang: str) -> None:
    texts = language(lang).texts
    assert _reason_rules()  # the rulebook has deciding rules at all
    missing = [rule_id for rule_id in _reason_rules() if f"rule.{rule_id}" not in texts]
    assert not missing, f"{lang}.yaml has no user text for the rules {missing}"


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_issue7_every_next_step_has_a_user_text(lang: str) -> None:
    texts = language(lang).texts
    missing = [code for code in _next_steps() if f"next.{code}" not in texts]
    assert not missing, f"{lang}.yaml has no user text for the next steps {missing}"


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_issue7_the_user_texts_are_not_the_staff_reasons_of_the_rulebook(lang: str) -> None:
    book = load_rulebook()
    t = Translator(language(lang))
    for rule_id in _reason_rules():
        rule = book.rules[rule_id]
        assert rule.text is not None
        assert t(f"rule.{rule_id}") != rule.text.get(lang), rule_id


@pytest.mark.parametrize(
    "factors",
    [
        {"great_danger": True, "needs_police_or_court_safety_measures": True},
        {"user_consents": True, "user_informed_about_public_prosecution": True,
         "great_danger": True},
        {"duty_to_avert": True},
        {},
    ],
)  # fmt: skip
def test_g6_the_document_explains_the_trace_with_her_texts_never_the_staff_reasons(
    factors: dict[str, bool], ansatt: User, case: Case, tmp_path: Path
) -> None:
    assessment = make_assessment(
        ansatt, case, offences=["straffeloven-271"], factors=factors or {"great_danger": False},
        risk="no" if not factors else "yes",
    )  # fmt: skip
    nb = Translator(language("nb"))
    text = pdf_text(
        render.assessment_explained_pdf(assessment, "nb", today=clock.today()), tmp_path
    )
    for reason in assessment.outcome["reasons"]:
        assert nb(f"rule.{reason['rule']}") in text
        assert str(reason["text"]) not in text  # "Dere ser behov …", "Før dere kontakter …"
    assert nb(f"next.{assessment.next_step}") in text
    assert "Kontakt politiet." not in text  # no instruction to her
