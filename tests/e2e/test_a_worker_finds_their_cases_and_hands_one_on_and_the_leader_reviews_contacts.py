"""Issue 14, what a real worker looks for, through the pages only:

* "Mine saker" on the home page and as a filter of the case list;
* the case page's section links (a labelled nav near the top) and its responsible staff
  member, handed to a colleague with the form;
* "Kommer denne uken" on the reassessment page;
* the leader marks a contact without consent as reviewed, with a note, and filters the
  overview on the unreviewed.

The walk runs with JavaScript (axe with 0 violations and a screenshot on every page) and without
it (screenshots ``*-nojs-*``). The new pages are then checked with axe at 320 px and at desktop
width in bokmål, nynorsk and English."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Visit, Walk, assert_no_axe_violations, log_in, screenshot
from tests.factories import make_centre, make_user
from tests.police.conftest import AVERT_RECORD, OFFENCE_196, hours_ago, record
from vern.accounts.models import Role, User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.tenancy import system_scope
from vern.core import clock
from vern.police.models import PoliceContact

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Centre:
    staff: User
    colleague: User
    leader: User
    case: Case
    other_case: Case
    contact: PoliceContact


@pytest.fixture
def centre() -> Centre:
    home = make_centre("Uke-senteret")
    staff = make_user(Role.ANSATT, home)
    colleague = make_user(Role.ANSATT, home)
    leader = make_user(Role.LEDER, home)
    with system_scope():
        case = case_services.case_create(acting_user=staff, reference="Rom 3 – mai")
        case.next_reassessment_on = clock.today() + dt.timedelta(days=3)
        case.save(update_fields=["next_reassessment_on"])
        other_case = case_services.case_create(
            acting_user=staff, reference="Rom 9 – mai", responsible=colleague
        )
        contact = record(
            staff,
            case,
            legal_ground="duty_to_avert",
            duty_to_avert_offences=[OFFENCE_196],
            duty_to_avert_why="Utøveren har sagt at det skjer i kveld.",
            duty_to_avert_decided_by=leader,
            contact_at=hours_ago(2),
            **AVERT_RECORD,
        )
    return Centre(
        staff=staff,
        colleague=colleague,
        leader=leader,
        case=case,
        other_case=other_case,
        contact=contact,
    )


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()


def test_a_worker_finds_their_cases_the_coming_week_and_hands_a_case_on_and_the_leader_reviews(
    visit: Visit, centre: Centre
) -> None:
    page = visit.page
    walk = visit.walk("worker")
    log_in(walk, centre.staff)

    # Mine saker: the home card counts the open cases the user is responsible for.
    card = page.locator(".ds-card").filter(has=page.get_by_role("link", name="Mine saker"))
    expect(card.locator(".vern-count")).to_have_text("1")
    card.get_by_role("link", name="Mine saker").click()
    expect(page.get_by_role("heading", level=1, name="Saker")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Rom 3 – mai")).to_be_visible()
    expect(table.get_by_role("link", name="Rom 9 – mai")).to_have_count(0)
    walk.check("mine")
    page.get_by_role("link", name="Alle saker").click()
    expect(page.get_by_role("table").get_by_role("link", name="Rom 9 – mai")).to_be_visible()
    expect(page.get_by_role("cell", name=centre.colleague.full_name)).to_be_visible()
    walk.check("all-cases")

    # The case page: section links near the top, and the responsible.
    page.get_by_role("link", name="Rom 3 – mai").click()
    expect(page.get_by_role("heading", level=1, name="Sak Rom 3 – mai")).to_be_visible()
    nav = page.get_by_role("navigation", name="Deler av saken")
    expect(nav.get_by_role("link")).to_have_count(11)
    walk.check("case")
    nav.get_by_role("link", name="Tidslinje").click()
    expect(page).to_have_url(re.compile("#timeline-h$"))
    expect(page.get_by_role("heading", level=2, name="Tidslinje")).to_be_in_viewport()
    page.get_by_role("combobox", name="Ny ansvarlig").select_option(
        label=centre.colleague.full_name
    )
    page.get_by_role("button", name="Endre ansvarlig").click()
    expect(page.get_by_text("Ny ansvarlig er lagret.")).to_be_visible()
    expect(
        page.get_by_text(f"Ny ansvarlig for saken: {centre.colleague.full_name}")
    ).to_be_visible()
    # No longer the responsible: the staff member no longer gets the form.
    expect(page.get_by_role("button", name="Endre ansvarlig")).to_have_count(0)
    walk.check("handed-on")

    # Kommer denne uken: the case's reassessment in three days.
    page.goto("/saker/revurdering/")
    coming = page.locator("section").filter(
        has=page.get_by_role("heading", name="Kommer denne uken")
    )
    expect(coming.get_by_role("link", name="Rom 3 – mai")).to_be_visible()
    walk.check("coming-up")

    # The leader marks the duty-to-avert contact as reviewed, with a note.
    log_out(page)
    log_in(walk, centre.leader)
    page.get_by_role("link", name="Avvik og avvergeplikt").click()
    table = page.get_by_role("table", name=re.compile("uten samtykke"))
    expect(table.get_by_role("link", name=re.compile("^Gjennomgå"))).to_have_count(1)
    walk.check("overview")
    table.get_by_role("link", name=re.compile("^Gjennomgå")).click()
    expect(
        page.get_by_role("heading", level=1, name="Gjennomgå kontakt uten samtykke")
    ).to_be_visible()
    walk.check("review")
    page.get_by_label("Merknad").fill("Gått gjennom med den ansatte.")
    page.get_by_role("button", name="Merk som gjennomgått").click()
    expect(page.get_by_text("Kontakten er merket som gjennomgått.")).to_be_visible()
    expect(page.get_by_text("Gått gjennom med den ansatte.")).to_be_visible()
    walk.check("reviewed")
    page.get_by_role("link", name="Ikke gjennomgått (0)").click()
    expect(page.get_by_text("Alle kontakter uten samtykke er gjennomgått.")).to_be_visible()
    walk.check("unreviewed-none")


LANGUAGES = {"nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)", "en": "English"}
WIDTHS = {"narrow": 320, "desktop": 1280}
# A heading of each page in each language, so the page is known to be translated.
HEADINGS = {
    "home": {"nb": "Mine saker", "nn": "Mine saker", "en": "My cases"},
    "case": {"nb": "På denne siden", "nn": "På denne sida", "en": "On this page"},
    "dashboard": {"nb": "Kommer denne uken", "nn": "Kjem denne veka", "en": "Coming up this week"},
    "review": {
        "nb": "Gjennomgå kontakt uten samtykke",
        "nn": "Gå gjennom kontakt utan samtykke",
        "en": "Review a contact without consent",
    },
}


def test_the_new_parts_have_no_axe_violations_at_320_px_and_desktop_in_each_language(
    page: Any, centre: Centre
) -> None:
    walk = Walk(page, "worker-lang")
    log_in(walk, centre.leader)
    pages = {
        "home": "/",
        "mine": "/saker/?mine=1",
        "case": f"/saker/{centre.case.pk}/",
        "dashboard": "/saker/revurdering/",
        "overview": "/senter/politi/",
        "review": f"/senter/politi/kontakt/{centre.contact.pk}/gjennomgatt/",
    }
    for lang, button in LANGUAGES.items():
        page.goto("/")
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            for name, url in pages.items():
                page.goto(url)
                page.wait_for_load_state()
                if name in HEADINGS:
                    expect(
                        page.get_by_role("heading", name=HEADINGS[name][lang], exact=True)
                    ).to_be_visible()
                assert_no_axe_violations(page)
                scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
                assert scroll_width <= width, f"{url} is {scroll_width} px wide in {lang}"
                screenshot(page, f"worker-{name}-{lang}-{width_name}")
