"""The leader sees hours in which one staff member opened many cases, linked to the events."""

from __future__ import annotations

import pytest
from django.test import Client

from vern.accounts.models import User
from vern.audit.selectors import UNUSUAL_CASES_PER_HOUR
from vern.cases import services

pytestmark = pytest.mark.django_db


def test_many_cases_opened_in_an_hour_is_listed_for_the_leader(
    client: Client, ansatt: User, leder: User
) -> None:
    from tests.factories import login_verified

    cases = [
        services.case_create(acting_user=ansatt, reference=f"U-{i}")
        for i in range(UNUSUAL_CASES_PER_HOUR)
    ]
    login_verified(client, ansatt)
    for case in cases:
        assert client.get(f"/saker/{case.pk}/").status_code == 200
    client.logout()
    login_verified(client, leder)
    html = client.get("/senter/tilgang/").content.decode()
    assert ansatt.full_name in html
    assert f"<td>{UNUSUAL_CASES_PER_HOUR}</td>" in html
    events = client.get(f"/senter/tilgang/hendelser/?ansatt={ansatt.pk}").content.decode()
    assert events.count(">sak ") >= UNUSUAL_CASES_PER_HOUR


def test_a_few_cases_is_not_unusual(leder_client: Client, ansatt: User) -> None:
    services.case_create(acting_user=ansatt, reference="N-1")
    html = leder_client.get("/senter/tilgang/").content.decode()
    assert ansatt.full_name not in html


def test_staff_cannot_see_the_review(ansatt_client: Client) -> None:
    assert ansatt_client.get("/senter/tilgang/").status_code == 403
    assert ansatt_client.get("/senter/tilgang/hendelser/").status_code == 403
