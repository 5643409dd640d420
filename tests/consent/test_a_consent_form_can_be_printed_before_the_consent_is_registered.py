"""The consent form can be printed from the scope typed on the consent page, before any consent
is registered (issue 14 point 13): the real order is print, sign, then register with the
signed form uploaded. Nothing is saved but the audit event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from tests.consent.conftest import inform
from tests.documents.conftest import pdf_text
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render

pytestmark = pytest.mark.django_db


def _scope(**extra: object) -> dict[str, object]:
    return {
        "recipient_kind": "police",
        "police_district": "oslo",
        "recipient_unit": "Familievoldskoordinator",
        "purpose": "Vurdere sikkerhetstiltak for brukeren.",
        "categories": ["identity", "violence"],
        "expires_on": (clock.today() + dt.timedelta(days=30)).isoformat(),
        # What the rest of the page holds is sent too, and ignored.
        "form": "written",
        "given_at": "",
        **extra,
    }


def url(case: Case) -> str:
    return f"/saker/{case.pk}/dokumenter/samtykke/utskrift.pdf"


def test_the_consent_page_offers_to_print_the_form_with_the_typed_scope(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    page = ansatt_client.get(f"/saker/{case.pk}/samtykke/ny/").content.decode()

    assert "Skriv ut samtykkeskjema" in page
    assert f'formaction="{url(case)}"' in page
    for code in ("nb", "nn", "en"):
        assert f'<option value="{code}"' in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nb", ("Din underskrift", "Navn med blokkbokstaver", "til og med")),
        ("nn", ("Underskrifta di", "Namn med blokkbokstavar", "til og med")),
        ("en", ("Your signature", "Name in capital letters", "until and including")),
    ],
)
def test_the_printed_form_has_the_scope_and_signature_lines_and_saves_no_consent(  # noqa: PLR0917
    ansatt_client: Client,
    ansatt: User,
    case: Case,
    tmp_path: Path,
    lang: str,
    words: tuple[str, ...],
) -> None:
    inform(ansatt, case)
    last_day = clock.today() + dt.timedelta(days=30)

    response = ansatt_client.post(url(case), _scope(sprak=lang))

    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/pdf"
    assert f"samtykke-{case.pk}-{lang}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    for word in words:
        assert word in text, (word, text[:3000])
    assert "Familievoldskoordinator" in text
    assert "Vurdere sikkerhetstiltak for brukeren." in text
    assert render.date_text(lang, last_day) in text
    assert not Consent.objects.filter(case=case).exists()
    event = AuditEvent.objects.filter(action="document_generated").latest("id")
    assert event.details["document"] == "consent_form"
    assert event.details["lang"] == lang


def test_a_scope_with_errors_returns_to_the_page_with_the_errors_on_the_fields(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    response = ansatt_client.post(
        url(case), _scope(police_district="", categories=[], purpose="Hold på meg")
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Velg politidistriktet samtykket gjelder." in page
    assert 'id="id_categories_error"' in page
    assert "Hold på meg" in page  # what was typed is kept
    assert "Brukeren skriver navnet sitt" not in page  # no errors for the signing yet


def test_a_closed_case_prints_no_form(ansatt_client: Client, ansatt: User, case: Case) -> None:
    from vern.cases import services

    services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")

    response = ansatt_client.post(url(case), _scope())

    assert response.status_code == 302
