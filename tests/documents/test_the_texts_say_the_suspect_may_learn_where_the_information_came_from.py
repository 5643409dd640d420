"""Issue 13 (G9, G12): "the police can act without telling the perpetrator where the information
came from" was not true for every user: in a criminal case the suspect will usually see the
case documents, so the source may become known. The texts say so honestly and say that the
centre and the user plan the user's safety before the police are contacted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import consent_text, doc_text, every_user_text, pdf_text
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import REQUIRED_LANGS, Translator, language

pytestmark = pytest.mark.django_db

SUSPECT = {
    "nb": "får den mistenkte som regel se dokumentene i saken",
    "nn": "får den mistenkte som regel sjå dokumenta i saka",
    "en": "the suspect will usually get to see the documents in the case",
}
PLAN = {
    "nb": "lager vi en plan for sikkerheten din",
    "nn": "lagar vi ein plan for tryggleiken din",
    "en": "we make a plan for your safety",
}
OLD = {
    "nb": ("uten å fortelle videre hvor de kommer fra", "uten å fortelle utøveren"),
    "nn": ("utan å fortelje vidare kvar dei kjem frå", "utan å fortelje utøvaren"),
    "en": ("without telling anyone where it came from", "without telling the perpetrator"),
}


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
@pytest.mark.parametrize(
    "text", [lambda lang: doc_text(lang, "info.police_2"),
             lambda lang: consent_text(lang, "police_help_body")],
    ids=["information sheet", "police help page"],
)  # fmt: skip
def test_the_source_may_become_known_and_we_plan_for_it(lang: str, text: object) -> None:
    value = text(lang)  # type: ignore[operator]
    assert SUSPECT[lang] in value
    assert PLAN[lang] in value
    for old in OLD[lang]:
        assert old not in value


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_no_user_text_promises_the_source_stays_secret(lang: str) -> None:
    wrong = [
        key for key, text in every_user_text(lang).items() if any(o in text for o in OLD[lang])
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_information_sheet_pdf_prints_it(lang: str, case: Case, tmp_path: Path) -> None:
    t = Translator(language(lang))
    text = pdf_text(render.information_sheet_pdf(case, lang, today=clock.today()), tmp_path)
    assert t("info.police_2") in text
