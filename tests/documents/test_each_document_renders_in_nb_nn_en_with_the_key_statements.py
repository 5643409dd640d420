"""Each document renders in nb, nn and en (issue 7): real text (pdftotext), the key statements
correct for the data, a tagged PDF (PDF/UA-1) with its language, and a screenshot of page 1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.documents.conftest import (
    DESTINATION,
    PURPOSE,
    UNIT,
    make_assessment,
    pdf_objects,
    pdf_text,
    save_screenshot,
)
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.consent.models import Consent, ConsentForm, WrittenMethod
from vern.core import clock
from vern.documents import render
from vern.documents.selectors import access_events
from vern.documents.texts import Translator, language
from vern.rules import load_rulebook

pytestmark = pytest.mark.django_db
LANGS = ("nb", "nn", "en")


def _assert_tagged(pdf: bytes, lang: str) -> None:
    objects = pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects
    assert b"/Lang" in objects
    assert f"({lang})".encode() in objects or f"/Lang <{lang.encode().hex()}>".encode() in objects


@pytest.mark.parametrize("lang", LANGS)
def test_g3_g15_c1_the_consent_form_names_centre_recipient_scope_two_year_rule_and_withdrawal(
    lang: str, full_case: Case, consent: Consent, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    pdf = render.consent_form_pdf(consent, lang, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert t("consent.given_to", centre="Senter A") in text  # the centre, not an employee
    assert "Oslo politidistrikt" in text  # recipient
    assert UNIT in text
    assert PURPOSE in text
    for code in ("identity", "violence", "risk_mapping"):
        assert t(f"category.{code}") in text  # scope
    assert t("category.address") not in text
    assert t("category.children") not in text
    assert t("consent.voluntary") in text
    assert t("withdraw.body") in text  # withdrawal: how, and that it takes effect at once
    assert "62 a" in text
    # § 271 (1 year) is within the two-year line, § 274 (10 years) above it.
    two = {"nb": "2 år", "nn": "2 år", "en": "2 years"}[lang]
    assert t("two_year.above", line=two) in text
    assert "straffeloven § 271" in text
    assert "straffeloven § 274" in text
    book = load_rulebook()
    one, ten = {"nb": ("1 år", "10 år"), "nn": ("1 år", "10 år"), "en": ("1 year", "10 years")}[
        lang
    ]
    for offence_id, key, years in (
        ("straffeloven-271", "two_year.offence_within", one),
        ("straffeloven-274", "two_year.offence_above", ten),
    ):
        offence = render.offence_on(book, offence_id, clock.today())
        assert offence is not None
        line = t(key, title=offence.title.get(lang), section=offence.section, years=years)
        assert line in text
    assert t("consent.sign_user") in text
    assert t("consent.sign_centre") in text
    _assert_tagged(pdf, lang)
    save_screenshot(pdf, f"consent_form-{lang}", tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_a_consent_signed_on_screen_says_so_on_its_form_instead_of_empty_signature_lines(
    lang: str, full_case: Case, consent: Consent, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    consent.form = ConsentForm.WRITTEN
    consent.written_method = WrittenMethod.ON_SCREEN
    consent.signed_by_name = "Kari Nordmann"
    consent.save()  # test data: as «Vurder sammen» stores it
    text = " ".join(pdf_text(render.consent_form_pdf(consent, lang, today=clock.today()),
                             tmp_path).split())  # fmt: skip
    signed = {"nb": "Samtykket er signert på skjermen", "nn": "Samtykket er signert på skjermen",
              "en": "The consent was signed on screen"}[lang]  # fmt: skip
    assert signed in text
    assert "Kari Nordmann" in text
    for key in ("consent.sign_user", "consent.sign_name", "consent.sign_date"):
        assert t(key) not in text


@pytest.mark.parametrize("lang", LANGS)
def test_g12_g13_p1_the_information_sheet_lists_police_help_measures_and_saying_no(
    lang: str, case: Case, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    pdf = render.information_sheet_pdf(case, lang, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    for key in ("info.police_1", "info.police_3", "info.no_1", "info.no_2", "info.no_4",
                "info.prosecution_1", "withdraw.body"):  # fmt: skip
        assert t(key) in text, key
    book = load_rulebook()
    for measure in render.measures_on(book, clock.today()):
        assert measure.title.get(lang) in text
    assert book.measures_note.get(lang) in text
    _assert_tagged(pdf, lang)
    save_screenshot(pdf, f"information_sheet-{lang}", tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_g6_g7_the_assessment_explained_says_what_was_considered_recommended_and_next(
    lang: str, assessment: Assessment, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    pdf = render.assessment_explained_pdf(assessment, lang, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert t("assess.risk_yes") in text
    assert t("assess.factor_great_danger") in text
    assert t("assess.factor_needs_police_or_court_safety_measures") in text
    assert t("assess.factor_user_wants_to_report") not in text  # only factors that held
    assert t("assess.involvement_required") in text
    outcome, snapshot = render.assessment_outcome(assessment, lang)
    assert not snapshot
    for reason in outcome["reasons"]:  # issue 7 point 3: her texts, not the staff's reasons
        assert t(f"rule.{reason['rule']}") in text
        assert str(reason["text"]) not in text
    assert t(f"next.{outcome['next_step']}") in text
    assert str(outcome["next_step_text"]) not in text
    assert t("assess.snapshot_note") not in text
    assert t("assess.your_consent") in text
    assert assessment.rulebook_version in text
    _assert_tagged(pdf, lang)
    save_screenshot(pdf, f"assessment_explained-{lang}", tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_an_explanation_printed_after_its_reassessment_day_does_not_promise_that_day(
    lang: str, ansatt: User, case: Case, assessment: Assessment, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    today = clock.today()
    day = today - dt.timedelta(days=5)
    Assessment.objects.filter(pk=assessment.pk).update(next_reassessment_on=day)  # test data
    assessment.refresh_from_db()
    date = render.date_text(lang, day)

    def text() -> str:
        pdf = render.assessment_explained_pdf(assessment, lang, today=today)
        return " ".join(pdf_text(pdf, tmp_path).split())

    overdue = text()
    assert " ".join(t("assess.reassess_overdue", date=date).split()) in overdue
    assert t("assess.reassess", date=date) not in overdue
    # A newer assessment exists: the old explanation says nothing about the passed day.
    make_assessment(ansatt, case, offences=["straffeloven-271"])
    older = text()
    assert " ".join(t("assess.reassess_overdue", date=date).split()) not in older
    assert t("assess.reassess", date=date) not in older


@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_keeps_the_child_welfare_duty_and_its_record_on_one_page(
    lang: str, full_case: Case
) -> None:
    # The last part of a summary broke before its last line, which stood alone on a last page.
    t = Translator(language(lang))
    html = render.case_summary_html(
        full_case, lang, sections=render.SummarySections(child_welfare=True), today=clock.today()
    )
    part = html.split('id="summary-child-welfare"', 1)[1]
    kept = part.split('<div class="vern-doc-keep">', 1)[1].split("</div>", 1)[0]
    for key in ("child_welfare.duty_1", "child_welfare.duty_2", "child_welfare.summary_none"):
        assert " ".join(t(key).split()) in " ".join(kept.replace("&#x27;", "'").split()), key


@pytest.mark.parametrize("lang", LANGS)
def test_the_case_summary_has_the_chosen_parts_and_hides_the_destination_unless_chosen(
    lang: str, full_case: Case, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    sections = render.SummarySections(relocations=True)
    pdf = render.case_summary_pdf(full_case, lang, sections=sections, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    for key in ("summary.timeline_heading", "summary.assessments_heading",
                "summary.consents_heading", "summary.police_heading",
                "summary.relocations_heading", "summary.not_included"):  # fmt: skip
        assert t(key) in text, key
    assert f"vern-politiinvolvering {load_rulebook().version}" in text  # each assessment's
    assert DESTINATION not in text
    _assert_tagged(pdf, lang)
    save_screenshot(pdf, f"case_summary-{lang}", tmp_path)
    chosen = render.SummarySections(relocations=True, relocation_destination=True)
    with_destination = pdf_text(
        render.case_summary_pdf(full_case, lang, sections=chosen, today=clock.today()), tmp_path
    )
    assert DESTINATION in with_destination
    only_consents = render.SummarySections(timeline=False, assessments=False, police=False)
    text = pdf_text(
        render.case_summary_pdf(full_case, lang, sections=only_consents, today=clock.today()),
        tmp_path,
    )
    assert t("summary.consents_heading") in text
    assert t("summary.timeline_heading") not in text
    assert t("summary.police_heading") not in text


@pytest.mark.parametrize("lang", LANGS)
def test_issue6_the_access_report_lists_accesses_with_roles_and_actions(
    lang: str, full_case: Case, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    events = access_events(case=full_case)
    pdf = render.access_report_pdf(full_case, lang, events=events, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert t("access.role_ansatt") in text
    assert t("action.case_created") in text
    assert "Senter A" in text
    _assert_tagged(pdf, lang)
    save_screenshot(pdf, f"access_report-{lang}", tmp_path)


def test_pdf_has_body_text_at_twelve_points_and_embedded_fonts(
    consent: Consent, tmp_path: Path
) -> None:
    html = render.consent_form_html(consent, "nb", today=clock.today())
    assert '<html lang="nb" dir="ltr">' in html
    assert "font-size: 12pt" in render.PRINT_CSS.read_text(encoding="utf-8")
    pdf = render.consent_form_pdf(consent, "nb", today=clock.today())
    objects = pdf_objects(pdf)
    assert b"/FontFile2" in objects  # TrueType fonts embedded, not referenced
    assert b"Inter" in objects


def test_the_file_name_carries_no_names() -> None:
    assert render.filename(render.CONSENT_FORM, 12, "nb") == "samtykke-12-nb.pdf"
    assert render.filename(render.CONSENT_FORM, 12, "en", 3) == "samtykke-12-3-en.pdf"
