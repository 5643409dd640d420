"""Issue 13 (G15): the two-year line was stated as if the offences staff record were final.
The police and the prosecuting authority decide which offences the case concerns; what the
centre records is an early assessment. Every two-year statement about the user's case says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import consent_text, doc_text, pdf_text
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render
from vern.documents.texts import REQUIRED_LANGS, Translator, language

pytestmark = pytest.mark.django_db

DECIDE = {
    "nb": "politiet og påtalemyndigheten som avgjør hvilke lovbrudd saken gjelder",
    "nn": "politiet og påtalemakta som avgjer kva for lovbrot saka gjeld",
    "en": "the police and the prosecuting authority decide which offences the case concerns",
}
RULE_DECIDE = {
    "nb": "politiet som avgjør hvilke lovbrudd saken gjelder",
    "nn": "politiet som avgjer kva for lovbrot saka gjeld",
    "en": "the police who decide which offences the case concerns",
}
SO_FAR = {"nb": "så langt", "nn": "så langt", "en": "so far"}
# The old, final-sounding openings.
OLD = {
    "nb": ("Alle lovbruddene som er registrert i saken din, har",
           "Minst ett av lovbruddene som er registrert i saken din, har"),
    "nn": ("Alle lovbrota som er registrerte i saka di, har",
           "Minst eitt av lovbrota som er registrerte i saka di, har"),
    "en": ("Every offence recorded in your case has",
           "At least one offence recorded in your case has"),
}  # fmt: skip


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
@pytest.mark.parametrize("key", ["two_year.within", "two_year.above"])
def test_the_document_statements_say_the_police_decide(lang: str, key: str) -> None:
    text = doc_text(lang, key)
    assert DECIDE[lang] in text
    assert SO_FAR[lang] in text
    assert not any(text.startswith(old) for old in OLD[lang])


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
@pytest.mark.parametrize(
    "key", ["rule.prosecution.within-two-year-line", "rule.prosecution.above-two-year-line"]
)
def test_the_rule_texts_say_the_police_decide(lang: str, key: str) -> None:
    text = doc_text(lang, key)
    assert RULE_DECIDE[lang] in text
    assert not any(text.startswith(old) for old in OLD[lang])


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
@pytest.mark.parametrize("key", ["summary_all_within", "summary_some_above"])
def test_the_public_prosecution_page_says_the_police_decide(lang: str, key: str) -> None:
    assert DECIDE[lang] in consent_text(lang, key)


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_consent_form_pdf_prints_it(lang: str, consent: Consent, tmp_path: Path) -> None:
    t = Translator(language(lang))
    pdf = render.consent_form_pdf(consent, lang, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    # The fixture's assessment has § 271 (1 year) and § 274 (10 years): above the line.
    assert t("two_year.above", line=t("years.other", count="2")) in text
    assert DECIDE[lang] in text
