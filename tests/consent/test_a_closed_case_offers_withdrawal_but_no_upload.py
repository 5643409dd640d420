"""On a closed case the consent panel offers no writes (no upload of a signed form), but a
consent can still be withdrawn: C1, at any time."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.consent.conftest import inform, police_consent
from vern.accounts.models import User
from vern.cases import services
from vern.cases.models import Case

pytestmark = pytest.mark.django_db


def test_a_closed_case_shows_withdrawal_and_no_upload_link(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    upload = reverse("consent:upload", args=[case.pk, consent.pk])
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert upload in page
    services.case_close(acting_user=ansatt, case=case, reason="returned")
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert upload not in page
    assert reverse("consent:withdraw", args=[case.pk, consent.pk]) in page
