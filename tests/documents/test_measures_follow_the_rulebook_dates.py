"""G13, P1: the information sheet lists the measures valid on the day (the catalogue's dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from vern.cases.models import Case
from vern.documents import render
from vern.rules import load_rulebook

pytestmark = pytest.mark.django_db


def test_p1_a_measure_appears_only_from_its_valid_from_date(case: Case) -> None:
    book = load_rulebook()
    dated = next(m for m in book.measures if m.valid_from is not None)
    assert dated.valid_from is not None
    before = dated.valid_from - dt.timedelta(days=1)
    assert dated not in render.measures_on(book, before)
    assert dated in render.measures_on(book, dated.valid_from)
    assert dated.title.nb not in render.information_sheet_html(case, "nb", today=before)
    assert dated.title.nb in render.information_sheet_html(case, "nb", today=dated.valid_from)
