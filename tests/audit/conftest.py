"""Fixtures for the audit tests: staff and centres built in code."""

from __future__ import annotations

import pytest

from vern.accounts.models import User
from vern.centres.models import Centre


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
