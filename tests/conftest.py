from __future__ import annotations

from pathlib import Path
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


# --- The second database pass runs only what a database can change ----------------------------
# CI runs the suite on SQLite and then on PostgreSQL (.ci/run). A test that never reaches a
# database gives the same result on both, so with VERN_DATABASE_TESTS_ONLY=1 the second pass
# leaves it out. A test reaches a database when pytest-django lets it (the django_db mark, a
# database fixture, a Django TestCase), when one of its fixtures unblocks the database itself,
# or when its file or one of its fixtures' files starts other processes (which reach the
# database through DATABASE_URL without asking pytest-django). docs/testing.md, "Two databases".
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "_django_db_helper",
        "django_db_setup",
    }
)
_REACHING_WORDS = ("subprocess", "DATABASE_URL", "multiprocessing", "Popen", "django_db_blocker")
_SOURCES: dict[str, str] = {}


def _source_mentions_a_database(filename: str | None) -> bool:
    if not filename or "site-packages" in filename:
        return False
    if filename not in _SOURCES:
        try:
            _SOURCES[filename] = Path(filename).read_text(encoding="utf-8")
        except OSError:
            _SOURCES[filename] = ""
    return any(word in _SOURCES[filename] for word in _REACHING_WORDS)


def reaches_a_database(item: pytest.Item) -> bool:
    """Whether a collected test can reach a database (and so can differ between two)."""
    import inspect

    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    if _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is not None and any(base.__module__.startswith("django.test") for base in cls.__mro__):
        return True
    if _source_mentions_a_database(str(getattr(item, "path", "")) or None):
        return True
    info = getattr(item, "_fixtureinfo", None)
    for definitions in info.name2fixturedefs.values() if info else ():
        for definition in definitions:
            try:
                filename = inspect.getsourcefile(definition.func)
            except TypeError:
                continue
            if filename and filename.endswith("tests/conftest.py"):
                continue  # this file: its database fixtures request ``db`` by name
            if _source_mentions_a_database(filename):
                return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import os

    if os.environ.get("VERN_DATABASE_TESTS_ONLY", "") != "1":
        return
    kept = [item for item in items if reaches_a_database(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
