"""Issue 14 point 6: "the assessment explained" says only what the records say. "We have
assessed this together with you" only when the assessment records that the user took part; an
assessment the system updated after a new record says so, and that there was no new
conversation. In nb, nn and en, read back with pdftotext."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import make_assessment, pdf_text, save_screenshot
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import Translator, language

pytestmark = pytest.mark.django_db
LANGS = ("nb", "nn", "en")
TOGETHER = {"nb": "sammen med deg", "nn": "saman med deg", "en": "Together with you"}


def _text(assessment: Assessment, lang: str, tmp_path: Path) -> str:
    pdf = render.assessment_explained_pdf(assessment, lang, today=clock.today())
    return pdf_text(pdf, tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_an_assessment_without_the_user_never_says_it_was_made_together_with_the_user(
    lang: str, assessment: Assessment, tmp_path: Path
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(user_participated=False)
    assessment.refresh_from_db()
    t = Translator(language(lang))
    text = _text(assessment, lang, tmp_path)
    assert t("assess.intro_without_user") in text
    assert t("assess.intro_joint") not in text
    intro = text[: text.index(t("assess.considered_heading"))]
    assert TOGETHER[lang] not in intro


@pytest.mark.parametrize("lang", LANGS)
def test_a_joint_assessment_says_it_was_made_together_with_the_user(
    lang: str, assessment: Assessment, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    text = _text(assessment, lang, tmp_path)
    assert t("assess.intro_joint") in text
    assert t("assess.intro_without_user") not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("participated", [True, False])
def test_an_automatic_update_says_it_was_automatic_and_what_it_builds_on(
    lang: str, participated: bool, assessment: Assessment, tmp_path: Path
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        cause="consent_withdrawn", user_participated=participated
    )
    assessment.refresh_from_db()
    t = Translator(language(lang))
    text = _text(assessment, lang, tmp_path)
    cause = t("reason.consent_withdrawn")
    assert t("assess.intro_automatic", cause=cause[:1].lower() + cause[1:]) in text
    assert t("assess.based_on_joint" if participated else "assess.based_on_without_user") in text
    assert t("assess.intro_joint") not in text
    if not participated:
        save_screenshot(
            render.assessment_explained_pdf(assessment, lang, today=clock.today()),
            f"assessment_explained-automatic-{lang}",
            tmp_path,
        )


@pytest.mark.parametrize("lang", LANGS)
def test_what_the_user_wants_or_told_is_given_as_recorded_not_as_said(
    lang: str, ansatt: User, case: Case, tmp_path: Path
) -> None:
    a = make_assessment(
        ansatt, case, offences=[], factors={"user_wants_to_report": True, "great_danger": True}
    )
    Assessment.objects.filter(pk=a.pk).update(user_participated=False)
    a.refresh_from_db()
    t = Translator(language(lang))
    text = _text(a, lang, tmp_path)
    for said in {
        "nb": ("Du har sagt", "Det du har fortalt"),
        "nn": ("Du har sagt", "Det du har fortalt"),
        "en": ("You have said", "What you have told"),
    }[lang]:
        assert said not in text
    assert t("assess.factor_user_wants_to_report") in text
    assert t("rule.involvement.recommended.great-danger") in text
