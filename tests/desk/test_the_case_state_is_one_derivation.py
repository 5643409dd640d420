"""Issue 14 points 3, 5 and 11: the case page's summary, the case list and the API read one
derivation of the case's state (``vern.desk.state``): a new event, a refusal and a closing
show at once and everywhere the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import Api
from tests.desk.conftest import list_row, plan, summary, tags_in
from tests.documents.conftest import make_assessment
from tests.police.conftest import hours_ago, inform
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case, CaseStatus
from vern.consent import services as consent_services
from vern.consent.models import Consent, InformationKind, InformationRecord
from vern.core import clock
from vern.desk import state as st
from vern.desk.state import case_state, case_states

pytestmark = pytest.mark.django_db

OFFENCES = ["straffeloven-271"]


def test_a_new_event_shows_a_banner_and_makes_the_reassessment_due_now(
    ansatt: User, ansatt_client: Client, ansatt_api: Api, case: Case
) -> None:
    make_assessment(ansatt, case, offences=OFFENCES)
    case.next_reassessment_on = clock.today() + dt.timedelta(days=7)
    case.save(update_fields=["next_reassessment_on"])
    assert "summary-trigger" not in summary(ansatt_client, case)

    case_services.trigger_add(acting_user=ansatt, case=case, kind="perpetrator_contact")

    box = summary(ansatt_client, case)
    assert 'data-testid="summary-trigger"' in box
    assert "Kontakt fra utøver" in box
    assert 'data-code="reassess"' in box
    assert 'data-now="true"' in box
    assert "Nå, på grunn av ny hendelse" in box
    assert "trigger" in tags_in(list_row(ansatt_client, case))
    state = ansatt_api.get(f"/cases/{case.pk}").json()["state"]
    assert state["next_step"] == "reassess"
    assert state["reassess_now"] is True
    assert [t["kind"] for t in state["open_triggers"]] == ["perpetrator_contact"]


def test_a_step_already_done_is_not_the_next_step(ansatt: User, case: Case) -> None:
    assessment = make_assessment(ansatt, case, offences=OFFENCES)
    assessment.next_step = st.ENGINE_INFORM
    assessment.save(update_fields=["next_step"])
    assert case_state(case=case).next_step == st.ENGINE_INFORM

    inform(case, ansatt, hours_ago(1))

    state = case_state(case=case)
    assert state.next_step == st.ENGINE_OBTAIN_CONSENT
    assert state.next_step_why == st.WHY_INFORMED


def test_a_refusal_is_carried_through_the_list_the_next_step_and_the_information(
    ansatt: User, ansatt_client: Client, ansatt_api: Api, case: Case
) -> None:
    assessment = make_assessment(ansatt, case, offences=OFFENCES)
    assessment.next_step = st.ENGINE_INFORM
    assessment.save(update_fields=["next_step"])
    assert "pending_consent" in tags_in(list_row(ansatt_client, case))

    consent_services.consent_refusal_record(
        acting_user=ansatt, case=case, reasons="Redd for represalier.", information_offered=True
    )

    row = list_row(ansatt_client, case)
    assert "pending_consent" not in tags_in(row)
    assert "refused" in tags_in(row)
    box = summary(ansatt_client, case)
    assert 'data-code="respect_refusal"' in box
    assert 'data-consent="refused"' in box
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Informer brukeren om offentlig påtale først" not in page
    assert InformationRecord.objects.filter(
        case=case, kind=InformationKind.POLICE_HELP_AND_MEASURES
    ).exists()
    assert "Hva politiet kan gjøre, og konkrete sikkerhetstiltak" in page
    form = ansatt_client.get(f"/saker/{case.pk}/vurdering/ny/").content.decode()
    assert 'data-testid="assessment-refusal"' in form
    state = ansatt_api.get(f"/cases/{case.pk}").json()["state"]
    assert state["consent"] == "refused"
    assert state["next_step"] == "respect_refusal"
    assert state["refusal_information_offered"] is True


def test_a_consent_after_the_refusal_ends_it(ansatt: User, case: Case) -> None:
    from tests.police.conftest import give_consent

    consent_services.consent_refusal_record(
        acting_user=ansatt, case=case, reasons="", information_offered=False
    )
    assert case_state(case=case).consent == st.CONSENT_REFUSED
    give_consent(case, ansatt, given_at=clock.now())
    assert case_state(case=case).consent == st.CONSENT_ACTIVE


def test_closing_lists_what_is_live_and_asks_for_confirmation(
    ansatt: User, ansatt_client: Client, case: Case, valid_consent: Consent
) -> None:
    plan(ansatt, case, consent=valid_consent)

    page = ansatt_client.get(f"/saker/{case.pk}/avslutt/").content.decode()
    assert 'data-testid="close-live"' in page
    assert 'data-live="contact"' in page
    assert 'data-live="consent"' in page
    response = ansatt_client.post(f"/saker/{case.pk}/avslutt/", {"reason": "other"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert "Bekreft at du vil avslutte likevel" in response.content.decode()

    response = ansatt_client.post(
        f"/saker/{case.pk}/avslutt/", {"reason": "other", "confirm_live": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_case_with_nothing_live_closes_without_confirmation(
    ansatt_client: Client, case: Case
) -> None:
    page = ansatt_client.get(f"/saker/{case.pk}/avslutt/").content.decode()
    assert "close-live" not in page
    assert ansatt_client.post(f"/saker/{case.pk}/avslutt/", {"reason": "other"}).status_code == 302


def test_a_closed_case_shows_no_tags_and_no_reassessment_in_the_list(
    ansatt: User, ansatt_client: Client, case: Case
) -> None:
    make_assessment(ansatt, case, offences=OFFENCES)
    case.next_reassessment_on = clock.today() - dt.timedelta(days=3)
    case.save(update_fields=["next_reassessment_on"])
    case_services.trigger_add(acting_user=ansatt, case=case, kind="new_threat")
    assert {"overdue", "trigger"} <= set(tags_in(list_row(ansatt_client, case)))

    case_services.case_close(acting_user=ansatt, case=case, reason="other")

    row = list_row(ansatt_client, case)
    assert tags_in(row) == []
    assert clock.today().strftime("%Y") not in row.split("</td>")[2]
    state = case_state(case=case)
    assert state.next_step == st.STEP_CLOSED
    assert state.reassessment_on is None
    assert not state.reassess_now


def test_the_states_of_many_cases_take_as_many_queries_as_one(ansatt: User) -> None:
    cases = [case_services.case_create(acting_user=ansatt, reference=f"N-{i}") for i in range(6)]
    for case in cases:
        make_assessment(ansatt, case, offences=OFFENCES)
        case_services.trigger_add(acting_user=ansatt, case=case, kind="new_threat")
    with CaptureQueriesContext(connection) as one:
        case_states(cases=cases[:1])
    with CaptureQueriesContext(connection) as six:
        states = case_states(cases=cases)
    assert len(six) == len(one)
    assert all(state.open_triggers for state in states.values())


def test_the_list_filters_by_the_state_tags(ansatt: User, ansatt_client: Client) -> None:
    refused = case_services.case_create(acting_user=ansatt, reference="F-refused")
    case_services.case_create(acting_user=ansatt, reference="F-other")
    consent_services.consent_refusal_record(
        acting_user=ansatt, case=refused, reasons="", information_offered=False
    )
    listed = [c.reference for c in ansatt_client.get("/saker/?flag=refused").context["page"]]
    assert listed == ["F-refused"]
