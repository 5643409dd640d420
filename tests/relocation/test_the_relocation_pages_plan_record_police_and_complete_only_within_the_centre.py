"""The relocation pages: plan, record police, complete, cancel; scoped to the centre (404),
closed cases read-only, and the rules of the services shown as form errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.relocation.conftest import REPRISAL, hours_ago, police_at_both_ends, police_consent
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case, ReassessmentTrigger
from vern.core import clock
from vern.relocation import services
from vern.relocation.models import Relocation, RelocationStatus

pytestmark = pytest.mark.django_db


def _local(value: dt.datetime) -> str:
    """A datetime-local form value (the form reads it in the site's time zone)."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _urls(case_pk: int, pk: int) -> list[str]:
    base = f"/saker/{case_pk}/flytting/"
    return [
        f"{base}{pk}/",
        f"{base}{pk}/vis-flyttemal/",
        f"{base}{pk}/politi/",
        f"{base}{pk}/gjennomfort/",
        f"{base}{pk}/avbryt/",
    ]


def test_staff_plans_a_move_through_the_form(ansatt_client: Client, case: Case) -> None:
    url = f"/saker/{case.pk}/flytting/ny/"
    page = ansatt_client.get(url)
    assert page.status_code == 200
    assert "§ 4 c" in page.content.decode()
    response = ansatt_client.post(
        url,
        {
            "reason": "Utøveren har vært utenfor senteret.",
            "destination_name": "Nordby krisesenter",
            "destination_police_district": "nordland",
            "chosen_with_user": "on",
            "planned_on": (clock.today() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    relocation = Relocation.objects.get(case=case)
    assert relocation.chosen_with_user
    assert not relocation.chosen_with_police
    assert ReassessmentTrigger.objects.filter(case=case, kind="planned_move").exists()


def test_a_plan_with_missing_fields_shows_the_errors_and_saves_nothing(
    ansatt_client: Client, case: Case
) -> None:
    response = ansatt_client.post(f"/saker/{case.pk}/flytting/ny/", {"reason": ""})
    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()
    assert not Relocation.objects.exists()


def test_completion_through_the_page_is_refused_without_police_and_shows_why(
    ansatt_client: Client, relocation: Relocation
) -> None:
    url = f"/saker/{relocation.case_id}/flytting/{relocation.pk}/gjennomfort/"
    assert ansatt_client.get(url).status_code == 200
    response = ansatt_client.post(
        url,
        {
            "completed_at": _local(hours_ago(0.2)),
            "handover": "police_brief",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ds-error-summary" in html
    assert "Politiet på det nye stedet" in html
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.PLANNED


def test_police_then_completion_through_the_pages(
    ansatt_client: Client, ansatt: User, relocation: Relocation
) -> None:
    base = f"/saker/{relocation.case_id}/flytting/{relocation.pk}/"
    consent = police_consent(ansatt, relocation.case)
    for slug, hours in (("avreise", 6), ("ankomst", 5)):
        url = f"{base}politi/{slug}/ny/"
        assert ansatt_client.get(url).status_code == 200
        response = ansatt_client.post(
            url,
            {
                "status": "done",
                "contact_at": _local(hours_ago(hours)),
                "police_district": "oslo",
                "contact_role": "family_violence_coordinator",
                "channel": "phone",
                "shared_categories": ["identity"],
                "legal_ground": "consent",
                "consent": consent.pk,
                "reprisal_routes": REPRISAL["routes"],
                "reprisal_risk": REPRISAL["risk"],
                "reprisal_protections": REPRISAL["protections"],
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"{base}politi/"
    relocation.refresh_from_db()
    assert relocation.departure_contact is not None
    assert relocation.departure_contact.ground_valid
    assert relocation.destination_contact is not None
    police_page = ansatt_client.get(base + "politi/").content.decode()
    assert "Gyldig grunnlag" in police_page
    response = ansatt_client.post(
        base + "gjennomfort/",
        {
            "completed_at": _local(hours_ago(1)),
            "handover": "police_brief",
        },
    )
    assert response.status_code == 302
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.COMPLETED
    case_page = ansatt_client.get(f"/saker/{relocation.case_id}/").content.decode()
    assert "Flyttet til et annet krisesenter" in case_page  # suggests closing as relocated
    relocation.case.refresh_from_db()
    assert not relocation.case.is_closed


def test_cancel_through_the_page(ansatt_client: Client, relocation: Relocation) -> None:
    url = f"/saker/{relocation.case_id}/flytting/{relocation.pk}/avbryt/"
    assert ansatt_client.get(url).status_code == 200
    refused = ansatt_client.post(url, {})
    assert refused.status_code == 200
    assert "Skriv hvorfor flyttingen avbrytes." in refused.content.decode()
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.PLANNED
    assert ansatt_client.post(url, {"reason": "Brukeren blir likevel."}).status_code == 302
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.CANCELLED
    assert relocation.cancel_reason == "Brukeren blir likevel."
    detail = ansatt_client.get(f"/saker/{relocation.case_id}/flytting/{relocation.pk}/")
    assert "Brukeren blir likevel." in detail.content.decode()


def test_write_pages_of_a_completed_relocation_send_the_user_back(
    ansatt_client: Client, ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    services.relocation_complete(
        acting_user=ansatt,
        relocation=relocation,
        handover="police_brief",
        completed_at=hours_ago(1),
    )
    for url in _urls(relocation.case_id, relocation.pk)[2:]:
        assert ansatt_client.post(url, {"handover": "none"}).status_code == 302
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.COMPLETED


def test_closed_case_pages_refuse_relocation_writes(
    ansatt_client: Client, ansatt: User, case: Case, relocation: Relocation
) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="relocated")
    plan_url = f"/saker/{case.pk}/flytting/ny/"
    response = ansatt_client.post(plan_url, {"reason": "x"})
    assert response.status_code == 302
    assert response["Location"] == f"/saker/{case.pk}/"
    for url in _urls(case.pk, relocation.pk)[2:]:
        response = ansatt_client.post(url, {"handover": "none"})
        assert response.status_code == 302
        assert response["Location"] == f"/saker/{case.pk}/"
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.PLANNED
    assert Relocation.objects.count() == 1
    # Read-only: the detail page still answers.
    assert ansatt_client.get(_urls(case.pk, relocation.pk)[0]).status_code == 200


def test_relocation_of_another_centre_is_not_found(
    ansatt_client: Client, other_relocation: Relocation
) -> None:
    case_pk = other_relocation.case_id
    assert ansatt_client.get(f"/saker/{case_pk}/flytting/ny/").status_code == 404
    for url in _urls(case_pk, other_relocation.pk):
        assert ansatt_client.get(url).status_code == 404, url
    for url in _urls(case_pk, other_relocation.pk)[2:]:
        assert ansatt_client.post(url, {"handover": "none"}).status_code == 404, url
    other_relocation.refresh_from_db()
    assert other_relocation.status == RelocationStatus.PLANNED


def test_relocation_under_another_case_of_the_same_centre_is_not_found(
    ansatt_client: Client, ansatt: User, relocation: Relocation
) -> None:
    second = case_services.case_create(acting_user=ansatt, reference="R-annen")
    for url in _urls(second.pk, relocation.pk):
        assert ansatt_client.get(url).status_code == 404, url


def test_administrators_never_see_relocations(
    admin_client_verified: Client, relocation: Relocation
) -> None:
    for url in _urls(relocation.case_id, relocation.pk):
        assert admin_client_verified.get(url).status_code == 403, url


def test_the_plan_page_offers_the_centres_in_vern_but_not_the_own_centre(
    ansatt_client: Client, case: Case
) -> None:
    from vern.centres.models import Centre

    own = case.centre
    other = Centre.objects.create(
        name="Fjellby krisesenter", municipality="Fjellby", police_district="innlandet"
    )
    page = ansatt_client.get(f"/saker/{case.pk}/flytting/ny/").content.decode()
    assert other.name in page
    assert f">{own.name}<" not in page
    response = ansatt_client.post(
        f"/saker/{case.pk}/flytting/ny/",
        {
            "reason": "Utøveren vet hvor senteret ligger.",
            "destination_centre": other.pk,
            "chosen_with_user": "on",
            "planned_on": (clock.today() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    relocation = Relocation.objects.get(case=case)
    assert relocation.destination_centre == other
    assert relocation.destination_police_district == "innlandet"


def test_the_handover_page_shows_the_scope_and_creates_the_case_at_the_new_centre(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    from tests.relocation.conftest import handover_consent, plan
    from vern.centres.models import Centre

    other = Centre.objects.create(
        name="Fjellby krisesenter", municipality="Fjellby", police_district="innlandet"
    )
    relocation = plan(ansatt, case, destination_name="", destination_centre=other)
    url = f"/saker/{case.pk}/flytting/{relocation.pk}/overlever/"
    page = ansatt_client.get(url).content.decode()
    assert "Det finnes ikke noe gyldig samtykke" in page
    handover_consent(
        ansatt, case, categories=["risk_mapping", "address"], recipient_unit=other.name
    )
    page = ansatt_client.get(url).content.decode()
    assert "Kartleggingen av trusselbildet" in page
    assert "Nåværende oppholdssted" in page  # covered, but nothing of its own to hand over
    assert other.name not in page  # the destination is shown only after step-up
    refused = ansatt_client.post(url, {"reference": ""})
    assert refused.status_code == 200
    assert not Case.objects.filter(centre=other).exists()
    response = ansatt_client.post(url, {"reference": "", "confirm": "on"})
    assert response.status_code == 302
    assert Case.objects.filter(centre=other).count() == 1
    detail = ansatt_client.get(response["Location"]).content.decode()
    assert "Kvittering" in detail


def test_the_no_police_page_needs_a_reason_and_opens_a_deviation(
    ansatt_client: Client, relocation: Relocation
) -> None:
    from vern.police.models import Deviation

    url = f"/saker/{relocation.case_id}/flytting/{relocation.pk}/politi/ankomst/uten/"
    assert ansatt_client.get(url).status_code == 200
    assert ansatt_client.post(url, {"reason": ""}).status_code == 200
    assert not Deviation.objects.exists()
    assert ansatt_client.post(url, {"reason": "Ingen svar."}).status_code == 302
    assert Deviation.objects.get().kind == "relocation_without_police"
    assert (
        ansatt_client.get(
            f"/saker/{relocation.case_id}/flytting/{relocation.pk}/politi/midten/uten/"
        ).status_code
        == 404
    )
