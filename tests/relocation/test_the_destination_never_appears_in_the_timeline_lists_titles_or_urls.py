"""The destination never appears in the timeline, lists, page titles or URLs."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.relocation.conftest import DESTINATION, hours_ago, police_at_both_ends
from vern.accounts.models import User
from vern.cases.models import CaseEvent
from vern.relocation import services
from vern.relocation.models import Handover, Relocation

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return html.split("<title>")[1].split("</title>", maxsplit=1)[0]


def test_destination_is_never_in_the_timeline_through_the_whole_move(
    ansatt_client: Client, ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    services.relocation_complete(
        acting_user=ansatt,
        relocation=relocation,
        handover=Handover.POLICE_BRIEF,
        completed_at=hours_ago(1),
    )
    kinds = set(CaseEvent.objects.filter(case=relocation.case).values_list("kind", flat=True))
    assert {"relocation_planned", "relocation_police", "relocation_completed"} <= kinds
    for summary in CaseEvent.objects.values_list("summary", flat=True):
        assert "Fjordby" not in summary
    html = ansatt_client.get(f"/saker/{relocation.case_id}/").content.decode()
    timeline = html.split('id="timeline-h"')[1]
    assert "Flytting til annet krisesenter" in timeline
    assert "Fjordby" not in html


def test_destination_is_never_in_the_case_list_or_the_dashboard(
    ansatt_client: Client, relocation: Relocation
) -> None:
    for url in ("/saker/", "/saker/revurdering/", "/saker/?flag=trigger"):
        response = ansatt_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "R-flytt" in html, url  # the case is listed (planned move = trigger) ...
        assert "Fjordby" not in html, url  # ... but never with its destination
    # Searching by the destination finds nothing: lists search by reference only.
    assert "R-flytt" not in ansatt_client.get("/saker/?q=Fjordby").content.decode()


def test_destination_is_never_in_page_titles_or_urls(
    ansatt_client: Client, relocation: Relocation
) -> None:
    base = f"/saker/{relocation.case_id}/flytting/{relocation.pk}/"
    for url in (
        base,
        base + "vis-flyttemal/",
        base + "politi/",
        base + "gjennomfort/",
        base + "avbryt/",
        f"/saker/{relocation.case_id}/",
    ):
        html = ansatt_client.get(url).content.decode()
        assert "Fjordby" not in _title(html), url
        for href in html.split('href="')[1:]:
            assert "Fjordby" not in href.split('"')[0], url
    assert str(relocation) == f"relocation {relocation.pk}"
    assert DESTINATION
