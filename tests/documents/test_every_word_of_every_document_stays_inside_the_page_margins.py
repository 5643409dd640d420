"""Every document for the user fits the page: no word may end beyond the right margin (the case
summary's consents table has six columns, three of them dates; a long unit name once pushed its
last columns, the withdrawal date among them, off the paper). Checked on the words' positions
as poppler reads them from the PDF, in every document language."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from tests.documents.conftest import make_consent
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render
from vern.documents.selectors import access_events

pytestmark = pytest.mark.django_db
A4_WIDTH_PT = 595.28
RIGHT_MARGIN_PT = 20 / 25.4 * 72  # print.css: @page margin 20 mm on the right


def _words_beyond_the_margin(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    limit = A4_WIDTH_PT - RIGHT_MARGIN_PT + 1.0  # 1 pt for rounding
    return [
        f"{word} (x {float(x_max):.1f} > {limit:.1f})"
        for x_max, word in re.findall(
            r'<word xMin="[^"]+" yMin="[^"]+" xMax="([^"]+)"[^>]*>([^<]*)<', html
        )
        if float(x_max) > limit
    ]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_consents_table_with_every_date_and_a_long_unit_name_fits_the_page(
    lang: str, ansatt: User, case: Case, tmp_path: Path
) -> None:
    make_consent(
        ansatt,
        case,
        recipient_unit="Familievoldskoordinatorenheten ved Sentrum politistasjon",
        expires_at=clock.now() + dt.timedelta(days=300),
        withdrawn_at=clock.now() + dt.timedelta(days=2),
    )
    sections = render.SummarySections(timeline=False, assessments=False, police=False)
    pdf = render.case_summary_pdf(case, lang, sections=sections, today=clock.today())
    assert _words_beyond_the_margin(pdf, tmp_path) == []


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_a_summary_with_every_section_and_the_destination_fits_the_page(
    lang: str, full_case: Case, tmp_path: Path
) -> None:
    sections = render.SummarySections(relocation_destination=True)
    pdf = render.case_summary_pdf(full_case, lang, sections=sections, today=clock.today())
    assert _words_beyond_the_margin(pdf, tmp_path) == []


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_other_documents_fit_the_page(
    lang: str, full_case: Case, consent: Consent, assessment: Assessment, tmp_path: Path
) -> None:
    today = clock.today()
    documents = {
        "consent form": render.consent_form_pdf(consent, lang, today=today),
        "information sheet": render.information_sheet_pdf(full_case, lang, today=today),
        "assessment explained": render.assessment_explained_pdf(assessment, lang, today=today),
        "access report": render.access_report_pdf(
            full_case, lang, events=access_events(case=full_case), today=today
        ),
    }
    beyond = {
        name: words
        for name, pdf in documents.items()
        if (words := _words_beyond_the_margin(pdf, tmp_path))
    }
    assert beyond == {}
