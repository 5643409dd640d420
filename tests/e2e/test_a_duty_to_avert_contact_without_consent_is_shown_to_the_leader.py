"""Workflow: a police contact under the duty to avert, without consent, seen by the leader.

Risk mapping (K1) → joint assessment with factor 9 and a suspected § 282 offence (G7, G11) →
next step "contact the police under the duty to avert", no consent needed → a contact on that
ground, after step-up, with the offence, why it is certain or most likely and who decided (G11),
and the reprisal check (G9) → log out → the centre's leader logs in and sees the contact on the
review page. Every page: axe with 0 violations and a screenshot."""

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
    log_in,
    pass_step_up,
    record_risk_mapping,
    time_passes,
)
from tests.factories import make_centre, make_user
from vern.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "Rom 2 – mai"
OFFENCE_IN_ASSESSMENT = re.compile(r"straffeloven § 282 – Mishandling i nære relasjoner")
OFFENCE_196 = "Mishandling i nære relasjoner (straffeloven § 282)"
DUTY_GROUND = "Avvergeplikt (straffeloven § 196)"


def test_duty_to_avert_contact_without_consent_is_shown_to_the_leader(
    page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """G11, G9: duty to avert needs no consent; the leader sees every such contact."""
    centre = make_centre()
    user = make_user(centre=centre)
    leader = make_user(Role.LEDER, centre=centre)
    walk = Walk(page, "duty-to-avert")

    log_in(walk, user)
    create_case(walk, REFERENCE)
    record_risk_mapping(walk)
    back_to_case(walk, REFERENCE)
    assess(walk, factors=[1, 9], offences=(OFFENCE_IN_ASSESSMENT,))
    outcome = page.locator("section[aria-labelledby=outcome-h]")
    expect(outcome).to_contain_text("Kontakt politiet etter avvergeplikten")
    expect(outcome).to_contain_text(
        "Samtykke trengs ikke. Grunnlag: avvergeplikten (straffeloven § 196)"
    )
    back_to_case(walk, REFERENCE)

    # The case page points to the duty to avert; no consent is asked for first.
    police_panel = page.locator("section[aria-labelledby=police-h]")
    expect(police_panel).to_contain_text("Avvergeplikten gjelder")
    time_passes(monkeypatch, 6)
    police_panel.get_by_role("link", name="Registrer kontakt etter avvergeplikten").click()
    pass_step_up(walk, user)
    expect(
        page.get_by_role("heading", level=1, name="Registrer kontakt med politiet")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="Den nyeste vurderingen peker på avvergeplikten")
    ).to_be_visible()
    walk.check("contact-form")
    page.get_by_role("radio", name="Gjennomført").check()
    page.get_by_role("combobox", name="Kontaktpersonens rolle").select_option(
        label="Operasjonssentralen"
    )
    page.get_by_role("radio", name="Telefon").check()
    shared = page.get_by_role("group", name="Hva ble eller blir delt med politiet?")
    for category in (
        "Navn, fødselsdato og kontaktopplysninger",
        "Hva som har skjedd (volden og truslene)",
        "Opplysninger om utøveren",
    ):
        shared.get_by_role("checkbox", name=category).check()
    page.get_by_role("radio", name=DUTY_GROUND).check()
    page.get_by_role("checkbox", name=OFFENCE_196).check()
    page.get_by_label("Hvorfor er det sikkert eller mest sannsynlig").fill(
        "Gjentatt grov vold siste måned og nye trusler i går; han har sagt hvor han venter."
    )
    # L2: what was done to avert it, and why sharing was needed.
    page.get_by_role("radio", name="Melding eller anmeldelse til politiet").check()
    page.get_by_label("Beskriv hva som ble gjort").fill("Ringte operasjonssentralen.")
    page.get_by_label("Hvorfor var det nødvendig å dele det som ble delt?").fill(
        "Politiet trengte navn og trusselen for å rykke ut i tide."
    )
    expect(
        page.get_by_role("combobox", name="Hvem besluttet å kontakte politiet uten samtykke?")
    ).to_have_value(str(user.pk))
    page.get_by_role("checkbox", name="Ved at politiet kontakter utøveren").check()
    page.get_by_role("group", name="Risiko for represalier").get_by_role(
        "radio", name="Høy"
    ).check()
    page.get_by_role("checkbox", name="Brukeren bor på krisesenteret").check()
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(page.get_by_text("Kontakten med politiet er registrert.")).to_be_visible()
    walk.check("contact-saved")

    back_to_case(walk, REFERENCE)
    police_panel = page.locator("section[aria-labelledby=police-h]")
    expect(police_panel.get_by_role("table")).to_contain_text(DUTY_GROUND)
    expect(police_panel.locator(".ds-alert[data-color=danger]")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=timeline-h]")).to_contain_text(
        f"Politikontakt registrert (grunnlag: {DUTY_GROUND})"
    )
    staff_errors = list(page.vern_console_errors)

    # The leader of the centre sees the contact on the review page.
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    walk.check("logged-out")
    log_in(walk, leader)
    page.get_by_role("link", name="Avvik og avvergeplikt").click()
    expect(page.get_by_role("heading", level=1, name="Avvik og avvergeplikt")).to_be_visible()
    walk.check("leader-review")
    duty_table = page.get_by_role("table", name=re.compile("uten samtykke"))
    row = duty_table.get_by_role("row").filter(has_text=REFERENCE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(OFFENCE_196)
    expect(row).to_contain_text(user.full_name)
    expect(row).to_contain_text("Gjennomført")
    row.get_by_role("link", name=REFERENCE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    walk.check("leader-contact-detail")
    expect(page.locator("main")).to_contain_text(OFFENCE_196)
    assert staff_errors == []
    assert page.vern_console_errors == []
