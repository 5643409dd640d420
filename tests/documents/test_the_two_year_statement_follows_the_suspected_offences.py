"""G15: the consent form tells the user what the two-year rule (straffeprosessloven § 62 a)
means for HER offences: all within the line, some above it, or none recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import make_assessment, make_consent, pdf_text
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.models import InformationRecord, RecipientKind
from vern.core import clock
from vern.documents import render
from vern.documents.texts import Translator, language

pytestmark = pytest.mark.django_db
NB = Translator(language("nb"))


def _text(user: User, case: Case, tmp_path: Path, **consent: object) -> str:
    html_consent = make_consent(user, case, **consent)
    return pdf_text(render.consent_form_pdf(html_consent, "nb", today=clock.today()), tmp_path)


def test_g15_only_section_271_is_within_the_line_so_her_wish_is_given_weight(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    make_assessment(ansatt, case, offences=["straffeloven-271"])
    text = _text(ansatt, case, tmp_path)
    assert NB("two_year.within", line="2 år") in text
    assert NB("two_year.above", line="2 år") not in text
    assert "Kroppskrenkelse (straffeloven § 271): inntil 1 år – ditt ønske skal vektlegges" in text


def test_g15_section_274_is_above_the_line_so_the_police_may_prosecute_without_her_wish(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    make_assessment(ansatt, case, offences=["straffeloven-274"])
    text = _text(ansatt, case, tmp_path)
    assert NB("two_year.above", line="2 år") in text
    assert NB("two_year.within", line="2 år") not in text
    assert (
        "Grov kroppsskade (straffeloven § 274): inntil 10 år – politiet kan straffeforfølge "
        "uten ditt ønske"
    ) in text


def test_g15_the_newest_assessment_decides_which_offences_are_shown(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    make_assessment(ansatt, case, offences=["straffeloven-274"])
    make_assessment(ansatt, case, offences=["straffeloven-271"])
    assert NB("two_year.within", line="2 år") in _text(ansatt, case, tmp_path)


def test_g15_without_recorded_offences_the_general_rule_is_explained(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    text = _text(ansatt, case, tmp_path)
    assert NB("two_year.none", line="2 år") in text


def test_g5_without_an_assessment_the_offences_told_before_consent_are_used(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    record = InformationRecord.objects.create(
        centre=case.centre, case=case, kind="public_prosecution", given_by=ansatt,
        given_at=clock.now(), language="nb", offences=["straffeloven-283"],
    )  # fmt: skip
    text = _text(ansatt, case, tmp_path, information_record=record)
    assert NB("two_year.above", line="2 år") in text
    assert "straffeloven § 283" in text


def test_c1_a_consent_to_another_crisis_centre_names_it_and_an_open_end_is_explained(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    text = _text(
        ansatt, case, tmp_path, recipient_kind=RecipientKind.CRISIS_CENTRE, police_district="",
        recipient_unit="Dalby krisesenter", expires_at=None,
    )  # fmt: skip
    assert NB("consent.recipient_centre", unit="Dalby krisesenter") in text
    assert NB("consent.duration_open") in text
    assert "politidistrikt" not in text


def test_c1_a_withdrawn_consent_says_so_at_the_top(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    when = clock.now()
    text = _text(ansatt, case, tmp_path, withdrawn_at=when)
    assert NB("consent.withdrawn_notice", date=render.date_text("nb", when)) in text
