"""The pages: the joint assessment and its result (G6, G7), history and the case panel, the
centre's reassessment settings (G8); cross-centre 404 and closed cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from tests.assessments.helpers import (
    assess,
    consent_to_police,
    inform,
    make_case,
    make_child,
    map_user,
)
from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.assessments.models import Assessment, RiskMapping
from vern.cases import services as case_services
from vern.cases.models import Case, CentreSettings
from vern.centres.models import Centre
from vern.core import clock
from vern.rules import evaluate, load_rulebook, parse_facts

pytestmark = pytest.mark.django_db


def base(case: Case) -> str:
    return f"/saker/{case.pk}/vurdering/"


def post_assessment(client: Client, case: Case, mapping: RiskMapping, **extra: object):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "risk_mapping": str(mapping.pk),
        "user_participated": "yes",
        "user_view": "Jeg vil være trygg.",
        "staff_judgement": "",
        **extra,
    }
    return client.post(base(case) + "ny/", data)


# ---------------------------------------------------------------- assessment — G6 and G7


def test_k1_assessment_page_without_a_mapping_offers_the_mapping_and_saves_nothing(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    page = ansatt_client.get(base(case) + "ny/").content.decode()
    assert "Kartlegg trusselbildet først" in page
    assert 'name="great_danger"' not in page
    response = ansatt_client.post(
        base(case) + "ny/", {"great_danger": "on", "user_participated": "yes"}
    )
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_the_form_picks_the_newest_mapping_of_the_user_by_default(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    older = map_user(ansatt, case, "yes", mapped_at=clock.now() - dt.timedelta(days=3))
    newer = map_user(ansatt, case, "no", mapped_at=clock.now() - dt.timedelta(days=1))
    services_child = make_child(ansatt, case)
    from vern.assessments import services

    services.risk_mapping_record(
        acting_user=ansatt,
        case=case,
        child=services_child,
        method="guidance_questions",
        result="yes",
    )
    form = ansatt_client.get(base(case) + "ny/").context["form"]
    assert form["risk_mapping"].value() == str(newer.pk)
    assert set(form.mappings) == {str(newer.pk), str(older.pk)}  # never a child's mapping
    post_assessment(ansatt_client, case, older)
    assert Assessment.objects.get().risk_mapping == older
    assert Assessment.objects.get().facts["risk_of_new_serious_violence"] == "yes"


EXPECTED_ALONE = [
    ("great_danger", "recommended"),
    ("threat_picture_unclear", "recommended"),
    ("needs_information_only_police_have", "recommended"),
    ("needs_police_or_court_safety_measures", "required"),
    ("needs_relocation_for_safety", "required"),
    ("user_wants_to_report", "recommended"),
    ("user_consents", "not_indicated"),
    ("user_informed_about_public_prosecution", "not_indicated"),
    # L2 (rulebook 2): factor 9 alone names no listed offence, so it establishes no duty to
    # avert and the case is judged on the other factors (here none).
    ("duty_to_avert", "not_indicated"),
]
WORDS = {
    "required": "Politikontakt påkrevd",
    "recommended": "Politikontakt anbefalt",
    "not_indicated": "Politikontakt ikke aktuelt nå",
}


@pytest.mark.parametrize(("factor", "involvement"), EXPECTED_ALONE)
def test_g7_each_of_the_nine_factors_alone_reaches_its_outcome_through_the_page(
    ansatt_client: Client, ansatt: User, factor: str, involvement: str
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "no")
    ticked: dict[str, object] = {}
    if factor == "user_consents":
        consent_to_police(ansatt, case)  # derived from the record, not ticked
    elif factor == "user_informed_about_public_prosecution":
        inform(ansatt, case)
    else:
        ticked[factor] = "on"
    response = post_assessment(ansatt_client, case, mapping, **ticked)
    assessment = Assessment.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == base(case) + f"{assessment.pk}/"
    assert [name for name, value in assessment.facts["factors"].items() if value] == [factor]
    assert assessment.police_involvement == involvement
    book = load_rulebook()
    assert assessment.outcome == evaluate(
        parse_facts(assessment.facts, rulebook=book), book
    ).to_dict("nb")
    page = ansatt_client.get(response["Location"]).content.decode()
    assert WORDS[involvement] in page
    assert assessment.outcome["next_step_text"] in page


def test_g7_ticking_a_derived_factor_on_the_page_has_no_effect(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    post_assessment(
        ansatt_client,
        case,
        map_user(ansatt, case),
        user_consents="on",
        user_informed_about_public_prosecution="on",
    )
    assert not any(Assessment.objects.get().factors.values())


def test_g7_derived_factors_are_shown_read_only_with_what_they_rest_on(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    map_user(ansatt, case)
    page = ansatt_client.get(base(case) + "ny/").content.decode()
    assert "Ingen gyldig samtykke til politiet er registrert." in page
    assert "Det er ikke registrert at brukeren er informert om offentlig påtale." in page
    assert 'name="user_consents"' not in page
    inform(ansatt, case)
    consent_to_police(ansatt, case, form="verbal")
    page = ansatt_client.get(base(case) + "ny/").content.decode()
    assert "Gyldig samtykke til politiet, gitt" in page
    assert "Informert om offentlig påtale" in page


def test_g6_user_view_participation_and_staff_judgement_are_kept_apart(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case)
    post_assessment(
        ansatt_client,
        case,
        mapping,
        user_participated="no",
        user_view="Jeg vil ikke ha politiet.",
        staff_judgement="Vi er bekymret.",
        note_great_danger="Trusler i går.",
        great_danger="on",
        suspected_offences=["straffeloven-263", "straffeloven-271"],
    )
    assessment = Assessment.objects.get()
    assert assessment.user_participated is False
    assert assessment.user_view == "Jeg vil ikke ha politiet."
    assert assessment.staff_judgement == "Vi er bekymret."
    assert assessment.factor_notes == {"great_danger": "Trusler i går."}
    assert assessment.suspected_offences == ["straffeloven-263", "straffeloven-271"]


def test_result_page_shows_actions_reasons_references_version_two_year_line_and_measures(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    assessment = assess(
        ansatt,
        case,
        map_user(ansatt, case, "yes"),
        {"great_danger": True},
        offences=("straffeloven-263",),
    )
    page = ansatt_client.get(base(case) + f"{assessment.pk}/").content.decode()
    outcome = assessment.outcome
    for action in outcome["actions"]:
        assert action["text"] in page
    for reason in outcome["reasons"]:
        assert reason["text"] in page
    assert "G1, K1" in page
    assert "Forskrift om fysisk sikkerhet" in page or "fysisk sikkerhet" in page
    # Item 7: "under kontroll" read as "all is fine"; the badge says the reference must be checked.
    assert "må kontrolleres" in page  # krisesenterlova § 5 has status 'check'
    assert "under kontroll" not in page
    assert assessment.rulebook_version in page
    assert "Brukerens ønske om påtale skal da tillegges vekt" in page
    assert "Mobil voldsalarm" in page
    assert outcome["measures_note"] in page


def test_result_page_in_english_re_evaluates_the_stored_facts_with_the_same_rulebook(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    assessment = assess(ansatt, case, map_user(ansatt, case, "yes"))
    ansatt_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = ansatt_client.get(base(case) + f"{assessment.pk}/").content.decode()
    assert "Recommended – there are grounds to involve the police" in page
    # Stored under another rulebook version: the bokmål snapshot is shown as it was.
    Assessment.objects.filter(pk=assessment.pk).update(rulebook_version="0.9.0")
    page = ansatt_client.get(base(case) + f"{assessment.pk}/").content.decode()
    assert "Anbefalt – det er grunn til å involvere politiet" in page
    assert "Recommended – there are grounds" not in page


def test_history_lists_every_assessment_newest_first_with_the_change(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case)
    first = assess(ansatt, case, mapping)
    second = assess(ansatt, case, mapping, {"duty_to_avert": True}, offences=("straffeloven-282",))
    page = ansatt_client.get(base(case)).content.decode()
    assert page.index(f"/vurdering/{second.pk}/") < page.index(f"/vurdering/{first.pk}/")
    assert "Første vurdering" in page
    assert "Skjerpet" in page
    assert first.rulebook_version in page


def test_case_panel_shows_the_newest_assessment_and_the_links(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    make_child(ansatt, case, "Barn 1")
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Ikke kartlagt" in page
    assert base(case) + "kartlegging/ny/" in page
    assert base(case) + "ny/" not in page  # K1: no assessment before a mapping
    assessment = assess(ansatt, case, map_user(ansatt, case), {"great_danger": True})
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "Politikontakt anbefalt" in page
    assert base(case) + f"{assessment.pk}/" in page
    assert base(case) + "ny/" in page
    assert assessment.outcome["next_step_text"] in page


# ---------------------------------------------------------------- isolation and closed cases


def test_pages_of_another_centres_case_answer_404(
    ansatt_client: Client, ansatt: User, other_centre: Centre
) -> None:
    stranger = make_user(Role.ANSATT, other_centre)
    case = make_case(stranger)
    mapping = map_user(stranger, case)
    assessment = assess(stranger, case, mapping)
    for url in (
        "",
        "ny/",
        f"{assessment.pk}/",
        "kartlegging/",
        "kartlegging/ny/",
        f"kartlegging/{mapping.pk}/",
    ):
        assert ansatt_client.get(base(case) + url).status_code == 404, url
    assert ansatt_client.post(base(case) + "ny/", {}).status_code == 404
    assert ansatt_client.post(base(case) + "kartlegging/ny/", {}).status_code == 404


def test_rows_of_another_case_in_the_same_centre_answer_404(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    other = make_case(ansatt)
    mapping = map_user(ansatt, other)
    assessment = assess(ansatt, other, mapping)
    assert ansatt_client.get(base(case) + f"{assessment.pk}/").status_code == 404
    assert ansatt_client.get(base(case) + f"kartlegging/{mapping.pk}/").status_code == 404


def test_closed_case_pages_refuse_writes_but_show_the_record(
    ansatt_client: Client, ansatt: User
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case)
    assessment = assess(ansatt, case, mapping)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    assert ansatt_client.get(base(case) + "ny/").status_code == 302
    assert post_assessment(ansatt_client, case, mapping).status_code == 302
    response = ansatt_client.post(
        base(case) + "kartlegging/ny/",
        {"subject": "user", "mapped_at": "2026-01-05T10:30", "method": "sara", "result": "no"},
    )
    assert response.status_code == 302
    assert Assessment.objects.count() == 1
    assert RiskMapping.objects.count() == 1
    assert ansatt_client.get(base(case) + f"{assessment.pk}/").status_code == 200


# ---------------------------------------------------------------- centre settings — G8


def test_g8_leader_edits_the_reassessment_days_and_ansatt_gets_403(
    leder: User, ansatt: User, client: Client
) -> None:
    from tests.factories import login_verified

    login_verified(client, ansatt)
    assert client.get("/senter/vurdering/innstillinger/").status_code == 403
    client.logout()
    login_verified(client, leder)
    assert client.get("/senter/vurdering/innstillinger/").status_code == 200
    response = client.post(
        "/senter/vurdering/innstillinger/",
        {
            "reassess_days_required": "3",
            "reassess_days_recommended": "10",
            "reassess_days_not_indicated": "45",
        },
    )
    assert response.status_code == 302
    row = CentreSettings.objects.get(centre_id=leder.centre_id)
    assert (
        row.reassess_days_required,
        row.reassess_days_recommended,
        row.reassess_days_not_indicated,
    ) == (3, 10, 45)
    case = make_case(ansatt)
    assert assess(ansatt, case, map_user(ansatt, case)).next_reassessment_on == (
        clock.today() + dt.timedelta(days=45)
    )
