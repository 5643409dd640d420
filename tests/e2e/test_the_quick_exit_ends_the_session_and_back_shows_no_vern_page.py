"""The quick exit (issue 14, point 2) ends the session on the server: after it, Back shows no
Vern page with case data (at most the login page), and the next request is not logged in. With
JavaScript and without it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Visit, log_in, screenshot
from tests.factories import make_centre, make_user
from vern.accounts.models import Role
from vern.audit.models import AuditEvent
from vern.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "Rom 7 – desember"


def test_the_quick_exit_leaves_nothing_to_go_back_to(visit: Visit) -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    Case.objects.create(centre=centre, reference=REFERENCE, created_by=user)
    page = visit.page
    walk = visit.walk("quick-exit")
    log_in(walk, user)
    page.get_by_role("link", name="Saker", exact=True).click()
    expect(page.get_by_text(REFERENCE)).to_be_visible()

    page.locator("#quick-exit").click()

    page.wait_for_url("**/healthz")
    expect(page.locator("body")).to_contain_text('"status"')
    page.go_back()
    page.wait_for_load_state()
    screenshot(page, f"quick-exit-back-{'js' if visit.javascript else 'nojs'}")
    expect(page.get_by_text(REFERENCE)).to_have_count(0)
    expect(page.locator("#main")).not_to_contain_text("Saker")
    assert re.search(r"/konto/logg-inn/|/healthz", page.url), page.url
    page.goto("/saker/")
    assert "/konto/logg-inn/" in page.url
    expect(page.get_by_role("heading", level=1, name="Logg inn")).to_be_visible()
    logout = AuditEvent.objects.get(action="logout", actor=user)
    assert logout.details == {"via": "quick_exit"}


def test_three_shift_presses_on_a_case_page_end_the_session_too(page: Any) -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    case = Case.objects.create(centre=centre, reference=REFERENCE, created_by=user)
    log_in(Visit(page, javascript=True).walk("quick-exit-shift"), user)
    page.goto(f"/saker/{case.pk}/")
    expect(page.get_by_role("heading", level=1, name=f"Sak {REFERENCE}")).to_be_visible()

    for _ in range(3):
        page.keyboard.press("Shift")

    page.wait_for_url("**/healthz")
    page.go_back()
    page.wait_for_load_state()
    expect(page.get_by_text(REFERENCE)).to_have_count(0)
    page.goto(f"/saker/{case.pk}/")
    assert "/konto/logg-inn/" in page.url
