"""Issue 8: the statistics pages (centre and national) with demo-like data: 0 axe violations,
screenshots kept as CI artifacts, and no cell under 5 shown as a number."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Walk, log_in
from tests.factories import make_centre, make_user
from vern.accounts.models import Role
from vern.centres.tenancy import system_scope
from vern.desk import demo_data
from vern.stats.period import parse_period
from vern.stats.selectors import statistics
from vern.stats.suppression import PRIMARY_TEXT, SECONDARY_TEXT, THRESHOLD

pytestmark = pytest.mark.django_db(transaction=True)


def assert_the_page_shows_the_suppressed_tables(page: Any, *, centre_id: int | None) -> None:
    """Every count table on the page is the suppressed table of the selector, cell by cell, in
    order; and no count under 5 is shown as a number (only "<5" or "x")."""
    with system_scope():
        expected = statistics(centre_id=centre_id, period=parse_period(None), scope_label="")
    tables = page.locator(".vern-stats-pair table")
    assert tables.count() == len(expected.tables)
    for index, table in enumerate(expected.tables):
        shown = [t.strip() for t in tables.nth(index).locator("tbody td").all_inner_texts()]
        assert shown == [c.text for row in table.rows for c in row.cells]
        for text in shown:
            assert text in {PRIMARY_TEXT, SECONDARY_TEXT} or int(text) >= THRESHOLD, text


def test_statistics_for_the_centre_and_the_nation(page: Any) -> None:
    centre = make_centre("Statistikksenteret")
    staff = make_user(Role.ANSATT, centre)
    leader = make_user(Role.LEDER, centre)
    admin = make_user(Role.ADMINISTRATOR)
    with system_scope():
        demo_data.build(staff, leader)

    walk = Walk(page, "statistics")
    log_in(walk, leader)
    page.get_by_role("link", name="Statistikk", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.locator("svg[role=img]").count() > 0
    assert page.locator("table caption").count() > 0
    assert_the_page_shows_the_suppressed_tables(page, centre_id=centre.pk)
    walk.check("centre")
    page.get_by_role("button", name="Logg ut").click()

    walk = Walk(page, "statistics-national")
    log_in(walk, admin)
    page.get_by_role("link", name="Nasjonal statistikk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_the_page_shows_the_suppressed_tables(page, centre_id=None)
    walk.check("national")
    assert page.vern_console_errors == []
