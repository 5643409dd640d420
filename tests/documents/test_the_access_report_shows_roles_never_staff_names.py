"""Issue 6 point 3: the access report (innsynslogg) lists time, role, centre, action and reason
for the case and its objects, as a page and as a PDF in the user's language; producing it is
audited; staff NAMES never appear (docs/security.md: a perpetrator may force the user to show
it). Canary: a unique full name for the staff member must be absent from the page and the PDF."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import pdf_text
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.documents.selectors import access_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def canary(ansatt: User) -> str:
    name = f"Kanari{uuid.uuid4().hex[:10]} Navnesen"
    User.objects.filter(pk=ansatt.pk).update(full_name=name)
    return name


def test_issue6_the_page_and_the_pdf_show_roles_and_centre_but_no_staff_name(
    ansatt_client: Client, ansatt: User, full_case: Case, canary: str, tmp_path: Path
) -> None:
    ansatt_client.get(reverse("cases:detail", args=[full_case.pk]))
    page = ansatt_client.get(reverse("documents:access_report", args=[full_case.pk]) + "?sprak=nb")
    assert page.status_code == 200
    body = page.content.decode()
    for shown in ("Ansatt", "Saken ble åpnet", "Senter A"):
        assert shown in body
    # The page shows the logged-in user's name in the header (base.html): the report table not.
    table = body[body.index("<table") : body.index("</table>")]
    assert canary not in table
    assert ansatt.username not in table
    pdf = ansatt_client.get(
        reverse("documents:access_report_pdf", args=[full_case.pk]) + "?sprak=en"
    )
    text = pdf_text(pdf.content, tmp_path)
    assert canary not in text
    assert ansatt.username not in text
    assert "Staff member" in text
    assert "The case was opened" in text
    assert "Access log made" in text  # producing the report is itself in the log


def test_issue6_producing_the_report_is_audited_once_per_request(
    ansatt_client: Client, full_case: Case
) -> None:
    before = AuditEvent.objects.count()
    ansatt_client.get(reverse("documents:access_report", args=[full_case.pk]))
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.action, e.object_id, e.details) for e in events] == [
        ("access_report", str(full_case.pk), {"lang": "nb", "format": "page"})
    ]


def test_issue6_events_on_the_case_objects_are_included_and_other_cases_are_not(
    ansatt: User, full_case: Case, consent: Consent, other_case: Case
) -> None:
    on_consent = audit_record(
        action=AuditAction.CONSENT_WITHDRAWN,
        actor=ansatt,
        centre=full_case.centre,
        object_type="consent",
        object_id=consent.pk,
        reason="user_request",
    )
    elsewhere = audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=ansatt,
        centre=full_case.centre,
        object_type="case",
        object_id=other_case.pk,
    )
    seqs = set(access_events(case=full_case).values_list("seq", flat=True))
    assert on_consent.seq in seqs
    assert elsewhere.seq not in seqs
