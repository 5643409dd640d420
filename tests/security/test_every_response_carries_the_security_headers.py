"""Security headers on every response of every URL for every requester, and on the 403, 404,
405, CSRF-failure and 500 pages: CSP with nonces, nosniff, Referrer-Policy, COOP, no-store,
X-Frame-Options."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, login_verified
from tests.security import matrix
from tests.security.objects import World
from vern.accounts.models import User

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
NONCE_ATTR = re.compile(r'\bnonce="([^"]+)"')


def csp_directives(response: HttpResponseBase) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    assert header, "no Content-Security-Policy header"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response: HttpResponseBase, path: str) -> None:
    where = f"{response.status_code} {path}"
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    if not path.startswith("/static/"):
        assert "no-store" in response.get("Cache-Control", ""), where
    content: bytes = getattr(response, "content", b"")
    is_page = response.get("Content-Type", "").startswith("text/html") and content
    if not is_page:
        return  # a redirect or JSON: nothing for a browser to run or frame
    csp = csp_directives(response)
    assert csp.get("default-src") == ["'self'"], where
    assert csp.get("frame-ancestors") == ["'none'"], where
    script = csp.get("script-src", [])
    assert "'unsafe-inline'" not in script, where
    assert "'unsafe-eval'" not in script, where
    nonces = [s[len("'nonce-") : -1] for s in script if s.startswith("'nonce-")]
    body = content.decode("utf-8", "replace")
    tags = SCRIPT_TAG.findall(body)
    assert tags, f"{where}: a page without vern.js (and so without the Shift x3 quick exit)"
    assert len(nonces) == 1, f"{where}: script-src has no nonce: {script}"
    for tag in tags:
        found = NONCE_ATTR.search(tag)
        assert found is not None, f"{where}: a script without the nonce: {tag}"
        assert found.group(1) == nonces[0], f"{where}: a script with a stale nonce: {tag}"


@pytest.mark.parametrize("cell", matrix.cells(), ids=lambda c: c.id)
def test_every_url_as_every_requester(
    cell: matrix.Cell,
    client: Client,
    world: World,
    requesters: dict[str, User | None],
    login: Callable[[Client, User | None], Client],
) -> None:
    login(client, requesters[cell.role])
    url = matrix.build_url(cell.row, world, other=cell.other_centre)

    response = getattr(client, cell.method.lower())(url, cell.row.data or None)

    assert_security_headers(response, url)


def test_the_login_page_and_its_redirects(client: Client, ansatt: User) -> None:
    assert_security_headers(client.get(reverse("accounts:login")), "login")
    response = client.post(
        reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD}
    )
    assert_security_headers(response, "login POST")


def test_the_404_page(client: Client, db: None) -> None:
    response = client.get("/finnes-ikke/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert_security_headers(response, "/finnes-ikke/")


def test_the_404_page_when_logged_in(client: Client, ansatt: User) -> None:
    login_verified(client, ansatt)

    response = client.get("/finnes-ikke/")

    assert response.status_code == 404
    assert_security_headers(response, "/finnes-ikke/")


def test_the_403_page(client: Client, ansatt: User) -> None:
    login_verified(client, ansatt)

    response = client.get(reverse("centres:list"))

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert_security_headers(response, "centres:list")


def test_the_405_answer(client: Client, ansatt: User) -> None:
    login_verified(client, ansatt)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert_security_headers(response, "logout GET")


def test_the_csrf_failure_page(ansatt: User) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("accounts:login"), {"username": ansatt.username, "password": PASSWORD}
    )

    assert response.status_code == 403
    assert_security_headers(response, "login without CSRF token")


@pytest.mark.urls("tests.security.urls")
def test_the_500_page(client: Client, ansatt: User) -> None:
    login_verified(client, ansatt)
    client.raise_request_exception = False

    response = client.get("/test-only/boom/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "a test-only failure" not in response.content.decode()
    assert_security_headers(response, "/test-only/boom/")


def test_a_static_file_is_not_marked_no_store(client: Client) -> None:
    """Static files carry no personal data; the other headers still apply."""
    response = client.get("/static/vern/vern.js")

    assert response.status_code == 200
    assert response.get("X-Content-Type-Options") == "nosniff"
