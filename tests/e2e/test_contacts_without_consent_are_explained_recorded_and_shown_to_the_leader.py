"""Workflows for the grounds of telling the police without consent (issue 13, L1, L2).

(a) A duty-to-avert contact naming only grove trusler (straffeloven § 264, not on the § 196
    list) is explained first, then recorded on confirmation with a deviation the leader sees.
(b) A contact on the danger ground (krisesenterlova § 5 second paragraph) with its record is
    valid and listed in the leader's overview of every contact without consent.

Each runs with JavaScript (axe with 0 violations and a screenshot on every page) and without it
(screenshots ``*-nojs-*``); the new form and the leader's overview are also kept at 320 px."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import Visit, Walk, log_in, pass_step_up, screenshot, time_passes
from tests.factories import make_centre, make_user
from vern.accounts.models import Role, User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.tenancy import system_scope
from vern.core import clock

pytestmark = pytest.mark.django_db(transaction=True)

DUTY_GROUND = "Avvergeplikt (straffeloven § 196)"
DANGER_GROUND = "Fare for liv eller helse (krisesenterlova § 5 annet ledd)"


@dataclass
class Centre:
    staff: User
    leader: User
    case: Case


@pytest.fixture
def centre() -> Centre:
    home = make_centre("Varslingssenteret")
    staff = make_user(Role.ANSATT, home)
    leader = make_user(Role.LEDER, home)
    with system_scope():
        case = case_services.case_create(acting_user=staff, reference="Rom 7 – juni")
    return Centre(staff=staff, leader=leader, case=case)


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def open_form(walk: Walk, centre: Centre, monkeypatch: pytest.MonkeyPatch) -> None:
    page = walk.page
    log_in(walk, centre.staff)
    time_passes(monkeypatch, 6)  # the login code no longer counts as a fresh one
    page.goto(f"/saker/{centre.case.pk}/politi/ny/")
    pass_step_up(walk, centre.staff)
    expect(
        page.get_by_role("heading", level=1, name="Registrer kontakt med politiet")
    ).to_be_visible()


def fill_contact(page: Any, ground: str) -> None:
    page.get_by_role("radio", name="Gjennomført").check()
    page.get_by_role("combobox", name="Kontaktpersonens rolle").select_option(
        label="Operasjonssentralen"
    )
    page.get_by_role("radio", name="Telefon").check()
    shared = page.get_by_role("group", name="Hva ble eller blir delt med politiet?")
    for category in (
        "Navn, fødselsdato og kontaktopplysninger",
        "Hva som har skjedd (volden og truslene)",
    ):
        shared.get_by_role("checkbox", name=category).check()
    page.get_by_role("radio", name=ground).check()
    page.get_by_label("Hvorfor var det nødvendig å dele det som ble delt?").fill(
        "Politiet trengte navnet for å finne og beskytte brukeren i kveld."
    )
    page.get_by_label("Hvis brukeren ikke er informert ennå: hvorfor ikke?").fill(
        "Brukeren var ikke til å nå; informeres i morgen."
    )
    page.get_by_role("checkbox", name="Ved at politiet kontakter utøveren").check()
    page.get_by_role("group", name="Risiko for represalier").get_by_role(
        "radio", name="Høy"
    ).check()
    page.get_by_role("checkbox", name="Brukeren bor på krisesenteret").check()


def leader_overview(walk: Walk, centre: Centre) -> Any:
    page = walk.page
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    log_in(walk, centre.leader)
    page.get_by_role("link", name="Avvik og avvergeplikt").click()
    expect(page.get_by_role("heading", level=1, name="Avvik og avvergeplikt")).to_be_visible()
    walk.check("leader-overview")
    return page.get_by_role("table", name=re.compile("uten samtykke"))


def narrow(page: Any, name: str) -> None:
    """The same page at 320 px (reflow), kept as a screenshot."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, name)
    page.set_viewport_size(size)


def test_a_duty_to_avert_contact_naming_only_264_becomes_a_deviation_the_leader_sees(
    visit: Visit, centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    """L2: § 264 is not on the § 196 list; the contact is recorded, never refused, as a
    deviation, after staff are told why."""
    page = visit.page
    walk = visit.walk("avert-264")
    open_form(walk, centre, monkeypatch)
    fill_contact(page, DUTY_GROUND)
    offence = page.get_by_role("checkbox", name=re.compile(r"§ 264, ikke på listen i § 196"))
    offence.check()
    page.get_by_label("Hvorfor er det sikkert eller mest sannsynlig").fill(
        "Utøveren truet i kveld med å drepe brukeren."
    )
    page.get_by_role("radio", name="Melding eller anmeldelse til politiet").check()
    page.get_by_label("Beskriv hva som ble gjort").fill("Ringte operasjonssentralen.")
    page.get_by_role("button", name="Registrer kontakten").click()
    warning = page.locator("#ground-warning")
    expect(warning).to_contain_text("står ikke på listen i straffeloven § 196")
    walk.check("explained")
    page.get_by_role(
        "checkbox", name="Kontakten skjedde slik. Registrer den, og åpne et avvik for leder."
    ).check()
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(page.get_by_text("Et avvik er åpnet for leder.")).to_be_visible()
    walk.check("recorded")

    table = leader_overview(walk, centre)
    row = table.get_by_role("row").filter(has_text=centre.case.reference)
    expect(row).to_contain_text("Grove trusler (straffeloven § 264)")
    expect(row).to_contain_text("står ikke på listen i straffeloven § 196")
    open_table = page.get_by_role("table", name=re.compile("åpent avvik"))
    expect(open_table.get_by_role("row").filter(has_text=centre.case.reference)).to_have_count(1)
    assert page.vern_console_errors == []


def test_a_danger_contact_with_its_record_is_valid_and_in_the_leaders_overview(
    visit: Visit, centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    """L1: a right, not a duty; recorded with its record, it opens no deviation."""
    page = visit.page
    walk = visit.walk("danger")
    open_form(walk, centre, monkeypatch)
    walk.check("form")
    if visit.javascript:
        narrow(page, "danger-form-320")
    fill_contact(page, DANGER_GROUND)
    page.get_by_label("Hva er faren for liv eller helse?").fill(
        "Utøveren er på vei til brukerens arbeidsplass med kniv."
    )
    page.get_by_role("radio", name="Brukeren nektet å samtykke").check()
    page.get_by_label("Hvorfor kunne samtykke ikke innhentes").fill(
        "Brukeren er redd for represalier og vil ikke at politiet kontaktes."
    )
    page.get_by_role("radio", name="En ansatt besluttet, og leder ble varslet straks").check()
    page.get_by_label("Når ble leder varslet?").fill(local(clock.now()))
    walk.check("form-filled")
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(page.get_by_text("Kontakten med politiet er registrert.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Utøveren er på vei")
    walk.check("recorded")

    table = leader_overview(walk, centre)
    row = table.get_by_role("row").filter(has_text=centre.case.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DANGER_GROUND)
    expect(row).to_contain_text("Ja")
    expect(row).to_contain_text("Ikke ennå")
    expect(page.get_by_text("Ingen åpne avvik.")).to_be_visible()
    if visit.javascript:
        narrow(page, "danger-leader-overview-320")
    assert page.vern_console_errors == []
