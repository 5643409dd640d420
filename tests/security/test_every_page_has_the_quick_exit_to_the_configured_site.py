"""The quick exit is on every page (also the error pages), as a plain link that works without
JavaScript; it goes through Vern's exit endpoint, which ends the session and sends the person
on to VERN_QUICK_EXIT_URL from settings. A response of the matrix that is not a page is checked
for what it is instead (issue 22: none is skipped silently)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.http import HttpResponse
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
    home = client.get(reverse("desk:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:login"))
    # Without a session too (a second press, a stale tab), the exit goes to the configured site.
    assert quick_exit_destination(reverse("accounts:quick_exit")) == iri_to_uri(EXIT_URL)


def quick_exit_destination(href: str) -> str:
    """Where the quick-exit link ends up: the configured site itself, or a path of Vern (one
    that ends the session, say) that redirects there at once."""
    href = href.replace("&amp;", "&")
    if not href.startswith("/") or href.startswith("//"):
        return href
    response = Client().get(href)
    assert response.status_code in {302, 303}, (
        f"the quick exit {href} answers {response.status_code}"
    )
    return str(response["Location"])


def assert_not_a_page(response: HttpResponse, cell: matrix.Cell, canary: str) -> None:
    """What a response of the matrix that is no HTML page must be, by its kind."""
    status, content_type = response.status_code, response.get("Content-Type", "")
    if status in {301, 302, 303}:
        location = response["Location"]
        off_site = not location.startswith("/") or location.startswith("//")
        # The one redirect off the site: the quick exit itself, to the configured site.
        if cell.row.name == "accounts:quick_exit":
            assert location == iri_to_uri(EXIT_URL), f"{cell.id}: the exit goes to {location}"
            off_site = False
        assert not off_site, f"{cell.id}: redirects off the site, to {location}"
        assert canary not in location, f"{cell.id}: the redirect carries the canary"
        assert not response.content, f"{cell.id}: a redirect with a body"
    elif status == 405:
        allowed = {m.strip() for m in response["Allow"].split(",")}
        assert allowed == set(cell.row.expect) - {cell.method}, (
            f"{cell.id}: Allow: {response['Allow']}, the matrix has {sorted(cell.row.expect)}"
        )
    elif content_type.startswith("application/json"):
        json.loads(response.content)
    elif content_type == "application/pdf":
        assert response.content.startswith(b"%PDF-"), f"{cell.id}: not a PDF"
    elif content_type.startswith("text/csv"):
        assert response.content.decode("utf-8").splitlines(), f"{cell.id}: an empty CSV"
        assert response["Content-Disposition"].startswith("attachment"), cell.id
    else:
        pytest.fail(f"{cell.id}: {status} {content_type!r} is neither a page nor a known kind")


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
    else:
        assert_not_a_page(response, cell, world.canary)


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
