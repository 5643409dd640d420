from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from vern.stats.period import Period

OSLO = ZoneInfo("Europe/Oslo")
YEAR = 2025


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(YEAR, month, day, hour, tzinfo=OSLO)


@pytest.fixture
def year() -> Period:
    return Period(YEAR)
