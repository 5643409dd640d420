"""Browser tests for the pages that correct the record or record something after the fact.

Withdrawing a consent from an earlier moment, with the confirmation listing the police contacts
under it after that moment (C1); reopening a closed case (G8); marking a child registered in
error (K1: kept, not deleted); recording that the new centre was chosen with the user (R1);
correcting a planned police contact after step-up (G3, G9).

Each flow runs twice: with JavaScript (axe with 0 violations and a screenshot on every page) and
without it (every page works without JavaScript; screenshots ``*-nojs-*``). The centre has the
demo cases (``vern demo``), plus what each flow needs, made through the services."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from tests.e2e.conftest import Visit, Walk, log_in, pass_step_up, time_passes
from tests.factories import make_centre, make_user
from vern.accounts.models import Role, User
from vern.cases.models import Case
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent
from vern.core import clock
from vern.desk import demo_data
from vern.police import services as police
from vern.relocation import services as relocation

pytestmark = pytest.mark.django_db(transaction=True)

SAFE_REPRISAL_CHECK = demo_data.SAFE_REPRISAL_CHECK


@dataclass
class Centre:
    staff: User
    cases: dict[str, Case]


@pytest.fixture
def centre() -> Centre:
    """The demo cases of one centre (built through the services, as ``vern demo`` does)."""
    home = make_centre("Rettesenteret")
    staff = make_user(Role.ANSATT, home)
    leader = make_user(Role.LEDER, home)
    with system_scope():
        demo_data.build(staff, leader)
        cases = {case.reference: case for case in Case.objects.filter(centre=home)}
    return Centre(staff=staff, cases=cases)


def open_case(walk: Walk, reference: str) -> None:
    page = walk.page
    page.get_by_role("link", name="Saker", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Saker")).to_be_visible()
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    walk.check("case")


def local(moment: dt.datetime) -> str:
    """The value a datetime-local input takes, in the server's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def shown(moment: dt.datetime) -> str:
    """A moment as the pages print it (``j. F Y H:i``, bokmål)."""
    with translation.override("nb"):
        return formats.date_format(timezone.localtime(moment), "j. F Y H:i")


