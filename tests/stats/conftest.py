from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from vern.accounts.models import Role, User
from vern.centres.models import Centre
from vern.stats.period import Period

OSLO = ZoneInfo("Europe/Oslo")
YEAR = 2025


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(YEAR, month, day, hour, tzinfo=OSLO)


@pytest.fixture
def year() -> Period:
    return Period(YEAR)


@pytest.fixture
def two_centres(centre: Centre, other_centre: Centre) -> tuple[list[Centre], list[User]]:
    """Two centres, each with one ansatt (the random-data tests write in both)."""
    users = [
        User.objects.create(username=f"stat-{c.pk}", role=Role.ANSATT, centre=c)
        for c in (centre, other_centre)
    ]
    return [centre, other_centre], users
