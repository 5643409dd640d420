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

from tests.e2e.conftest import Walk, log_in, pass_step_up, time_passes
from tests.factories import make_centre, make_user

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "Rom 4 – mars"


def create_case(walk: Walk, reference: str) -> None:
    page = walk.page
    page.get_by_role("link", name="Ny sak").click()
    expect(page.get_by_role("heading", level=1, name="Ny sak")).to_be_visible()
    walk.check("new-case")
    page.get_by_label("Referanse").fill(reference)
    page.get_by_role("button", name="Opprett sak").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    walk.check("case")


def record_risk_mapping(walk: Walk) -> None:
    """K1: the guidance's own questions, result "yes"."""
    page = walk.page
    page.get_by_role("link", name="Registrer kartlegging").click()
    expect(page.get_by_role("heading", level=1, name="Ny risikokartlegging")).to_be_visible()
    walk.check("mapping-form")
    expect(page.get_by_label("Brukeren selv")).to_be_checked()
    expect(page.get_by_label("Veilederens spørsmål (Kartlegging av vold og trusler)")).to_be_checked()
    page.get_by_label("Hvem er du redd for, og hvorfor?").fill("Tidligere samboer, truer på SMS.")
    page.get_by_label("Ja, risiko for ny alvorlig vold").check()
    page.get_by_label("Din begrunnelse").fill("Trusler om drap siste uke, tilgang til våpen.")
    page.get_by_role("button", name="Lagre kartleggingen").click()
    expect(page.get_by_text("Ja, risiko for ny alvorlig vold").first).to_be_visible()
    walk.check("mapping-saved")


def back_to_case(walk: Walk, reference: str) -> None:
    page = walk.page
    page.get_by_role("link", name=f"Tilbake til saken {reference}").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    walk.check("case")


def assess(walk: Walk, *, factors: list[int], offences: list[str] = (), view: str = "") -> None:  # type: ignore[assignment]
    """G6, G7: the nine factors with the user, her own view kept apart."""
    page = walk.page
    page.get_by_role("link", name=re.compile("^(Start vurderingen|Ny vurdering)$")).first.click()
    expect(
        page.get_by_role("heading", level=1, name="Ny vurdering: skal politiet involveres?")
    ).to_be_visible()
    walk.check("assessment-form")
    for number in factors:
        page.locator(".vern-factor").filter(
            has=page.get_by_role("heading", name=f"Faktor {number}", exact=True)
        ).get_by_role("checkbox").check()
    for offence in offences:
        page.get_by_label(offence).check()
    page.get_by_role("group", name=re.compile("Deltok brukeren")).get_by_label("Ja").check()
    page.get_by_label("Brukerens syn og ønsker, med hennes egne ord").fill(
        view or "Jeg vil at politiet skal vite om det, men jeg er redd."
    )
    page.get_by_role("button", name="Lagre og se anbefalingen").click()
    expect(page.get_by_role("heading", level=2, name="Anbefaling")).to_be_visible()
    walk.check("assessment-outcome")


def inform_about_public_prosecution(walk: Walk) -> None:
    """G5, G15: before she is asked for consent."""
    page = walk.page
    page.get_by_role("link", name="Informer om offentlig påtale").first.click()
    expect(
        page.get_by_role("heading", level=1, name="Informer om offentlig påtale")
    ).to_be_visible()
    walk.check("inform-prosecution")
    page.get_by_label("Jeg har gått gjennom informasjonen over med brukeren").check()
    page.get_by_role("button", name="Registrer at informasjonen er gitt").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Sak "))).to_be_visible()
    walk.check("informed")


def give_written_consent(walk: Walk) -> None:
    """G3, G4, C1: written, signed on screen, to the police in the centre's district."""
    page = walk.page
    page.get_by_role("link", name="Registrer samtykke").first.click()
    expect(page.get_by_role("heading", level=1, name="Registrer samtykke")).to_be_visible()
    walk.check("consent-form")
    expect(page.locator("#not-informed")).to_have_count(0)
    page.get_by_role("group", name=re.compile("Hvem får opplysningene")).get_by_label(
        "Politiet"
    ).check()
    page.get_by_role("combobox", name="Politidistrikt").select_option(label="Oslo politidistrikt")
    page.get_by_label("Enhet eller mottaker").fill("Familievoldskoordinator")
    page.get_by_role("textbox", name="Formål").fill("Vurdere sikkerhetstiltak for brukeren.")
    for category in (
        "Navn, fødselsdato og kontaktopplysninger",
        "Hva som har skjedd (volden og truslene)",
        "Opplysninger om utøveren",
    ):
        page.get_by_label(category).check()
    page.get_by_role("group", name=re.compile("^Form")).get_by_label("Skriftlig").check()
    page.get_by_label("Signert på skjermen").check()
    page.get_by_label("Brukerens navn, skrevet av brukeren selv").fill("Kari Nordmann")
    page.get_by_label("Jeg samtykker (krysses av av brukeren)").check()
    page.get_by_role("button", name="Registrer samtykket").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Sak "))).to_be_visible()
    walk.check("consent-given")


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
    page.get_by_label("Gjennomført").check()
    page.get_by_role("combobox", name="Politidistrikt").select_option(label="Oslo politidistrikt")
    page.get_by_role("textbox", name="Enhet").fill("Familievoldskoordinator, Manglerud")
    page.get_by_role("combobox", name="Kontaktpersonens rolle").select_option(label="Familievoldskoordinator")
    page.get_by_label("Telefon").check()
    page.get_by_role("group", name="Hva ble eller blir delt med politiet?").get_by_label(
        "Navn, fødselsdato og kontaktopplysninger"
    ).check()
    page.get_by_role("group", name="Hva ble eller blir delt med politiet?").get_by_label(
        "Hva som har skjedd (volden og truslene)"
    ).check()
    page.get_by_label("Samtykke (krisesenterlova § 5)").check()
    page.get_by_label("Samtykket kontakten bygger på").select_option(index=1)
    page.get_by_label("Ved at politiet kontakter ham").check()
    page.get_by_label("Gjennom felles bekjente eller familie").check()
    page.get_by_role("group", name="Risiko for represalier").get_by_label("Middels").check()
    page.get_by_label("Brukeren bor på krisesenteret").check()
    page.get_by_label("Sikkerhetsplanen er gjennomgått").check()
    measures = page.get_by_role("group", name=re.compile("^Tiltak politiet besluttet"))
    measures.get_by_role("checkbox").first.check()
    page.get_by_role("textbox", name="Utfall").fill("Politiet vurderer kontaktforbud.")
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(page.get_by_text("Kontakten med politiet er registrert.")).to_be_visible()
    walk.check("contact-saved")

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
