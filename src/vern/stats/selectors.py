"""The statistics of one centre, or of every centre (national), for one period (issue 8).

``statistics`` reads the exact summary (``StatDay``, ADR 0019): one query for every count of
the period and the time-to-police histogram, plus the live count of cases overdue today.
``statistics_from_rows`` is the full computation from the rows with aggregate queries
(``aggregate``/``values`` + ``annotate(Count)``, never loading rows: about a dozen whatever the
number of cases), kept for ``vern stats verify`` and the tests. The median time from the
first assessment to the first police contact comes from a per-day histogram (at most 367
rows). Counts leave this module only through ``suppression.suppress``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vern.assessments.models import Assessment
from vern.cases.models import Case, CaseStatus
from vern.centres.tenancy import system_scope
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.consent.models import Consent, ConsentForm, ConsentRefusal
from vern.core import clock
from vern.police.models import ContactStatus, Deviation, LegalGround, PoliceContact
from vern.relocation.models import Relocation
from vern.rules.vocabulary import INVOLVEMENT_VALUES, NEXT_STEPS
from vern.stats.models import StatDay, SummaryState
from vern.stats.period import Period
from vern.stats.summary import DAYS_CAP
from vern.stats.suppression import THRESHOLD, RawTable, Table, suppress

INVOLVEMENT_LABELS = {
    "required": gettext_lazy("Politikontakt påkrevd"),
    "recommended": gettext_lazy("Politikontakt anbefalt"),
    "not_indicated": gettext_lazy("Politikontakt ikke aktuelt nå"),
}
NEXT_STEP_LABELS = {
    "contact_police_under_duty_to_avert": gettext_lazy("Kontakte politiet etter avvergeplikten"),
    "contact_police_to_prevent_danger": gettext_lazy(
        "Gi politiet opplysninger for å forhindre fare for liv eller helse"
    ),
    "inform_about_public_prosecution": gettext_lazy("Informere om offentlig påtale"),
    "obtain_consent": gettext_lazy("Be om samtykke"),
    "contact_police": gettext_lazy("Kontakte politiet"),
    "complete_risk_mapping": gettext_lazy("Fullføre risikokartleggingen"),
    "no_police_contact": gettext_lazy("Ingen politikontakt nå"),
}
GROUND_LABELS = {
    LegalGround.CONSENT: gettext_lazy("Samtykke"),
    LegalGround.DUTY_TO_AVERT: gettext_lazy("Avvergeplikt (straffeloven § 196)"),
    LegalGround.DANGER: gettext_lazy("Fare for liv eller helse (krisesenterlova § 5 annet ledd)"),
    LegalGround.ANONYMOUS: gettext_lazy("Anonym drøfting"),
    LegalGround.NONE: gettext_lazy("Uten gyldig grunnlag"),
}


class _Column(Expression):
    """A column of a derived table, in raw SQL built around an ORM query."""

    def __init__(self, table: str, column: str) -> None:
        super().__init__()
        self.table, self.column = table, column

    def as_sql(
        self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        quote = connection.ops.quote_name
        return f"{quote(self.table)}.{quote(self.column)}", ()


class _RawCompiler:
    """Compiles the plain expressions of DaysBetween outside a query."""

    def compile(self, node: Any) -> tuple[str, tuple[Any, ...]]:
        return node.as_sql(self, connection)  # type: ignore[no-any-return]


_NO_COMPILER: Any = _RawCompiler()


class DaysBetween(Expression):
    """Whole days from ``start`` to ``end`` (two datetimes), in SQL on SQLite and PostgreSQL."""

    output_field = IntegerField()

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(output_field=IntegerField())
        self.start, self.end = start, end

    def get_source_expressions(self) -> list[Any]:
        return [self.start, self.end]

    def set_source_expressions(self, exprs: Any) -> None:
        self.start, self.end = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> DaysBetween:
        clone = self.copy()
        clone.is_summary = False
        clone.start = self.start.resolve_expression(*args, **kwargs)
        clone.end = self.end.resolve_expression(*args, **kwargs)
        return clone

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        start_sql, start_params = compiler.compile(self.start)
        end_sql, end_params = compiler.compile(self.end)
        if connection.vendor == "sqlite":
            sql = f"CAST((julianday({end_sql}) - julianday({start_sql})) AS INTEGER)"
        else:
            sql = f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 86400) AS INTEGER)"
        return sql, (*start_params, *end_params)


@dataclass(frozen=True)
class TimeToPolice:
    """Cases whose first police contact fell in the period after an assessment."""

    cases: int
    median_days: float | None

    @property
    def suppressed(self) -> bool:
        return self.cases < THRESHOLD

    @property
    def cases_text(self) -> str:
        return "<5" if self.suppressed else str(self.cases)

    @property
    def median_text(self) -> str:
        if self.suppressed or self.median_days is None:
            return "x"
        if self.median_days >= DAYS_CAP:
            return _("mer enn ett år")
        days = self.median_days
        return str(int(days)) if days == int(days) else f"{days:.1f}".replace(".", ",")


@dataclass(frozen=True)
class Statistics:
    scope: str  # "centre" or "national"
    scope_label: str
    period: Period
    tables: tuple[Table, ...]
    time_to_police: TimeToPolice
    generated_at: dt.datetime

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})


def _scoped(model: Any, centre_id: int | None) -> QuerySet[Any]:
    objects: QuerySet[Any] = model.objects.all()
    return objects if centre_id is None else objects.filter(centre_id=centre_id)


def _median_from_histogram(histogram: Mapping[int, int]) -> float | None:
    total = sum(histogram.values())
    if total == 0:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    seen = 0
    lower = upper = None
    for days in sorted(histogram):
        count = histogram[days]
        if lower is None and seen + count > lower_rank:
            lower = days
        if seen + count > upper_rank:
            upper = days
            break
        seen += count
    assert lower is not None  # noqa: S101 (total > 0)
    assert upper is not None  # noqa: S101
    return (lower + upper) / 2


def time_to_police(*, centre_id: int | None, period: Period) -> TimeToPolice:
    """The time to police from the rows (the full computation)."""
    return _time_to_police(histogram_from_rows(centre_id=centre_id, period=period))


def _time_to_police(histogram: Mapping[int, int]) -> TimeToPolice:
    return TimeToPolice(
        cases=sum(histogram.values()), median_days=_median_from_histogram(histogram)
    )


def histogram_from_rows(*, centre_id: int | None, period: Period) -> dict[int, int]:
    """Days from first assessment to first done contact -> cases, from the rows."""
    first_assessment = (
        Assessment.objects.filter(case=OuterRef("pk"))
        .order_by("assessed_at")
        .values("assessed_at")[:1]
    )
    first_contact = (
        PoliceContact.objects.filter(case=OuterRef("pk"), status=ContactStatus.DONE)
        .order_by("contact_at")
        .values("contact_at")[:1]
    )
    contacted = _scoped(PoliceContact, centre_id).filter(
        _in("contact_at", period), status=ContactStatus.DONE
    )
    # The cases with a done contact in the period, each with its first assessment and first
    # done contact (one index lookup each: assessment_case_first_idx, contact_case_first_idx).
    firsts = (
        _scoped(Case, centre_id)
        .filter(pk__in=contacted.values("case_id"))
        .annotate(first_a=Subquery(first_assessment), first_c=Subquery(first_contact))
        .values("first_a", "first_c")
        .order_by()
    )
    # Materialised, so that the database computes the two lookups once per case (the ORM would
    # repeat each subquery in every condition that names it). The conditions and the days are
    # the ones the ORM would write: the same text/timestamp comparisons, DaysBetween, Least.
    inner_sql, inner_params = firsts.query.sql_with_params()
    days = DaysBetween(_Column("f", "first_a"), _Column("f", "first_c")).as_sql(
        _NO_COMPILER, connection
    )[0]
    least = "MIN" if connection.vendor == "sqlite" else "LEAST"
    start, end = (
        connection.ops.adapt_datetimefield_value(moment)
        for moment in (period.start_at, period.end_at)
    )
    # Only ORM-compiled SQL and constants are put together here; the values are parameters.
    sql = (
        f"WITH f AS MATERIALIZED ({inner_sql}) "  # noqa: S608
        f"SELECT {least}({days}, %s) AS days, COUNT(*) AS n FROM f "
        "WHERE f.first_a IS NOT NULL AND f.first_c >= %s AND f.first_c < %s "
        "AND f.first_a <= f.first_c GROUP BY 1 ORDER BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, DAYS_CAP, start, end])
        return {int(days_): int(n) for days_, n in cursor.fetchall()}


# The UTC offsets of Europe/Oslo (CET and CEST), for the SQLite short cut in _late_reassessment.
_OSLO_OFFSETS = (dt.timedelta(hours=1), dt.timedelta(hours=2))


def _clock_text(since_midnight: dt.timedelta) -> str:
    """' HH:MM:SS' of a time of day, as SQLite's stored times spell it after the date."""
    minutes, seconds = divmod(int(since_midnight.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    return f" {hours:02d}:{minutes:02d}:{seconds:02d}"


class _LateOnSqlite(Expression):
    """SQLite: the reassessment came after the superseded one's date (local date, G8).

    Exactly ``assessed_at__date__gt=F("supersedes__next_reassessment_on")``, but the Python
    function Django uses for the local date on SQLite is called only for the rows within the
    two hours before midnight UTC of that date, where the date depends on summer time: an
    assessment at or after ``next_on + 1 day - 1 h`` (UTC) is on a later local date whatever
    the offset, and one before ``next_on + 1 day - 2 h`` is not (Oslo is UTC+1 or UTC+2, and
    the local date changes at local midnight, never at a summer-time switch).

    The superseded assessment's date is read once per row from the covering index
    ``assessment_next_on_idx``: a plain join reads it from the row, where the column comes
    after the outcome JSON (about 10 kB), through the row's overflow pages."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, tzname: str) -> None:
        super().__init__(output_field=BooleanField())
        self.tzname = tzname

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        table = connection.ops.quote_name(Assessment._meta.db_table)
        at = f"{table}.assessed_at"
        local_date, date_params = connection.ops.datetime_cast_date_sql(at, (), self.tzname)
        # SQLite keeps a date as 'YYYY-MM-DD' and a time as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in
        # UTC, so "next_on + 1 day - offset" is the text next_on || ' 23:00:00' (or 22:00:00).
        low, high = (_clock_text(dt.timedelta(days=1) - offset) for offset in _OSLO_OFFSETS)
        # Quoted names and constants only; the time zone is a parameter.
        sql = (
            f"(SELECT CASE WHEN {at} >= s.next_reassessment_on || '{low}' THEN 1 "  # noqa: S608
            f"WHEN {at} < s.next_reassessment_on || '{high}' THEN 0 "
            f"ELSE {local_date} > s.next_reassessment_on END "
            f"FROM {table} AS s INDEXED BY assessment_next_on_idx "
            f"WHERE s.id = {table}.supersedes_id) = 1"
        )
        return sql, tuple(date_params)


def _late_reassessment() -> Q | Expression:
    """A reassessment after the superseded assessment's ``next_reassessment_on`` (local date)."""
    tzname = timezone.get_current_timezone_name()
    if connection.vendor == "sqlite" and tzname == "Europe/Oslo":
        return _LateOnSqlite(tzname)
    return Q(assessed_at__date__gt=F("supersedes__next_reassessment_on"))


def counted_metrics() -> list[str]:
    """Every metric the tables show (the summary's keys, ``vern.stats.summary``)."""
    return [
        *(f"outcome:{k}" for k in INVOLVEMENT_VALUES),
        *(f"step:{k}" for k in NEXT_STEPS),
        "reassessed:on_time",
        "reassessed:late",
        *(f"consent:{what}:{form}" for what in ("given", "withdrawn") for form in _FORMS),
        *(f"contact:{k}" for k in LegalGround.values),
        "case:opened",
        "refusal",
        "deviation:opened",
        "deviation:closed",
        "relocation:planned",
        "relocation:completed",
        "concern:recorded",
        "notification:sent",
    ]


_FORMS = (ConsentForm.WRITTEN, ConsentForm.VERBAL)


def _row_counts(*, centre_id: int | None, period: Period) -> dict[str, int]:
    """Every count of the tables, from the rows (the full computation, for verification)."""
    # One pass over the period's joint assessments (conditional aggregation, no GROUP BY),
    # read from a covering index (assessment_stats_*_idx), never from the rows.
    assessments = _scoped(Assessment, centre_id).filter(_in("assessed_at", period), cause="")
    counted = assessments.aggregate(
        reassessments=Count("pk", filter=Q(supersedes__isnull=False)),
        **{f"i_{k}": Count("pk", filter=Q(police_involvement=k)) for k in INVOLVEMENT_VALUES},
        **{f"s_{k}": Count("pk", filter=Q(next_step=k)) for k in NEXT_STEPS},
    )
    counts: dict[str, int] = {}
    counts.update({f"outcome:{k}": int(counted[f"i_{k}"]) for k in INVOLVEMENT_VALUES})
    counts.update({f"step:{k}": int(counted[f"s_{k}"]) for k in NEXT_STEPS})

    # The late ones only: the reassessments joined with the assessment each superseded.
    late = (
        assessments.filter(supersedes__isnull=False)
        .filter(_late_reassessment())
        .aggregate(n=Count("pk"))["n"]
    )
    counts["reassessed:late"] = int(late)
    counts["reassessed:on_time"] = int(counted["reassessments"]) - int(late)

    given, withdrawn = _in("given_at", period), _in("withdrawn_at", period)
    consents = (
        _scoped(Consent, centre_id)
        .filter(given | withdrawn)
        .aggregate(
            **{
                f"consent:{what}:{form}": Count("pk", filter=moment & Q(form=form))
                for what, moment in (("given", given), ("withdrawn", withdrawn))
                for form in _FORMS
            }
        )
    )
    counts.update({k: int(v) for k, v in consents.items()})

    contacts = (
        _scoped(PoliceContact, centre_id)
        .filter(_in("contact_at", period), status=ContactStatus.DONE)
        .aggregate(**{k: Count("pk", filter=Q(legal_ground=k)) for k in LegalGround.values})
    )
    counts.update({f"contact:{k}": int(contacts[k]) for k in LegalGround.values})

    opened, closed = _in("opened_at", period), _in("closed_at", period)
    deviations = (
        _scoped(Deviation, centre_id)
        .filter(opened | closed)
        .aggregate(opened=Count("pk", filter=opened), closed=Count("pk", filter=closed))
    )
    counts["deviation:opened"] = int(deviations["opened"])
    counts["deviation:closed"] = int(deviations["closed"])
    planned, completed = _in("created_at", period), _in("completed_at", period)
    relocations = (
        _scoped(Relocation, centre_id)
        .filter(planned | completed)
        .aggregate(planned=Count("pk", filter=planned), completed=Count("pk", filter=completed))
    )
    counts["relocation:planned"] = int(relocations["planned"])
    counts["relocation:completed"] = int(relocations["completed"])
    # B1: concerns recorded and notifications sent to the child welfare service in the period.
    counts["concern:recorded"] = (
        _scoped(ChildWelfareConcern, centre_id).filter(_in("recorded_at", period)).count()
    )
    counts["notification:sent"] = (
        _scoped(ChildWelfareNotification, centre_id)
        .filter(sent_on__gte=period.start, sent_on__lt=period.end)
        .count()
    )
    counts["case:opened"] = _scoped(Case, centre_id).filter(_in("opened_at", period)).count()
    counts["refusal"] = _scoped(ConsentRefusal, centre_id).filter(_in("refused_at", period)).count()
    return counts


def _overdue_now(centre_id: int | None) -> int:
    """A live count (it depends on today, not on the period): never in the summary."""
    return (
        _scoped(Case, centre_id)
        .filter(status=CaseStatus.OPEN, next_reassessment_on__lt=clock.today())
        .count()
    )


def _tables(*, centre_id: int | None, period: Period) -> list[RawTable]:
    """The raw tables computed from the rows (the full computation)."""
    return _raw_tables(_row_counts(centre_id=centre_id, period=period), _overdue_now(centre_id))


def _summary(*, centre_id: int | None, period: Period) -> tuple[dict[str, int], dict[int, int]]:
    """The period's counts and time-to-police histogram from the summary: one query over
    StatDay (a period is whole local days)."""
    rows = StatDay.objects.filter(day__gte=period.start, day__lt=period.end)
    if centre_id is not None:
        rows = rows.filter(centre_id=centre_id)
    counts: dict[str, int] = {}
    histogram: dict[int, int] = {}
    for metric, n in rows.values("metric").annotate(n=Sum("n")).values_list("metric", "n"):
        if not n:
            continue
        if metric.startswith("ttp:"):
            histogram[int(metric[4:])] = int(n)
        else:
            counts[metric] = int(n)
    return counts, histogram


def _raw_tables(counts: Mapping[str, int], overdue_now: int) -> list[RawTable]:
    def n(metric: str) -> int:
        return counts.get(metric, 0)

    by_outcome = {k: n(f"outcome:{k}") for k in INVOLVEMENT_VALUES}
    by_step = {k: n(f"step:{k}") for k in NEXT_STEPS}
    reassessed = {"late": n("reassessed:late"), "on_time": n("reassessed:on_time")}
    consents = {
        f"{what}_{form}": n(f"consent:{what}:{form}")
        for what in ("given", "withdrawn")
        for form in _FORMS
    }
    by_ground = {k: n(f"contact:{k}") for k in LegalGround.values}
    deviations = {"opened": n("deviation:opened"), "closed": n("deviation:closed")}
    relocations = {"planned": n("relocation:planned"), "completed": n("relocation:completed")}
    concerns_recorded = n("concern:recorded")
    notifications_sent = n("notification:sent")
    cases_opened = n("case:opened")
    refusals = n("refusal")

    count = _("Antall")
    return [
        RawTable(
            id="assessments_by_outcome",
            title=_("Vurderinger etter utfall"),
            description=_(
                "Felles vurderinger i perioden etter hva regelverket sa om politikontakt."
            ),
            row_labels=[str(INVOLVEMENT_LABELS[k]) for k in INVOLVEMENT_VALUES],
            column_labels=[count],
            counts=[[by_outcome[k]] for k in INVOLVEMENT_VALUES],
        ),
        RawTable(
            id="next_steps",
            title=_("Neste steg etter vurderingen"),
            description=_("Felles vurderinger i perioden etter neste steg regelverket anga."),
            row_labels=[str(NEXT_STEP_LABELS[k]) for k in NEXT_STEPS],
            column_labels=[count],
            counts=[[by_step[k]] for k in NEXT_STEPS],
        ),
        RawTable(
            id="consents",
            title=_("Samtykker gitt og trukket tilbake"),
            description=_(
                "Samtykker gitt og samtykker trukket tilbake i perioden, skriftlige og muntlige."
            ),
            row_labels=[_("Gitt"), _("Trukket tilbake")],
            column_labels=[_("Skriftlig"), _("Muntlig")],
            counts=[
                [consents["given_written"], consents["given_verbal"]],
                [consents["withdrawn_written"], consents["withdrawn_verbal"]],
            ],
        ),
        RawTable(
            id="police_contacts_by_ground",
            title=_("Kontakter med politiet etter rettslig grunnlag"),
            description=_(
                "Gjennomførte kontakter med politiet i perioden. Raden «Avvergeplikt» er "
                "kontaktene etter avvergeplikten (straffeloven § 196)."
            ),
            row_labels=[str(GROUND_LABELS[LegalGround(k)]) for k in LegalGround.values],
            column_labels=[count],
            counts=[[by_ground[k]] for k in LegalGround.values],
        ),
        RawTable(
            id="reassessments",
            title=_("Revurderinger i tide og for sent"),
            description=_(
                "Nye felles vurderinger i perioden som erstattet en tidligere: i tide når de kom "
                "senest på datoen for neste revurdering, ellers for sent (G8)."
            ),
            row_labels=[_("I tide"), _("For sent")],
            column_labels=[count],
            counts=[[reassessed["on_time"]], [reassessed["late"]]],
        ),
        RawTable(
            id="key_figures",
            title=_("Nøkkeltall"),
            description=_(
                "Hvert tall telles for seg (ingen sum). «På overtid nå» gjelder dagens dato, "
                "ikke perioden."
            ),
            row_labels=[
                _("Saker opprettet"),
                _("Brukeren ville ikke at politiet kontaktes (avslag)"),
                _("Avvik åpnet"),
                _("Avvik lukket"),
                _("Flyttinger planlagt"),
                _("Flyttinger gjennomført"),
                _("Åpne saker med revurdering på overtid nå"),
            ],
            column_labels=[count],
            counts=[
                [cases_opened],
                [refusals],
                [deviations["opened"]],
                [deviations["closed"]],
                [relocations["planned"]],
                [relocations["completed"]],
                [overdue_now],
            ],
            totals=False,
        ),
        RawTable(
            id="child_welfare",
            title=_("Opplysningsplikt til barnevernet"),
            description=_(
                "Bekymringer for medfølgende barn registrert i perioden, og meldinger til "
                "barnevernstjenesten sendt i perioden (B1). Hvert tall telles for seg (ingen sum)."
            ),
            row_labels=[
                _("Bekymringer for barn registrert"),
                _("Meldinger til barnevernstjenesten sendt"),
            ],
            column_labels=[count],
            counts=[[concerns_recorded], [notifications_sent]],
            totals=False,
        ),
    ]


@contextmanager
def _national_scope(national: bool) -> Iterator[None]:
    """National figures read every centre's rows (PostgreSQL RLS: the system scope)."""
    with system_scope() if national else nullcontext():
        yield


def _statistics(
    *,
    centre_id: int | None,
    period: Period,
    scope_label: str,
    raw: list[RawTable],
    histogram: Mapping[int, int],
) -> Statistics:
    total = _("Totalt")
    return Statistics(
        scope="national" if centre_id is None else "centre",
        scope_label=scope_label,
        period=period,
        tables=tuple(suppress(table, total_label=total) for table in raw),
        time_to_police=_time_to_police(histogram),
        generated_at=clock.now(),
    )


def statistics(*, centre_id: int | None, period: Period, scope_label: str) -> Statistics:
    """Suppressed tables for one centre (``centre_id``) or all centres (None), read from the
    summary (ADR 0019): one query over StatDay and the live count of overdue cases.

    Until the summary has been built on this database (``SummaryState``: ``vern stats
    rebuild``, or a database that had no case when the summary came), the same statistics are
    computed from the rows: slower, never wrong."""
    if not summary_built():
        return statistics_from_rows(centre_id=centre_id, period=period, scope_label=scope_label)
    with _national_scope(centre_id is None):
        counts, histogram = _summary(centre_id=centre_id, period=period)
        raw = _raw_tables(counts, _overdue_now(centre_id))
    return _statistics(
        centre_id=centre_id, period=period, scope_label=scope_label, raw=raw, histogram=histogram
    )


def summary_built() -> bool:
    """The summary holds every counted row (``SummaryState``, ADR 0019)."""
    return SummaryState.objects.filter(pk=1).exists()


def statistics_from_rows(*, centre_id: int | None, period: Period, scope_label: str) -> Statistics:
    """The same statistics computed from the rows (the full computation, for verification:
    ``vern stats verify`` and the tests)."""
    with _national_scope(centre_id is None):
        raw = _tables(centre_id=centre_id, period=period)
        histogram = histogram_from_rows(centre_id=centre_id, period=period)
    return _statistics(
        centre_id=centre_id, period=period, scope_label=scope_label, raw=raw, histogram=histogram
    )
