"""The relocation panel on the case page: status, the R1/R2/R3 checklist, actions, the
guidance text (§ 4 c), the factor-5 hint (G14) and the suggestion to close as relocated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.relocation.conftest import hours_ago, plan, police_at_both_ends
from vern.accounts.models import User
from vern.assessments.models import Assessment, MappingMethod, RiskMapping, RiskResult
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.core import clock
from vern.relocation import services
from vern.relocation.models import Handover, Relocation
from vern.relocation.panels import case_panel, checklist

pytestmark = pytest.mark.django_db

HINT = "faktor 5"


def _assessment(user: User, case: Case, *, factor5: bool) -> Assessment:
    mapping = RiskMapping.objects.create(
        centre_id=case.centre_id,
        case=case,
        mapped_by=user,
        mapped_at=clock.now(),
        method=MappingMethod.GUIDANCE_QUESTIONS,
        result=RiskResult.YES,
    )
    factors = {"great_danger": True, "needs_relocation_for_safety": factor5}
    return Assessment.objects.create(
        centre_id=case.centre_id,
        case=case,
        assessed_by=user,
        assessed_at=clock.now(),
        risk_mapping=mapping,
        factors=factors,
        user_participated=True,
        facts={"factors": factors},
        outcome={},
        rulebook_id="vern",
        rulebook_version="1",
        police_involvement="required",
        next_step="obtain_consent",
        next_reassessment_on=clock.today() + dt.timedelta(days=7),
    )


def test_panel_shows_guidance_status_checklist_and_actions(
    ansatt_client: Client, case: Case, ansatt: User
) -> None:
    empty = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Ingen flytting registrert" in empty
    assert f"/saker/{case.pk}/flytting/ny/" in empty
    relocation = plan(ansatt, case, chosen_with_police=False)
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "§ 4 c" in html
    assert "Planlagt" in html
    assert "Ikke gjort" in html
    assert "Gjort" in html
    for action in ("politi/", "gjennomfort/", "avbryt/"):
        assert f"/saker/{case.pk}/flytting/{relocation.pk}/{action}" in html
    assert f"/saker/{case.pk}/flytting/ny/" not in html  # one planned move at a time


def test_checklist_marks_r1_r2_r3_items_done_as_they_happen(
    ansatt: User, relocation: Relocation
) -> None:
    def done() -> dict[str, list[bool]]:
        result: dict[str, list[bool]] = {}
        for item in checklist(relocation):
            result.setdefault(item.ref, []).append(item.done)
        return result

    assert done() == {"R1": [True, True], "G14": [False], "R2": [False], "R3": [False]}
    police_at_both_ends(ansatt, relocation)
    assert done() == {"R1": [True, True], "G14": [True], "R2": [True], "R3": [False]}
    services.relocation_complete(
        acting_user=ansatt,
        relocation=relocation,
        handover=Handover.POLICE_BRIEF,
        completed_at=hours_ago(1),
    )
    assert done()["R3"] == [True]


def test_g14_hint_to_assess_again_with_factor_5_when_the_newest_assessment_lacks_it(
    ansatt: User, case: Case
) -> None:
    plan(ansatt, case)
    assert case_panel(case=case, user=ansatt).context["needs_assessment_hint"] is True
    _assessment(ansatt, case, factor5=False)
    assert case_panel(case=case, user=ansatt).context["needs_assessment_hint"] is True
    _assessment(ansatt, case, factor5=True)
    assert case_panel(case=case, user=ansatt).context["needs_assessment_hint"] is False


def test_g14_hint_is_shown_on_the_case_page(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    plan(ansatt, case)
    assert HINT in ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    _assessment(ansatt, case, factor5=True)
    assert HINT not in ansatt_client.get(f"/saker/{case.pk}/").content.decode()


def test_after_completion_the_panel_suggests_closing_the_case_as_relocated(
    ansatt_client: Client, ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    services.relocation_complete(
        acting_user=ansatt, relocation=relocation, handover=Handover.NONE, completed_at=hours_ago(1)
    )
    case = relocation.case
    assert case_panel(case=case, user=ansatt).context["suggest_close"] is True
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Flyttet til et annet krisesenter" in html
    assert f"/saker/{case.pk}/avslutt/" in html
    case_services.case_close(acting_user=ansatt, case=case, reason="relocated")
    assert case_panel(case=case, user=ansatt).context["suggest_close"] is False


def test_closed_case_panel_offers_no_relocation_actions(
    ansatt_client: Client, ansatt: User, relocation: Relocation
) -> None:
    case_services.case_close(acting_user=ansatt, case=relocation.case, reason="other")
    html = ansatt_client.get(f"/saker/{relocation.case_id}/").content.decode()
    assert "/flytting/ny/" not in html
    assert f"/flytting/{relocation.pk}/gjennomfort/" not in html
    assert f"/flytting/{relocation.pk}/vis-flyttemal/" in html  # still readable


def test_panel_says_whether_a_handover_consent_exists(
    ansatt_client: Client, ansatt: User, case: Case, relocation: Relocation
) -> None:
    from tests.relocation.conftest import handover_consent

    assert case_panel(case=case, user=ansatt).context["has_handover_consent"] is False
    handover_consent(ansatt, case)
    assert case_panel(case=case, user=ansatt).context["has_handover_consent"] is True
