"""Information duties (G15, G12, G13), the pages: the two-year rule for the suspected offences and
the catalogue of measures are shown in the USER's language, whatever the staff's UI language;
recording through the page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.consent.conftest import assess
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent.models import InformationRecord

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- pages


def test_the_information_page_shows_the_two_year_line_per_offence(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    """§ 271 (1 year) is within the line: her wish counts; § 274 (10 years) is not."""
    assess(ansatt, case, offences=["straffeloven-271", "straffeloven-274"])
    response = ansatt_client.get(f"/saker/{case.pk}/samtykke/informasjon/offentlig-patale/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-offence="straffeloven-271" data-wish="yes"' in html
    assert 'data-offence="straffeloven-274" data-wish="no"' in html
    assert "Kroppskrenkelse (straffeloven § 271)" in html
    assert "Grov kroppsskade (straffeloven § 274)" in html
    assert (
        "Minst ett av lovbruddene som er registrert så langt, har strafferamme over to år" in html
    )
    assert "offentlig påtale" in html


def test_all_offences_within_two_years_say_her_wish_is_given_weight(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    assess(ansatt, case, offences=["straffeloven-263", "straffeloven-271"])
    html = ansatt_client.get(
        f"/saker/{case.pk}/samtykke/informasjon/offentlig-patale/"
    ).content.decode()
    within = "Alle lovbruddene som er registrert så langt, har strafferamme på to år eller lavere"
    assert within in html
    assert 'data-wish="no"' not in html


def test_without_an_assessment_the_page_says_the_offences_are_not_assessed_yet(
    ansatt_client: Client, case: Case
) -> None:
    html = ansatt_client.get(
        f"/saker/{case.pk}/samtykke/informasjon/offentlig-patale/"
    ).content.decode()
    assert "Det er ennå ikke vurdert hvilke lovbrudd" in html
    assert 'id="two-year-table"' not in html


def test_the_information_page_is_in_the_users_language_not_the_staffs(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    case_services.case_update(acting_user=ansatt, case=case, name="", language="en")
    assess(ansatt, case, offences=["straffeloven-271"])
    html = ansatt_client.get(
        f"/saker/{case.pk}/samtykke/informasjon/offentlig-patale/"
    ).content.decode()
    assert 'lang="en"' in html
    assert "public prosecution" in html
    assert "Assault (straffeloven § 271)" in html
    assert "Yes – the maximum penalty is two years or less" in html
    # The staff's part of the page stays in the UI language (bokmål).
    assert "Registrer at informasjonen er gitt" in html


def test_measures_are_shown_in_english_when_the_user_reads_english_and_the_ui_is_bokmal(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    case_services.case_update(acting_user=ansatt, case=case, name="", language="en")
    response = ansatt_client.get(f"/saker/{case.pk}/samtykke/informasjon/politiets-hjelp/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mobile violence alarm" in html
    assert "Mobil voldsalarm" not in html
    assert "The other measures do not require the violence to be reported" in html  # P1
    assert "immigration register (DUF)" in html  # G12
    assert "SARA" in html
    assert "aggrieved party" in html  # G2
    assert "It is your choice" in html  # G13
    assert "Informer om hva politiet kan gjøre" in html  # staff UI in bokmål


def test_measures_are_shown_in_nynorsk_for_a_nynorsk_reader(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    case_services.case_update(acting_user=ansatt, case=case, name="", language="nn")
    html = ansatt_client.get(
        f"/saker/{case.pk}/samtykke/informasjon/politiets-hjelp/"
    ).content.decode()
    assert "Mobil valdsalarm" in html
    assert 'lang="nn"' in html


def test_recording_through_the_page_redirects_to_the_case(
    ansatt_client: Client, case: Case
) -> None:
    response = ansatt_client.post(
        f"/saker/{case.pk}/samtykke/informasjon/offentlig-patale/",
        {
            "given_at": "2020-01-01T10:00",
            "language": "other",
            "language_other": "somali",
            "interpreter_used": "on",
            "confirmed": "on",
        },
    )
    assert response.status_code == 302
    record = InformationRecord.objects.get(case=case)
    assert record.language == "somali"
    assert record.interpreter_used is True


def test_other_language_needs_its_name_and_the_confirmation_is_required(
    ansatt_client: Client, case: Case
) -> None:
    response = ansatt_client.post(
        f"/saker/{case.pk}/samtykke/informasjon/offentlig-patale/",
        {"given_at": "2020-01-01T10:00", "language": "other"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skriv hvilket språk." in html
    assert "Bekreft at informasjonen er gitt." in html
    assert not InformationRecord.objects.exists()
