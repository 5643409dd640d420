"""Fixtures for the audit tests: staff and centres built in code, and PostgreSQL test set-up."""

from __future__ import annotations

import pytest
from django.db import connection
from pytest_django import DjangoDbBlocker

from vern.accounts.models import User
from vern.centres.models import Centre


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """PostgreSQL: let transactional tests flush the append-only table.

    The migration's TRUNCATE trigger would make Django's flush (``TRUNCATE ...`` of every
    table after a ``transaction=True`` test) fail. The test database alone disables that one
    trigger; ``test_audit_postgres_guards`` re-enables it to prove that it works.
    """
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate"
                )


@pytest.fixture
def centre(db: None) -> Centre:
    return Centre.objects.create(name="Testsenteret", municipality="Oslo", police_district="oslo")


@pytest.fixture
def other_centre(db: None) -> Centre:
    return Centre.objects.create(name="Nabosenteret", municipality="Bergen", police_district="vest")


@pytest.fixture
def leader(centre: Centre) -> User:
    return User.objects.create(username="leder1", role="leder", centre=centre)


@pytest.fixture
def staff(centre: Centre) -> User:
    return User.objects.create(username="ansatt1", role="ansatt", centre=centre)
