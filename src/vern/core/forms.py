"""Form fields shared by every app: dates and times a person types into a case record.

A typo in a year (``0026`` for ``2026``, ``9999``) must give an error on the field, never a
server error when the value reaches the database, and never count as a precondition (a public-
prosecution notice dated in the year 26 would satisfy G5 for any later consent). The fields
accept only the plausible range: from the day the guidance Vern encodes was last updated
(2018-03-08, the rulebook's ``applies_from``: no case before it can be assessed) to ten years
ahead (the far end of a consent's duration). Whether a moment may lie in the future at all is
the services' rule, with their own messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from vern.core import clock

EARLIEST_DAY: Final = dt.date(2018, 3, 8)
YEARS_AHEAD: Final = 10
DATETIME_FORMAT: Final = "%Y-%m-%dT%H:%M"
DATETIME_INPUT_FORMATS: Final = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
DATE_FORMAT: Final = "%Y-%m-%d"


def latest_day() -> dt.date:
    today = clock.today()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def check_day(day: dt.date) -> None:
    """Raise a ValidationError naming the allowed range when ``day`` is outside it."""
    latest = latest_day()
    if day < EARLIEST_DAY:
        raise ValidationError(
            _("Datoen kan ikke være før %(earliest)s. Sjekk årstallet."),
            code="too_early",
            params={"earliest": formats.date_format(EARLIEST_DAY, "SHORT_DATE_FORMAT")},
        )
    if day > latest:
        raise ValidationError(
            _("Datoen kan ikke være etter %(latest)s. Sjekk årstallet."),
            code="too_late",
            params={"latest": formats.date_format(latest, "SHORT_DATE_FORMAT")},
        )


class MomentField(forms.DateTimeField):
    """A date and time (``<input type="datetime-local">``) within the plausible range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        )
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            check_day(local.date())


class DayField(forms.DateField):
    """A date (``<input type="date">``) within the plausible range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, dt.date):
            check_day(value)
