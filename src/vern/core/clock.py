"""The one clock of Vern. Tests replace ``now`` to drive timeouts without sleeping."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())
