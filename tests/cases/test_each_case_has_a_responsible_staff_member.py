"""Issue 14: every case has a responsible staff member (ansvarlig): the creator unless another
staff member of the centre is chosen at creation; a leader or the responsible hands it on, to
staff of the case's centre only, audited with the change; "Mine saker" lists and counts the
cases one is responsible for."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import login_verified, make_user
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.cases import selectors, services
from vern.cases.models import Case, CaseEvent
from vern.centres.models import Centre
from vern.desk import selectors as desk
from vern.desk.timeline import timeline_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(centre: Centre) -> User:
    return make_user(Role.ANSATT, centre)


@pytest.fixture
def case(ansatt: User) -> Case:
    return services.case_create(acting_user=ansatt, reference="A-1")


def test_the_creator_is_responsible_for_a_new_case_unless_someone_else_is_chosen(
    ansatt: User, colleague: User
) -> None:
    assert services.case_create(acting_user=ansatt, reference="A-2").responsible == ansatt
    chosen = services.case_create(acting_user=ansatt, reference="A-3", responsible=colleague)
    assert chosen.responsible == colleague


def test_staff_of_another_centre_cannot_be_made_responsible(
    ansatt: User, case: Case, leder: User, other_centre: Centre
) -> None:
    stranger = make_user(Role.ANSATT, other_centre)
    with pytest.raises(ValidationError) as info:
        services.case_create(acting_user=ansatt, reference="A-4", responsible=stranger)
    assert "responsible" in info.value.message_dict
    assert not Case.objects.filter(reference="A-4").exists()
    with pytest.raises(ValidationError) as info:
        services.case_responsible_set(acting_user=leder, case=case, responsible=stranger)
    assert "responsible" in info.value.message_dict
    case.refresh_from_db()
    assert case.responsible_id == ansatt.pk


def test_a_deactivated_or_administrator_account_cannot_be_made_responsible(
    leder: User, case: Case, colleague: User, administrator: User
) -> None:
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    for person in (colleague, administrator):
        with pytest.raises(ValidationError):
            services.case_responsible_set(acting_user=leder, case=case, responsible=person)


def test_the_responsible_hands_the_case_on_and_it_is_audited_with_a_timeline_line(
    ansatt: User, case: Case, colleague: User
) -> None:
    services.case_responsible_set(acting_user=ansatt, case=case, responsible=colleague)
    case.refresh_from_db()
    assert case.responsible_id == colleague.pk
    event = AuditEvent.objects.get(
        action="case_updated", object_id=str(case.pk), details__step="responsible_changed"
    )
    assert event.details == {
        "step": "responsible_changed",
        "from_user": ansatt.pk,
        "to_user": colleague.pk,
    }
    assert event.actor_id == ansatt.pk
    line = CaseEvent.objects.get(case=case, kind="responsible_changed")
    assert colleague.full_name in line.summary
    assert timeline_lines([line])[0].text == f"Ny ansvarlig for saken: {colleague.full_name}"


def test_a_leader_may_reassign_but_another_staff_member_may_not(
    ansatt: User, leder: User, case: Case, colleague: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.case_responsible_set(acting_user=colleague, case=case, responsible=colleague)
    case.refresh_from_db()
    assert case.responsible_id == ansatt.pk
    assert not CaseEvent.objects.filter(case=case, kind="responsible_changed").exists()
    services.case_responsible_set(acting_user=leder, case=case, responsible=colleague)
    case.refresh_from_db()
    assert case.responsible_id == colleague.pk


def test_anyone_at_the_centre_may_take_a_case_whose_responsible_is_deactivated(
    ansatt: User, case: Case, colleague: User
) -> None:
    ansatt.is_active = False
    ansatt.save(update_fields=["is_active"])
    case.refresh_from_db()
    assert services.may_change_responsible(user=colleague, case=case)
    services.case_responsible_set(acting_user=colleague, case=case, responsible=colleague)
    case.refresh_from_db()
    assert case.responsible_id == colleague.pk


def test_a_leader_of_another_centre_cannot_reassign(
    case: Case, other_centre: Centre, colleague: User
) -> None:
    stranger = make_user(Role.LEDER, other_centre)
    assert not services.may_change_responsible(user=stranger, case=case)
    with pytest.raises(PermissionDenied):
        services.case_responsible_set(acting_user=stranger, case=case, responsible=colleague)


def test_a_closed_case_keeps_its_responsible(ansatt: User, case: Case, colleague: User) -> None:
    services.case_close(acting_user=ansatt, case=case, reason="other")
    with pytest.raises(ValidationError):
        services.case_responsible_set(acting_user=ansatt, case=case, responsible=colleague)


def test_the_same_person_again_is_refused_with_the_field_named(ansatt: User, case: Case) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_responsible_set(acting_user=ansatt, case=case, responsible=ansatt)
    assert "responsible" in info.value.message_dict


def test_mine_lists_and_counts_only_the_open_cases_one_is_responsible_for(
    ansatt: User, colleague: User
) -> None:
    mine = services.case_create(acting_user=ansatt, reference="M-1")
    services.case_create(acting_user=ansatt, reference="M-2", responsible=colleague)
    closed = services.case_create(acting_user=ansatt, reference="M-3")
    services.case_close(acting_user=ansatt, case=closed, reason="other")
    listed = desk.case_list(user=ansatt, mine=True)
    assert {c.reference for c in listed} == {"M-1", "M-3"}
    assert [c.reference for c in desk.case_list(user=ansatt, mine=True, status="open")] == [
        mine.reference
    ]
    assert desk.home_counts(user=ansatt)["mine"] == 1
    assert desk.home_counts(user=colleague)["mine"] == 1
    assert {
        c.reference for c in selectors.cases_responsible_for(colleague, Case.objects.all())
    } == {"M-2"}


def test_the_case_list_filters_on_mine_and_shows_the_responsible(
    ansatt_client: Client, ansatt: User, colleague: User
) -> None:
    services.case_create(acting_user=ansatt, reference="L-mine")
    services.case_create(acting_user=ansatt, reference="L-theirs", responsible=colleague)
    html = ansatt_client.get("/saker/?mine=1").content.decode()
    assert "L-mine" in html
    assert "L-theirs" not in html
    assert 'aria-current="page">Mine saker' in html
    everything = ansatt_client.get("/saker/").content.decode()
    assert "L-theirs" in everything
    assert colleague.full_name in everything
    home = ansatt_client.get("/").content.decode()
    assert "?mine=1&amp;status=open" in home


def test_the_case_list_reads_the_responsible_in_the_same_query(
    ansatt_client: Client, ansatt: User, colleague: User
) -> None:
    for n in range(3):
        services.case_create(acting_user=ansatt, reference=f"Q-{n}", responsible=colleague)
    ansatt_client.get("/saker/")
    with CaptureQueriesContext(connection) as few:
        ansatt_client.get("/saker/")
    for n in range(3, 8):
        services.case_create(acting_user=ansatt, reference=f"Q-{n}", responsible=colleague)
    with CaptureQueriesContext(connection) as many:
        ansatt_client.get("/saker/")
    assert len(many) == len(few)


def test_the_creation_form_offers_the_centres_staff_with_the_creator_chosen(
    ansatt_client: Client, ansatt: User, colleague: User, other_centre: Centre
) -> None:
    stranger = make_user(Role.ANSATT, other_centre)
    html = ansatt_client.get("/saker/ny/").content.decode()
    assert f'value="{ansatt.pk}" selected' in html
    assert colleague.full_name in html
    assert stranger.full_name not in html
    response = ansatt_client.post(
        "/saker/ny/", {"reference": "F-1", "language": "nb", "responsible": str(colleague.pk)}
    )
    assert response.status_code == 302
    assert Case.objects.get(reference="F-1").responsible_id == colleague.pk
    refused = ansatt_client.post(
        "/saker/ny/", {"reference": "F-2", "language": "nb", "responsible": str(stranger.pk)}
    )
    assert refused.status_code == 200
    assert "responsible" in refused.context["form"].errors
    assert refused.context["form"]["reference"].value() == "F-2"


def test_the_case_page_shows_the_responsible_and_the_form_only_to_who_may_change_it(
    client: Client, ansatt: User, case: Case, colleague: User, leder: User
) -> None:
    login_verified(client, colleague)
    page = client.get(f"/saker/{case.pk}/").content.decode()
    assert ansatt.full_name in page
    assert f"/saker/{case.pk}/ansvarlig/" not in page
    assert client.post(
        f"/saker/{case.pk}/ansvarlig/", {"responsible": colleague.pk}
    ).status_code == (403)
    client.logout()
    login_verified(client, leder)
    page = client.get(f"/saker/{case.pk}/").content.decode()
    assert f"/saker/{case.pk}/ansvarlig/" in page
    response = client.post(f"/saker/{case.pk}/ansvarlig/", {"responsible": colleague.pk})
    assert response.status_code == 302
    assert response["Location"].endswith("#responsible-h")
    case.refresh_from_db()
    assert case.responsible_id == colleague.pk
