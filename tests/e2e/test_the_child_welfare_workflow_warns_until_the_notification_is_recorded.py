"""Workflow: the duty to notify the child welfare service (B1), with and without JavaScript.

A leader registers an accompanying child, records a concern for the child (reason to believe
the child is mistreated at home) → the case page warns that the notification is not recorded
and the leader's list shows the concern → the notification is recorded (no consent needed) →
the warning is gone and the leader's list is empty. With JavaScript every page passes axe;
every page also fits a 320 px viewport."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import Visit, Walk, create_case, log_in
from tests.factories import make_centre, make_user
from vern.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "Rom 4 – barn"
WARNING = "Opplysningsplikt til barnevernet: melding er ikke registrert"
NARROW = 320


@pytest.fixture
def walk(visit: Visit) -> Walk:
    return visit.walk("child-welfare")


def fits_at_320(page: Any) -> None:
    """WCAG 1.4.10: nothing scrolls sideways at 320 CSS px; back to the default width after."""
    size = page.viewport_size
    page.set_viewport_size({"width": NARROW, "height": 640})
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= NARROW, f"{page.url} is {scroll_width} px wide at {NARROW} px"
    page.set_viewport_size(size)


def test_a_concern_warns_on_the_case_page_until_the_notification_is_recorded(
    walk: Walk,
) -> None:
    centre = make_centre()
    leader = make_user(Role.LEDER, centre)
    page = walk.page
    sent_on = timezone.localdate() - dt.timedelta(days=1)

    log_in(walk, leader)
    create_case(walk, REFERENCE)

    # The accompanying child.
    page.get_by_role("link", name="Registrer medfølgende barn").click()
    page.get_by_label("Betegnelse").fill("Barn 1")
    page.get_by_role("button", name="Registrer barnet").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    panel = page.locator("section[aria-labelledby=childwelfare-h]")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Barnevernet (opplysningsplikt)")
    expect(page.locator("body")).not_to_contain_text(WARNING)
    walk.check("case-with-child")

    # The concern: reason to believe the child is mistreated at home.
    panel.get_by_role("link", name="Registrer en bekymring (Barn 1)").click()
    expect(page.get_by_role("heading", level=1, name="Bekymring for Barn 1")).to_be_visible()
    walk.check("concern-form")
    fits_at_320(page)
    page.get_by_role("button", name="Registrer bekymringen").click()  # nothing chosen
    expect(page.locator("#id_grounds_error")).to_have_text(
        "Velg minst ett grunnlag fra barnevernsloven § 13-2."
    )
    walk.check("concern-form-error")
    page.get_by_role("checkbox", name="Barnet blir eller vil bli mishandlet").check()
    page.get_by_label("Hvorfor er det grunn til å tro dette?").fill(
        "Barnet har fortalt at det blir slått hjemme."
    )
    page.get_by_role("button", name="Registrer bekymringen").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    expect(page.get_by_role("heading", name=WARNING)).to_be_visible()
    expect(panel.locator(".ds-tag")).to_have_text("Ikke meldt")
    walk.check("case-warns")
    fits_at_320(page)

    # The leader's list shows the concern.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Barnevernet").click()
    expect(
        page.get_by_role("heading", level=1, name="Barnevernet: bekymringer uten melding")
    ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(REFERENCE)
    walk.check("leader-list")
    fits_at_320(page)
    page.get_by_role("link", name=REFERENCE).click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()

    # The notification (no consent asked for).
    page.get_by_role("link", name="Registrer meldingen til barnevernet").click()
    expect(
        page.get_by_role("heading", level=1, name="Registrer melding til barnevernet")
    ).to_be_visible()
    walk.check("notification-form")
    fits_at_320(page)
    expect(
        page.get_by_role("checkbox", name="Barn 1: Barnet blir eller vil bli mishandlet")
    ).to_be_checked()
    page.get_by_label("Dato meldingen ble sendt").fill(sent_on.isoformat())
    page.get_by_label("Barnevernstjeneste som fikk meldingen").fill("Barnevernstjenesten i Testby")
    page.get_by_role("radio", name="Telefon").check()
    page.get_by_role(
        "checkbox", name="Barnets situasjon og det som gir grunn til bekymring"
    ).check()
    page.get_by_role("radio", name="Nei, brukeren er ikke fortalt om meldingen").check()
    page.get_by_role("button", name="Registrer meldingen").click()
    # Not told, and no reason given: an error on that field, everything typed is kept.
    expect(page.locator("#id_user_not_told_reason_error")).to_have_text(
        "Skriv hvorfor brukeren ikke er fortalt om meldingen."
    )
    expect(page.get_by_label("Barnevernstjeneste som fikk meldingen")).to_have_value(
        "Barnevernstjenesten i Testby"
    )
    walk.check("notification-form-error")
    page.get_by_role("radio", name="Ja, brukeren er fortalt om meldingen").check()
    page.get_by_label("Når ble brukeren fortalt?").fill(timezone.localdate().isoformat())
    page.get_by_label("Hvordan ble brukeren fortalt?").fill("I en samtale med to ansatte")
    page.get_by_role("button", name="Registrer meldingen").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()

    # The warning is gone; the notification is shown.
    expect(page.locator("body")).not_to_contain_text(WARNING)
    expect(panel.locator(".ds-tag")).to_contain_text("Meldt")
    expect(panel).to_contain_text("Barnevernstjenesten i Testby")
    walk.check("case-notified")
    fits_at_320(page)

    # The leader's list is empty.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Barnevernet").click()
    expect(page.get_by_text("Ingen bekymringer uten melding.")).to_be_visible()
    walk.check("leader-list-empty")


def test_a_concern_registered_in_error_is_resolved_with_a_reason_and_the_warning_goes(
    page: Any,
) -> None:
    from vern.cases import services as case_services
    from vern.childwelfare import services

    centre = make_centre()
    staff = make_user(Role.ANSATT, centre)
    case = case_services.case_create(acting_user=staff, reference=REFERENCE)
    child = case_services.child_add(acting_user=staff, case=case, label="Barn 2", birth_year=None)
    services.concern_record(
        acting_user=staff, case=case, child=child, grounds=["behaviour"], reason="Feil barn."
    )
    walk = Walk(page, "child-welfare-resolve")

    log_in(walk, staff)
    page.goto(f"/saker/{case.pk}/")
    expect(page.get_by_role("heading", name=WARNING)).to_be_visible()
    page.get_by_role("link", name="Registrert ved en feil? (Barn 2)").click()
    expect(
        page.get_by_role("heading", level=1, name="Avslutt bekymring uten melding")
    ).to_be_visible()
    walk.check("resolve-form")
    fits_at_320(page)
    page.get_by_role("radio", name="Annen grunn (forklar)").check()
    page.get_by_role("button", name="Avslutt uten melding").click()
    expect(page.locator("#id_note_error")).to_have_text(
        "Forklar hvorfor bekymringen avsluttes uten melding."
    )
    walk.check("resolve-form-error")
    page.get_by_role("radio", name="Registrert ved en feil").check()
    page.get_by_role("button", name="Avslutt uten melding").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(WARNING)
    expect(page.locator("section[aria-labelledby=childwelfare-h] .ds-tag")).to_have_text(
        "Avsluttet uten melding"
    )
    walk.check("resolved")
