"""L1, L2 on the pages: the form records a danger-ground contact with its record (valid, no
deviation), names an unlisted offence for the duty to avert (a deviation after confirmation),
the leader's overview lists every no-consent contact with what it lacks, the user told can be
recorded afterwards, and a leader closing a contact without a ground records a justification
(nødrett, straffeloven § 17) shown in the review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.police.conftest import AVERT_RECORD, OFFENCE_196, REPRISAL, hours_ago, record
from vern.accounts.models import User
from vern.cases.models import Case
from vern.police.models import Deviation, PoliceContact

pytestmark = pytest.mark.django_db


def _local(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def _danger_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": "done",
        "contact_at": _local(hours_ago(1)),
        "police_district": "oslo",
        "contact_role": "operations_centre",
        "channel": "phone",
        "shared_categories": ["identity", "address"],
        "legal_ground": "danger_to_life_or_health",
        "danger_what": "Utøveren er på vei med våpen.",
        "danger_consent": "not_possible",
        "danger_consent_why": "Brukeren var ikke til å nå.",
        "decided_as": "staff_leader_told",
        "leader_told_at": _local(hours_ago(0.9)),
        "necessity_why": "Politiet trengte adressen for å rykke ut.",
        "user_not_told_why": "Brukeren er ikke til å nå ennå.",
        "reprisal_routes": REPRISAL["routes"],
        "reprisal_risk": REPRISAL["risk"],
        "reprisal_protections": REPRISAL["protections"],
    }
    data.update(overrides)
    return data


def test_l1_the_form_records_a_valid_danger_contact_that_the_leader_sees(
    ansatt_client: Client, leder_client: Client, case: Case
) -> None:
    form = ansatt_client.get(f"/saker/{case.pk}/politi/ny/").content.decode()
    assert "krisesenterlova § 5 annet ledd" in form
    assert "Anonym drøfting trenger ikke samtykke, fordi ingenting" in form
    response = ansatt_client.post(f"/saker/{case.pk}/politi/ny/", _danger_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = PoliceContact.objects.get(case=case)
    assert contact.ground_valid is True
    assert contact.decided_as == "staff_leader_told"
    assert not Deviation.objects.exists()
    html = leder_client.get("/senter/politi/").content.decode()
    assert "Kontakter uten samtykke" in html
    assert f"/saker/{case.pk}/politi/{contact.pk}/" in html
    assert "Fare for liv eller helse (krisesenterlova § 5 annet ledd)" in html
    assert "Ikke ennå" in html


def test_l1_a_missing_piece_is_explained_before_it_is_recorded_as_a_deviation(
    ansatt_client: Client, leder_client: Client, case: Case
) -> None:
    url = f"/saker/{case.pk}/politi/ny/"
    first = ansatt_client.post(url, _danger_form(necessity_why=""))
    assert first.status_code == 200
    assert "hvorfor det var nødvendig å dele" in first.content.decode()
    assert not PoliceContact.objects.exists()
    second = ansatt_client.post(url, _danger_form(necessity_why="", confirm_deviation="on"))
    assert second.status_code == 302
    assert Deviation.objects.get(case=case).reasons == ["necessity_missing"]
    html = leder_client.get("/senter/politi/").content.decode()
    assert "Det er ikke skrevet hvorfor det var nødvendig å dele opplysningene." in html


def test_l2_the_form_offers_unlisted_offences_marked_as_not_on_the_list(
    ansatt_client: Client, case: Case
) -> None:
    html = ansatt_client.get(f"/saker/{case.pk}/politi/ny/").content.decode()
    assert 'value="straffeloven-264"' in html
    assert "ikke på listen i § 196" in html


def test_the_user_told_is_recorded_afterwards_from_the_contact_page(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Sikker kunnskap.",
        **AVERT_RECORD,
    )
    page = ansatt_client.get(f"/saker/{case.pk}/politi/{contact.pk}/").content.decode()
    assert f"/saker/{case.pk}/politi/{contact.pk}/informert/" in page
    url = f"/saker/{case.pk}/politi/{contact.pk}/informert/"
    assert ansatt_client.post(url, {"user_told_at": "", "user_told_how": ""}).status_code == 200
    done = ansatt_client.post(
        url, {"user_told_at": _local(hours_ago(0.1)), "user_told_how": "I samtale."}
    )
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.user_told_how == "I samtale."


def test_a_leader_closes_a_contact_without_ground_with_necessity_as_justification(
    leder_client: Client, ansatt: User, case: Case
) -> None:
    record(ansatt, case, legal_ground="none")
    deviation = Deviation.objects.get(case=case)
    url = f"/senter/politi/avvik/{deviation.pk}/"
    assert "Nødrett (straffeloven § 17)" in leder_client.get(url).content.decode()
    no_comment = leder_client.post(url, {"comment": "", "justification": "necessity"})
    assert no_comment.status_code == 200
    done = leder_client.post(url, {"comment": "Akutt fare, vurdert.", "justification": "necessity"})
    assert done.status_code == 302
    deviation.refresh_from_db()
    assert deviation.justification == "necessity"
    assert "Nødrett (straffeloven § 17)" in leder_client.get(url).content.decode()
    assert "Nødrett (straffeloven § 17)" in leder_client.get("/senter/politi/").content.decode()


def test_other_deviations_offer_no_justification(
    leder_client: Client, ansatt: User, case: Case
) -> None:
    record(ansatt, case, shared_categories=["identity"], legal_ground="anonymous")
    deviation = Deviation.objects.get(case=case)
    deviation.kind = "other"
    deviation.save()
    html = leder_client.get(f"/senter/politi/avvik/{deviation.pk}/").content.decode()
    assert 'name="justification"' not in html
