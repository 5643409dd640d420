"""A refusal, a new event and the timeline over the API (issue 21) go through the services of
the web pages: a refusal with the information offered records that information as given
(G13) and keeps the case under reassessment (G8); the system's own event kinds are refused;
the timeline is the case page's, in the language asked for."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import Api, error_of
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent.models import ConsentRefusal, InformationKind, InformationRecord
from vern.core import clock

pytestmark = pytest.mark.django_db


def test_a_refusal_with_the_information_offered_records_the_information_as_given(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    at = clock.now() - dt.timedelta(hours=2)
    response = ansatt_api.post(
        f"/cases/{case.pk}/refusals",
        {"refused_at": at.isoformat(), "reasons": "Vil ikke nå.", "information_offered": True},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["information_offered"] is True
    assert body["next_reassessment_on"] is not None
    refusal = ConsentRefusal.objects.get(pk=body["id"])
    assert refusal.refused_at == at
    assert refusal.reasons == "Vil ikke nå."
    information = InformationRecord.objects.get(case=case)
    assert information.kind == InformationKind.POLICE_HELP_AND_MEASURES
    assert information.given_at == at
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_REFUSED, actor=ansatt).exists()
    state = ansatt_api.get(f"/cases/{case.pk}").json()["state"]
    assert state["consent"] == "refused"
    assert state["refusal_information_offered"] is True


def test_a_refusal_without_the_information_offered_records_no_information(
    ansatt_api: Api, case: Case
) -> None:
    response = ansatt_api.post(f"/cases/{case.pk}/refusals", {})

    assert response.status_code == 201, response.content
    assert not InformationRecord.objects.filter(case=case).exists()


def test_a_refusal_in_the_future_or_with_too_long_reasons_is_422_naming_the_field(
    ansatt_api: Api, case: Case
) -> None:
    future = (clock.now() + dt.timedelta(days=1)).isoformat()
    late = ansatt_api.post(f"/cases/{case.pk}/refusals", {"refused_at": future})
    long = ansatt_api.post(f"/cases/{case.pk}/refusals", {"reasons": "x" * 4001})

    assert (late.status_code, long.status_code) == (422, 422)
    assert (error_of(late)["field"], error_of(long)["field"]) == ("refused_at", "reasons")
    assert not ConsentRefusal.objects.filter(case=case).exists()


def test_a_new_event_is_a_trigger_on_the_timeline(ansatt_api: Api, case: Case) -> None:
    on = (clock.today() + dt.timedelta(days=10)).isoformat()
    response = ansatt_api.post(
        f"/cases/{case.pk}/events",
        {"kind": "court_date", "occurs_on": on, "description": "Rettsmøte i tingretten."},
    )

    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "court_date"
    state = ansatt_api.get(f"/cases/{case.pk}").json()["state"]
    assert [t["kind"] for t in state["open_triggers"]] == ["court_date"]
    assert state["reassess_now"] is True


@pytest.mark.parametrize("kind", ["case_reopened", "rules_changed", "tarot"])
def test_the_systems_own_event_kinds_and_unknown_ones_are_refused(
    ansatt_api: Api, case: Case, kind: str
) -> None:
    response = ansatt_api.post(f"/cases/{case.pk}/events", {"kind": kind})

    assert response.status_code == 422
    assert error_of(response)["field"] == "kind"
    assert not case.triggers.exists()


def test_an_event_date_outside_the_plausible_range_is_422(ansatt_api: Api, case: Case) -> None:
    response = ansatt_api.post(
        f"/cases/{case.pk}/events", {"kind": "court_date", "occurs_on": "1999-01-01"}
    )

    assert response.status_code == 422
    assert error_of(response)["field"] == "occurs_on"


@pytest.mark.parametrize(
    ("lang", "created", "event"),
    [
        ("nb", "Sak opprettet", "Ny hendelse: Ny trussel"),
        ("nn", "Sak oppretta", "Ny hending: Ny trussel"),
        ("en", "Case created", "New event: New threat"),
    ],
)
def test_the_timeline_is_the_case_pages_in_the_language_asked_for(  # noqa: PLR0917
    ansatt_api: Api, ansatt: User, case: Case, lang: str, created: str, event: str
) -> None:
    ansatt_api.post(f"/cases/{case.pk}/events", {"kind": "new_threat"})
    before = AuditEvent.objects.filter(actor=ansatt, action=AuditAction.API_READ).count()

    response = ansatt_api.get(f"/cases/{case.pk}/timeline", lang=lang)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lang"] == lang
    texts = [item["text"] for item in body["items"]]
    assert texts == [event, created]  # newest first
    assert body["items"][0]["kind"] == "trigger"
    assert body["items"][0]["actor_id"] == ansatt.pk
    after = AuditEvent.objects.filter(actor=ansatt, action=AuditAction.API_READ).count()
    assert after == before + 1


def test_the_timeline_is_bokmal_by_default_and_readable_on_a_closed_case(
    ansatt_api: Api, case: Case
) -> None:
    ansatt_api.post(f"/cases/{case.pk}/close", {"reason": "other"})

    response = ansatt_api.get(f"/cases/{case.pk}/timeline")

    assert response.status_code == 200
    assert response.json()["lang"] == "nb"
    assert response.json()["items"][0]["text"] == "Sak avsluttet"
    assert ansatt_api.get(f"/cases/{case.pk}/timeline", lang="ar").status_code == 422
