"""Issue 17: "Assess together" walked end to end in a browser, in bokmål, English and the
Arabic sample (right-to-left): staff opens it from the case, the user answers, corrects an
answer from the summary, saves, chooses the consent's scope with staff, draws a signature and
signs; staff end the mode with a one-time code; the case shows the user's own view and the
written consent. axe: 0 violations on every screen; screenshots under artifacts/.

One test, parametrised by language, with the login and the case made once per language (CI
time): the walk is what only a browser can show (the canvas, right-to-left, axe)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Walk, log_in
from tests.factories import current_totp, make_centre, make_user
from vern.assessments.models import UserView
from vern.cases import services as case_services
from vern.consent.models import Consent, SignedConsentFile

pytestmark = pytest.mark.django_db(transaction=True)

# What each language must show (from documents/texts/<lang>.yaml, section together).
EXPECTED = {
    "nb": {
        "dir": "ltr",
        "start": "Velkommen",
        "summary": "Dette har du svart",
        "signed": "Samtykket er skrevet under",
    },
    "en": {
        "dir": "ltr",
        "start": "Welcome",
        "summary": "What you have answered",
        "signed": "The consent is signed",
    },
    "ar": {
        "dir": "rtl",
        "start": "مرحباً",
        "summary": "هذه إجاباتك",
        "signed": "تم التوقيع على الموافقة",
    },
}
WORDS = {"nb": "Redd hver kveld", "en": "Afraid every evening", "ar": "خائف كل مساء"}


class FitWalk(Walk):
    """Every screen: axe and a screenshot (``Walk``); the mode's screens at 320 px without
    scrolling sideways."""

    def check(self, step: str) -> None:
        super().check(step)
        if "/sammen/" not in self.page.url:
            return  # the staff pages have their own 320 px test
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = self.page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(-3).map((el) => el.outerHTML.slice(0, 160))"""
        )
        assert overflow <= 0, f"{step}: {overflow} px wider than the 320 px screen: {wide}"


def _next(page: Any) -> None:
    page.locator("main button[type=submit][data-variant=primary]").first.click()


def _answer_every_screen(walk: Walk, lang: str) -> None:
    """From the start screen to the summary: one question or one information per screen."""
    page = walk.page
    _next(page)
    # One question per screen: danger (with words), wants, report, move.
    page.locator("label[for=choice-yes]").click()
    page.locator("#words").fill(WORDS[lang])
    walk.check("danger")
    _next(page)
    page.locator("#words").fill("-")
    walk.check("wants")
    _next(page)
    page.locator("label[for=choice-unsure]").click()
    walk.check("report")
    _next(page)
    page.locator("label[for=choice-no]").click()
    walk.check("move")
    _next(page)
    expect(page.get_by_test_id("measures").locator("li").first).to_be_visible()
    walk.check("police")
    _next(page)
    walk.check("prosecution")
    _next(page)
    walk.check("no")
    _next(page)
    page.locator("label[for=choice-yes]").click()
    walk.check("consent")
    _next(page)


def _choose_scope_and_sign(walk: Walk) -> None:
    """The consent's scope chosen with staff, the consent read, a signature drawn, signed."""
    page = walk.page
    page.locator("a[href='/sammen/scope/']").click()
    page.locator("#field-district").select_option("oslo")
    page.locator("#field-purpose").fill("Vern")
    page.locator("label[for=category-identity]").click()
    walk.check("scope")
    _next(page)
    expect(page.get_by_test_id("consent-text")).to_be_visible()
    canvas = page.locator("#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 10, box["y"] + box["height"] - 10, steps=5)
    page.mouse.up()
    page.locator("#field-name").fill("A B")
    page.locator("label[for=field-agree]").click()
    walk.check("sign")
    _next(page)


@pytest.mark.parametrize("lang", ["nb", "en", "ar"])
def test_the_user_answers_corrects_consents_and_signs_and_staff_unlock(
    page: Any, lang: str
) -> None:
    expected = EXPECTED[lang]
    centre = make_centre()
    staff = make_user(centre=centre)
    case = case_services.case_create(acting_user=staff, reference=f"Rom {lang}", language=lang)
    walk = FitWalk(page, f"together-{lang}")
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(walk, staff)
    page.goto(f"/saker/{case.pk}/")
    page.get_by_role("link", name="Vurder sammen").click()
    walk.check("open")
    page.get_by_label("Brukerens språk").select_option(lang)
    page.get_by_role("button", name="Åpne «Vurder sammen»").click()

    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", expected["dir"])
    expect(page.get_by_role("heading", level=1)).to_have_text(expected["start"])
    if lang == "ar":
        expect(page.get_by_test_id("unreviewed")).to_be_visible()
    walk.check("start")
    _answer_every_screen(walk, lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(expected["summary"])
    walk.check("summary")
    # Correct "move" from the summary, and come back to it.
    page.locator("a[href='/sammen/move/?return=summary']").click()
    page.locator("label[for=choice-yes]").click()
    _next(page)
    expect(page).to_have_url(f"{page.url.split('/sammen/')[0]}/sammen/summary/")
    walk.check("summary-corrected")
    _next(page)
    walk.check("saved")
    _choose_scope_and_sign(walk)
    expect(page.get_by_role("heading", level=1)).to_have_text(expected["signed"])
    walk.check("signed")
    # Nothing else of Vern is reachable until staff end the mode with their code.
    page.goto(f"/saker/{case.pk}/")
    expect(page).to_have_url(f"{page.url.split('/sammen/')[0]}/sammen/signed/")
    page.locator("#staff-code").fill(current_totp(staff))
    page.locator("button[name=finish]").click()
    expect(page).to_have_url(f"{page.url.split('/saker/')[0]}/saker/{case.pk}/")
    expect(page.get_by_test_id("user-view")).to_contain_text(WORDS[lang])
    walk.check("case")
    view = UserView.objects.get(case=case)
    assert view.language == lang
    assert view.answers["move"] == "yes"
    consent = Consent.objects.get(case=case)
    assert consent.read_language == lang
    assert consent.read_text
    assert SignedConsentFile.objects.get(consent=consent).content_type == "image/png"
