"""Issue 7 point 1: the uploaded signed consent form is served only as an audited attachment,
after a fresh step-up, and never to another centre."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.consent import hostile_pdfs
from tests.consent.conftest import inform, verbal_consent
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import services
from vern.consent.models import Consent, SignedConsentFile

pytestmark = pytest.mark.django_db
PDF_BYTES = hostile_pdfs.plain()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def consent(ansatt: User, case: Case) -> Consent:
    inform(ansatt, case)
    return verbal_consent(ansatt, case)


def attach(user: User, consent: Consent, file: SimpleUploadedFile) -> SignedConsentFile:
    return services.signed_consent_upload(
        acting_user=user, consent=consent, signed_file=file, signed_file_size=file.size
    )


def test_the_signed_form_is_served_only_as_an_audited_attachment_after_step_up(
    ansatt_client: Client, ansatt: User, consent: Consent
) -> None:
    from vern.audit.models import AuditEvent

    signed = attach(ansatt, consent, upload("skjema.pdf", PDF_BYTES))
    url = f"/saker/{consent.case_id}/samtykke/{consent.pk}/signert-skjema/{signed.pk}/"
    response = ansatt_client.get(url)
    assert response.status_code == 200  # the login's MFA code is a fresh step-up
    assert response.content == bytes(signed.stored_content.content)  # from the database
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "skjema.pdf" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert (
        AuditEvent.objects.filter(
            action="export", object_type="signed_consent_file", object_id=str(signed.pk)
        ).count()
        == 1
    )


def test_the_download_asks_for_a_new_code_when_the_step_up_is_stale(
    ansatt_client: Client, ansatt: User, consent: Consent
) -> None:
    from vern.accounts import sessions

    signed = attach(ansatt, consent, upload("skjema.pdf", PDF_BYTES))
    session = ansatt_client.session
    session.pop(sessions.STEP_UP_AT, None)
    session.save()
    url = f"/saker/{consent.case_id}/samtykke/{consent.pk}/signert-skjema/{signed.pk}/"
    response = ansatt_client.get(url)
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_another_centre_gets_404_for_the_signed_form(
    client: Client, ansatt: User, consent: Consent, other_centre: Any
) -> None:
    from tests.factories import login_verified, make_user
    from vern.accounts.models import Role

    signed = attach(ansatt, consent, upload("skjema.pdf", PDF_BYTES))
    login_verified(client, make_user(Role.ANSATT, other_centre))
    base = f"/saker/{consent.case_id}/samtykke/{consent.pk}/signert-skjema/"
    assert client.get(f"{base}{signed.pk}/").status_code == 404
    assert client.get(base).status_code == 404
