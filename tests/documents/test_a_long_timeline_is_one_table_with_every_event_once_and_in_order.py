"""The case summary's timeline of a long case (issue 19 target 4: a table over many pages) is
one table with one header, every event once and in order, in the HTML and in the PDF's text
(a table split over pages must not drop, repeat or reorder rows)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.documents.conftest import pdf_text
from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent
from vern.core import clock
from vern.documents import render
from vern.documents.texts import language

TIMELINE_ONLY = render.SummarySections(
    assessments=False, consents=False, police=False, relocations=False, child_welfare=False
)


@pytest.mark.django_db
def test_a_long_timeline_is_one_table_with_every_event_once_and_in_order(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    start = clock.now() - dt.timedelta(days=30)
    events = 120  # about four pages
    CaseEvent.objects.bulk_create(
        CaseEvent(
            centre=case.centre,
            case=case,
            at=start + dt.timedelta(hours=n),
            kind="trigger",
            summary=f"event {n}",
            actor=ansatt,
        )
        for n in range(events)
    )
    rows = case.events.count()  # with the case's own "created" line
    html = render.case_summary_html(case, "nb", sections=TIMELINE_ONLY, today=clock.today())
    table = html[html.index('<table class="vern-long-table">') :]
    table = table[: table.index("</table>")]
    assert table.count("<thead>") == 1
    times = re.findall(r'<td class="vern-when">([^<]*)</td>', table)
    assert len(times) == rows
    expected = [render._time(language("nb"), e.at) for e in case.events.order_by("at", "id")]
    assert times == expected

    text = pdf_text(
        render.case_summary_pdf(case, "nb", sections=TIMELINE_ONLY, today=clock.today()),
        tmp_path,
    )
    positions = [text.find(stamp) for stamp in expected[1:]]  # after the creation line
    assert -1 not in positions
    assert positions == sorted(positions)
