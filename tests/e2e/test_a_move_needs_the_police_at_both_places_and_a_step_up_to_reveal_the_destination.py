"""Workflow: moving the user to another crisis centre for her safety (issue 5, part 10).

Risk mapping (K1) → joint assessment with factor 5 (G7) → information and consent to the police
(G15, G3) → relocation plan, the destination (a centre outside Vern) chosen with the user and
the police (G14, R1) → the police at the current location and at the destination recorded as
police contacts on the consent, before the move (R2; issue 14) → the move completed, without a
consent to hand over
the mapping the police brief each other (R3) → the destination stays hidden until a fresh
step-up code reveals it. Every page: axe with 0 violations and a screenshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
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

REFERENCE = "Rom 9 – juni"
DESTINATION = "Krisesenteret i Nordby"


def local(moment: dt.datetime) -> str:
    """The value a datetime-local input takes, in the server's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_relocation_needs_the_police_at_both_places_and_step_up_to_reveal_the_destination(
    page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """G14, R1, R2, R3: the move is completed with the police at both ends; the destination
    is shown only after a fresh one-time code."""
    centre = make_centre()
    user = make_user(centre=centre)
    walk = Walk(page, "relocation")
    now = timezone.now()

    log_in(walk, user)
    create_case(walk, REFERENCE)
    record_risk_mapping(walk)
    back_to_case(walk, REFERENCE)
    assess(walk, factors=[5], view="Han vet hvor senteret ligger. Jeg vil flytte.")
    expect(page.locator("section[aria-labelledby=outcome-h]")).to_contain_text("Påkrevd")
    back_to_case(walk, REFERENCE)
    inform_about_public_prosecution(walk)
    give_written_consent(walk)

    # The plan.
    relocation_panel = page.locator("section[aria-labelledby=relocation-h]")
    relocation_panel.get_by_role("link", name="Registrer en planlagt flytting").click()
    expect(
        page.get_by_role("heading", level=1, name="Planlegg flytting til annet krisesenter")
    ).to_be_visible()
    walk.check("plan-form")
    page.get_by_label("Hvorfor er ikke senteret trygt nok?").fill(
        "Utøveren har fulgt etter brukeren til senteret."
    )
    page.get_by_role("textbox", name="Navn på senter utenfor Vern").fill(DESTINATION)
    page.get_by_role("combobox", name="Politidistrikt på det nye stedet").select_option(
        label="Oslo politidistrikt"
    )
    page.get_by_role("checkbox", name="Det nye senteret er valgt sammen med brukeren (R1)").check()
    page.get_by_label("Planlagt dato for flyttingen").fill(timezone.localdate(now).isoformat())
    page.get_by_role("button", name="Registrer planlagt flytting").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    walk.check("planned")
    expect(page.locator("body")).not_to_contain_text(DESTINATION)

    # The police at both places, before the move (R2).
    relocation_panel.get_by_role("link", name="Registrer politiets involvering").click()
    expect(
        page.get_by_role("heading", level=1, name="Politiets involvering i flyttingen")
    ).to_be_visible()
    walk.check("police-page")
    # The contacts are after the consent given just now: ten minutes pass (a fresh code then).
    time_passes(monkeypatch, 10)
    for link, minutes in (
        ("Registrer politikontakt ved avreise", 5),
        ("Registrer politikontakt ved ankomst", 6),
    ):
        page.get_by_role("link", name=link).click()
        if minutes == 5:
            pass_step_up(walk, user)
        expect(page.get_by_role("heading", level=1, name=link)).to_be_visible()
        walk.check("police-contact-form")
        page.get_by_label("Tidspunkt").first.fill(local(now + dt.timedelta(minutes=minutes)))
        page.get_by_role("combobox", name="Kontaktpersonens rolle").select_option(
            label="Familievoldskoordinator"
        )
        page.get_by_role("radio", name="Telefon").check()
        page.get_by_role("group", name="Hva ble eller blir delt med politiet?").get_by_role(
            "checkbox", name="Navn, fødselsdato og kontaktopplysninger"
        ).check()
        page.get_by_role("radio", name="Samtykke (krisesenterlova § 5)").check()
        page.get_by_role("combobox", name="Samtykket kontakten bygger på").select_option(index=1)
        page.get_by_role("checkbox", name="Ved at politiet kontakter utøveren").check()
        page.get_by_role("group", name="Risiko for represalier").get_by_role(
            "radio", name="Middels"
        ).check()
        page.get_by_role("checkbox", name="Brukeren bor på krisesenteret").check()
        page.get_by_role("button", name="Registrer kontakten").click()
        expect(
            page.get_by_role("heading", level=1, name="Politiets involvering i flyttingen")
        ).to_be_visible()
    expect(page.locator("main .vern-police-ends")).to_contain_text("Gyldig grunnlag")
    walk.check("police-recorded")
    page.get_by_role("link", name="Tilbake til flyttingen").click()
    page.get_by_role("link", name=f"Tilbake til saken {REFERENCE}").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()

    # The move.
    relocation_panel.get_by_role("link", name="Registrer flyttingen som gjennomført").click()
    expect(
        page.get_by_role("heading", level=1, name="Registrer flyttingen som gjennomført")
    ).to_be_visible()
    walk.check("complete-form")
    page.get_by_label("Tidspunkt for flyttingen").fill(local(now + dt.timedelta(minutes=8)))
    page.get_by_role(
        "radio", name="Uten samtykke: politiet orienterer politiet på nytt sted"
    ).check()
    page.get_by_role("button", name="Registrer som gjennomført").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    walk.check("completed")
    expect(relocation_panel.locator(".ds-tag").first).to_have_text("Gjennomført")
    expect(page.locator("body")).not_to_contain_text(DESTINATION)

    # Revealing the destination needs a fresh code, also long after the login code.
    time_passes(monkeypatch, 6)
    relocation_panel.get_by_role("link", name="Se flyttingen").click()
    expect(
        page.get_by_role("heading", level=1, name="Flytting til annet krisesenter")
    ).to_be_visible()
    walk.check("relocation-hidden")
    expect(page.locator("main")).not_to_contain_text(DESTINATION)
    page.locator("main").get_by_role("link", name="Vis flyttemål").click()
    pass_step_up(walk, user)
    expect(page.get_by_text(DESTINATION)).to_be_visible()
    walk.check("destination-revealed")
    assert page.vern_console_errors == []
