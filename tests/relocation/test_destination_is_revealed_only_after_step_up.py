"""The destination is sensitive: hidden on the case panel and pages, shown only after step-up
on the reveal page, each reveal audited, nothing kept in the session."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import backup_code
from tests.relocation.conftest import DESTINATION
from vern.accounts.models import User
from vern.accounts.sessions import STEP_UP_AT
from vern.audit.models import AuditEvent
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db


def _expire_step_up(client: Client) -> None:
    session = client.session
    session.pop(STEP_UP_AT, None)
    session.save()


def _reveal_url(relocation: Relocation) -> str:
    return f"/saker/{relocation.case_id}/flytting/{relocation.pk}/vis-flyttemal/"


def _reveals() -> int:
    return AuditEvent.objects.filter(action="relocation_destination_revealed").count()


def test_case_page_and_relocation_page_show_hidden_instead_of_the_destination(
    ansatt_client: Client, relocation: Relocation
) -> None:
    for url in (
        f"/saker/{relocation.case_id}/",
        f"/saker/{relocation.case_id}/flytting/{relocation.pk}/",
    ):
        html = ansatt_client.get(url).content.decode()
        assert "Skjult" in html
        assert DESTINATION not in html
        assert "Vest politidistrikt" not in html
        assert _reveal_url(relocation) in html
    assert _reveals() == 0


def test_reveal_without_a_fresh_step_up_redirects_to_step_up_and_reveals_nothing(
    ansatt_client: Client, relocation: Relocation
) -> None:
    _expire_step_up(ansatt_client)
    response = ansatt_client.get(_reveal_url(relocation))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/bekreft/")
    assert DESTINATION not in response.content.decode()
    assert _reveals() == 0


def test_reveal_after_step_up_shows_the_destination_once_and_is_audited(
    ansatt_client: Client, ansatt: User, relocation: Relocation
) -> None:
    _expire_step_up(ansatt_client)
    url = _reveal_url(relocation)
    step_up = ansatt_client.post("/konto/bekreft/", {"code": backup_code(ansatt), "next": url})
    assert step_up.status_code == 302
    assert step_up["Location"] == url
    response = ansatt_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert DESTINATION in html
    assert "Vest politidistrikt" in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert DESTINATION not in title
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="relocation_destination_revealed")
    assert event.object_type == "relocation"
    assert event.object_id == str(relocation.pk)
    assert event.actor_id == ansatt.pk
    assert "Fjordby" not in str(event.details)
    # Shown on that response only: the next page hides it again, nothing is in the session.
    again = ansatt_client.get(f"/saker/{relocation.case_id}/").content.decode()
    assert DESTINATION not in again
    assert not any(DESTINATION in str(v) for v in ansatt_client.session.values())


def test_every_reveal_is_audited(ansatt_client: Client, relocation: Relocation) -> None:
    # login_verified leaves a fresh step-up (the MFA code was just entered).
    ansatt_client.get(_reveal_url(relocation))
    ansatt_client.get(_reveal_url(relocation))
    assert _reveals() == 2


def test_reveal_of_another_centre_is_not_found_and_not_audited(
    ansatt_client: Client, other_relocation: Relocation
) -> None:
    response = ansatt_client.get(_reveal_url(other_relocation))
    assert response.status_code == 404
    assert "KANARI" not in response.content.decode()
    _expire_step_up(ansatt_client)
    assert ansatt_client.get(_reveal_url(other_relocation)).status_code == 404
    assert _reveals() == 0


def test_each_page_read_is_audited_exactly_once(
    ansatt_client: Client, relocation: Relocation
) -> None:
    before = AuditEvent.objects.count()
    ansatt_client.get(f"/saker/{relocation.case_id}/flytting/{relocation.pk}/")
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id")[0].action == "case_viewed"
    before = AuditEvent.objects.count()
    ansatt_client.get(_reveal_url(relocation))
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id")[0].action == "relocation_destination_revealed"
