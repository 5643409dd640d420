"""The leader's review page of the police contacts: only the centre's leader opens it (404 for a
deviation of another centre), it lists the deviations and the duty-to-avert contacts and closes
a deviation with a comment."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.police.conftest import (
    AVERT_RECORD,
    OFFENCE_196,
    hours_ago,
    record,
)
from vern.accounts.models import User
from vern.cases.models import Case
from vern.police.models import Deviation

pytestmark = pytest.mark.django_db


def test_leader_of_another_centre_gets_404_for_the_deviation(
    leder_client: Client, other_staff: User, other_case: Case
) -> None:
    record(other_staff, other_case, legal_ground="none")
    deviation = Deviation.objects.get(case=other_case)
    assert leder_client.get(f"/senter/politi/avvik/{deviation.pk}/").status_code == 404
    response = leder_client.post(f"/senter/politi/avvik/{deviation.pk}/", {"comment": "x"})
    assert response.status_code == 404
    deviation.refresh_from_db()
    assert deviation.is_open


def test_ansatt_and_administrator_cannot_open_the_leader_page(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    record(ansatt, case, legal_ground="none")
    deviation = Deviation.objects.get(case=case)
    assert ansatt_client.get("/senter/politi/").status_code == 403
    assert (
        ansatt_client.post(f"/senter/politi/avvik/{deviation.pk}/", {"comment": "Ok"}).status_code
        == 403
    )
    deviation.refresh_from_db()
    assert deviation.is_open


def test_administrator_cannot_open_the_leader_page(admin_client_verified: Client) -> None:
    assert admin_client_verified.get("/senter/politi/").status_code == 403


def test_leader_page_lists_deviations_and_duty_to_avert_contacts_and_closes_with_comment(
    leder_client: Client, ansatt: User, case: Case
) -> None:
    record(ansatt, case, legal_ground="none")
    record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Sikker kunnskap.",
        contact_at=hours_ago(2),
    )
    deviation = Deviation.objects.get(case=case)
    html = leder_client.get("/senter/politi/").content.decode()
    assert f"/senter/politi/avvik/{deviation.pk}/" in html
    assert "Grov kroppsskade" in html
    assert f"/saker/{case.pk}/" in html
    empty = leder_client.post(f"/senter/politi/avvik/{deviation.pk}/", {"comment": ""})
    assert empty.status_code == 200
    done = leder_client.post(f"/senter/politi/avvik/{deviation.pk}/", {"comment": "Fulgt opp."})
    assert done.status_code == 302
    deviation.refresh_from_db()
    assert deviation.leader_comment == "Fulgt opp."
