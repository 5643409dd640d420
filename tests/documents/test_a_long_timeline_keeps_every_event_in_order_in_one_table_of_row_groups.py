"""Issue 19 target 4: the case summary's timeline is cut into row groups (a ``<tbody>`` per
``ROWS_PER_GROUP`` events) so that WeasyPrint's work per page stays with the page's rows. The
cut must change nothing a reader sees: one table with one header, every event once, in order,
in the HTML and in the PDF's text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.documents.conftest import pdf_text
from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent
from vern.core import clock
from vern.documents import render
from vern.documents.texts import language

TIMELINE_ONLY = render.SummarySections(
    assessments=False, consents=False, police=False, relocations=False, child_welfare=False
)


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=40))
def test_row_groups_are_the_rows_in_order_cut_into_groups_of_the_size(
    rows: list[int], size: int
) -> None:
    groups = render.row_groups(rows, size)
    assert [row for group in groups for row in group] == rows
    assert all(1 <= len(group) <= size for group in groups)
    assert all(len(group) == size for group in groups[:-1])


@pytest.mark.django_db
def test_a_long_timeline_is_one_table_with_every_event_once_and_in_order(
    ansatt: User, case: Case, tmp_path: Path
) -> None:
    start = clock.now() - dt.timedelta(days=30)
    events = render.ROWS_PER_GROUP * 2 + 7
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
    assert table.count("<tbody>") == -(-rows // render.ROWS_PER_GROUP)  # rounded up
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
