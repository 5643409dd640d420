"""Issue 17 point 1 in a browser, with two browser contexts (two devices): the staff member
shows a code on the case's "Vurder sammen" page; the second screen, logged in to nothing,
enters it at /sammen/koble/ and answers a screen; the staff device sees it paired and ends
the pairing; the second screen then shows the neutral pairing page. axe: 0 violations and a
screenshot on every page, at 320 px; the staff member's case page, with a consent signed on
screen in its consent panel, does not scroll sideways at 320 px either."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Walk, log_in
from tests.factories import make_centre, make_user
from tests.together.test_the_mode_shows_no_other_case_data_and_saves_the_users_view_as_theirs import (  # noqa: E501
    _png,
)
from vern.cases import services as case_services
from vern.consent.models import InformationKind
from vern.consent.services import consent_create, information_record

pytestmark = pytest.mark.django_db(transaction=True)


def _png_bytes() -> bytes:
    import base64

    return base64.b64decode(_png().split(",", 1)[1])


def test_the_second_screen_pairs_with_the_code_and_is_neutral_once_staff_end_it(
    page: Any, browser: Any, live_server: Any
) -> None:
    staff = make_user(centre=make_centre())
    case = case_services.case_create(acting_user=staff, reference="Nettbrett")
    for kind in (InformationKind.POLICE_HELP_AND_MEASURES, InformationKind.PUBLIC_PROSECUTION):
        information_record(acting_user=staff, case=case, kind=kind, language="nb")
    consent_create(
        acting_user=staff, case=case, recipient_kind="police", police_district="oslo",
        purpose="Vurdere vern", categories=["identity", "violence"], form="written",
        written_method="on_screen", signed_by_name="Navn Navnesen", signature_confirmed=True,
        signature_png=_png_bytes(), read_language="nb", read_text="Teksten som ble lest",
    )  # fmt: skip
    page.set_viewport_size({"width": 320, "height": 800})
    walk = Walk(page, "pairing-staff")
    log_in(walk, staff)
    page.goto(f"/saker/{case.pk}/vurder-sammen/")
    page.get_by_role("button", name="Vis kode for en annen skjerm").click()
    code = page.get_by_test_id("pairing-code").inner_text().replace(" ", "")
    walk.check("code")

    second = browser.new_context(base_url=live_server.url, locale="nb-NO",
                                 viewport={"width": 320, "height": 800})  # fmt: skip
    tablet = second.new_page()
    screen = Walk(tablet, "pairing-screen")
    try:
        tablet.goto("/sammen/koble/")
        screen.check("pair")
        tablet.get_by_label("Kode").fill("AAAAAA")
        tablet.get_by_role("button", name="Koble").click()
        expect(tablet.get_by_test_id("pair-error")).to_be_visible()
        screen.check("wrong-code")
        tablet.get_by_label("Kode").fill(code.lower())
        tablet.get_by_role("button", name="Koble").click()
        expect(tablet.get_by_role("heading", level=1)).to_have_text("Velkommen")
        screen.check("start")
        tablet.locator("main button[type=submit][data-variant=primary]").first.click()
        tablet.locator("label[for=choice-yes]").click()
        screen.check("danger")
        tablet.locator("main button[type=submit][data-variant=primary]").first.click()
        # The case page is out of reach from the second screen.
        tablet.goto(f"/saker/{case.pk}/")
        expect(tablet.locator("#quick-exit")).to_be_visible()
        assert "/sammen/" in tablet.url

        page.get_by_test_id("pairing-status").click()
        expect(page.get_by_test_id("pairing-state")).to_contain_text("Skjermen er koblet")
        walk.check("paired")
        page.get_by_role("button", name="Avslutt koblingen").click()
        expect(page.get_by_role("heading", level=1, name="Nettbrett")).to_be_visible()
        expect(page.get_by_role("link", name="Last opp signert skjema")).to_be_attached()
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"the case page is {wide} px wider than the 320 px screen"
        walk.check("case-with-consent")

        tablet.reload()
        expect(tablet.get_by_test_id("pair-ended")).to_be_visible()
        screen.check("ended")
        assert tablet.url.endswith("/sammen/koble/?slutt=1")
    finally:
        second.close()
