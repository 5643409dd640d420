"""Issue 13 (G3, C1, L1, L2, B1): "you decide whether we contact the police" and "after you
withdraw, we pass on no more information" were not true for every user: the duty to avert, the
danger ground and the child welfare duty apply without consent. The texts now say "as a rule",
"whether you consent" and "on the basis of the consent"."""

from __future__ import annotations

import pytest

from tests.documents.conftest import consent_text, doc_text
from vern.consent.information import user_texts
from vern.documents.texts import REQUIRED_LANGS

AS_A_RULE = {"nb": "Som hovedregel", "nn": "Som hovudregel", "en": "As a rule"}
ON_CONSENT = {
    "nb": "på grunnlag av samtykket",
    "nn": "på grunnlag av samtykket",
    "en": "on the basis of the consent",
}
OLD_INFO_INTRO = {
    "nb": "Du bestemmer selv om vi skal kontakte politiet.",
    "nn": "Du avgjer sjølv om vi skal kontakte politiet.",
    "en": "You decide whether we contact the police.",
}
NOW = {"nb": "Slik situasjonen er nå", "nn": "Slik situasjonen er no", "en": "As things stand now"}


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_information_sheet_and_the_choice_text_say_as_a_rule(lang: str) -> None:
    assert AS_A_RULE[lang] in doc_text(lang, "info.intro")
    assert OLD_INFO_INTRO[lang] not in doc_text(lang, "info.intro")
    first = user_texts(lang)["choice_body"][0]
    assert first.startswith(AS_A_RULE[lang])


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_a_withdrawal_ends_what_the_consent_allowed_not_the_exceptions(lang: str) -> None:
    assert ON_CONSENT[lang] in doc_text(lang, "withdraw.body")


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_consent_rule_speaks_of_the_situation_now(lang: str) -> None:
    assert doc_text(lang, "rule.consent.needed").split(". ")[1].startswith(NOW[lang])


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_the_consent_form_asks_whether_the_user_consents(lang: str) -> None:
    intro = doc_text(lang, "consent.intro")
    assert {"nb": "om du vil samtykke", "nn": "om du vil samtykkje", "en": "whether you consent"}[
        lang
    ] in intro
    assert consent_text(lang, "choice_body")
