"""A closed case shows no write controls (withdrawing a consent stays possible, C1) and can be
reopened - by any staff member of the centre who works with cases, audited, with a reason -
when the user comes back; the reopened case calls for a new assessment now (G8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.cases import services
from vern.cases.models import Case, CaseEvent, CaseStatus, ReassessmentTrigger
from vern.centres.models import Centre
from vern.desk import selectors as desk_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(ansatt: User) -> Case:
    case = services.case_create(acting_user=ansatt, reference="S-1")
    return services.case_close(acting_user=ansatt, case=case, reason="returned")


def test_a_closed_case_page_has_no_write_controls_and_no_next_reassessment(
    ansatt_client: Client, closed: Case
) -> None:
    page = ansatt_client.get(f"/saker/{closed.pk}/").content.decode()
    assert "Neste revurdering" not in page
    assert f"/saker/{closed.pk}/hendelse/" not in page
    assert f"/saker/{closed.pk}/barn/" not in page
    assert f"/saker/{closed.pk}/gjenapne/" in page


@pytest.mark.parametrize("path", ["hendelse/", "barn/", "avslutt/"])
def test_write_pages_of_a_closed_case_send_back_before_any_form(
    ansatt_client: Client, closed: Case, path: str
) -> None:
    response = ansatt_client.get(f"/saker/{closed.pk}/{path}")
    assert response.status_code == 302
    assert response["Location"] == f"/saker/{closed.pk}/"


def test_reopening_is_audited_with_a_reason_and_calls_for_a_new_assessment(
    ansatt: User, closed: Case
) -> None:
    services.case_reopen(acting_user=ansatt, case=closed, reason="user_returned")
    closed.refresh_from_db()
    assert closed.status == CaseStatus.OPEN
    assert closed.closed_at is None
    assert closed.close_reason == ""
    assert CaseEvent.objects.filter(case=closed, kind="case_closed").exists()  # history stays
    assert CaseEvent.objects.filter(case=closed, kind="case_reopened").exists()
    event = AuditEvent.objects.get(
        action="case_reopened", object_id=str(closed.pk), reason="user_returned"
    )
    assert event.details == {"step": "reopened", "closed_as": "returned"}
    trigger = ReassessmentTrigger.objects.get(case=closed)
    assert trigger.kind == "case_reopened"
    assert trigger.resolved_by is None
    assert closed in desk_selectors.reassessment_dashboard(user=ansatt)["triggered"]
    services.child_add(acting_user=ansatt, case=closed, label="Barn 1", birth_year=None)


def test_reopening_needs_a_reason_a_closed_case_and_a_case_worker_of_the_centre(
    ansatt: User, leder: User, administrator: User, other_centre: Centre, closed: Case
) -> None:
    with pytest.raises(ValidationError):
        services.case_reopen(acting_user=ansatt, case=closed, reason="")
    with pytest.raises(PermissionDenied):
        services.case_reopen(acting_user=administrator, case=closed, reason="user_returned")
    with pytest.raises(PermissionDenied):
        services.case_reopen(
            acting_user=make_user(Role.LEDER, other_centre), case=closed, reason="user_returned"
        )
    services.case_reopen(acting_user=leder, case=closed, reason="closed_in_error")
    with pytest.raises(ValidationError):
        services.case_reopen(acting_user=ansatt, case=closed, reason="user_returned")


def test_the_reopen_page_reopens_and_another_centre_gets_404(
    ansatt_client: Client, closed: Case, other_centre: Centre
) -> None:
    url = f"/saker/{closed.pk}/gjenapne/"
    assert ansatt_client.post(url, {}).status_code == 200  # no reason: error on the field
    closed.refresh_from_db()
    assert closed.is_closed
    response = ansatt_client.post(url, {"reason": "user_returned"})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert not closed.is_closed
    other = make_user(Role.ANSATT, other_centre)
    other_case = services.case_create(acting_user=other, reference="KANARI-1")
    services.case_close(acting_user=other, case=other_case, reason="other")
    assert ansatt_client.get(f"/saker/{other_case.pk}/gjenapne/").status_code == 404
