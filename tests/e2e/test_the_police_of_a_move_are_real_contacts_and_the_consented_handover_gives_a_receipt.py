"""Workflow: relocation that is real (issue 14 point 4, G14, R1–R3).

The only police consent has been withdrawn; staff try to record the police at the departure on
it through the police contact form the relocation opens: the contact is not silently accepted,
the page says why and nothing is linked. The police at the destination were not contacted: the
reason is recorded and a deviation opened. The new centre uses this Vern and the user consented
to the handover: the case is handed over with a receipt. Cancelling asks for a reason. The pages
in nb, nn and en, with axe (0 violations) and at 320 px; with and without JavaScript."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Visit, Walk, assert_no_axe_violations, log_in, screenshot
from tests.factories import make_centre, make_user
from vern.accounts.models import Role, User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre as CentreModel
from vern.centres.models import PoliceDistrict
from vern.centres.tenancy import system_scope
from vern.consent.models import (
    Consent,
    ConsentForm,
    InformationCategory,
    InformationKind,
    InformationRecord,
    RecipientKind,
)
from vern.core import clock
from vern.police.models import Deviation, PoliceContact
from vern.relocation import services as relocation_services
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "Rom 4 – mai"
DESTINATION = "Fjellby krisesenter"


@dataclass
class Setting:
    staff: User
    case: Case
    relocation: Relocation
    destination: CentreModel


def _ago(hours: float) -> dt.datetime:
    return clock.now() - dt.timedelta(hours=hours)


@pytest.fixture
def setting() -> Setting:
    home = make_centre("Hjemsenteret")
    destination = make_centre(DESTINATION)
    staff = make_user(Role.ANSATT, home)
    with system_scope():
        case = case_services.case_create(acting_user=staff, reference=REFERENCE)
        InformationRecord.objects.create(
            centre=home,
            case=case,
            kind=InformationKind.PUBLIC_PROSECUTION,
            given_by=staff,
            given_at=_ago(80),
            language="nb",
        )
        common: dict[str, Any] = {
            "centre": home,
            "case": case,
            "form": ConsentForm.WRITTEN,
            "recorded_by": staff,
        }
        # The only consent to the police: withdrawn ten hours ago (C1).
        Consent.objects.create(
            **common,
            recipient_kind=RecipientKind.POLICE,
            purpose="Sikkerhet ved flytting",
            categories=[InformationCategory.IDENTITY, InformationCategory.VIOLENCE],
            given_at=_ago(72),
            withdrawn_at=_ago(10),
        )
        Consent.objects.create(
            **common,
            recipient_kind=RecipientKind.CRISIS_CENTRE,
            recipient_unit=DESTINATION,
            purpose="Kartleggingen følger med ved flytting",
            categories=[InformationCategory.RISK_MAPPING],
            given_at=_ago(24),
        )
        relocation = relocation_services.relocation_plan(
            acting_user=staff,
            case=case,
            reason="Utøveren vet hvor senteret ligger.",
            destination_centre=destination,
            destination_police_district=PoliceDistrict.INNLANDET,
            chosen_with_user=True,
            chosen_with_police=True,
            planned_on=clock.today() + dt.timedelta(days=1),
        )
    return Setting(staff=staff, case=case, relocation=relocation, destination=destination)


def narrow(page: Any, name: str, *, axe: bool) -> None:
    """The same page at 320 px (reflow), with axe when scripts run, kept as a screenshot."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    if axe:
        assert_no_axe_violations(page)
    screenshot(page, name)
    page.set_viewport_size(size)


def fill_consented_contact(page: Any) -> None:
    page.get_by_role("combobox", name="Kontaktpersonens rolle").select_option(
        label="Familievoldskoordinator"
    )
    page.get_by_role("radio", name="Telefon").check()
    shared = page.get_by_role("group", name="Hva ble eller blir delt med politiet?")
    shared.get_by_role("checkbox", name="Navn, fødselsdato og kontaktopplysninger").check()
    page.get_by_role("radio", name="Samtykke (krisesenterlova § 5)").check()
    page.get_by_role("combobox", name="Samtykket kontakten bygger på").select_option(index=1)
    page.get_by_role("checkbox", name="Ved at politiet kontakter utøveren").check()
    page.get_by_role("group", name="Risiko for represalier").get_by_role(
        "radio", name="Middels"
    ).check()
    page.get_by_role("checkbox", name="Brukeren bor på krisesenteret").check()


