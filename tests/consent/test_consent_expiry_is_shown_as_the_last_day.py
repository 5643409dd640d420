"""C1, finding 1: "Gjelder til og med 27.11." is stored as the exclusive moment 28.11. 00:00,
but every place a person reads it shows the last day, 27.11.: the case page, the consent form
PDF, the case summary PDF and the renewal form. Validity checks keep the exclusive moment."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.consent.conftest import inform, police_consent
from tests.documents.conftest import pdf_text
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import selectors
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render

pytestmark = pytest.mark.django_db


def _form(last_day: dt.date) -> dict[str, object]:
    return {
        "recipient_kind": "police",
        "police_district": "oslo",
        "purpose": "Vurdere tiltak",
        "categories": ["identity", "violence"],
        "form": "written",
        "written_method": "on_screen",
        "signed_by_name": "Kari",
        "signature_confirmed": "on",
        "given_at": timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"),
        "expires_on": last_day.isoformat(),
    }


@pytest.fixture
def last_day() -> dt.date:
    return clock.today() + dt.timedelta(days=30)


@pytest.fixture
def consent_through(ansatt_client: Client, ansatt: User, case: Case, last_day: dt.date) -> Consent:
    """A consent entered on the page as valid "til og med" ``last_day``."""
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", _form(last_day))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Consent.objects.get(case=case)


def test_c1_the_stored_end_stays_exclusive_and_the_last_day_is_inclusive(
    consent_through: Consent, last_day: dt.date
) -> None:
    end = timezone.localtime(consent_through.expires_at)
    assert (end.date(), end.time()) == (last_day + dt.timedelta(days=1), dt.time.min)
    assert consent_through.last_day == last_day
    # In force all of the last day, not after it.
    evening = timezone.make_aware(dt.datetime.combine(last_day, dt.time(23, 59)))
    assert selectors.consent_status(consent=consent_through, at=evening) == selectors.ACTIVE
    assert selectors.consent_status(consent=consent_through, at=end) == selectors.EXPIRED


def test_c1_the_case_page_shows_the_day_entered(
    ansatt_client: Client, case: Case, consent_through: Consent, last_day: dt.date
) -> None:
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    row = html[html.index(f'id="consent-{consent_through.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'datetime="{last_day.isoformat()}"' in row
    assert "gjelder til og med" in row
    day_after = (last_day + dt.timedelta(days=1)).isoformat()
    assert day_after not in row
    assert "00:00" not in row


def test_c1_a_moment_an_api_client_chose_is_shown_as_that_moment(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    moment = timezone.localtime(clock.now() + dt.timedelta(days=3)).replace(
        hour=15, minute=30, second=0, microsecond=0
    )
    consent = police_consent(ansatt, case, expires_at=moment)
    assert consent.last_day == moment.date()
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    row = html[html.index(f'id="consent-{consent.pk}"') :]
    assert "15:30" in row[: row.index("</tr>")]
    assert "gjelder til og med" not in row[: row.index("</tr>")]


def _nb(day: dt.date) -> str:
    return render.date_text("nb", day)  # the documents write dates in words (issue 14)


def test_c1_the_consent_form_pdf_prints_the_day_entered(
    consent_through: Consent, last_day: dt.date, tmp_path: Path
) -> None:
    text = pdf_text(render.consent_form_pdf(consent_through, "nb", today=clock.today()), tmp_path)
    assert f"Samtykket gjelder til og med {_nb(last_day)}" in text
    assert _nb(last_day + dt.timedelta(days=1)) not in text


def test_c1_the_case_summary_pdf_prints_the_day_entered(
    case: Case, consent_through: Consent, last_day: dt.date, tmp_path: Path
) -> None:
    sections = render.SummarySections(timeline=False, assessments=False, police=False)
    pdf = render.case_summary_pdf(case, "nb", sections=sections, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    assert _nb(last_day) in text
    assert _nb(last_day + dt.timedelta(days=1)) not in text


def test_c1_a_renewal_starts_from_the_same_last_day(
    ansatt_client: Client, case: Case, consent_through: Consent, last_day: dt.date
) -> None:
    html = ansatt_client.get(
        f"/saker/{case.pk}/samtykke/ny/?fra={consent_through.pk}"
    ).content.decode()
    field = re.search(r'<input[^>]*name="expires_on"[^>]*>', html)
    assert field is not None
    assert f'value="{last_day.isoformat()}"' in field.group(0)
