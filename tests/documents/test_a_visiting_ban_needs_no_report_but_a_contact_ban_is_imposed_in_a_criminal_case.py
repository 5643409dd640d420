"""Issue 13 (G13, P1): "you do not need to have reported the violence to get measures" was
false for the contact ban of straffeloven § 57, which a court imposes in a criminal case on
someone who has committed an offence. A visiting ban (straffeprosessloven § 222 a) needs no
report, and the person it protects can ask for it. The information sheet now says both."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import doc_text, every_user_text, pdf_text
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import REQUIRED_LANGS, Translator, language

pytestmark = pytest.mark.django_db

OLD = {
    "nb": "Du trenger ikke å ha anmeldt volden for å få tiltak",
    "nn": "Du treng ikkje ha meldt valden for å få tiltak",
    "en": "You do not need to have reported the violence to get them",
}
CRIMINAL_CASE = {"nb": "i en straffesak", "nn": "i ei straffesak", "en": "in a criminal case"}
COURT = {"nb": "retten", "nn": "retten", "en": "a court"}


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_information_sheet_tells_the_visiting_ban_from_the_contact_ban(lang: str) -> None:
    text = doc_text(lang, "info.police_3")
    assert "§ 222 a" in text or "section 222 a" in text
    assert "§ 57" in text or "section 57" in text
    assert CRIMINAL_CASE[lang] in text
    assert COURT[lang] in text
    assert OLD[lang] not in text


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_no_user_text_says_no_measure_needs_a_report(lang: str) -> None:
    wrong = [key for key, text in every_user_text(lang).items() if OLD[lang] in text]
    assert not wrong, wrong


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_information_sheet_pdf_prints_it(lang: str, case: Case, tmp_path: Path) -> None:
    t = Translator(language(lang))
    text = pdf_text(render.information_sheet_pdf(case, lang, today=clock.today()), tmp_path)
    assert t("info.police_3") in text
    assert OLD[lang] not in text
