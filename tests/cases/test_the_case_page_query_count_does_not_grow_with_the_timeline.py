"""The case page's query count does not grow with the timeline (issue 5 quality bar)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vern.accounts.models import User
from vern.cases import services

pytestmark = pytest.mark.django_db


def _queries_for_case_page(client: Client, pk: int) -> int:
    client.get(f"/saker/{pk}/")  # warm: the header's task count is kept (vern.reminders.header)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/saker/{pk}/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_with_200_events_uses_the_same_number_of_queries_as_with_2(
    ansatt_client: Client, ansatt: User
) -> None:
    case = services.case_create(acting_user=ansatt, reference="T-1")
    services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=2019)
    small = _queries_for_case_page(ansatt_client, case.pk)
    for i in range(200):
        services.case_event(case=case, kind="note", summary=f"Hendelse {i}", actor=ansatt)
    large = _queries_for_case_page(ansatt_client, case.pk)
    assert large == small
