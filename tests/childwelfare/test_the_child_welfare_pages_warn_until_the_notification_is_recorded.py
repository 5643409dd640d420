"""B1 pages: record a concern for a child, the case page warns until the notification is
recorded, the leader's list; errors land on their fields; other centres get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.childwelfare.conftest import concern
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.core import clock

pytestmark = pytest.mark.django_db

WARNING = "Opplysningsplikt til barnevernet: melding er ikke registrert"


def _notification_form(concern_pk: int, sender: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "concerns": [str(concern_pk)],
        "sent_on": (clock.today() - dt.timedelta(days=1)).isoformat(),
        "service": "Barnevernstjenesten i Testby",
        "channel": "phone",
        "shared_categories": ["child_situation"],
        "shared_summary": "",
        "sent_by": str(sender.pk),
        "user_told": "yes",
        "user_told_on": clock.today().isoformat(),
        "user_told_how": "I en samtale",
    }
    data.update(overrides)
    return data


def test_the_case_page_has_the_section_and_no_warning_without_a_concern(
    ansatt_client: Client, case: Case, child: CaseChild
) -> None:
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Barnevernet (opplysningsplikt)" in page
    assert f"/saker/{case.pk}/barnevern/barn/{child.pk}/bekymring/" in page
    assert WARNING not in page


def test_recording_a_concern_warns_on_the_case_page_until_the_notification_is_recorded(
    ansatt_client: Client, ansatt: User, case: Case, child: CaseChild
) -> None:
    response = ansatt_client.post(
        f"/saker/{case.pk}/barnevern/barn/{child.pk}/bekymring/",
        {"grounds": ["mistreated"], "reason": "Blåmerker barnet ikke kan forklare."},
    )
    assert response.status_code == 302
    recorded = ChildWelfareConcern.objects.get()
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert WARNING in page
    assert "uavhengig av samtykke" in page

    response = ansatt_client.post(
        f"/saker/{case.pk}/barnevern/melding/", _notification_form(recorded.pk, ansatt)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ChildWelfareNotification.objects.get().concerns.get() == recorded
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert WARNING not in page
    assert "Barnevernstjenesten i Testby" in page


def test_a_concern_without_grounds_or_reason_is_a_field_error_and_keeps_the_input(
    ansatt_client: Client, case: Case, child: CaseChild
) -> None:
    response = ansatt_client.post(
        f"/saker/{case.pk}/barnevern/barn/{child.pk}/bekymring/",
        {"grounds": [], "reason": "Noe dere så"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_grounds_error"' in page
    assert "Noe dere så" in page
    assert not ChildWelfareConcern.objects.exists()


def test_a_notification_without_the_user_told_answer_is_a_field_error(
    ansatt_client: Client, ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    response = ansatt_client.post(
        f"/saker/{case.pk}/barnevern/melding/",
        _notification_form(recorded.pk, ansatt, user_told="no", user_not_told_reason=""),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv hvorfor brukeren ikke er fortalt om meldingen." in page
    assert "Barnevernstjenesten i Testby" in page  # nothing typed is lost
    assert not ChildWelfareNotification.objects.exists()


def test_resolving_a_concern_registered_in_error_removes_the_warning(
    ansatt_client: Client, ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    response = ansatt_client.post(
        f"/saker/{case.pk}/barnevern/bekymring/{recorded.pk}/avslutt/",
        {"reason": "registered_in_error", "note": ""},
    )
    assert response.status_code == 302
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert WARNING not in page
    assert "Avsluttet uten melding" in page


def test_the_notification_page_without_pending_concerns_goes_back_to_the_case(
    ansatt_client: Client, case: Case
) -> None:
    response = ansatt_client.get(f"/saker/{case.pk}/barnevern/melding/")
    assert response.status_code == 302


def test_a_closed_case_sends_the_write_pages_back_to_the_case(
    ansatt_client: Client, ansatt: User, case: Case, child: CaseChild
) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")
    response = ansatt_client.post(
        f"/saker/{case.pk}/barnevern/barn/{child.pk}/bekymring/",
        {"grounds": ["mistreated"], "reason": "x"},
    )
    assert response.status_code == 302
    assert not ChildWelfareConcern.objects.exists()


def test_another_centres_case_child_and_concern_are_404(
    ansatt_client: Client, other_staff: User
) -> None:
    other = case_services.case_create(acting_user=other_staff, reference="KANARI-bv")
    other_child = case_services.child_add(
        acting_user=other_staff, case=other, label="Barn K", birth_year=None
    )
    other_concern = concern(other_staff, other, other_child)
    for url in (
        f"/saker/{other.pk}/barnevern/barn/{other_child.pk}/bekymring/",
        f"/saker/{other.pk}/barnevern/bekymring/{other_concern.pk}/avslutt/",
        f"/saker/{other.pk}/barnevern/melding/",
    ):
        assert ansatt_client.get(url).status_code == 404, url


def test_the_leader_list_shows_pending_concerns_and_staff_are_refused(
    client: Client, ansatt: User, leder: User, case: Case, child: CaseChild
) -> None:
    from tests.factories import login_verified

    concern(ansatt, case, child)
    login_verified(client, ansatt)
    assert client.get("/senter/barnevern/").status_code == 403
    client.logout()
    login_verified(client, leder)
    page = client.get("/senter/barnevern/").content.decode()
    assert case.reference in page
    assert "Barn 1" in page
    assert "Barnevernet: bekymringer uten melding" in page
