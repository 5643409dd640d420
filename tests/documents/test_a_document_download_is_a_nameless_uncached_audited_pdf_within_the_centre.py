"""Views of the documents (issue 7): PDF attachments without names in the file name, never
cached, audited as document_generated (one event per request), 404 across centres, 403 for
administrators (who never see case content), 404 for a language the document is not in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import step_up
from tests.factories import login_verified
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.documents import render

pytestmark = pytest.mark.django_db

SUMMARY_CHOICE = {"sprak": "nb", "timeline": "on", "assessments": "on", "consents": "on"}


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))


def _head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def test_the_documents_page_lists_the_documents_and_is_audited_as_a_case_view(
    ansatt_client: Client, full_case: Case, consent: Consent, assessment: Assessment
) -> None:
    before = _head()
    response = ansatt_client.get(reverse("documents:index", args=[full_case.pk]) + "?sprak=nn")
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("documents:consent_form", args=[full_case.pk, consent.pk]) + "?sprak=nn" in body
    assert reverse("documents:assessment_explained", args=[full_case.pk, assessment.pk]) in body
    assert reverse("documents:case_summary", args=[full_case.pk]) in body
    assert [e.action for e in _new_events(before)] == ["case_viewed"]


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("information_sheet", None),
        ("consent_form", "consent"),
        ("assessment_explained", "assessment"),
        ("access_report_pdf", None),
    ],
)
def test_a_download_is_a_nameless_uncached_pdf_attachment_audited_once(  # noqa: PLR0917
    ansatt_client: Client,
    full_case: Case,
    consent: Consent,
    assessment: Assessment,
    name: str,
    needs: str | None,
) -> None:
    args: list[int] = [full_case.pk]
    if needs == "consent":
        args.append(consent.pk)
    elif needs == "assessment":
        args.append(assessment.pk)
    before = _head()
    response = ansatt_client.get(reverse(f"documents:{name}", args=args) + "?sprak=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith(f'-{"-".join(str(a) for a in args)}-en.pdf"')
    assert full_case.reference not in disposition
    events = _new_events(before)
    assert len(events) == 1
    event = events[0]
    assert event.object_type == "case"
    assert event.object_id == str(full_case.pk)
    if name == "access_report_pdf":
        assert event.action == "access_report"
        assert event.details == {"lang": "en", "format": "pdf"}
    else:
        assert event.action == "document_generated"
        assert event.details["lang"] == "en"
        assert event.details["document"] in {
            "information_sheet",
            "consent_form",
            "assessment_explained",
        }


def test_the_document_language_defaults_to_the_case_language(
    ansatt_client: Client, case: Case
) -> None:
    Case.objects.filter(pk=case.pk).update(language="nn")
    response = ansatt_client.get(reverse("documents:information_sheet", args=[case.pk]))
    assert response["Content-Disposition"].endswith(f'informasjon-{case.pk}-nn.pdf"')


def test_a_language_a_document_is_not_in_is_404_and_nothing_is_audited(
    ansatt_client: Client, consent: Consent
) -> None:
    before = _head()
    url = reverse("documents:consent_form", args=[consent.case_id, consent.pk])
    assert ansatt_client.get(url + "?sprak=ar").status_code == 404  # the sample lacks it
    assert ansatt_client.get(url + "?sprak=xx").status_code == 404
    assert _new_events(before) == []


def test_another_centres_case_or_consent_is_404(
    ansatt_client: Client, other_case: Case, other_staff: User, case: Case
) -> None:
    from tests.documents.conftest import make_consent

    other_consent = make_consent(other_staff, other_case)
    for url in (
        reverse("documents:index", args=[other_case.pk]),
        reverse("documents:information_sheet", args=[other_case.pk]),
        reverse("documents:consent_form", args=[other_case.pk, other_consent.pk]),
        reverse("documents:consent_form", args=[case.pk, other_consent.pk]),
        reverse("documents:access_report", args=[other_case.pk]),
        reverse("documents:access_report_pdf", args=[other_case.pk]),
    ):
        assert ansatt_client.get(url).status_code == 404, url


def test_an_administrator_never_gets_a_document(
    client: Client, administrator: User, case: Case
) -> None:
    login_verified(client, administrator)
    assert client.get(reverse("documents:information_sheet", args=[case.pk])).status_code == 403
    assert client.get(reverse("documents:access_report", args=[case.pk])).status_code == 403


def test_anonymous_requests_go_to_the_login_page(client: Client, case: Case) -> None:
    response = client.get(reverse("documents:information_sheet", args=[case.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("information_sheet", None),
        ("consent_form", "consent"),
        ("assessment_explained", "assessment"),
        ("access_report_pdf", None),
        ("case_summary", None),
    ],
)
def test_no_pdf_is_made_when_its_audit_event_cannot_be_written(  # noqa: PLR0917
    ansatt_client: Client,
    ansatt: User,
    full_case: Case,
    consent: Consent,
    assessment: Assessment,
    name: str,
    needs: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fail closed: the audit event is written before the PDF is made, so a failing audit
    store means a 500 and no document (docs/documents.md)."""
    args: list[int] = [full_case.pk]
    if needs == "consent":
        args.append(consent.pk)
    elif needs == "assessment":
        args.append(assessment.pk)
    url = reverse(f"documents:{name}", args=args) + "?sprak=nb"
    if name == "case_summary":
        step_up(ansatt_client, ansatt)
    rendered: list[str] = []
    monkeypatch.setattr(render, "html_to_pdf", lambda html: rendered.append(html) or b"%PDF-")

    def fail(self: AuditEvent, *args: object, **kwargs: object) -> None:
        msg = "audit storage unavailable"
        raise RuntimeError(msg)

    monkeypatch.setattr(AuditEvent, "save", fail)
    ansatt_client.raise_request_exception = False
    if name == "case_summary":
        response = ansatt_client.post(url, SUMMARY_CHOICE)
    else:
        response = ansatt_client.get(url)
    assert response.status_code == 500
    assert not response.content.startswith(b"%PDF")
    assert rendered == []
