"""Issue 7: right-to-left layout works; the Arabic sample is marked as an unreviewed
translation, and its text is real text in the PDF."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.documents.conftest import arabic_font_available, pdf_text, save_screenshot
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.texts import language

pytestmark = pytest.mark.django_db


def test_the_arabic_information_sheet_is_rtl_marked_unreviewed_and_extractable(
    case: Case, tmp_path: Path
) -> None:
    if not arabic_font_available():
        if os.environ.get("CI"):
            pytest.fail("CI must have an Arabic-capable font (.ci/run installs fonts-dejavu-core)")
        pytest.skip("no Arabic-capable font installed (apt install fonts-dejavu-core)")
    html = render.information_sheet_html(case, "ar", today=clock.today())
    assert '<html lang="ar" dir="rtl">' in html
    assert '<body dir="rtl"' in html
    assert language("ar").texts["common.unreviewed"] in html
    assert 'lang="en" dir="ltr"' in html  # the rulebook's measures fall back to English, marked
    pdf = render.html_to_pdf(html)
    text = pdf_text(pdf, tmp_path)
    assert "الشرطة" in text  # "the police"
    assert "تستطيع" in text
    save_screenshot(pdf, "information_sheet-ar", tmp_path)