def test_consent_withdrawn_from_an_earlier_moment_lists_the_police_contacts_after_it(
    visit: Visit, centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C1: she withdrew on the phone last night; a contact made this morning under the consent
    is listed on the confirmation page and opens a deviation for the leader."""
    reference = "Demo-03 samtykke"
    case = centre.cases[reference]
    with system_scope():
        consent = Consent.objects.get(case=case)
    given = consent.given_at
    time_passes(monkeypatch, 60 * 24)  # the next day
    withdrawn = (given + dt.timedelta(hours=12)).replace(second=0, microsecond=0)
    contact_at = given + dt.timedelta(hours=20)
    with system_scope():
        police.police_contact_record(
            acting_user=centre.staff,
            case=case,
            data=police.ContactInput(
                status="done",
                contact_at=contact_at,
                police_district="oslo",
                contact_role="family_violence_coordinator",
                channel="phone",
                legal_ground="consent",
                shared_categories=["identity", "violence"],
                consent=consent,
                reprisal_check=SAFE_REPRISAL_CHECK,
            ),
        )

    page = visit.page
    walk = visit.walk("withdrawal")
    log_in(walk, centre.staff)
    open_case(walk, reference)
    consent_panel = page.locator("section[aria-labelledby=consent-h]")
    consent_panel.get_by_role("link", name=re.compile("^Trekk tilbake")).click()
    expect(page.get_by_role("heading", level=1, name="Trekk tilbake samtykke")).to_be_visible()
    walk.check("withdraw-form")
    page.get_by_label("Når trakk brukeren samtykket tilbake?").fill(local(withdrawn))
    page.get_by_role("group", name=re.compile("^Hvordan ble det trukket tilbake")).get_by_role(
        "radio", name="Telefon"
    ).check()
    page.get_by_label("Merknad").fill("Ringte vakttelefonen.")
    page.get_by_role("checkbox", name="Brukeren har trukket tilbake samtykket").check()
    page.get_by_role("button", name="Trekk tilbake samtykket").click()

    expect(
        page.get_by_role("heading", level=1, name="Samtykket er trukket tilbake")
    ).to_be_visible()
    walk.check("withdrawn")
    main = page.locator("main")
    expect(main).to_contain_text(f"{shown(withdrawn)} (telefon)")
    after = page.locator("#contacts-after-withdrawal")
    expect(
        after.get_by_role("heading", name="Politikontakter etter tilbaketrekkingen")
    ).to_be_visible()
    expect(after.get_by_role("listitem")).to_have_count(1)
    expect(after.get_by_role("listitem")).to_contain_text(shown(contact_at))
    expect(after.get_by_role("listitem")).to_contain_text(
        "gjort etter at samtykket ble trukket tilbake"
    )
    expect(after).to_contain_text("Avvik åpnet for leder: 1.")

    page.get_by_role("link", name="Tilbake til saken", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    walk.check("case-after-withdrawal")
    expect(consent_panel).to_contain_text("Trukket tilbake")
    expect(consent_panel.get_by_role("link", name=re.compile("^Trekk tilbake"))).to_have_count(0)
    police_panel = page.locator("section[aria-labelledby=police-h]")
    expect(police_panel.locator(".ds-alert[data-color=danger]")).to_contain_text(
        "Samtykket var trukket tilbake da kontakten skjedde (C1)."
    )
    assert page.vern_console_errors == []


def test_a_closed_case_is_reopened_and_due_for_reassessment(visit: Visit, centre: Centre) -> None:
    """G8: the user came back; the case opens again and is due for reassessment now."""
    reference = "Demo-10 avsluttet"
    page = visit.page
    walk = visit.walk("reopen")
    log_in(walk, centre.staff)
    open_case(walk, reference)
    expect(page.locator("h1 + .ds-tag")).to_have_text("Avsluttet")
    page.get_by_role("link", name="Åpne saken igjen").click()
    expect(page.get_by_role("heading", level=1, name="Åpne saken igjen")).to_be_visible()
    walk.check("reopen-form")

    # Nothing chosen: the error names the field.
    page.get_by_role("button", name="Åpne saken").click()
    expect(page.get_by_role("heading", level=1, name="Åpne saken igjen")).to_be_visible()
    expect(page.locator("#id_reason_error")).to_be_visible()
    walk.check("reopen-error")

    page.get_by_role("radio", name="Brukeren har kommet tilbake til senteret").check()
    page.get_by_role("button", name="Åpne saken").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    expect(
        page.get_by_text(
            "Saken er åpnet igjen og står på listen over saker som skal revurderes nå."
        )
    ).to_be_visible()
    walk.check("reopened")
    expect(page.locator("h1 + .ds-tag")).to_have_text("Åpen")

    page.get_by_role("link", name="Revurderinger", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    walk.check("dashboard")
    expect(page.locator("main").get_by_role("link", name=reference, exact=True)).to_be_visible()
    assert page.vern_console_errors == []


def test_a_child_registered_in_error_is_kept_but_no_longer_counted(
    visit: Visit, centre: Centre
) -> None:
    """K1: a mapped child is marked only after the staff member confirms; nothing is deleted."""
    reference = "Demo-09 med barn"
    page = visit.page
    walk = visit.walk("child-removed")
    log_in(walk, centre.staff)
    open_case(walk, reference)
    children = page.locator("section[aria-labelledby=children-h]")
    children.get_by_role("link", name="Feilregistrert? Barn 1").click()
    expect(
        page.get_by_role("heading", level=1, name="Marker et barn som feilregistrert")
    ).to_be_visible()
    walk.check("child-remove-form")
    expect(page.get_by_role("radio", name="Barn 1")).to_be_checked()
    expect(page.locator("main .ds-alert[data-color=warning]")).to_contain_text("Kartlagt: Barn 1")

    # A mapped child needs the confirmation; what was entered is kept on the error page.
    page.get_by_role("radio", name="Registrert to ganger").check()
    page.get_by_label("Merknad").fill("Samme barn registrert ved innkomst og dagen etter.")
    page.get_by_role("button", name="Marker som feilregistrert").click()
    expect(page.locator("#id_confirm_mapped_error")).to_contain_text(
        "Barnet har en risikokartlegging."
    )
    walk.check("child-remove-confirm-needed")
    expect(page.get_by_role("radio", name="Registrert to ganger")).to_be_checked()
    expect(page.get_by_label("Merknad")).to_have_value(
        "Samme barn registrert ved innkomst og dagen etter."
    )
    page.get_by_role("checkbox", name=re.compile("^Jeg vet at kartleggingen av barnet")).check()
    page.get_by_role("button", name="Marker som feilregistrert").click()

    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    expect(
        page.get_by_text("Barnet er markert som feilregistrert. Det som var lagret, er beholdt.")
    ).to_be_visible()
    walk.check("child-removed")
    expect(children).to_contain_text("Ingen barn registrert.")
    expect(children).to_contain_text("1 barn er markert som feilregistrert og regnes ikke med.")
    assert page.vern_console_errors == []


def test_the_users_choice_of_the_new_centre_is_recorded_after_planning(
    visit: Visit, centre: Centre
) -> None:
    """R1: the plan was made before she had been asked; her choice is recorded before the move."""
    reference = "Demo-02 vurdert"
    with system_scope():
        relocation.relocation_plan(
            acting_user=centre.staff,
            case=centre.cases[reference],
            reason="Utøveren har sett brukeren utenfor senteret.",
            destination_name="Krisesenteret i Vestby",
            destination_police_district="vest",
            chosen_with_user=False,
            chosen_with_police=True,
            planned_on=clock.today() + dt.timedelta(days=3),
        )

    page = visit.page
    walk = visit.walk("user-choice")
    log_in(walk, centre.staff)
    open_case(walk, reference)
    panel = page.locator("section[aria-labelledby=relocation-h]")
    choice = panel.locator("li").filter(has_text="Nytt senter valgt sammen med brukeren")
    expect(choice.locator(".ds-tag")).to_have_text("Ikke gjort")
    panel.get_by_role("link", name="Registrer brukerens valg av senter").click()
    expect(
        page.get_by_role("heading", level=1, name="Brukerens valg av nytt senter")
    ).to_be_visible()
    walk.check("user-choice-form")

    page.get_by_role("button", name="Registrer", exact=True).click()
    expect(page.locator("#id_chosen_with_user_error")).to_contain_text(
        "Kryss av når brukeren har vært med på å velge det nye senteret."
    )
    walk.check("user-choice-error")
    page.get_by_role("checkbox", name="Det nye senteret er valgt sammen med brukeren (R1)").check()
    page.get_by_role("button", name="Registrer", exact=True).click()

    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    expect(page.get_by_text("Brukerens valg av nytt senter er registrert.")).to_be_visible()
    walk.check("user-choice-recorded")
    expect(choice.locator(".ds-tag")).to_have_text("Gjort")
    expect(panel.get_by_role("link", name="Registrer brukerens valg av senter")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Vestby")
    assert page.vern_console_errors == []


def test_a_planned_police_contact_is_corrected_after_step_up(
    visit: Visit, centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    """G3, G9: the plan is corrected before the contact; it may add identifying information,
    so a fresh one-time code is asked for first."""
    reference = "Demo-06 flyttet"
    case = centre.cases[reference]
    with system_scope():
        consent = Consent.objects.get(case=case, recipient_kind="police")
        police.police_contact_record(
            acting_user=centre.staff,
            case=case,
            data=police.ContactInput(
                status="planned",
                contact_at=clock.now() + dt.timedelta(days=2),
                police_district="oslo",
                police_unit="Familievoldskoordinator",
                contact_role="family_violence_coordinator",
                channel="meeting",
                legal_ground="consent",
                shared_categories=["identity"],
                consent=consent,
                reprisal_check=SAFE_REPRISAL_CHECK,
            ),
        )

    page = visit.page
    walk = visit.walk("contact-edit")
    log_in(walk, centre.staff)
    open_case(walk, reference)
    police_panel = page.locator("section[aria-labelledby=police-h]")
    row = police_panel.get_by_role("row").filter(has_text="Planlagt")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name="Kontakt med politiet")).to_be_visible()
    walk.check("contact-detail")

    time_passes(monkeypatch, 6)  # the login code no longer counts as fresh
    page.get_by_role("link", name="Endre planen").click()
    pass_step_up(walk, centre.staff)
    expect(
        page.get_by_role("heading", level=1, name="Endre planlagt kontakt med politiet")
    ).to_be_visible()
    walk.check("contact-edit-form")
    expect(page.get_by_role("textbox", name="Enhet")).to_have_value("Familievoldskoordinator")
    page.get_by_role("textbox", name="Enhet").fill("Familievoldskoordinator, Sentrum")
    page.get_by_role("group", name=re.compile("^Kanal")).get_by_role(
        "radio", name="Telefon"
    ).check()
    page.get_by_role("group", name="Risiko for represalier").get_by_role(
        "radio", name="Høy"
    ).check()
    page.get_by_role("button", name="Lagre endringene").click()

    expect(page.get_by_role("heading", level=1, name="Kontakt med politiet")).to_be_visible()
    expect(page.get_by_text("Planen er endret, og grunnlaget er gyldig.")).to_be_visible()
    walk.check("contact-corrected")
    main = page.locator("main")
    expect(main).to_contain_text("Familievoldskoordinator, Sentrum")
    expect(main).to_contain_text("Telefon")
    expect(main).to_contain_text("Høy")
    assert page.vern_console_errors == []
