"""A lookup of another centre's case, and of an id that does not exist, each write one
``lookup_refused`` event of the requesting user's centre, identical in every field but time
and sequence (no existence oracle), for web views and the API; many of them in a short time
show in the leader's review (issue 15 point 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import Api, token_for
from tests.factories import login_verified, make_user
from vern.accounts.models import Role, User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.audit.selectors import REFUSED_LOOKUP_BURST, refused_lookup_bursts
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.core import clock

MISSING = 987654321


@pytest.fixture
def other_case(other_centre: Centre) -> Case:
    other = make_user(Role.ANSATT, other_centre)
    return case_services.case_create(acting_user=other, reference="B-1")


def _refused(user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(actor=user, action=AuditAction.LOOKUP_REFUSED).order_by("seq")
    )


def _comparable(event: AuditEvent) -> dict[str, Any]:
    return {
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "centre_id": event.centre_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason,
        "refused": event.details.get("refused"),
    }


@pytest.mark.parametrize(
    "suffix", ["/", "/vurdering/ny/", "/samtykke/ny/", "/politi/ny/", "/flytting/ny/"]
)
def test_a_cross_centre_id_and_a_missing_id_give_identical_web_events(
    client: Client, ansatt: User, other_case: Case, suffix: str
) -> None:
    login_verified(client, ansatt)
    foreign = client.get(f"/saker/{other_case.pk}{suffix}")
    missing = client.get(f"/saker/{MISSING}{suffix}")

    assert foreign.status_code == 404
    assert missing.status_code == 404
    first, second = _refused(ansatt)
    assert first.centre_id == ansatt.centre_id
    assert first.object_type == "case"
    assert first.details == {"refused": "not_found", "requested_id": other_case.pk}
    assert second.details == {"refused": "not_found", "requested_id": MISSING}
    assert _comparable(first) == _comparable(second)
    assert first.request_id != second.request_id or not first.request_id


def test_a_cross_centre_id_and_a_missing_id_give_identical_api_events(
    ansatt: User, other_case: Case
) -> None:
    api = Api(Client(), token_for(ansatt))
    assert api.get(f"/cases/{other_case.pk}").status_code == 404
    assert api.get(f"/cases/{MISSING}").status_code == 404

    first, second = _refused(ansatt)
    assert _comparable(first) == _comparable(second)
    assert first.centre_id == ansatt.centre_id
    assert first.object_type == "case"


def test_a_refused_lookup_never_reaches_the_other_cases_access_report(
    client: Client, ansatt: User, other_case: Case
) -> None:
    from vern.documents.selectors import access_events

    login_verified(client, ansatt)
    client.get(f"/saker/{other_case.pk}/")

    assert not access_events(case=other_case).filter(action=AuditAction.LOOKUP_REFUSED).exists()


def test_an_own_case_is_no_refused_lookup(client: Client, ansatt: User) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="A-1")
    login_verified(client, ansatt)
    assert client.get(f"/saker/{case.pk}/").status_code == 200
    assert _refused(ansatt) == []


def test_a_burst_of_refused_lookups_shows_in_the_leaders_review(
    client: Client, ansatt: User, leder: User
) -> None:
    login_verified(client, ansatt)
    for number in range(REFUSED_LOOKUP_BURST):
        assert client.get(f"/saker/{MISSING + number}/").status_code == 404
    client.logout()

    login_verified(client, leder)
    html = client.get("/senter/tilgang/").content.decode()

    (burst,) = refused_lookup_bursts(leader=leder)
    assert burst.actor == ansatt
    assert burst.lookups == REFUSED_LOOKUP_BURST
    assert f"<td>{REFUSED_LOOKUP_BURST}</td>" in html
    assert ansatt.full_name in html


def test_refusals_spread_over_more_than_the_window_are_no_burst(
    ansatt: User, leder: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vern.audit.services import lookup_refused

    # One refusal a minute (the clock moved, not the stored rows: the log is append-only).
    start = clock.now() - dt.timedelta(hours=1)
    for minute in range(REFUSED_LOOKUP_BURST):
        at = start + dt.timedelta(minutes=minute)
        monkeypatch.setattr(clock, "now", lambda at=at: at)
        lookup_refused(user=ansatt, object_type="case", requested_id=minute)
    monkeypatch.undo()

    assert len(_refused(ansatt)) == REFUSED_LOOKUP_BURST
    assert refused_lookup_bursts(leader=leder) == []  # no ten minutes hold twenty
    assert len(refused_lookup_bursts(leader=leder, minutes=30)) == 1


def test_another_centres_leader_sees_no_burst(
    client: Client, ansatt: User, other_centre: Centre
) -> None:
    from vern.audit.services import lookup_refused

    for number in range(REFUSED_LOOKUP_BURST):
        lookup_refused(user=ansatt, object_type="case", requested_id=number)
    other_leader = make_user(Role.LEDER, other_centre)

    assert refused_lookup_bursts(leader=other_leader) == []
