"""Bad input on the login page: an oversized username is an ordinary failed login (no 500)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_10000_character_username_is_just_a_failed_login(client: Client) -> None:
    client.raise_request_exception = False
    response = client.post("/konto/logg-inn/", {"username": "x" * 10_000, "password": "y"})

    assert response.status_code == 200
    assert "Feil brukernavn eller passord." in response.content.decode()
