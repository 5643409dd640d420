"""Issue 7, G13: the Arabic sample covers only the information sheet. When Arabic is chosen, the
documents page says for every other document that it does not exist in Arabic and which language
is used instead (English), and links to that language explicitly: no path prints bokmål silently
where Arabic was chosen."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import step_up
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.consent.models import Consent

pytestmark = pytest.mark.django_db
NOTE = "Finnes ikke på العربية. Lages på engelsk i stedet."


def test_g13_other_documents_say_they_are_made_in_english_instead_of_arabic(
    ansatt_client: Client, full_case: Case, consent: Consent, assessment: Assessment
) -> None:
    page = ansatt_client.get(reverse("documents:index", args=[full_case.pk]) + "?sprak=ar")
    assert page.status_code == 200
    body = page.content.decode()
    info = reverse("documents:information_sheet", args=[full_case.pk])
    assert f"{info}?sprak=ar" in body  # the one document the sample covers
    for url in (
        reverse("documents:consent_form", args=[full_case.pk, consent.pk]),
        reverse("documents:assessment_explained", args=[full_case.pk, assessment.pk]),
        reverse("documents:access_report_pdf", args=[full_case.pk]),
    ):
        assert f"{url}?sprak=en" in body, url
    assert body.count(NOTE) == 3  # consent form, assessment explained, access report
    hrefs = re.findall(r'href="([^"]+sprak=[^"]+)"', body)
    assert not [h for h in hrefs if h.endswith("sprak=nb")]  # never bokmål instead of Arabic


def test_g13_a_document_asked_for_in_arabic_is_404_never_bokmaal(
    ansatt_client: Client, full_case: Case, consent: Consent
) -> None:
    url = reverse("documents:consent_form", args=[full_case.pk, consent.pk]) + "?sprak=ar"
    assert ansatt_client.get(url).status_code == 404


def test_g13_the_summary_page_names_the_language_it_uses_instead(
    ansatt_client: Client, ansatt: User, full_case: Case
) -> None:
    Case.objects.filter(pk=full_case.pk).update(language="ar")
    step_up(ansatt_client, ansatt)
    body = ansatt_client.get(reverse("documents:case_summary", args=[full_case.pk])).content
    text = body.decode()
    assert "Sammendraget finnes ikke på العربية. Det lages på engelsk" in text
    assert re.search(r'<option value="en"[^>]*selected', text)
