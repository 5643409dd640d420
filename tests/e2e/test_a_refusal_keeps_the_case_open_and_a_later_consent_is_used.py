"""Workflow: the user says no, the case stays open, and later she consents (issue 5, part 8).

Risk mapping (K1) → joint assessment with factor 1 (G6, G7) → public-prosecution information
(G5, G15) → refusal with her reasons, the page offering the information on what the police can
do without pressure (G13, G12) → the case stays open under reassessment (G8) → later a new
assessment → written consent (G3, G4, C1) → a planned police contact under it with the reprisal
check (G9). Every page: axe with 0 violations and a screenshot."""

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

REFERENCE = "Rom 7 – april"


def test_refusal_keeps_the_case_open_with_motivation_information_then_later_consent(
    page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """G13, G12, G8, then G3, G4, C1, G9: a refusal is respected; a later consent is used."""
    centre = make_centre()
    user = make_user(centre=centre)
    walk = Walk(page, "refusal")

    log_in(walk, user)
    create_case(walk, REFERENCE)
    record_risk_mapping(walk)
    back_to_case(walk, REFERENCE)
    assess(walk, factors=[1], view="Jeg vil ikke at politiet skal vite noe nå.")
    outcome = page.locator("section[aria-labelledby=outcome-h]")
    expect(outcome).to_contain_text("Informer brukeren om offentlig påtale")
    back_to_case(walk, REFERENCE)
    inform_about_public_prosecution(walk)

    # She does not want the police involved: the page offers the information, without pressure.
    consent_panel = page.locator("section[aria-labelledby=consent-h]")
    consent_panel.get_by_role("link", name="Brukeren sier nei").click()
    expect(
        page.get_by_role("heading", level=1, name="Brukeren vil ikke at politiet kontaktes")
    ).to_be_visible()
    walk.check("refusal-form")
    page.get_by_text("Vis informasjonen om hva politiet kan gjøre").click()
    expect(page.locator("details.ds-details")).to_have_attribute("open", "")
    walk.check("refusal-information-open")
    page.get_by_label("Brukerens grunner, med brukerens egne ord").fill(
        "Han får vite det, og da blir det verre. Jeg vil tenke på det."
    )
    page.get_by_role(
        "checkbox",
        name="Informasjon om hva politiet kan gjøre, og om sikkerhetstiltak, ble tilbudt",
    ).check()
    page.get_by_role("button", name="Registrer at brukeren sier nei").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    walk.check("refused")

    # The case stays open under reassessment, with the motivation information at hand.
    expect(page.locator("#consent-next")).to_have_attribute("data-next", "refused")
    expect(consent_panel).to_contain_text("Han får vite det, og da blir det verre.")
    expect(page.locator("h1 + .ds-tag")).to_have_text("Åpen")
    expect(page.locator(".vern-facts").first).not_to_contain_text("Ikke vurdert ennå")
    consent_panel.get_by_role("link", name="Informasjon om hva politiet kan gjøre").click()
    expect(
        page.get_by_role("heading", level=1, name="Informer om hva politiet kan gjøre")
    ).to_be_visible()
    walk.check("police-help-information")
    page.get_by_role(
        "checkbox", name="Jeg har gått gjennom informasjonen over med brukeren"
    ).check()
    page.get_by_role("button", name="Registrer at informasjonen er gitt").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    walk.check("police-help-given")

    # Later: she has thought about it. A new assessment, then her written consent.
    time_passes(monkeypatch, 60 * 24 * 3)
    log_in(walk, user)  # three days later: a new working session
    page.get_by_role("link", name="Saker", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Saker")).to_be_visible()
    walk.check("case-list")
    page.get_by_role("link", name=REFERENCE).click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    walk.check("case-later")
    assess(walk, factors=[1, 4], view="Nå vil jeg at politiet skal vite om det.")
    expect(page.locator("section[aria-labelledby=outcome-h]")).to_contain_text(
        "Be om brukerens samtykke"
    )
    back_to_case(walk, REFERENCE)
    give_written_consent(walk)
    expect(page.locator("#consent-next")).to_have_attribute("data-next", "consent_in_force")
    expect(
        page.locator("section[aria-labelledby=assessment-h]").get_by_role("definition").nth(1)
    ).to_have_text("Kontakt politiet")

    # A planned contact under the consent: the reprisal check comes first (G9).
    time_passes(monkeypatch, 6)
    page.get_by_role("link", name="Registrer kontakt med politiet").click()
    pass_step_up(walk, user)
    expect(
        page.get_by_role("heading", level=1, name="Registrer kontakt med politiet")
    ).to_be_visible()
    walk.check("contact-form")
    page.get_by_role("radio", name="Planlagt").check()
    page.get_by_role("combobox", name="Kontaktpersonens rolle").select_option(
        label="Familievoldskoordinator"
    )
    page.get_by_role("radio", name="Møte").check()
    shared = page.get_by_role("group", name="Hva ble eller blir delt med politiet?")
    shared.get_by_role("checkbox", name="Navn, fødselsdato og kontaktopplysninger").check()
    page.get_by_role("radio", name="Samtykke (krisesenterlova § 5)").check()
    page.get_by_label("Samtykket kontakten bygger på").select_option(index=1)
    page.get_by_role("checkbox", name="Gjennom innkalling eller rettsdokumenter").check()
    page.get_by_role("group", name="Risiko for represalier").get_by_role(
        "radio", name="Høy"
    ).check()
    page.get_by_role("checkbox", name="Alarm eller voldsalarm").check()
    page.get_by_role("checkbox", name="Politiet er informert om risikoen").check()
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(page.get_by_text("Kontakten med politiet er registrert.")).to_be_visible()
    walk.check("contact-planned")

    back_to_case(walk, REFERENCE)
    police_panel = page.locator("section[aria-labelledby=police-h]")
    expect(police_panel.get_by_role("table")).to_contain_text("Planlagt")
    expect(police_panel.locator(".ds-alert[data-color=danger]")).to_have_count(0)
    timeline = page.locator("section[aria-labelledby=timeline-h]")
    expect(timeline.get_by_role("listitem").first).to_contain_text(
        re.compile(r"Politikontakt planlagt \(grunnlag: Samtykke")
    )
    expect(timeline).not_to_contain_text("Avvik åpnet")
    assert page.vern_console_errors == []
