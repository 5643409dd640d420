"""Every factor that holds gets a reason line of its own on the result page (issue 14 point 12):
also when a stronger rule overrides the factor's own (factor 1 beside factor 4)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.assessments.helpers import assess, consent_to_police, inform, make_case, map_user
from vern.accounts.models import User
from vern.assessments.factors import FACTORS
from vern.assessments.models import Assessment

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r'<li data-factor="(\d)"><p class="ds-paragraph"><strong>Faktor \d:</strong> ([^<]+)'
)


def lines(client: Client, assessment: Assessment) -> dict[int, str]:
    page = client.get(f"/saker/{assessment.case_id}/vurdering/{assessment.pk}/")
    assert page.status_code == 200
    return {int(n): text.strip() for n, text in LINE.findall(page.content.decode())}


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f"factor-{f.number}")
def test_each_factor_beside_factor_4_has_its_own_reason_line(
    ansatt_client: Client, ansatt: User, factor: object
) -> None:
    from vern.assessments.factors import Factor

    assert isinstance(factor, Factor)
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "no")
    if factor.id == "user_consents":
        inform(ansatt, case)
        consent_to_police(ansatt, case)
    elif factor.id == "user_informed_about_public_prosecution":
        inform(ansatt, case)
    ticked = {"needs_police_or_court_safety_measures": True}
    if not factor.derived:
        ticked[factor.id] = True
    offences = ("straffeloven-282",) if factor.id == "duty_to_avert" else ()

    shown = lines(ansatt_client, assess(ansatt, case, mapping, ticked, offences=offences))

    assert factor.number in shown, f"factor {factor.number} has no line: {shown}"
    assert shown[factor.number]
    assert 4 in shown


def test_factor_1_beside_factor_4_is_explained_with_its_rule_and_marked_as_outweighed(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    assessment = assess(
        ansatt,
        case,
        map_user(ansatt, case, "no"),
        {"great_danger": True, "needs_police_or_court_safety_measures": True},
    )
    assert "involvement.recommended.great-danger" not in [
        r["rule"] for r in assessment.outcome["reasons"]
    ]

    shown = lines(ansatt_client, assessment)
    page = ansatt_client.get(f"/saker/{case.pk}/vurdering/{assessment.pk}/").content.decode()

    assert sorted(shown) == [1, 4]
    assert "stor fare" in shown[1]
    assert "sikkerhetstiltak" in shown[4]
    assert "en sterkere regel over avgjør anbefalingen" in page


def test_every_factor_at_once_has_one_line_each_in_every_language(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    inform(ansatt, case)
    consent_to_police(ansatt, case)
    ticked = {f.id: True for f in FACTORS if not f.derived}
    assessment = assess(
        ansatt, case, map_user(ansatt, case, "no"), ticked, offences=("straffeloven-282",)
    )

    assert sorted(lines(ansatt_client, assessment)) == list(range(1, 10))
    for lang, word in (("nn", "Faktor"), ("en", "Factor")):
        ansatt_client.cookies["django_language"] = lang
        page = ansatt_client.get(f"/saker/{case.pk}/vurdering/{assessment.pk}/").content.decode()
        assert page.count('<li data-factor="') == 9
        assert f"<strong>{word} 1:</strong>" in page
