"""The risk mapping page (K1): the guidance questions in the staff's language, a child's mapping
through the page, and an instrument's mapping that keeps no question answers."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.assessments.helpers import (
    make_case,
    make_child,
)
from vern.accounts.models import User
from vern.assessments.models import RiskMapping
from vern.cases.models import Case

pytestmark = pytest.mark.django_db


def base(case: Case) -> str:
    return f"/saker/{case.pk}/vurdering/"


# ---------------------------------------------------------------- risk mapping — K1


def test_k1_mapping_form_shows_the_guidance_questions_in_the_staff_language(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    page = ansatt_client.get(base(case) + "kartlegging/ny/").content.decode()
    assert "Hvem er du redd for, og hvorfor?" in page
    ansatt_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = ansatt_client.get(base(case) + "kartlegging/ny/").content.decode()
    assert "Who are you afraid of, and why?" in page
    ansatt_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = ansatt_client.get(base(case) + "kartlegging/ny/").content.decode()
    assert "Kven er du redd for, og kvifor?" in page


def test_k1_mapping_of_a_child_through_the_page(ansatt_client: Client, ansatt: User) -> None:
    case = make_case(ansatt)
    child = make_child(ansatt, case)
    page = ansatt_client.get(base(case) + f"kartlegging/ny/?barn={child.pk}").content.decode()
    assert f'value="{child.pk}" id="id_subject_1" checked' in page
    response = ansatt_client.post(
        base(case) + "kartlegging/ny/",
        {
            "subject": str(child.pk),
            "mapped_at": "2026-01-05T10:30",
            "method": "guidance_questions",
            "q_why_now": "Barnet så volden.",
            "result": "unknown",
            "reasoning": "",
        },
    )
    mapping = RiskMapping.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == base(case) + f"kartlegging/{mapping.pk}/"
    assert mapping.child == child
    assert mapping.mapped_by == ansatt
    assert mapping.answers == {"why_now": "Barnet så volden."}
    assert timezone.localtime(mapping.mapped_at).strftime("%Y-%m-%d %H:%M") == "2026-01-05 10:30"
    detail = ansatt_client.get(response["Location"]).content.decode()
    assert "Barnet så volden." in detail
    assert "Hva har skjedd, og hvorfor tar du kontakt akkurat nå?" in detail


def test_instrument_through_the_page_keeps_no_question_answers(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    data = {
        "subject": "user",
        "mapped_at": "2026-01-05T10:30",
        "method": "b_safer",
        "result": "yes",
        "reasoning": "Høy risiko.",
        "q_weapons": "spørsmål 7 ...",
    }
    response = ansatt_client.post(base(case) + "kartlegging/ny/", data)
    assert response.status_code == 200
    assert not RiskMapping.objects.exists()
    data.pop("q_weapons")
    response = ansatt_client.post(base(case) + "kartlegging/ny/", data)
    assert response.status_code == 302
    mapping = RiskMapping.objects.get()
    assert (mapping.method, mapping.result, mapping.answers) == ("b_safer", "yes", {})
