"""Workflow: the consented police contact, end to end, as a new staff member does it (issue 5).

Risk mapping (K1) → joint assessment (G6, G7: factors 1 and 4) → outcome "required", next step
inform → public-prosecution information (G5, G15) → written consent signed on screen (G3, G4,
C1) → next step "contact the police" → a police contact under that consent, after step-up, with
the reprisal check (G9) and the measures the police decided → on the timeline, no deviation.
Every page: axe with 0 violations and a screenshot."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    Walk,
    assess,
    back_to_case,
    create_case,
    give_written_consent,
    inform_about_public_prosecution,
    log_in,
    pass_step_up,
    record_risk_mapping,
    time_passes,
)
from tests.factories import make_centre, make_user

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "Rom 4 – mars"


def test_consented_contact_from_mapping_to_police_contact_on_the_timeline(
    page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """G6, G7, G5, G15, G3, G4, C1, G9: the consented path, no deviation."""
    centre = make_centre()
    user = make_user(centre=centre)
    walk = Walk(page, "consented")

    log_in(walk, user)
    create_case(walk, REFERENCE)
    record_risk_mapping(walk)
    back_to_case(walk, REFERENCE)

    assess(walk, factors=[1, 4])
    outcome = page.locator("#outcome-h").locator("xpath=..")
    expect(outcome).to_contain_text("Påkrevd")
    expect(outcome).to_contain_text("Informer brukeren om offentlig påtale")
    back_to_case(walk, REFERENCE)

    inform_about_public_prosecution(walk)
    give_written_consent(walk)
    assessment_panel = page.locator("section[aria-labelledby=assessment-h]")
    expect(assessment_panel.get_by_role("definition").nth(1)).to_have_text("Kontakt politiet")

    # The police contact: sharing identifying information needs a fresh code first. The
    # login code no longer counts once the talk with the user has taken a while.
    time_passes(monkeypatch, 6)
    page.get_by_role("link", name="Registrer kontakt med politiet").click()
    pass_step_up(walk, user)
    expect(
        page.get_by_role("heading", level=1, name="Registrer kontakt med politiet")
    ).to_be_visible()
    walk.check("contact-form")
    page.get_by_role("radio", name="Gjennomført").check()
    page.get_by_role("combobox", name="Politidistrikt").select_option(label="Oslo politidistrikt")
    page.get_by_role("textbox", name="Enhet").fill("Familievoldskoordinator, Manglerud")
    page.get_by_role("combobox", name="Kontaktpersonens rolle").select_option(
        label="Familievoldskoordinator"
    )
    page.get_by_role("radio", name="Telefon").check()
    page.get_by_role("group", name="Hva ble eller blir delt med politiet?").get_by_role(
        "checkbox", name="Navn, fødselsdato og kontaktopplysninger"
    ).check()
    page.get_by_role("group", name="Hva ble eller blir delt med politiet?").get_by_role(
        "checkbox", name="Hva som har skjedd (volden og truslene)"
    ).check()
    page.get_by_role("radio", name="Samtykke (krisesenterlova § 5)").check()
    page.get_by_label("Samtykket kontakten bygger på").select_option(index=1)
    page.get_by_role("checkbox", name="Ved at politiet kontakter utøveren").check()
    page.get_by_role("checkbox", name="Gjennom felles bekjente eller familie").check()
    page.get_by_role("group", name="Risiko for represalier").get_by_role(
        "radio", name="Middels"
    ).check()
    page.get_by_role("checkbox", name="Brukeren bor på krisesenteret").check()
    page.get_by_role("checkbox", name="Sikkerhetsplanen er gjennomgått").check()
    measures = page.get_by_role("group", name=re.compile("^Tiltak politiet besluttet"))
    measures.get_by_role("checkbox", name="Mobil voldsalarm", exact=True).check()
    page.get_by_role("textbox", name="Utfall").fill("Politiet vurderer kontaktforbud.")
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(page.get_by_text("Kontakten med politiet er registrert.")).to_be_visible()
    walk.check("contact-saved")
    main = page.locator("main")
    expect(main).to_contain_text("Mobil voldsalarm")
    expect(main).to_contain_text("Middels")
    expect(main).to_contain_text("Brukeren bor på krisesenteret")

    page.get_by_role("link", name=f"Tilbake til saken {REFERENCE}").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    walk.check("case-with-contact")
    police_panel = page.locator("section[aria-labelledby=police-h]")
    expect(police_panel.get_by_role("table")).to_contain_text("Samtykke (krisesenterlova § 5)")
    expect(police_panel.get_by_role("table")).to_contain_text("Ja")
    expect(police_panel.locator(".ds-alert[data-color=danger]")).to_have_count(0)
    expect(police_panel).not_to_contain_text("åpent avvik")
    timeline = page.locator("section[aria-labelledby=timeline-h]")
    expect(timeline.get_by_role("listitem").first).to_contain_text(
        "Politikontakt registrert (grunnlag: Samtykke (krisesenterlova § 5))"
    )
    expect(timeline).not_to_contain_text("Avvik åpnet")
    assert page.vern_console_errors == []
