"""Cases: create, view (audited), update, close (read-only afterwards), scoped to the centre."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.cases import services
from vern.cases.models import Case, CaseEvent, CaseStatus
from vern.centres.models import Centre

pytestmark = pytest.mark.django_db


def test_staff_creates_a_case_with_a_pseudonymous_reference(ansatt: User) -> None:
    case = services.case_create(acting_user=ansatt, reference="Rom 4 – mars")
    assert case.centre_id == ansatt.centre_id
    assert case.status == CaseStatus.OPEN
    assert CaseEvent.objects.filter(case=case, kind="case_created").count() == 1
    assert AuditEvent.objects.filter(action="case_created", object_id=str(case.pk)).count() == 1


def test_reference_must_be_unique_within_the_centre_but_not_across(
    ansatt: User, other_centre: Centre
) -> None:
    services.case_create(acting_user=ansatt, reference="A-1")
    with pytest.raises(ValidationError):
        services.case_create(acting_user=ansatt, reference="a-1")
    other = make_user(Role.ANSATT, other_centre)
    assert services.case_create(acting_user=other, reference="A-1").centre_id == other_centre.pk


def test_administrator_cannot_create_cases(administrator: User) -> None:
    with pytest.raises(PermissionDenied):
        services.case_create(acting_user=administrator, reference="X")


def test_closed_case_refuses_every_write(ansatt: User) -> None:
    case = services.case_create(acting_user=ansatt, reference="C-1")
    services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")
    with pytest.raises(services.CaseClosedError):
        services.case_update(acting_user=ansatt, case=case, name="x", language="nb")
    with pytest.raises(services.CaseClosedError):
        services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=None)
    with pytest.raises(services.CaseClosedError):
        services.case_close(acting_user=ansatt, case=case, reason="other")


def test_case_page_is_audited_once_per_view_and_hides_the_name_from_title(
    ansatt_client: Client, ansatt: User
) -> None:
    case = services.case_create(acting_user=ansatt, reference="R-7", name="Kari Nordmann")
    before = AuditEvent.objects.filter(action="case_viewed").count()
    response = ansatt_client.get(f"/saker/{case.pk}/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="case_viewed").count() == before + 1
    html = response.content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Kari" not in title
    assert "Kari Nordmann" in html  # shown inside the case only


def test_case_list_never_shows_names(ansatt_client: Client, ansatt: User) -> None:
    services.case_create(acting_user=ansatt, reference="R-8", name="Hemmelig Navnesen")
    html = ansatt_client.get("/saker/").content.decode()
    assert "R-8" in html
    assert "Hemmelig" not in html


def test_case_of_another_centre_is_not_found(ansatt_client: Client, other_centre: Centre) -> None:
    other = make_user(Role.ANSATT, other_centre)
    case = services.case_create(acting_user=other, reference="KANARI-42", name="KANARI-navn")
    for url in (f"/saker/{case.pk}/", f"/saker/{case.pk}/avslutt/", f"/saker/{case.pk}/barn/"):
        response = ansatt_client.get(url)
        assert response.status_code == 404
        assert b"KANARI" not in response.content


def test_search_filters_by_reference_and_status(ansatt_client: Client, ansatt: User) -> None:
    services.case_create(acting_user=ansatt, reference="Alfa")
    beta = services.case_create(acting_user=ansatt, reference="Beta")
    services.case_close(acting_user=ansatt, case=beta, reason="other")
    html = ansatt_client.get("/saker/?q=alf").content.decode()
    assert "Alfa" in html
    assert "Beta" not in html
    html = ansatt_client.get("/saker/?status=closed").content.decode()
    assert "Beta" in html
    assert "Alfa" not in html


def test_creating_through_the_page_redirects_to_the_case(ansatt_client: Client) -> None:
    response = ansatt_client.post("/saker/ny/", {"reference": "Ny-1", "language": "en"})
    assert response.status_code == 302
    case = Case.objects.get(reference="Ny-1")
    assert response["Location"] == f"/saker/{case.pk}/"
    assert case.language == "en"


def test_bad_input_names_the_field_and_saves_nothing(ansatt_client: Client) -> None:
    response = ansatt_client.post("/saker/ny/", {"reference": "", "language": "xx"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert Case.objects.count() == 0
