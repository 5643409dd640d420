"""Issue 14: the leader marks each contact without consent (duty to avert, danger ground; L1,
L2, G11) as reviewed ("Gjennomgått"), with an optional note; who and when are recorded and
audited; the overview lists the unreviewed first and can show only those. Leaders of the
contact's centre only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.factories import login_verified, make_user
from tests.police.conftest import AVERT_RECORD, DANGER_RECORD, OFFENCE_196, hours_ago, record
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent
from vern.centres.models import Centre
from vern.police import selectors, services
from vern.police.models import PoliceContact

pytestmark = pytest.mark.django_db


def _avert(user: User, case: Case, hours: float = 1) -> PoliceContact:
    return record(
        user,
        case,
        legal_ground="duty_to_avert",
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Utøveren har sagt at det skjer i kveld.",
        duty_to_avert_decided_by=user,
        contact_at=hours_ago(hours),
        **AVERT_RECORD,
    )


def _danger(user: User, case: Case, hours: float = 1) -> PoliceContact:
    values = {
        **DANGER_RECORD,
        "contact_at": hours_ago(hours),
        "leader_told_at": hours_ago(hours - 0.5),
        "user_told_at": hours_ago(hours - 0.8),
    }
    return record(user, case, **values)


def test_the_leader_marks_a_duty_to_avert_contact_as_reviewed_with_a_note(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = _avert(ansatt, case)
    services.police_contact_review(acting_user=leder, contact=contact, note="  Snakket med A.  ")
    contact.refresh_from_db()
    assert contact.leader_reviewed_by_id == leder.pk
    assert contact.leader_reviewed_at is not None
    assert contact.leader_review_note == "Snakket med A."
    event = AuditEvent.objects.get(action="police_contact_reviewed", object_id=str(contact.pk))
    assert event.details == {"ground": "duty_to_avert", "with_note": True}
    assert "Snakket" not in str(event.details)
    assert CaseEvent.objects.filter(case=case, kind="no_consent_contact_reviewed").exists()


def test_a_danger_ground_contact_is_reviewed_without_a_note(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = _danger(ansatt, case)
    services.police_contact_review(acting_user=leder, contact=contact)
    contact.refresh_from_db()
    assert contact.is_leader_reviewed
    assert contact.leader_review_note == ""


def test_a_contact_is_reviewed_once(ansatt: User, leder: User, case: Case) -> None:
    contact = _avert(ansatt, case)
    services.police_contact_review(acting_user=leder, contact=contact)
    with pytest.raises(ValidationError):
        services.police_contact_review(acting_user=leder, contact=contact, note="Igjen")
    assert AuditEvent.objects.filter(action="police_contact_reviewed").count() == 1


def test_only_contacts_without_consent_are_reviewed_here(
    ansatt: User, leder: User, case: Case, valid_consent: object
) -> None:
    contact = record(ansatt, case)  # on consent
    with pytest.raises(ValidationError):
        services.police_contact_review(acting_user=leder, contact=contact)


def test_staff_and_leaders_of_another_centre_cannot_review(
    ansatt: User, case: Case, other_centre: Centre, administrator: User
) -> None:
    contact = _avert(ansatt, case)
    stranger = make_user(Role.LEDER, other_centre)
    for person in (ansatt, stranger, administrator):
        with pytest.raises(PermissionDenied):
            services.police_contact_review(acting_user=person, contact=contact)
    contact.refresh_from_db()
    assert not contact.is_leader_reviewed


def test_a_note_over_the_limit_is_refused_naming_the_field(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = _avert(ansatt, case)
    with pytest.raises(ValidationError) as info:
        services.police_contact_review(acting_user=leder, contact=contact, note="x" * 4001)
    assert "note" in info.value.message_dict


def test_a_contact_on_a_closed_case_can_still_be_reviewed(
    ansatt: User, leder: User, case: Case
) -> None:
    contact = _avert(ansatt, case)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    contact.refresh_from_db()
    services.police_contact_review(acting_user=leder, contact=contact)


def test_the_overview_lists_unreviewed_first_and_filters_on_them(
    ansatt: User, leder: User, case: Case
) -> None:
    old = _avert(ansatt, case, hours=30)
    newest = _danger(ansatt, case, hours=1)
    middle = _avert(ansatt, case, hours=10)
    services.police_contact_review(acting_user=leder, contact=newest)
    everything = selectors.leader_overview(user=leder).no_consent
    assert [c.pk for c in everything] == [middle.pk, old.pk, newest.pk]
    unreviewed = selectors.leader_overview(user=leder, unreviewed_only=True).no_consent
    assert [c.pk for c in unreviewed] == [middle.pk, old.pk]


def test_the_overview_page_shows_who_reviewed_and_links_the_rest_to_the_review(
    leder_client: Client, ansatt: User, leder: User, case: Case
) -> None:
    reviewed = _avert(ansatt, case, hours=5)
    waiting = _danger(ansatt, case, hours=1)
    services.police_contact_review(acting_user=leder, contact=reviewed, note="Fulgt opp.")
    html = leader_client_get(leder_client, "/senter/politi/")
    assert leder.full_name in html
    assert "Fulgt opp." in html
    assert f"/senter/politi/kontakt/{waiting.pk}/gjennomgatt/" in html
    assert "Ikke gjennomgått (1)" in html
    only = leader_client_get(leder_client, "/senter/politi/?unreviewed=1")
    assert "Fulgt opp." not in only
    assert f"/senter/politi/kontakt/{waiting.pk}/gjennomgatt/" in only


def leader_client_get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_review_page_records_the_review_and_keeps_the_note_on_an_error(
    leder_client: Client, ansatt: User, case: Case
) -> None:
    contact = _avert(ansatt, case)
    url = f"/senter/politi/kontakt/{contact.pk}/gjennomgatt/"
    page = leader_client_get(leder_client, url)
    assert "Merk som gjennomgått" in page
    assert "Ringte operasjonssentralen." in page  # the record the leader reviews
    too_long = leder_client.post(url, {"note": "y" * 4001})
    assert too_long.status_code == 200
    assert "note" in too_long.context["form"].errors
    contact.refresh_from_db()
    assert not contact.is_leader_reviewed
    done = leder_client.post(url, {"note": "Ok."})
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.leader_review_note == "Ok."
    again = leder_client.post(url, {"note": "Annen merknad"})
    assert again.status_code == 200
    contact.refresh_from_db()
    assert contact.leader_review_note == "Ok."


def test_staff_get_403_and_a_contact_with_consent_or_of_another_centre_is_404(  # noqa: PLR0917
    client: Client,
    ansatt: User,
    leder: User,
    case: Case,
    valid_consent: object,
    other_staff: User,
    other_case: Case,
) -> None:
    contact = _avert(ansatt, case)
    consented = record(ansatt, case)
    foreign = _avert(other_staff, other_case)
    login_verified(client, ansatt)
    assert client.get(f"/senter/politi/kontakt/{contact.pk}/gjennomgatt/").status_code == 403
    client.logout()
    login_verified(client, leder)
    assert client.get(f"/senter/politi/kontakt/{consented.pk}/gjennomgatt/").status_code == 404
    assert client.get(f"/senter/politi/kontakt/{foreign.pk}/gjennomgatt/").status_code == 404
    assert client.post(f"/senter/politi/kontakt/{foreign.pk}/gjennomgatt/").status_code == 404
    foreign.refresh_from_db()
    assert not foreign.is_leader_reviewed
