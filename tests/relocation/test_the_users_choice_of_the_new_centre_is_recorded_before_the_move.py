"""R1: user, staff and police choose the new centre together. The user's choice can be recorded
after planning (audited), and a move cannot be completed until it is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.relocation.conftest import hours_ago, plan, police_at_both_ends
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent
from vern.relocation import services
from vern.relocation.models import Handover, RelocationStatus

pytestmark = pytest.mark.django_db


def _url(case: Case, relocation_pk: int, action: str) -> str:
    return f"/saker/{case.pk}/flytting/{relocation_pk}/{action}/"


def test_r1_completion_is_refused_until_the_users_choice_is_recorded(
    ansatt: User, case: Case
) -> None:
    relocation = police_at_both_ends(ansatt, plan(ansatt, case, chosen_with_user=False))
    with pytest.raises(ValidationError) as info:
        services.relocation_complete(
            acting_user=ansatt, relocation=relocation, handover=Handover.POLICE_BRIEF
        )
    assert any("valgt sammen med brukeren (R1)" in m for m in info.value.messages)
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.PLANNED

    services.relocation_record_user_choice(acting_user=ansatt, relocation=relocation)
    relocation.refresh_from_db()
    assert relocation.chosen_with_user is True
    assert CaseEvent.objects.filter(case=case, kind="relocation_user_choice").count() == 1
    event = AuditEvent.objects.filter(
        action="relocation_recorded", object_id=str(relocation.pk), reason="chosen_with_user"
    ).get()
    assert event.details == {"step": "user_choice", "chosen_with_user": True}

    services.relocation_complete(
        acting_user=ansatt,
        relocation=relocation,
        handover=Handover.POLICE_BRIEF,
        completed_at=hours_ago(1),
    )
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.COMPLETED


def test_r1_the_choice_is_recorded_once_and_only_while_the_move_is_planned(
    ansatt: User, case: Case
) -> None:
    relocation = plan(ansatt, case)  # chosen with the user when planned
    with pytest.raises(ValidationError):
        services.relocation_record_user_choice(acting_user=ansatt, relocation=relocation)
    services.relocation_cancel(acting_user=ansatt, relocation=relocation, reason="Ny plan.")
    with pytest.raises(ValidationError):
        services.relocation_record_user_choice(acting_user=ansatt, relocation=relocation)


def test_r1_pages_record_the_choice_and_explain_a_refused_completion(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    relocation = police_at_both_ends(ansatt, plan(ansatt, case, chosen_with_user=False))
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Registrer brukerens valg av senter" in page

    response = ansatt_client.post(
        _url(case, relocation.pk, "gjennomfort"),
        {"completed_at": hours_ago(1).strftime("%Y-%m-%dT%H:%M"), "handover": "police_brief"},
    )
    assert response.status_code == 200
    assert "Registrer brukerens valg før flyttingen" in response.content.decode()

    empty = ansatt_client.post(_url(case, relocation.pk, "brukerens-valg"), {})
    assert empty.status_code == 200
    assert "Kryss av når brukeren har vært med" in empty.content.decode()

    done = ansatt_client.post(
        _url(case, relocation.pk, "brukerens-valg"), {"chosen_with_user": "on"}
    )
    assert done.status_code == 302
    relocation.refresh_from_db()
    assert relocation.chosen_with_user is True
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Registrer brukerens valg av senter" not in page


def test_r1_the_choice_page_of_a_closed_case_sends_back_to_the_case(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    relocation = plan(ansatt, case, chosen_with_user=False)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    response = ansatt_client.get(_url(case, relocation.pk, "brukerens-valg"))
    assert response.status_code == 302
    relocation.refresh_from_db()
    assert relocation.chosen_with_user is False


def test_a_too_long_reason_and_an_implausible_date_get_errors_on_their_fields(
    ansatt_client: Client, case: Case
) -> None:
    reason = "x" * 2001
    response = ansatt_client.post(
        f"/saker/{case.pk}/flytting/ny/",
        {
            "reason": reason,
            "destination_name": "Et senter",
            "destination_police_district": "vest",
            "planned_on": "0026-05-01",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "høyst 2000 tegn" in " ".join(form.errors["reason"])
    assert "Sjekk årstallet" in " ".join(form.errors["planned_on"])
    assert reason in response.content.decode()  # nothing typed is lost
    assert not case.relocations.exists()
