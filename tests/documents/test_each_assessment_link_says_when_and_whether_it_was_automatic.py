"""Issue 14 point 13: on the documents page each "the assessment explained" link says which
assessment it is (date and time) and whether the system made it automatically after a new
record (``Assessment.cause``), so two assessments of one day are never two identical links.
In the staff's language: nb, nn and en."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import make_assessment, make_consent
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case

pytestmark = pytest.mark.django_db
OSLO = dt.timezone(dt.timedelta(hours=1))
MORNING = dt.datetime(2026, 12, 1, 9, 5, tzinfo=OSLO)
AFTERNOON = dt.datetime(2026, 12, 1, 14, 30, tzinfo=OSLO)
EXPECTED = {
    "nb": (
        "Vurderingen 1. desember 2026 kl. 09:05, forklart (PDF)",
        (
            "Vurderingen 1. desember 2026 kl. 14:30, laget automatisk etter en ny registrering "
            "(samtykke registrert), forklart (PDF)"
        ),
    ),
    "nn": (
        "Vurderinga 1. desember 2026 kl. 09:05, forklart (PDF)",
        (
            "Vurderinga 1. desember 2026 kl. 14:30, laga automatisk etter ei ny registrering "
            "(samtykke registrert), forklart (PDF)"
        ),
    ),
    "en": (
        "The assessment of 1 December 2026, 09:05, explained (PDF)",
        (
            "The assessment of 1 December 2026, 14:30, made automatically after a new record "
            "(consent recorded), explained (PDF)"
        ),
    ),
}


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_two_assessments_of_one_day_have_links_with_their_time_and_the_automatic_one_says_so(
    lang: str, ansatt_client: Client, ansatt: User, case: Case
) -> None:
    joint = make_assessment(ansatt, case, offences=[])
    automatic = make_assessment(ansatt, case, offences=[])
    Assessment.objects.filter(pk=joint.pk).update(assessed_at=MORNING)
    Assessment.objects.filter(pk=automatic.pk).update(assessed_at=AFTERNOON, cause="consent_given")
    User.objects.filter(pk=ansatt.pk).update(preferred_language=lang)
    page = ansatt_client.get(reverse("documents:index", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=lang)
    assert page.status_code == 200
    body = " ".join(page.content.decode().split())
    manual_label, automatic_label = EXPECTED[lang]
    assert f">{manual_label}</a>" in body
    assert f">{automatic_label}</a>" in body


@pytest.mark.parametrize(
    ("lang", "day"),
    [("nb", "1. desember 2026"), ("nn", "1. desember 2026"), ("en", "1 December 2026")],
)
def test_the_consent_form_link_writes_its_date_as_the_language_does(
    lang: str, day: str, ansatt_client: Client, ansatt: User, case: Case
) -> None:
    make_consent(ansatt, case, given_at=MORNING)
    User.objects.filter(pk=ansatt.pk).update(preferred_language=lang)
    page = ansatt_client.get(reverse("documents:index", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=lang)
    body = " ".join(page.content.decode().split())
    assert f", {day} (PDF)</a>" in body
    assert "1. December" not in body
