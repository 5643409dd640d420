"""The quick exit is on every page (also the error pages), as a plain link that works without
JavaScript; it goes through Vern's exit endpoint, which ends the session and sends the person
on to VERN_QUICK_EXIT_URL from settings."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from pytest_django import Settings

from tests.factories import PASSWORD, login_verified
from tests.security import matrix
from tests.security.objects import World
from vern.accounts.models import User

EXIT_URL = "https://nøytral.example/vær"
QUICK_EXIT = re.compile(r'<a\b[^>]*\bid="quick-exit"[^>]*>', re.IGNORECASE)
HREF = re.compile(r'\bhref="([^"]*)"')


@pytest.fixture(autouse=True)
def _exit_url(settings: Settings) -> None:
    settings.VERN_QUICK_EXIT_URL = EXIT_URL


def assert_quick_exit(body: bytes, where: str) -> None:
    links = QUICK_EXIT.findall(body.decode("utf-8", "replace"))
    assert len(links) == 1, f"{where}: {len(links)} quick-exit links"
    href = HREF.search(links[0])
    assert href is not None
    assert href.group(1) == reverse("accounts:quick_exit"), (
        f"{where}: the quick exit goes to {href.group(1)}"
    )


def test_the_exit_endpoint_ends_the_session_and_sends_the_person_to_the_configured_site(
    client: Client, ansatt: User
) -> None:
    login_verified(client, ansatt)

    response = client.get(reverse("accounts:quick_exit"))

    assert (response.status_code, response["Location"]) == (302, iri_to_uri(EXIT_URL))
    assert '"cookies"' in response["Clear-Site-Data"]
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:login"))


PAGE_CELLS = [c for c in matrix.cells() if c.method == "GET" and not c.other_centre]


@pytest.mark.parametrize("cell", PAGE_CELLS, ids=lambda c: c.id)
def test_every_page_of_the_matrix(
    cell: matrix.Cell,
    client: Client,
    world: World,
    requesters: dict[str, User | None],
    login: Callable[[Client, User | None], Client],
) -> None:
    login(client, requesters[cell.role])

    response = client.get(matrix.build_url(cell.row, world))

    if response.get("Content-Type", "").startswith("text/html") and response.content:
        assert_quick_exit(response.content, cell.id)


def test_the_mfa_page(client: Client, ansatt: User) -> None:
    client.post(reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD})

    assert_quick_exit(client.get(reverse("accounts:mfa")).content, "mfa")


def test_the_404_403_and_csrf_pages(ansatt: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    csrf = strict.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert csrf.status_code == 403
    assert_quick_exit(csrf.content, "CSRF failure")

    client = Client()
    login_verified(client, ansatt)
    not_found = client.get("/finnes-ikke/")
    forbidden = client.get(reverse("centres:list"))

    assert (not_found.status_code, forbidden.status_code) == (404, 403)
    assert_quick_exit(not_found.content, "404")
    assert_quick_exit(forbidden.content, "403")


@pytest.mark.urls("tests.security.urls")
def test_the_500_page(client: Client, ansatt: User) -> None:
    login_verified(client, ansatt)
    client.raise_request_exception = False

    response = client.get("/test-only/boom/")

    assert response.status_code == 500
    assert_quick_exit(response.content, "500")
