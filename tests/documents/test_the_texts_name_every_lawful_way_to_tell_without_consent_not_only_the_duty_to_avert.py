"""Issue 13 (L1, L2, B1, G11): "the only exception is the duty to avert" was false. Without
consent the centre may also tell the police to prevent substantial danger to life or serious
harm to health (krisesenterlova § 5 second paragraph), may discuss a situation anonymously, and
must notify the child welfare service (krisesenterlova § 6, barnevernsloven § 13-2). Every
text that lists the exceptions names them all; none says "the only exception"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.documents.conftest import consent_text, doc_text, every_user_text, pdf_text
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import REQUIRED_LANGS, Translator, language

pytestmark = pytest.mark.django_db

ONLY = {"nb": r"eneste unntak", "nn": r"einaste unntak", "en": r"only exception"}
# What each exception must say, per language (a regular expression, case-insensitive).
DANGER = {
    "nb": r"vesentlig fare for liv eller alvorlig skade på noens helse",
    "nn": r"vesentleg fare for liv eller alvorleg skade på helsa til nokon",
    "en": r"substantial danger to life or serious harm to someone's health",
}
ANONYMOUS = {
    "nb": r"anonym.*hvem du er",
    "nn": r"anonym.*kven du er",
    "en": r"anonymous.*who you are",
}
CHILD_WELFARE = {
    "nb": r"barnevernstjenesten.*også uten samtykke",
    "nn": r"barnevernstenesta.*òg utan samtykke",
    "en": r"child welfare service.*even without consent",
}
AVERT = {"nb": r"avvergeplikt", "nn": r"avvergingsplikt", "en": r"duty to avert"}


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE | re.DOTALL) is not None


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_no_user_text_calls_the_duty_to_avert_the_only_exception(lang: str) -> None:
    wrong = [key for key, text in every_user_text(lang).items() if _has(ONLY[lang], text)]
    assert not wrong, wrong


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_information_sheet_names_each_exception_in_its_own_text(lang: str) -> None:
    assert _has(AVERT[lang], doc_text(lang, "info.no_2"))
    assert _has(DANGER[lang], doc_text(lang, "info.no_danger"))
    assert _has(ANONYMOUS[lang], doc_text(lang, "info.no_anonymous"))
    assert _has(CHILD_WELFARE[lang], doc_text(lang, "info.no_child_welfare"))
    assert "§ 5" in doc_text(lang, "info.no_danger") or "section 5" in doc_text(
        lang, "info.no_danger"
    )


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_assessment_explained_names_the_danger_ground_and_the_anonymous_talk(
    lang: str,
) -> None:
    text = doc_text(lang, "assess.your_consent")
    assert _has(AVERT[lang], text)
    assert _has(DANGER[lang], text)
    assert _has(ANONYMOUS[lang], doc_text(lang, "assess.anonymous"))


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_choice_text_shown_on_refusal_names_every_exception(lang: str) -> None:
    text = consent_text(lang, "choice_body")
    for pattern in (AVERT[lang], DANGER[lang], ANONYMOUS[lang], CHILD_WELFARE[lang]):
        assert _has(pattern, text), pattern


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_information_sheet_pdf_prints_every_exception(
    lang: str, case: Case, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    text = pdf_text(render.information_sheet_pdf(case, lang, today=clock.today()), tmp_path)
    for key in ("info.no_1", "info.no_2", "info.no_danger", "info.no_anonymous",
                "info.no_child_welfare"):  # fmt: skip
        assert t(key) in text, key
    assert not _has(ONLY[lang], text)
