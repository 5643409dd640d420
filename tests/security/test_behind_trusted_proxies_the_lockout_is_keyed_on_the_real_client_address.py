"""Behind a reverse proxy every request has the proxy's REMOTE_ADDR. With VERN_TRUSTED_PROXIES
the lockout is keyed on the client address the outermost trusted proxy recorded in
X-Forwarded-For, so one person cannot lock a username for everyone; a forged header entry to
the left of the trusted ones changes nothing (issue 15 point 8)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from pytest_django import Settings

from tests.factories import PASSWORD
from vern.accounts.models import User
from vern.ops.client_ip import client_ip

LOGIN = "/konto/logg-inn/"
WRONG = "feil-passord-helt-sikkert"
PROXY = "10.0.0.5"
ATTACKER = "198.51.100.7"
COLLEAGUE = "203.0.113.9"


def _post(client: Client, username: str, password: str, forwarded: str) -> int:
    response = client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return response.status_code


@pytest.fixture
def one_proxy(settings: Settings) -> None:
    settings.VERN_TRUSTED_PROXIES = 1


@pytest.mark.usefixtures("one_proxy")
def test_an_attacker_behind_the_proxy_locks_only_themself(ansatt: User) -> None:
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(attacker, ansatt.username, WRONG, ATTACKER)
    assert _post(attacker, ansatt.username, PASSWORD, ATTACKER) == 429

    # The real user, through the same proxy, from their own address, still gets in.
    assert _post(Client(), ansatt.username, PASSWORD, COLLEAGUE) == 302


@pytest.mark.usefixtures("one_proxy")
def test_a_forged_forwarded_entry_does_not_escape_the_lockout(ansatt: User) -> None:
    attacker = Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        # The client sends its own X-Forwarded-For; the proxy appends the real address.
        _post(attacker, ansatt.username, WRONG, f"192.0.2.{number}, {ATTACKER}")

    assert _post(attacker, ansatt.username, PASSWORD, f"192.0.2.99, {ATTACKER}") == 429


def test_without_trusted_proxies_the_header_is_ignored(settings: Settings) -> None:
    settings.VERN_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert client_ip(request) == PROXY


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, ATTACKER, ATTACKER),
        (1, f"1.2.3.4, {ATTACKER}", ATTACKER),
        (2, f"1.2.3.4, {ATTACKER}, 10.0.0.9", ATTACKER),
        (2, ATTACKER, PROXY),  # fewer entries than proxies: only REMOTE_ADDR is known
        (1, "not-an-address", PROXY),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "198.51.100.7:5555", ATTACKER),
    ],
)
def test_the_client_address_is_the_nth_entry_from_the_right(
    settings: Settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.VERN_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_uses_the_vern_client_address() -> None:
    assert settings.AXES_CLIENT_IP_CALLABLE == "vern.ops.client_ip.client_ip"
