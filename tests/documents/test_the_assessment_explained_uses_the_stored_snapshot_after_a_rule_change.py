"""G6-G8: the assessment explained re-evaluates the stored facts under the same rulebook version;
after a rulebook change it explains the stored snapshot's rule ids with the user's texts in the
chosen language (issue 7 point 3), a neutral sentence for ids it does not know, and says so."""

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
    en = Translator(language("en"))
    assert en(f"rule.{outcome['reasons'][0]['rule']}") in text


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
    en = Translator(language("en"))
    assert en("assess.snapshot_note") in text
    first = assessment.outcome["reasons"][0]
    assert en(f"rule.{first['rule']}") in text  # her text for the stored rule id, in English
    assert str(first["text"]) not in text  # never the staff's stored bokmål reason
    assert en(f"next.{assessment.outcome['next_step']}") in text


def test_issue7_rule_ids_and_a_next_step_an_older_rulebook_named_get_a_neutral_sentence(
    assessment: Assessment, tmp_path: Path
) -> None:
    stored = dict(assessment.outcome)
    stored["reasons"] = [
        {"rule": "involvement.retired-rule", "text": "Dere skal ringe politiet nå."},
        {"rule": "involvement.another-retired-rule", "text": "Foreldet regel for ansatte."},
        *stored["reasons"],
    ]
    stored["next_step"] = "retired_next_step"
    stored["next_step_text"] = "Ring politiet"
    Assessment.objects.filter(pk=assessment.pk).update(rulebook_version="0.9.0", outcome=stored)
    assessment.refresh_from_db()
    html = render.assessment_explained_html(assessment, "nb", today=clock.today())
    nb = Translator(language("nb"))
    assert html.count(nb("assess.reason_unknown")) == 1  # once, however many unknown ids
    assert nb("assess.next_unknown") in html
    for staff_text in ("Dere skal ringe politiet", "Foreldet regel", "Ring politiet"):
        assert staff_text not in html
