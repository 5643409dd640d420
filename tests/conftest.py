from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from pytest_django import DjangoDbBlocker

from tests.factories import login_verified, make_centre, make_user
from vern.accounts.models import Role, User
from vern.centres.models import Centre


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """PostgreSQL: let transactional tests flush the append-only audit table.

    The migration's TRUNCATE trigger would make Django's flush (``TRUNCATE ...`` of every
    table after a ``transaction=True`` test) fail. The test database alone disables that one
    trigger; ``tests/audit/test_the_runtime_role_and_even_the_owner_cannot_rewrite_the_log.py``
    re-enables it to prove that it works.
    """
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate"
                )
                cursor.execute(
                    "ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER audit_checkpoint_no_truncate"
                )


def _system_scope_for_test_connections(sender: object, connection: Any, **kwargs: Any) -> None:
    """PostgreSQL: test code outside requests (fixtures, assertions) sees every centre.

    Row-level security is FORCEd on tenant tables, so every test connection sets the
    session-wide scope 'all'. Requests still run under real RLS: the request transaction sets
    ``vern.scope`` to '' and ``vern.centre_id`` to the user's centre with SET LOCAL
    (vern.centres.tenancy.RequestTransactionMiddleware). A test that checks RLS itself must
    ``SET LOCAL vern.scope = ''`` first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('vern.scope', 'all', false)")


connection_created.connect(_system_scope_for_test_connections)


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    # Argon2 stays first in production; tests use a fast hasher so the suite stays quick.
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Each test database has its own audit chain: its signed checkpoints (written on every
    # VERN_AUDIT_CHECKPOINT_EVERY-th event, docs/audit.md) must not land in a directory that
    # another test (or test worker) verifies against.
    settings.VERN_AUDIT_CHECKPOINT_DIR = (  # type: ignore[attr-defined]
        tmp_path_factory.mktemp("audit-checkpoints", numbered=True)
    )


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
