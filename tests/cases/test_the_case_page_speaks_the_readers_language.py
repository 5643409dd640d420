"""With nynorsk or English chosen, the case page's next step comes from the rulebook's label in
that language, and the timeline is rendered from each event's kind and object; the stored line
stays as it was written and is the fallback for kinds the page does not know."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.assessments.helpers import assess, make_case, map_user
from vern.accounts.models import User
from vern.cases import services
from vern.cases.models import CaseEvent
from vern.core import clock

pytestmark = pytest.mark.django_db


def test_next_step_and_timeline_in_english_with_the_stored_text_unchanged(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    services.trigger_add(acting_user=ansatt, case=case, kind="new_threat")
    assessment = assess(ansatt, case, map_user(ansatt, case, "yes"), {"great_danger": True})
    assert assessment.outcome["next_step_text"] == "Informer brukeren om offentlig påtale"
    ansatt_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Inform the user about public prosecution" in page
    assert "Informer brukeren om offentlig påtale" not in page
    assert "Case created" in page
    assert "Risk mapping recorded (" in page
    assert "Assessment saved: " in page
    assert "New event: " in page
    assert "Sak opprettet" not in page
    assert CaseEvent.objects.get(case=case, kind="case_created").summary == "Sak opprettet"


def test_nynorsk_history_shows_the_next_step_in_nynorsk(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    assess(ansatt, case, map_user(ansatt, case, "yes"), {"great_danger": True})
    assess(ansatt, case, map_user(ansatt, case, "yes"), {"great_danger": True})
    ansatt_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = ansatt_client.get(f"/saker/{case.pk}/vurdering/").content.decode()
    assert "Informer brukaren om offentleg påtale" in page


def test_an_unknown_kind_shows_the_stored_line(ansatt_client: Client, ansatt: User) -> None:
    case = make_case(ansatt)
    CaseEvent.objects.create(
        centre_id=case.centre_id, case=case, at=clock.now(), kind="old_kind", summary="Gammel linje"
    )
    ansatt_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Gammel linje" in ansatt_client.get(f"/saker/{case.pk}/").content.decode()
