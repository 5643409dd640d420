"""Issue 14: the long case page has in-page links to each of its sections, in a labelled
``<nav>`` near the top; every link leads to an id on the page (no JavaScript needed)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from vern.accounts.models import User
from vern.cases import services

pytestmark = pytest.mark.django_db


def _nav_and_ids(html: str) -> tuple[list[str], set[str]]:
    nav = re.search(r'<nav class="vern-section-nav" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav is not None, "no section navigation on the case page"
    assert nav.group(1) == "Deler av saken"
    targets = re.findall(r'href="#([^"]+)"', nav.group(2))
    return targets, set(re.findall(r'\bid="([^"]+)"', html))


def test_every_section_of_an_open_case_is_linked_and_every_link_has_its_target(
    ansatt_client: Client, ansatt: User
) -> None:
    case = services.case_create(acting_user=ansatt, reference="N-1")
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    targets, ids = _nav_and_ids(html)
    assert set(targets) <= ids
    # Every section heading of the page (h2 with an id) is in the navigation.
    headings = set(re.findall(r'<h2 class="ds-heading" data-size="md" id="([^"]+)"', html))
    assert headings <= set(targets), headings - set(targets)
    assert html.index("vern-section-nav") < html.index('id="assessment-h"')


def test_a_closed_case_links_no_section_it_does_not_show(
    ansatt_client: Client, ansatt: User
) -> None:
    case = services.case_create(acting_user=ansatt, reference="N-2")
    services.case_close(acting_user=ansatt, case=case, reason="other")
    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    targets, ids = _nav_and_ids(html)
    assert set(targets) <= ids
    assert "trigger-h" not in targets
    assert "case-admin-h" not in targets
