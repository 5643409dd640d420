"""G6-G8: the assessment explained re-evaluates the stored facts under the same rulebook version
(reasons in the chosen language); after a rulebook change it shows the stored nb snapshot and
says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import pdf_text
from vern.assessments.models import Assessment
from vern.core import clock
from vern.documents import render
from vern.documents.texts import Translator, language

pytestmark = pytest.mark.django_db


def test_g6_the_same_rulebook_version_gives_reasons_in_english(
    assessment: Assessment, tmp_path: Path
) -> None:
    outcome, snapshot = render.assessment_outcome(assessment, "en")
    assert snapshot is False
    assert outcome["reasons"] != assessment.outcome["reasons"]  # en, not the stored nb
    text = pdf_text(
        render.assessment_explained_pdf(assessment, "en", today=clock.today()), tmp_path
    )
    assert str(outcome["reasons"][0]["text"]) in text


def test_g8_an_older_rulebook_version_shows_the_stored_bokmaal_snapshot_and_says_so(
    assessment: Assessment, tmp_path: Path
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(rulebook_version="0.9.0")
    assessment.refresh_from_db()
    outcome, snapshot = render.assessment_outcome(assessment, "en")
    assert snapshot is True
    assert outcome == assessment.outcome
    text = pdf_text(
        render.assessment_explained_pdf(assessment, "en", today=clock.today()), tmp_path
    )
    assert Translator(language("en"))("assess.snapshot_note") in text
    assert str(assessment.outcome["reasons"][0]["text"]) in text  # the stored nb text
    html = render.assessment_explained_html(assessment, "en", today=clock.today())
    assert '<ul lang="nb">' in html  # the nb part is marked as nb for screen readers
