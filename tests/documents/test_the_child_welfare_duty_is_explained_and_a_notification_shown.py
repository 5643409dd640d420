"""B1 in the documents for the user: the information sheet explains, in plain and neutral
words, that staff must tell the child welfare service when there is reason to believe a child
is mistreated or seriously neglected, even without consent; the case summary says when a
notification was sent, only when staff include that part. Arabic (a sample) falls back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.documents.conftest import pdf_text, save_screenshot
from vern.accounts.models import User
from vern.cases.models import Case, CaseChild
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.core import clock
from vern.documents import render
from vern.documents.texts import Translator, language

pytestmark = pytest.mark.django_db

LANGS = ("nb", "nn", "en")
SENT_ON = dt.date(2026, 3, 4)


@pytest.fixture
def notified_case(ansatt: User, case: Case) -> Case:
    child = CaseChild.objects.create(centre=case.centre, case=case, label="Barn 1")
    notification = ChildWelfareNotification.objects.create(
        centre=case.centre,
        case=case,
        sent_on=SENT_ON,
        service="Barnevernstjenesten i Testby",
        channel="phone",
        shared_categories=["child_situation"],
        sent_by=ansatt,
        user_told="yes",
        user_told_on=SENT_ON,
        user_told_how="Samtale",
        recorded_by=ansatt,
    )
    ChildWelfareConcern.objects.create(
        centre=case.centre,
        case=case,
        child=child,
        grounds=["mistreated"],
        reason="Grunn",
        recorded_by=ansatt,
        recorded_at=clock.now(),
        notification=notification,
    )
    return case


@pytest.mark.parametrize("lang", LANGS)
def test_b1_the_information_sheet_explains_the_duty_even_without_consent(
    lang: str, case: Case, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    pdf = render.information_sheet_pdf(case, lang, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert t("child_welfare.heading") in text
    assert t("child_welfare.duty_1") in text
    assert t("child_welfare.duty_2") in text
    save_screenshot(pdf, f"information_sheet-child_welfare-{lang}", tmp_path)


def test_b1_the_texts_say_mistreated_seriously_neglected_and_without_consent() -> None:
    nb = Translator(language("nb"))
    assert "mishandlet" in nb("child_welfare.duty_1")
    assert "alvorlig omsorgssvikt" in nb("child_welfare.duty_1")
    assert "ikke samtykker" in nb("child_welfare.duty_2")
    en = Translator(language("en"))
    assert "seriously neglected" in en("child_welfare.duty_1")
    assert "do not consent" in en("child_welfare.duty_2")
    for lang in LANGS:
        t = Translator(language(lang))
        for key in ("duty_1", "duty_2"):
            words = t(f"child_welfare.{key}").lower().replace(",", " ").split()
            for word in ("hun", "ham", "hennes", "she", "her", "him", "ho", "henne"):
                assert word not in words, (lang, key, word)


def test_b1_the_arabic_information_sheet_falls_back_to_english_for_the_duty(
    case: Case, tmp_path: Path
) -> None:
    en = Translator(language("en"))
    pdf = render.information_sheet_pdf(case, "ar", today=clock.today())
    # pdftotext wraps each line of a right-to-left page in bidi embedding marks (U+202A-U+202E);
    # the English paragraph is there as written once they are removed.
    text = " ".join(re.sub("[\u202a-\u202e]", "", pdf_text(pdf, tmp_path)).split())
    assert en("child_welfare.duty_2") in text


@pytest.mark.parametrize("lang", LANGS)
def test_b1_the_case_summary_says_when_the_notification_was_sent_when_included(
    lang: str, notified_case: Case, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    day = {"nb": "4. mars 2026", "nn": "4. mars 2026", "en": "4 March 2026"}[lang]
    sections = render.SummarySections(timeline=False, child_welfare=True)
    pdf = render.case_summary_pdf(notified_case, lang, sections=sections, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert t("child_welfare.summary_heading") in text
    assert t("child_welfare.duty_2") in text
    assert t("child_welfare.summary_sent", date=day) in text
    assert "Barnevernstjenesten i Testby" in text
    save_screenshot(pdf, f"case_summary-child_welfare-{lang}", tmp_path)

    left_out = render.SummarySections(timeline=False)
    text = pdf_text(
        render.case_summary_pdf(notified_case, lang, sections=left_out, today=clock.today()),
        tmp_path,
    )
    assert t("child_welfare.summary_heading") not in text
    assert "Barnevernstjenesten i Testby" not in text


def test_b1_the_case_summary_without_a_notification_says_none_is_recorded(
    case: Case, tmp_path: Path
) -> None:
    t = Translator(language("nb"))
    sections = render.SummarySections(timeline=False, child_welfare=True)
    text = pdf_text(
        render.case_summary_pdf(case, "nb", sections=sections, today=clock.today()), tmp_path
    )
    assert t("child_welfare.summary_none") in text
