"""The "Ny hendelse" form has an optional description, stored and shown on the timeline
(issue 14 point 13)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import login_verified, make_centre, make_user
from vern.accounts.models import Role
from vern.cases import services
from vern.cases.models import ReassessmentTrigger

pytestmark = pytest.mark.django_db


def test_the_description_is_stored_and_shown_on_the_timeline_in_every_language(
    client: Client,
) -> None:
    user = make_user(Role.ANSATT, make_centre())
    case = services.case_create(acting_user=user, reference="H-1")
    login_verified(client, user)

    form = client.get(f"/saker/{case.pk}/hendelse/").content.decode()
    assert 'name="description"' in form
    response = client.post(
        f"/saker/{case.pk}/hendelse/",
        {"kind": "new_threat", "description": "Ny trussel på SMS i går kveld."},
    )

    assert response.status_code == 302
    assert ReassessmentTrigger.objects.get(case=case).description == (
        "Ny trussel på SMS i går kveld."
    )
    page = client.get(f"/saker/{case.pk}/").content.decode()
    assert "Ny trussel på SMS i går kveld." in page
    client.cookies["django_language"] = "en"
    assert "Ny trussel på SMS i går kveld." in client.get(f"/saker/{case.pk}/").content.decode()


def test_the_description_is_optional_and_too_long_a_text_is_a_field_error(client: Client) -> None:
    user = make_user(Role.ANSATT, make_centre())
    case = services.case_create(acting_user=user, reference="H-2")
    login_verified(client, user)

    assert client.post(f"/saker/{case.pk}/hendelse/", {"kind": "new_threat"}).status_code == 302
    too_long = client.post(
        f"/saker/{case.pk}/hendelse/", {"kind": "new_threat", "description": "x" * 501}
    )
    assert too_long.status_code == 200
    assert "Teksten er for lang" in too_long.content.decode()
    assert ReassessmentTrigger.objects.filter(case=case).count() == 1
