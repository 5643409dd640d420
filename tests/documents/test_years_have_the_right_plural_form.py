"""G15: a maximum penalty and the two-year line are printed with the unit in the right plural
form in every language: "1 år", "2 år"; "1 year", "2 years" (never "1 years")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import make_assessment, make_consent, pdf_text
from vern.accounts.models import User
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("nb", 1, "1 år"), ("nb", 2, "2 år"), ("nb", 0.5, "0,5 år"),
        ("nn", 1, "1 år"), ("nn", 10, "10 år"),
        ("en", 1, "1 year"), ("en", 2, "2 years"), ("en", 0.5, "0.5 years"),
    ],
)  # fmt: skip
def test_g15_years_have_the_unit_in_the_right_form(lang: str, value: float, expected: str) -> None:
    assert render._years(language(lang), value) == expected


@pytest.mark.parametrize("document", ["consent_form", "assessment_explained"])
def test_g15_an_english_document_says_up_to_1_year_and_up_to_10_years(
    document: str, ansatt: User, case: Case, tmp_path: Path
) -> None:
    assessment = make_assessment(ansatt, case, offences=["straffeloven-271", "straffeloven-274"])
    if document == "consent_form":
        pdf = render.consent_form_pdf(make_consent(ansatt, case), "en", today=clock.today())
    else:
        pdf = render.assessment_explained_pdf(assessment, "en", today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert "up to 1 year –" in text
    assert "up to 10 years –" in text
    assert "1 years" not in text
    assert "more than 2 years" in text
