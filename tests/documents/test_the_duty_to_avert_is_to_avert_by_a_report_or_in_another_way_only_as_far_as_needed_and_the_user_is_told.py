"""Issue 13 (L2, G11): straffeloven § 196 asks to seek to avert "through a report or in another
way", regardless of confidentiality but only as far as needed, and only for the offences on its
list. The texts said "we must tell the police". Now every text on the duty says "by telling the
police or in another way"; the information sheet says "only as far as needed" and that the user
is told when the police were notified (when it is safe); the factor text no longer says the duty
applies just because staff think so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.documents.conftest import consent_text, doc_text, make_assessment, pdf_text
from vern.accounts.models import User
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import REQUIRED_LANGS, Translator, language

pytestmark = pytest.mark.django_db

ANOTHER_WAY = {
    "nb": "ved å varsle politiet eller på en annen måte",
    "nn": "ved å varsle politiet eller på ein annan måte",
    "en": "by telling the police or in another way",
}
AS_FAR_AS_NEEDED = {"nb": "bare så langt det trengs", "nn": "berre så langt det trengst",
                    "en": "only as far as needed"}  # fmt: skip
TOLD = {
    "nb": "forteller vi deg det så snart det er trygt for deg",
    "nn": "fortel vi deg det så snart det er trygt for deg",
    "en": "we will tell you as soon as it is safe for you",
}
# The old statements: "we must tell the police to prevent it".
MUST_TELL = {
    "nb": r"må vi varsle politiet for å hindre",
    "nn": r"må vi varsle politiet for å hindre",
    "en": r"we must tell the police to prevent",
}
LIST = {"nb": "straffeloven § 196", "nn": "straffelova § 196", "en": "Penal Code section 196"}


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
@pytest.mark.parametrize("key", ["info.no_2", "rule.involvement.required.duty-to-avert"])
def test_the_duty_is_to_avert_by_a_report_or_in_another_way(lang: str, key: str) -> None:
    text = doc_text(lang, key)
    assert ANOTHER_WAY[lang] in text
    assert not re.search(MUST_TELL[lang], text)


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_information_sheet_says_only_as_far_as_needed_and_that_the_user_is_told(
    lang: str,
) -> None:
    text = doc_text(lang, "info.no_2")
    assert AS_FAR_AS_NEEDED[lang] in text
    assert TOLD[lang] in text


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_refusal_texts_say_another_way_too(lang: str) -> None:
    text = consent_text(lang, "choice_body")
    assert ANOTHER_WAY[lang] in text
    assert "alert the police to avert" not in text
    assert "plikt til å varsle politiet" not in text


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_duty_applies_only_to_the_listed_offences_not_because_staff_think_so(
    lang: str,
) -> None:
    factor = doc_text(lang, "assess.factor_duty_to_avert")
    assert LIST[lang] in factor
    assert not re.search(r"(Da|Då) må vi kontakte politiet|We must then contact", factor)
    assert LIST[lang] in doc_text(lang, "rule.involvement.required.duty-to-avert")
    assert LIST[lang] in doc_text(lang, "rule.action.name-offence-for-duty-to-avert")


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_assessment_explained_pdf_prints_the_duty_as_the_law_reads(
    lang: str, ansatt: User, case: Case, tmp_path: Path
) -> None:
    # § 274 (grov kroppsskade) is on the § 196 list.
    assessment = make_assessment(
        ansatt, case, offences=["straffeloven-274"], factors={"duty_to_avert": True}
    )
    t = Translator(language(lang))
    pdf = render.assessment_explained_pdf(assessment, lang, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert t("rule.involvement.required.duty-to-avert") in text
    assert ANOTHER_WAY[lang] in text
    assert t("assess.factor_duty_to_avert") in text
    assert not re.search(MUST_TELL[lang], text)
