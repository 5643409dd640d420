"""English dates read "1 December 2026" (day, month, year, no full stop), bokmål and nynorsk
"1. desember 2026"; templates and code name the format instead of writing a Norwegian pattern
(issue 14 point 7)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import formats, translation

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "vern"
DAY = dt.date(2026, 12, 1)
MOMENT = dt.datetime(2026, 12, 1, 14, 5, tzinfo=dt.UTC)
# A date pattern with the Norwegian full stop after the day, written into a template or code.
NORWEGIAN_PATTERN = re.compile(r"""["']j\. [FMN]""")


@pytest.mark.parametrize(
    ("lang", "day", "moment"),
    [
        ("en", "1 December 2026", "1 December 2026 15:05"),
        ("nb", "1. desember 2026", "1. desember 2026 15:05"),
        ("nn", "1. desember 2026", "1. desember 2026 15:05"),
    ],
)
def test_the_named_formats_read_as_the_language_writes_dates(
    lang: str, day: str, moment: str
) -> None:
    template = Template('{{ day|date:"DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}')
    with translation.override(lang):
        assert template.render(Context({"day": DAY, "moment": MOMENT})) == f"{day}|{moment}"
        assert formats.date_format(DAY, "DATE_FORMAT") == day


def test_english_short_dates_name_the_month() -> None:
    with translation.override("en"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "1 Dec 2026"


def test_no_web_template_or_code_writes_a_norwegian_date_pattern() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()[:120]}"
        for path in [*PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.py")]
        # The PDFs have their own dates (documents/texts/*.yaml).
        if not path.is_relative_to(PACKAGE / "templates" / "documents" / "pdf")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NORWEGIAN_PATTERN.search(line)
    ]
    assert found == [], 'use date:"DATE_FORMAT" / "DATETIME_FORMAT":\n' + "\n".join(found)
