"""The period of a statistics page: a calendar year, or (for one centre) a quarter of it.

Fixed calendar periods only, never free dates: two free periods a day apart would give away
the one case between them by subtraction. The national view offers whole years only, so that
it cannot be compared with finer periods either (docs/statistics.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vern.core import clock

OSLO = ZoneInfo("Europe/Oslo")
FIRST_YEAR = 2020


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None

    @property
    def start(self) -> dt.date:
        month = 1 if self.quarter is None else 3 * (self.quarter - 1) + 1
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year + 1, 1, 1)
        return dt.date(self.year, 3 * self.quarter + 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=OSLO)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time.min, tzinfo=OSLO)

    @property
    def label(self) -> str:
        if self.quarter is None:
            return str(self.year)
        return _("%(q)s. kvartal %(year)s") % {"q": self.quarter, "year": self.year}

    @property
    def slug(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-k{self.quarter}"


def years() -> list[int]:
    return list(range(clock.today().year, FIRST_YEAR - 1, -1))


def parse_period(year: object, quarter: object = None, *, allow_quarter: bool = True) -> Period:
    """A Period from query values; ValidationError naming the field otherwise.

    No year means the current one."""
    this_year = clock.today().year
    if year in (None, ""):
        parsed_year = this_year
    else:
        text = str(year)
        if not text.isdigit() or not FIRST_YEAR <= int(text) <= this_year:
            raise ValidationError(
                {"year": _("Velg et år fra %(a)s til %(b)s.") % {"a": FIRST_YEAR, "b": this_year}}
            )
        parsed_year = int(text)
    parsed_quarter: int | None = None
    if quarter not in (None, ""):
        text = str(quarter)
        if not allow_quarter:
            raise ValidationError(
                {"quarter": _("Den nasjonale statistikken vises bare for hele år.")}
            )
        if text not in {"1", "2", "3", "4"}:
            raise ValidationError({"quarter": _("Velg kvartal 1, 2, 3 eller 4.")})
        parsed_quarter = int(text)
    return Period(year=parsed_year, quarter=parsed_quarter)
