"""The case page's timeline reuses the mappings, information records and consents its panels
read (issue 19 target 1): its lines equal the timeline read on its own, for every seeded case,
and a kind whose objects the reads lack is still read."""

from __future__ import annotations

import pytest

from vern.bench.seed import seed
from vern.cases import selectors as case_selectors
from vern.cases.models import Case, CaseEvent
from vern.cases.panels import CaseReads
from vern.centres.tenancy import system_scope
from vern.desk.timeline import timeline_lines
from vern.desk.views import _timeline_known

pytestmark = pytest.mark.django_db


def _texts(case: Case, reads: CaseReads | None) -> list[tuple[int, str]]:
    known = _timeline_known(case, reads)
    lines = timeline_lines(case_selectors.case_timeline(case=case), known=known)
    return [(line.event.pk, str(line.text)) for line in lines]


def test_the_lines_from_the_shared_reads_equal_the_lines_read_alone() -> None:
    seed(cases=30, centres=1, audit_events=5)
    with system_scope():
        cases = list(Case.objects.order_by("pk"))
        reused = set()
        for case in cases:
            reads = CaseReads(case)
            assert _texts(case, reads) == _texts(case, None), case.reference
            kinds = set(case.events.values_list("kind", flat=True))
            reused |= kinds & {"risk_mapping", "information_given", "consent_given"}
    # The sample has lines of every kind taken from the reads (not an empty comparison).
    assert reused == {"risk_mapping", "information_given", "consent_given"}


def test_an_object_missing_from_the_reads_is_read_for_the_line() -> None:
    seed(cases=12, centres=1, audit_events=5)
    with system_scope():
        event = CaseEvent.objects.filter(kind="consent_given").select_related("case").first()
        assert event is not None
        alone = dict(_texts(event.case, None))[event.pk]
        lines = timeline_lines([event], known={"consent_given": {}})
        assert str(lines[0].text) == alone
