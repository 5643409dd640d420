"""Documents over the API (issue 21) are the web downloads: the same PDF file names, never
cached, a fresh one-time code in X-Vern-OTP on that very request (403 step_up_required
without one), and the same audit event with the same details as the web download, written
before the PDF is made. A code is not spent on a request refused for another reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import Api, error_of
from tests.documents.conftest import DESTINATION, make_assessment, make_consent, pdf_text, step_up
from tests.factories import backup_code, login_verified
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import PoliceDistrict
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(ansatt: User, case: Case) -> Assessment:
    return make_assessment(ansatt, case, offences=["straffeloven-271"])


@pytest.fixture
def consent(ansatt: User, case: Case, assessment: Assessment) -> Consent:
    return make_consent(ansatt, case)


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """PDFs are not really rendered (WeasyPrint is slow): the HTML is kept instead."""
    rendered: list[str] = []
    monkeypatch.setattr(render, "html_to_pdf", lambda html: rendered.append(html) or b"%PDF-x")
    return rendered


# (name, API path after /cases/{id}, web URL name, which object, method)
DOCUMENTS: list[tuple[str, str, str, str | None]] = [
    ("information_sheet", "/documents/information-sheet", "documents:information_sheet", None),
    (
        "consent_form",
        "/documents/consent-form/{consent}",
        "documents:consent_form",
        "consent",
    ),
    (
        "assessment_explained",
        "/documents/assessment-explained/{assessment}",
        "documents:assessment_explained",
        "assessment",
    ),
    ("access_report", "/documents/access-report", "documents:access_report_pdf", None),
]
SUMMARY = {"timeline": True, "assessments": True, "consents": True, "police": False}
WEB_SUMMARY = {"sprak": "nb", "timeline": "on", "assessments": "on", "consents": "on"}


def _head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def _new(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))


def _path(case: Case, suffix: str, consent: Consent, assessment: Assessment) -> str:
    return f"/cases/{case.pk}" + suffix.format(consent=consent.pk, assessment=assessment.pk)


def _fetch(api: Api, name: str, path: str, code: str | None, **query: str) -> Any:
    headers = {"X-Vern-OTP": code} if code is not None else {}
    if name == "case_summary":
        return api.post(path, SUMMARY | query, headers)
    return api.get(path, headers, **query)


ALL = [*(d[:2] for d in DOCUMENTS), ("case_summary", "/documents/case-summary")]


@pytest.mark.parametrize(("name", "suffix"), ALL)
def test_without_a_code_the_document_is_refused_and_the_refusal_audited(  # noqa: PLR0917
    ansatt_api: Api,
    case: Case,
    consent: Consent,
    assessment: Assessment,
    no_rendering: list[str],
    name: str,
    suffix: str,
) -> None:
    path = _path(case, suffix, consent, assessment)
    for code in (None, "000000"):
        before = _head()
        response = _fetch(ansatt_api, name, path, code)

        assert response.status_code == 403
        assert error_of(response)["code"] == "step_up_required"
        assert error_of(response)["field"] == "X-Vern-OTP"
        assert [e.action for e in _new(before)] == ["step_up_failed"]
    assert no_rendering == []


@pytest.mark.parametrize(("name", "suffix", "web", "obj"), DOCUMENTS)
def test_with_a_code_the_document_is_the_web_download_audited_the_same_way(  # noqa: PLR0917
    ansatt_api: Api,
    ansatt: User,
    case: Case,
    consent: Consent,
    assessment: Assessment,
    no_rendering: list[str],
    name: str,
    suffix: str,
    web: str,
    obj: str | None,
) -> None:
    browser = Client()
    login_verified(browser, ansatt)
    step_up(browser, ansatt)
    args = [case.pk] + ([{"consent": consent, "assessment": assessment}[obj].pk] if obj else [])
    before = _head()
    on_the_web = browser.get(reverse(web, args=args) + "?sprak=nn")
    web_event = _new(before)[-1]

    before = _head()
    response = _fetch(
        ansatt_api,
        name,
        _path(case, suffix, consent, assessment),
        backup_code(ansatt),
        lang="nn",
    )

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == on_the_web["Content-Disposition"]
    assert "nn.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    events = _new(before)
    assert [e.action for e in events] == ["step_up", web_event.action]
    document = events[-1]
    assert (document.object_type, document.object_id) == ("case", str(case.pk))
    assert document.details == web_event.details
    assert len(no_rendering) == 2  # the web's and the API's


def test_the_case_summary_is_audited_as_the_web_export_with_the_parts_chosen(
    ansatt_api: Api, ansatt: User, case: Case, no_rendering: list[str]
) -> None:
    browser = Client()
    login_verified(browser, ansatt)
    step_up(browser, ansatt)
    before = _head()
    on_the_web = browser.post(reverse("documents:case_summary", args=[case.pk]), WEB_SUMMARY)
    web_event = _new(before)[-1]

    before = _head()
    response = ansatt_api.post(
        f"/cases/{case.pk}/documents/case-summary",
        {**SUMMARY, "lang": "nb"},
        {"X-Vern-OTP": backup_code(ansatt)},
    )

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"] == on_the_web["Content-Disposition"]
    events = _new(before)
    assert [e.action for e in events] == ["step_up", "export"]
    assert events[-1].details == web_event.details
    assert events[-1].details["relocation_destination"] is False


def test_without_a_language_the_document_is_in_the_cases_language(
    ansatt_api: Api, ansatt: User, case: Case, no_rendering: list[str]
) -> None:
    case_services.case_update(acting_user=ansatt, case=case, name=case.name, language="en")

    response = ansatt_api.get(
        f"/cases/{case.pk}/documents/information-sheet", {"X-Vern-OTP": backup_code(ansatt)}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'informasjon-{case.pk}-en.pdf"')


def test_a_language_the_document_is_not_in_is_422_and_spends_no_code(
    ansatt_api: Api, ansatt: User, case: Case, consent: Consent, no_rendering: list[str]
) -> None:
    """The Arabic sample has the information sheet only."""
    code = backup_code(ansatt)
    path = f"/cases/{case.pk}/documents/consent-form/{consent.pk}"

    refused = ansatt_api.get(path, {"X-Vern-OTP": code}, lang="ar")
    unknown = ansatt_api.get(path, {"X-Vern-OTP": code}, lang="xx")

    assert (refused.status_code, unknown.status_code) == (422, 422)
    assert error_of(refused)["field"] == error_of(unknown)["field"] == "lang"
    assert ansatt_api.get(path, {"X-Vern-OTP": code}, lang="nb").status_code == 200
    arabic = ansatt_api.get(
        f"/cases/{case.pk}/documents/information-sheet",
        {"X-Vern-OTP": backup_code(ansatt)},
        lang="ar",
    )
    assert arabic.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timeline": False, "assessments": False, "consents": False, "police": False}, None),
        ({"relocation_destination": True}, "relocation_destination"),
    ],
)
def test_a_summary_the_web_form_would_refuse_is_422_and_spends_no_code(  # noqa: PLR0917
    ansatt_api: Api,
    ansatt: User,
    case: Case,
    no_rendering: list[str],
    body: dict[str, bool],
    field: str | None,
) -> None:
    code = backup_code(ansatt)
    path = f"/cases/{case.pk}/documents/case-summary"

    response = ansatt_api.post(path, body, {"X-Vern-OTP": code})

    assert response.status_code == 422
    assert error_of(response)["field"] == field
    assert not AuditEvent.objects.filter(action="export").exists()
    assert ansatt_api.post(path, {}, {"X-Vern-OTP": code}).status_code == 200


def test_the_destination_of_a_move_is_in_the_summary_only_when_chosen(
    ansatt_api: Api, ansatt: User, case: Case, tmp_path: Path
) -> None:
    Relocation.objects.create(
        centre=case.centre, case=case, reason="Ikke trygt nok.", destination_name=DESTINATION,
        destination_police_district=PoliceDistrict.VEST, recorded_by=ansatt,
        planned_on=clock.today() + dt.timedelta(days=3),
    )  # fmt: skip
    path = f"/cases/{case.pk}/documents/case-summary"

    def summary(**chosen: bool) -> str:
        response = ansatt_api.post(path, chosen, {"X-Vern-OTP": backup_code(ansatt)})
        assert response.status_code == 200, response.content[:300]
        return pdf_text(response.content, tmp_path)

    assert DESTINATION not in summary(relocations=True)
    assert DESTINATION in summary(relocations=True, relocation_destination=True)


def test_documents_of_a_closed_case_can_still_be_had(
    ansatt_api: Api, ansatt: User, case: Case, no_rendering: list[str]
) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="other")

    response = ansatt_api.get(
        f"/cases/{case.pk}/documents/access-report", {"X-Vern-OTP": backup_code(ansatt)}
    )

    assert response.status_code == 200


def test_another_centres_objects_are_404_even_with_a_code_and_spend_none(  # noqa: PLR0917
    ansatt_api: Api,
    ansatt: User,
    case: Case,
    other_case: Case,
    other_ansatt: User,
    no_rendering: list[str],
) -> None:
    theirs = make_consent(other_ansatt, other_case)
    their_assessment = make_assessment(other_ansatt, other_case, offences=[])
    h = {"X-Vern-OTP": backup_code(ansatt)}
    calls: list[Callable[[], Any]] = [
        lambda: ansatt_api.get(f"/cases/{case.pk}/documents/consent-form/{theirs.pk}", h),
        lambda: ansatt_api.get(
            f"/cases/{case.pk}/documents/assessment-explained/{their_assessment.pk}", h
        ),
        lambda: ansatt_api.get(f"/cases/{other_case.pk}/documents/information-sheet", h),
        lambda: ansatt_api.get(f"/cases/{other_case.pk}/documents/access-report", h),
        lambda: ansatt_api.post(f"/cases/{other_case.pk}/documents/case-summary", {}, h),
    ]

    assert [call().status_code for call in calls] == [404] * len(calls)
    assert no_rendering == []
    assert not AuditEvent.objects.filter(
        action__in=["document_generated", "export", "access_report"]
    ).exists()
    own = ansatt_api.get(f"/cases/{case.pk}/documents/information-sheet", h)
    assert own.status_code == 200


def test_an_administrator_gets_no_document(
    admin_api: Api, administrator: User, case: Case, no_rendering: list[str]
) -> None:
    response = admin_api.get(
        f"/cases/{case.pk}/documents/information-sheet", {"X-Vern-OTP": backup_code(administrator)}
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
