"""The consent panel on the case page: what was given, consents with status and scope,
refusals, and one clear next action in the guidance's order (G5/G15 -> G3 -> G4; G13)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.consent import hostile_pdfs
from tests.consent.conftest import inform, police_consent, verbal_consent
from vern.accounts.models import User
from vern.cases.models import Case
from vern.cases.services import case_close
from vern.consent import panels, services
from vern.consent.models import InformationKind
from vern.core import clock

pytestmark = pytest.mark.django_db

PDF = hostile_pdfs.plain()


def next_code(client: Client, case: Case) -> str:
    html = client.get(f"/saker/{case.pk}/").content.decode()
    match = re.search(r'data-next="([a-z_]+)"', html)
    assert match, "the consent panel shows no next action"
    return match.group(1)


def test_first_the_panel_asks_to_inform_about_public_prosecution(
    ansatt_client: Client, case: Case
) -> None:
    assert next_code(ansatt_client, case) == panels.INFORM_FIRST
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Informer brukeren om offentlig påtale først" in html
    assert "gis til krisesenteret, ikke til én ansatt" in html


def test_after_the_information_the_panel_asks_for_consent_or_a_no(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    assert next_code(ansatt_client, case) == panels.ASK_CONSENT
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert f"/saker/{case.pk}/samtykke/ny/" in html
    assert f"/saker/{case.pk}/samtykke/nei/" in html
    assert "Offentlig påtale" in html  # the information line with its date


def test_g4_after_a_verbal_consent_the_panel_keeps_asking_for_a_written_one(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = verbal_consent(ansatt, case)
    assert next_code(ansatt_client, case) == panels.ASK_WRITTEN
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Be om skriftlig samtykke" in html
    assert f"/saker/{case.pk}/samtykke/ny/?fra={consent.pk}" in html
    # The page that follows is prefilled with the same scope, as written.
    form_html = ansatt_client.get(f"/saker/{case.pk}/samtykke/ny/?fra={consent.pk}").content
    assert b"Vurdere sikkerhetstiltak" in form_html
    # Still asking on the next visit, until the signed form comes.
    assert next_code(ansatt_client, case) == panels.ASK_WRITTEN
    services.signed_consent_upload(
        acting_user=ansatt,
        consent=consent,
        signed_file=SimpleUploadedFile("s.pdf", PDF),
        signed_file_size=len(PDF),
    )
    assert next_code(ansatt_client, case) == panels.CONSENT_IN_FORCE


def test_g4_a_later_written_consent_also_answers_the_request(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=2))
    verbal_consent(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    police_consent(ansatt, case)
    assert next_code(ansatt_client, case) == panels.CONSENT_IN_FORCE


def test_the_panel_shows_consents_with_status_and_scope(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    now = clock.now()
    inform(ansatt, case, given_at=now - dt.timedelta(days=10))
    expired = police_consent(
        ansatt, case, given_at=now - dt.timedelta(days=9), expires_at=now - dt.timedelta(days=1)
    )
    withdrawn = police_consent(ansatt, case, given_at=now - dt.timedelta(days=5))
    services.consent_withdraw(acting_user=ansatt, consent=withdrawn)
    active = police_consent(ansatt, case, categories=["identity", "address"])
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()

    def row(pk: int) -> str:
        start = html.index(f'id="consent-{pk}"')
        return html[start : html.index("</tr>", start)]

    assert "Utløpt" in row(expired.pk)
    assert "Trukket tilbake" in row(withdrawn.pk)
    assert "Gjelder" in row(active.pk)
    assert "Nåværende oppholdssted" in row(active.pk)
    assert "Oslo politidistrikt" in row(active.pk)
    assert "Trekk tilbake" in row(active.pk)
    assert "Trekk tilbake" not in row(withdrawn.pk)


def test_after_a_refusal_the_panel_says_respect_it_and_offers_the_information(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    services.consent_refusal_record(
        acting_user=ansatt, case=case, reasons="Ikke nå", information_offered=False
    )
    assert next_code(ansatt_client, case) == panels.REFUSED
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "«Ikke nå»" in html
    assert "Neste revurdering" in html
    assert f"/saker/{case.pk}/samtykke/informasjon/politiets-hjelp/" in html


def test_a_closed_case_shows_the_records_and_only_the_withdrawal_link(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    inform(ansatt, case, kind=InformationKind.POLICE_HELP_AND_MEASURES)
    police_consent(ansatt, case)
    case_close(acting_user=ansatt, case=case, reason="other")
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert next_code(ansatt_client, case) == panels.CLOSED
    assert "/samtykke/ny/" not in html
    assert "/trekk-tilbake/" in html  # C1: she may withdraw at any time
    assert "Gjelder" in html


def test_the_panel_costs_a_fixed_number_of_queries(ansatt: User, case: Case) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    inform(ansatt, case)
    police_consent(ansatt, case)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            panels.case_panel(case=case, user=ansatt)
        return len(ctx.captured_queries)

    few = count()
    for _ in range(5):
        police_consent(ansatt, case)
        services.consent_refusal_record(
            acting_user=ansatt, case=case, reasons="", information_offered=False
        )
        inform(ansatt, case)
    assert count() == few
