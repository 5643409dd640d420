"""House rule (neutral wording): no user-facing text of the documents, of the consent
information or of the document templates assumes that the user is a woman or the perpetrator a
man. Whole words only, per language: Norwegian "her" means "here", so the English list applies
to English texts only. Nynorsk "ho", "han" and "henne" are also pronouns for nouns of that
grammatical gender ("saka ... henne"); the texts repeat the noun instead, so the test can be
strict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.documents.conftest import every_user_text
from vern.documents.texts import REQUIRED_LANGS

WORDS = {
    "nb": ("hun", "henne", "hennes", "han", "ham", "hans"),
    "nn": ("ho", "henne", "hennar", "han", "hans"),
    "en": ("she", "her", "hers", "herself", "he", "him", "his", "himself"),
}
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "vern" / "templates" / "documents"


def _gendered(lang: str, text: str) -> list[str]:
    pattern = r"\b(" + "|".join(WORDS[lang]) + r")\b"
    return re.findall(pattern, text, re.IGNORECASE)


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_no_user_text_has_a_gendered_pronoun(lang: str) -> None:
    found = {key: _gendered(lang, text) for key, text in every_user_text(lang).items()}
    assert not {key: words for key, words in found.items() if words}


def test_the_document_templates_have_no_gendered_pronoun_in_their_norwegian_wording() -> None:
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", " ", path.read_text(encoding="utf-8"), flags=re.S)
        words = _gendered("nb", text)
        if words:
            found[path.name] = words
    assert not found


@pytest.mark.parametrize(
    ("lang", "text"),
    [("nb", "Brukeren sier at hun vil"), ("nn", "Saka, ho er open"), ("en", "Ask her first")],
)
def test_the_check_finds_a_gendered_pronoun(lang: str, text: str) -> None:
    assert _gendered(lang, text)


def test_the_check_leaves_other_words_alone() -> None:
    assert not _gendered("nb", "Registrer det her. Hansken er der.")  # "her" is "here"
    assert not _gendered("en", "The help there; they hear the shelter")
