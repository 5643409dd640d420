from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import login_verified, make_centre, make_user
from vern.accounts.models import Role, User
from vern.centres.models import Centre


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    # Argon2 stays first in production; tests use a fast hasher so the suite stays quick.
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture
def centre(db: None) -> Centre:
    return make_centre("Senter A")


@pytest.fixture
def other_centre(db: None) -> Centre:
    return make_centre("Senter B")


@pytest.fixture
def ansatt(centre: Centre) -> User:
    return make_user(Role.ANSATT, centre)


@pytest.fixture
def leder(centre: Centre) -> User:
    return make_user(Role.LEDER, centre)


@pytest.fixture
def administrator(db: None) -> User:
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def ansatt_client(client: Client, ansatt: User) -> Client:
    login_verified(client, ansatt)
    return client


@pytest.fixture
def leder_client(client: Client, leder: User) -> Client:
    login_verified(client, leder)
    return client


@pytest.fixture
def admin_client_verified(client: Client, administrator: User) -> Client:
    login_verified(client, administrator)
    return client
