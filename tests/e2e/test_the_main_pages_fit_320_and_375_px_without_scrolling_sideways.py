"""Reflow (WCAG 2.1 AA, 1.4.10): at 320 and 375 CSS px no page is wider than the viewport.

A leader of a centre with the demo cases visits the main pages at 320 px (what 400 % zoom on a
1280 px screen gives): each page fits the viewport, the quick-exit button is visible inside it,
axe finds nothing on the narrow view, and a screenshot is kept. The same page is then checked at
375 px (a common phone). Then the administrator's pages. Wide data tables may scroll inside
their own box, never the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import Walk, log_in, pass_step_up, time_passes
from tests.factories import make_centre, make_user
from vern.accounts.models import Role
from vern.cases.models import Case
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent
from vern.desk import demo_data
from vern.police.models import PoliceContact
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = 320
PHONE = 375
HEIGHT = 640


def assert_fits(page: Any, width: int) -> None:
    """Nothing scrolls sideways, and the quick exit is on screen and not shrunk to nothing."""
    page.set_viewport_size({"width": width, "height": HEIGHT})
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == width
    assert scroll_width <= inner_width, (
        f"{page.url} is {scroll_width} px wide at a {inner_width} px viewport"
    )
    quick_exit = page.locator("#quick-exit")
    expect(quick_exit).to_be_visible()
    box = quick_exit.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= inner_width
    assert box["height"] >= 40  # a full-size button, not squeezed


def assert_scrolling_tables_are_keyboard_regions(page: Any) -> None:
    """A table box that scrolls sideways is a focusable region named by its caption (vern.js;
    axe: scrollable-region-focusable), so the keyboard can scroll it."""
    problems = page.evaluate(
        """() => Array.from(document.querySelectorAll('.vern-table-wrap'))
            .filter((w) => w.scrollWidth > w.clientWidth + 1)
            .filter((w) => {
                const label = document.getElementById(w.getAttribute('aria-labelledby') || '');
                return w.getAttribute('tabindex') !== '0' || w.getAttribute('role') !== 'region'
                    || !label || !label.textContent.trim();
            })
            .map((w) => w.outerHTML.slice(0, 120))"""
    )
    assert problems == [], f"{page.url}: scrolling tables not reachable by keyboard: {problems}"


def check_narrow(walk: Walk, step: str) -> None:
    """At 320 px: fits, axe on the narrow view, screenshot; then fits at 375 px too."""
    page = walk.page
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_scrolling_tables_are_keyboard_regions(page)
    assert_fits(page, NARROW)
    walk.check(step)
    assert_fits(page, PHONE)
    page.set_viewport_size({"width": NARROW, "height": HEIGHT})


def test_main_pages_reflow_at_320_and_375_px(page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    centre = make_centre("Smalsenteret")
    staff = make_user(Role.ANSATT, centre)
    leader = make_user(Role.LEDER, centre)
    admin = make_user(Role.ADMINISTRATOR)
    with system_scope():
        demo_data.build(staff, leader)
        cases = {c.reference: c.pk for c in Case.objects.filter(centre=centre)}
        consented = cases["Demo-03 samtykke"]
        consent_pk = Consent.objects.filter(case_id=consented).values_list("pk", flat=True)[0]
        contact_pk = PoliceContact.objects.filter(case_id=consented).values_list("pk", flat=True)[0]
        relocated = cases["Demo-06 flyttet"]
        relocation_pk = Relocation.objects.filter(case_id=relocated).values_list("pk", flat=True)[0]

    page.set_viewport_size({"width": NARROW, "height": HEIGHT})
    walk = Walk(page, "reflow-320")
    log_in(walk, leader)  # the login, code and home pages are checked with axe at 320 px
    assert_fits(page, NARROW)
    assert_fits(page, PHONE)
    page.set_viewport_size({"width": NARROW, "height": HEIGHT})

    # The header keeps every link and button: nothing is hidden to make it fit.
    header = page.locator("header")
    for name in ("Oversikt", "Saker", "Revurderinger", "Avvik og avvergeplikt", "Statistikk"):
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(header.get_by_role("link", name=re.compile(r"^Oppgaver \(\d+\)$"))).to_be_visible()
    for name in ("Norsk (bokmål)", "Norsk (nynorsk)", "English", "Logg ut"):
        expect(header.get_by_role("button", name=name)).to_be_visible()

    pages = [
        ("case-list", reverse("cases:list")),
        ("dashboard", reverse("cases:dashboard")),
        ("case", reverse("cases:detail", args=[consented])),
        ("case-with-deviation", reverse("cases:detail", args=[cases["Demo-07 avvik"]])),
        ("case-closed", reverse("cases:detail", args=[cases["Demo-10 avsluttet"]])),
        ("mapping-form", reverse("assessments:mapping_create", args=[consented])),
        ("assessment-form", reverse("assessments:create", args=[consented])),
        ("assessment-history", reverse("assessments:history", args=[consented])),
        ("consent-form", reverse("consent:create", args=[cases["Demo-02 vurdert"]])),
        ("consent-withdraw", reverse("consent:withdraw", args=[consented, consent_pk])),
        ("police-contact", reverse("police:detail", args=[consented, contact_pk])),
        ("documents", reverse("documents:index", args=[consented])),
        ("relocation", reverse("relocation:detail", args=[relocated, relocation_pk])),
        ("reopen", reverse("cases:reopen", args=[cases["Demo-10 avsluttet"]])),
        ("child-remove", reverse("cases:child_remove", args=[cases["Demo-09 med barn"]])),
        ("statistics", reverse("stats:centre")),
        ("leader-police-review", reverse("police_centre:overview")),
        ("leader-access-review", reverse("audit_centre:review")),
        ("leader-access-events", reverse("audit_centre:events")),
        ("leader-staff", reverse("centres:staff")),
        ("leader-settings", reverse("assessments_centre:settings")),
        ("api-keys", reverse("api_tokens:list")),
        ("tasks", reverse("reminders:tasks")),
        ("reminder-settings", reverse("reminders:settings")),
    ]
    for step, url in pages:
        page.goto(url)
        check_narrow(walk, step)

    # The police contact form needs a fresh code: the step-up page is checked on the way.
    time_passes(monkeypatch, 6)
    page.goto(reverse("police:create", args=[consented]))
    pass_step_up(walk, leader)
    expect(
        page.get_by_role("heading", level=1, name="Registrer kontakt med politiet")
    ).to_be_visible()
    check_narrow(walk, "police-contact-form")
    leader_errors = list(page.vern_console_errors)

    # The administrator's pages.
    page.get_by_role("button", name="Logg ut").click()
    walk = Walk(page, "reflow-320-admin")
    log_in(walk, admin)
    for step, url in [
        ("centres", reverse("centres:list")),
        ("national-statistics", reverse("stats:national")),
    ]:
        page.goto(url)
        check_narrow(walk, step)
    assert leader_errors == []
    assert page.vern_console_errors == []
