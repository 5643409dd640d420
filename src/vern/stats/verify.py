"""``vern stats verify``: the summary against the full computation from the rows (ADR 0019)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from django.db.models import Count, Max, Min

from vern.cases.models import Case
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.core import clock
from vern.stats.models import StatContribution, StatDay
from vern.stats.period import Period
from vern.stats.selectors import _row_counts, _summary, counted_metrics, histogram_from_rows


def _years() -> range:
    """Every year from the first case or summary day to the last one, and this year."""
    cases = Case._base_manager.aggregate(first=Min("opened_at"), last=Max("opened_at"))
    days = StatDay._base_manager.aggregate(first=Min("day"), last=Max("day"))
    years = [clock.today().year]
    years += [v.year for v in (*cases.values(), *days.values()) if v is not None]
    return range(min(years), max(years) + 1)


def _periods(centre_id: int | None) -> Iterator[Period]:
    for year in _years():
        yield Period(year)
        if centre_id is not None:
            yield from (Period(year, q) for q in (1, 2, 3, 4))


def _compare(centre_id: int | None, period: Period) -> str | None:
    summary_counts, summary_histogram = _summary(centre_id=centre_id, period=period)
    rows = _row_counts(centre_id=centre_id, period=period)
    where = f"{'national' if centre_id is None else f'centre {centre_id}'}, {period.slug}"
    for metric in counted_metrics():
        if summary_counts.get(metric, 0) != rows.get(metric, 0):
            return (
                f"{where}: {metric} is {summary_counts.get(metric, 0)} in the summary, "
                f"{rows.get(metric, 0)} from the rows"
            )
    histogram = histogram_from_rows(centre_id=centre_id, period=period)
    for days in sorted(set(histogram) | set(summary_histogram)):
        if summary_histogram.get(days, 0) != histogram.get(days, 0):
            return (
                f"{where}: time to police {days} days is {summary_histogram.get(days, 0)} "
                f"cases in the summary, {histogram.get(days, 0)} from the rows"
            )
    return None


def _days_against_contributions() -> str | None:
    sums = Counter(
        {
            (c, d, m): n
            for c, d, m, n in StatContribution.objects.values("centre_id", "day", "metric")
            .annotate(n=Count("pk"))
            .values_list("centre_id", "day", "metric", "n")
            .order_by()
        }
    )
    days = Counter(
        {
            (c, d, m): n
            for c, d, m, n in StatDay.objects.values_list("centre_id", "day", "metric", "n")
            if n
        }
    )
    for key in sorted(set(sums) | set(days)):
        if sums[key] != days[key]:
            centre_id, day, metric = key
            return (
                f"centre {centre_id}, {day}: {metric} is {days[key]} in StatDay, "
                f"{sums[key]} in StatContribution"
            )
    return None


def first_difference() -> tuple[str | None, int]:
    """The first difference found (None: none), and how many periods were compared."""
    with system_scope():
        problem = _days_against_contributions()
        if problem:
            return problem, 0
        compared = 0
        centre_ids: list[int | None] = [*Centre.objects.order_by("pk").values_list("pk", flat=True)]
        for centre_id in [*centre_ids, None]:
            for period in _periods(centre_id):
                compared += 1
                problem = _compare(centre_id, period)
                if problem:
                    return problem, compared
    return None, compared
