"""The case page reads each of the case's row sets once per request (issue 19): the panels and
the state summary share the reads (``vern.cases.panels.CaseReads``) instead of each reading
the children, the consents, the contacts and the newest assessment again. The timeline's own
reads of the objects its lines name are not counted here."""

from __future__ import annotations

import re
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.fuzz.helpers import login_seeded
from vern.audit.models import AuditEvent
from vern.bench.pages import probe_case, staff_of
from vern.bench.seed import seed
from vern.centres.models import Centre
from vern.police.models import PoliceContact

pytestmark = pytest.mark.django_db

ONCE = (
    "cases_casechild",
    "consent_consent",
    "consent_consentrefusal",
    "consent_informationrecord",
    "police_policecontact",
    "police_deviation",
    "relocation_relocation",
    "childwelfare_childwelfareconcern",
)
_TABLE = re.compile(r'\bFROM "(\w+)"')


def test_no_row_set_of_the_case_is_read_twice_by_one_case_page_request() -> None:
    seed(cases=12, centres=1, audit_events=20)
    centre = Centre.objects.get()
    client = login_seeded(Client(), staff_of(centre)["ansatt"])
    case, _assessment = probe_case(centre)
    url = reverse("cases:detail", kwargs={"pk": case.pk})
    client.get(url)  # warm
    tables: Counter[str] = Counter()

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        frames = traceback.extract_stack()
        stack = "".join(str(frame.filename) for frame in frames)
        prefetch = '"police_contact_id" IN' in sql  # the contacts' deviations, prefetched
        probe = any(frame.name == "_probe" for frame in frames)  # which sets have any row
        if sql.startswith("SELECT") and "timeline.py" not in stack and not (prefetch or probe):
            match = _TABLE.search(sql)
            if match:
                tables[match.group(1)] += 1
        return execute(sql, params, many, ctx)

    viewed = AuditEvent.objects.filter(action="case_viewed").count()
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200
    twice = {table: n for table, n in tables.items() if table in ONCE and n > 1}
    assert not twice, twice
    assert {"cases_casechild", "consent_consent"} <= set(tables)
    # The contacts are read unless the page's probe found none (CaseReads.has_rows).
    has_contacts = PoliceContact.objects.filter(case=case).exists()
    assert ("police_policecontact" in tables) == has_contacts
    # The newest assessment once (the assessments, police and relocation panels and the
    # summary), the panel's count of assessments once.
    assert tables["assessments_assessment"] == 2, tables
    # The read is still audited: exactly one read event for the request.
    assert AuditEvent.objects.filter(action="case_viewed").count() == viewed + 1
