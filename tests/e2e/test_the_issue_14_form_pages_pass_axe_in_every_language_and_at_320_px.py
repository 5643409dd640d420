"""The pages issue 14 changed (points 10, 12, 13), with axe, in nb, nn and en, at 320 px and on
a desktop: the new-case warning about a full name, the reason line per factor, the described
event, the next step after a risk mapping and the consent page's print section."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.assessments.helpers import assess, inform, make_case, map_user
from tests.e2e.conftest import Walk, assert_no_axe_violations, log_in, screenshot
from tests.factories import make_centre, make_user
from vern.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

WARNING = {
    "nb": "ser ut som et fullt navn",
    "nn": "ser ut som eit fullt namn",
    "en": "looks like a full name",
}
FACTOR = {"nb": "Faktor 1:", "nn": "Faktor 1:", "en": "Factor 1:"}


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_changed_pages_pass_axe(page: Any, live_server: Any, lang: str, width: int) -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    case = make_case(user)
    mapping = map_user(user, case, "yes")
    inform(user, case)
    assessment = assess(
        user, case, mapping, {"great_danger": True, "needs_police_or_court_safety_measures": True}
    )
    log_in(Walk(page, f"issue14-{lang}-{width}"), user)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})

    def check(step: str) -> None:
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert_no_axe_violations(page)
        screenshot(page, f"issue14-{step}-{lang}-{width}")

    page.goto("/saker/ny/")
    page.locator("#id_reference").fill("Kari Nordmann")
    page.locator("#main button[type=submit]").first.click()
    expect(page.locator("#id_reference_error")).to_contain_text(WARNING[lang])
    expect(page.locator("#id_confirm_not_a_name")).to_be_visible()
    check("new-case-name-warning")

    page.goto(f"/saker/{case.pk}/vurdering/{assessment.pk}/")
    expect(page.locator("#factor-reasons")).to_contain_text(FACTOR[lang])
    check("assessment-factor-lines")

    page.goto(f"/saker/{case.pk}/vurdering/kartlegging/{mapping.pk}/")
    expect(page.locator("#next-step a")).to_have_attribute(
        "href", f"/saker/{case.pk}/vurdering/ny/"
    )
    check("mapping-next-step")

    page.goto(f"/saker/{case.pk}/hendelse/")
    page.locator("input[name=kind]").first.check()
    page.locator("#id_description").fill("Ny trussel på SMS.")
    page.locator("#main button[type=submit]").first.click()
    expect(page.locator(".vern-timeline")).to_contain_text("Ny trussel på SMS.")
    check("event-on-timeline")

    page.goto(f"/saker/{case.pk}/samtykke/ny/")
    expect(page.locator("#print")).to_be_visible()
    expect(page.locator("#id_sprak")).to_have_value("nb")
    check("consent-print-section")
