"""Issue 7 point 4: staff choose what the case summary includes; exporting it needs a fresh
one-time code (step-up) and writes one export event with the parts chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import DESTINATION, pdf_text, step_up
from vern.accounts.models import User
from vern.accounts.sessions import STEP_UP_AT
from vern.audit.models import AuditEvent
from vern.cases.models import Case

pytestmark = pytest.mark.django_db

CHOICE = {"sprak": "nb", "timeline": "on", "assessments": "on", "consents": "on",
          "police": "on", "relocations": "on"}  # fmt: skip


def test_without_a_fresh_code_the_summary_asks_for_one(
    ansatt_client: Client, full_case: Case
) -> None:
    """The form page (GET) goes to step-up and back; the export (POST) shows the step-up form
    in place, with the choices carried (issue 15)."""
    session = ansatt_client.session  # the login's own code counts as a step-up: forget it
    session.pop(STEP_UP_AT, None)
    session.save()
    url = reverse("documents:case_summary", args=[full_case.pk])
    page = ansatt_client.get(url)
    export = ansatt_client.post(url, CHOICE)

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:step_up"))
    assert export.status_code == 200
    assert "accounts/step_up.html" in [t.name for t in export.templates]
    assert "Content-Disposition" not in export
    assert not AuditEvent.objects.filter(action="export").exists()


def test_after_step_up_the_export_is_a_pdf_with_one_export_event_without_the_destination(
    ansatt_client: Client, ansatt: User, full_case: Case, tmp_path: Path
) -> None:
    step_up(ansatt_client, ansatt)
    url = reverse("documents:case_summary", args=[full_case.pk])
    assert ansatt_client.get(url).status_code == 200
    before = AuditEvent.objects.order_by("-seq").first()
    assert before is not None
    response = ansatt_client.post(url, CHOICE)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="sammendrag-{full_case.pk}-nb.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    events = list(AuditEvent.objects.filter(seq__gt=before.seq))
    assert [e.action for e in events] == ["export"]
    assert events[0].details["relocation_destination"] is False
    assert events[0].details["relocations"] is True
    assert DESTINATION not in pdf_text(response.content, tmp_path)


def test_the_destination_is_included_only_when_chosen_explicitly(
    ansatt_client: Client, ansatt: User, full_case: Case, tmp_path: Path
) -> None:
    step_up(ansatt_client, ansatt)
    url = reverse("documents:case_summary", args=[full_case.pk])
    response = ansatt_client.post(url, {**CHOICE, "relocation_destination": "on"})
    assert DESTINATION in pdf_text(response.content, tmp_path)
    event = AuditEvent.objects.filter(action="export").get()
    assert event.details["relocation_destination"] is True


def test_a_summary_with_nothing_chosen_is_refused_with_a_clear_message(
    ansatt_client: Client, ansatt: User, full_case: Case
) -> None:
    step_up(ansatt_client, ansatt)
    url = reverse("documents:case_summary", args=[full_case.pk])
    response = ansatt_client.post(url, {"sprak": "nb"})
    assert response.status_code == 200
    assert "Velg minst én del" in response.content.decode()
    response = ansatt_client.post(
        url, {"sprak": "nb", "timeline": "on", "relocation_destination": "on"}
    )
    assert "Flyttemålet kan bare tas med" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_another_centres_case_summary_is_404_after_step_up(
    ansatt_client: Client, ansatt: User, other_case: Case
) -> None:
    step_up(ansatt_client, ansatt)
    url = reverse("documents:case_summary", args=[other_case.pk])
    assert ansatt_client.get(url).status_code == 404
    assert ansatt_client.post(url, CHOICE).status_code == 404
