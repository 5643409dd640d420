"""Issue 14 point 7: the case summary's timeline lines are made in the document language from
each line's code and record (never the stored staff-facing line, which is in the language of
whoever saved it), and are not said to be "written by staff"; every date in every document
reads as the language writes it: "1. desember 2026" in nb and nn, "1 December 2026" in en."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from tests.documents.conftest import pdf_text
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case, CaseEvent
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render
from vern.documents.selectors import access_events
from vern.documents.texts import Translator, language
from vern.police.models import ContactStatus

pytestmark = pytest.mark.django_db
LANGS = ("nb", "nn", "en")
SRC = Path(render.__file__).resolve().parents[1]
NB_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
             "september", "oktober", "november", "desember")  # fmt: skip
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip


def _in_words(lang: str, day: dt.date) -> str:
    if lang == "en":
        return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day}. {NB_MONTHS[day.month - 1]} {day.year}"


def _event(case: Case, user: User, kind: str, summary: str, obj: object = None) -> None:
    CaseEvent.objects.create(
        centre=case.centre, case=case, at=clock.now(), kind=kind, summary=summary, actor=user,
        object_type=obj._meta.model_name if obj is not None else "",  # type: ignore[attr-defined]
        object_id=obj.pk if obj is not None else None,  # type: ignore[attr-defined]
    )  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_the_timeline_lines_are_in_the_document_language_and_not_said_to_be_staffs(
    lang: str, ansatt: User, full_case: Case, consent: Consent, tmp_path: Path
) -> None:
    contact = full_case.police_contacts.get()
    _event(full_case, ansatt, "consent_given", "Samtykke registrert: til politiet", consent)
    _event(full_case, ansatt, "consent_withdrawn", "Samtykke trukket tilbake", consent)
    _event(
        full_case, ansatt, f"police_contact_{ContactStatus.DONE}",
        "Politikontakt registrert (grunnlag: Samtykke (krisesenterlova § 5))", contact,
    )  # fmt: skip
    t = Translator(language(lang))
    sections = render.SummarySections(assessments=False, consents=False, police=False)
    text = pdf_text(
        render.case_summary_pdf(full_case, lang, sections=sections, today=clock.today()), tmp_path
    )
    for line in (
        t("timeline.case_created"),
        t("timeline.consent_given_police"),
        t("timeline.consent_withdrawn"),
        t("timeline.police_contact_done", ground=t("summary.ground_consent")),
    ):
        assert line in text, line
    assert t("summary.timeline_note") in text
    for staff_word in ("skrevet av de ansatte", "skrivne av dei tilsette", "written by staff"):
        assert staff_word not in text
    if lang != "nb":  # the stored bokmål lines are not printed
        for stored in ("Sak opprettet", "Samtykke trukket tilbake", "Politikontakt registrert"):
            assert stored not in text, stored


@pytest.mark.parametrize("lang", LANGS)
def test_an_automatic_assessment_is_marked_in_the_timeline_and_the_assessments(
    lang: str, ansatt: User, full_case: Case, assessment: Assessment, tmp_path: Path
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(cause="consent_given")
    _event(
        full_case,
        ansatt,
        "assessment",
        "Vurderingen ble oppdatert etter ny registrering",
        assessment,
    )
    t = Translator(language(lang))
    sections = render.SummarySections(consents=False, police=False)
    text = pdf_text(
        render.case_summary_pdf(full_case, lang, sections=sections, today=clock.today()), tmp_path
    )
    assert t("timeline.assessment_automatic", outcome="").rstrip(" :") in text
    assert t("summary.assessment_automatic") in text


def _timeline_codes() -> set[str]:
    """Every timeline code the services write: the ``kind=`` of each case_change/case_event
    call in src/vern (f-strings expanded over the police contact statuses)."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in {"case_change", "case_event"}:
                continue
            for keyword in node.keywords:
                if keyword.arg != "kind":
                    continue
                value = keyword.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    codes.add(value.value)
                elif isinstance(value, ast.JoinedStr):
                    prefix = "".join(
                        str(v.value) for v in value.values if isinstance(v, ast.Constant)
                    )
                    assert prefix == "police_contact_", f"{path}: new f-string timeline code"
                    codes.update(f"{prefix}{status}" for status in ContactStatus.values)
    return codes


@pytest.mark.parametrize("lang", LANGS)
def test_every_timeline_code_the_services_write_has_a_text(lang: str) -> None:
    codes = _timeline_codes()
    assert {"case_created", "assessment", "consent_withdrawn", "police_contact_done"} <= codes
    texts = language(lang).texts
    missing = sorted(
        code
        for code in codes
        if code not in render.TIMELINE_CODES_WITH_VALUES and f"timeline.{code}" not in texts
    )
    assert not missing, f"no timeline.<code> text in {lang}.yaml for {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_document_writes_its_dates_in_words_in_its_language(
    lang: str, full_case: Case, consent: Consent, assessment: Assessment, tmp_path: Path
) -> None:
    today = clock.today()
    day = _in_words(lang, today)
    pdfs = {
        "consent": render.consent_form_pdf(consent, lang, today=today),
        "info": render.information_sheet_pdf(full_case, lang, today=today),
        "assessment": render.assessment_explained_pdf(assessment, lang, today=today),
        "summary": render.case_summary_pdf(
            full_case, lang, sections=render.SummarySections(relocations=True), today=today
        ),
        "access": render.access_report_pdf(
            full_case, lang, events=access_events(case=full_case), today=today
        ),
    }
    for name, pdf in pdfs.items():
        text = pdf_text(pdf, tmp_path)
        assert day in text, name
        assert today.strftime("%d.%m.%Y") not in text, name
        assert today.isoformat() not in text, name
        if lang == "en":
            assert f"{today.day}. {EN_MONTHS[today.month - 1]}" not in text, name
    assert render.date_text(lang, dt.date(2026, 12, 1)) == _in_words(lang, dt.date(2026, 12, 1))