def test_relocation_police_are_real_contacts_then_the_consented_handover(
    visit: Visit, setting: Setting
) -> None:
    page = visit.page
    walk: Walk = visit.walk("relocation-real")
    base = f"/saker/{setting.case.pk}/flytting/{setting.relocation.pk}/"
    log_in(walk, setting.staff)

    # The police page of the move: both ends without a contact.
    page.goto(base + "politi/")
    expect(
        page.get_by_role("heading", level=1, name="Politiets involvering i flyttingen")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ingen politikontakt registrert")
    walk.check("police-page")
    narrow(page, f"{walk.workflow}-police-page-320", axe=visit.javascript)

    # The scenario: the police at the departure on the withdrawn consent.
    page.get_by_role("link", name="Registrer politikontakt ved avreise").click()
    expect(
        page.get_by_role("heading", level=1, name="Registrer politikontakt ved avreise")
    ).to_be_visible()
    walk.check("contact-form")
    narrow(page, f"{walk.workflow}-contact-form-320", axe=visit.javascript)
    fill_consented_contact(page)
    page.get_by_role("button", name="Registrer kontakten").click()
    expect(
        page.get_by_role("heading", name="Kontakten har ikke gyldig rettslig grunnlag")
    ).to_be_visible()
    expect(page.locator("#ground-warning")).to_contain_text("trukket tilbake")
    walk.check("contact-refused-withdrawn-consent")
    with system_scope():
        assert not PoliceContact.objects.exists()
        setting.relocation.refresh_from_db()
        assert setting.relocation.departure_contact_id is None

    # The police at the destination were not contacted: a reason, and a deviation.
    page.goto(base + "politi/")
    page.get_by_role("region", name="Politiet på det nye stedet").get_by_role(
        "link", name="Politiet ble ikke kontaktet"
    ).click()
    walk.check("no-police-form")
    page.get_by_role("button", name="Registrer og åpne avvik").click()
    expect(page.locator("main")).to_contain_text("Skriv hvorfor politiet ikke ble kontaktet.")
    walk.check("no-police-reason-missing")
    page.get_by_label("Hvorfor ble ikke politiet kontaktet?").fill(
        "Politiet på stedet svarte ikke før avreise."
    )
    page.get_by_role("button", name="Registrer og åpne avvik").click()
    expect(page.locator("main")).to_contain_text("Ikke kontaktet – avvik åpnet")
    walk.check("no-police-recorded")
    with system_scope():
        assert Deviation.objects.get().kind == "relocation_without_police"

    # The consented handover to the centre in this Vern.
    page.goto(base)
    walk.check("detail")
    page.get_by_role("link", name="Overlever saken til det nye senteret").click()
    expect(
        page.get_by_role("heading", level=1, name="Overlever saken til det nye senteret")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kartleggingen av trusselbildet")
    expect(page.locator("main")).not_to_contain_text(DESTINATION)
    walk.check("handover-form")
    narrow(page, f"{walk.workflow}-handover-form-320", axe=visit.javascript)
    page.get_by_role("checkbox", name="Overlever bare det samtykket omfatter").check()
    page.get_by_role("button", name="Overlever saken").click()
    expect(page.get_by_role("heading", name="Kvittering")).to_be_visible()
    walk.check("handover-receipt")
    with system_scope():
        assert Case.objects.filter(centre=setting.destination).count() == 1

    # Cancelling asks for a reason.
    page.goto(base + "avbryt/")
    page.get_by_role("button", name="Avbryt flyttingen").click()
    expect(page.locator("main")).to_contain_text("Skriv hvorfor flyttingen avbrytes.")
    walk.check("cancel-reason-missing")
    narrow(page, f"{walk.workflow}-cancel-320", axe=visit.javascript)

    # The same pages in nynorsk and English.
    for button, lang, heading in (
        ("Norsk (nynorsk)", "nn", "Overlevering til det nye senteret (R3)"),
        ("English", "en", "Handover to the new centre (R3)"),
    ):
        page.goto(base)
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        page.goto(base)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        walk.check(f"detail-{lang}")
        narrow(page, f"{walk.workflow}-detail-{lang}-320", axe=visit.javascript)
        for path, step in (
            ("politi/", "police-page"),
            ("politi/avreise/ny/", "contact-form"),
            ("avbryt/", "cancel"),
        ):
            page.goto(base + path)
            walk.check(f"{step}-{lang}")
            narrow(page, f"{walk.workflow}-{step}-{lang}-320", axe=visit.javascript)
    assert page.vern_console_errors == []
