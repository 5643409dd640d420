"""The statistics queries (covering indexes, conditional aggregation, the SQLite short cut for the
local date of a reassessment, the materialised time to police; issue 19) give exactly what a
plain count of the rows in Python gives, on random data for two centres.

The times are drawn near the edges that matter: midnight in Oslo and in UTC (the local date of a
reassessment against the superseded one's date), the summer-time switches, the ends of the
periods and quarters. Whole seconds only: SQLite's julianday keeps milliseconds."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stats import builders as b
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case, CaseChild
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.core import clock
from vern.police.models import LegalGround
from vern.relocation.models import Relocation
from vern.rules.vocabulary import INVOLVEMENT_VALUES, NEXT_STEPS
from vern.stats.period import Period
from vern.stats.selectors import DAYS_CAP, _median_from_histogram, _tables, time_to_police

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.UTC
PERIODS = (Period(2025), Period(2025, 1), Period(2025, 3), Period(2025, 4))
# Days near the period edges and the summer-time switches (30 March, 26 October 2025).
DAYS = (
    dt.date(2024, 12, 31),
    dt.date(2025, 1, 1),
    dt.date(2025, 3, 29),
    dt.date(2025, 3, 30),
    dt.date(2025, 3, 31),
    dt.date(2025, 4, 1),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 1),
    dt.date(2025, 10, 25),
    dt.date(2025, 10, 26),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 1),
)
# UTC times of day: around 22:00 and 23:00 UTC (local midnight), and midnight UTC.
TIMES: tuple[dt.time, ...] = (
    dt.time(0, 0),
    dt.time(0, 30),
    dt.time(12),
    dt.time(21, 59, 59),
    dt.time(22, 0),
)
TIMES += (dt.time(22, 30), dt.time(22, 59, 59), dt.time(23, 0), dt.time(23, 30, 1))

moments = st.builds(
    lambda day, time, extra: dt.datetime.combine(day, time, tzinfo=UTC) + dt.timedelta(days=extra),
    st.sampled_from(DAYS),
    st.sampled_from(TIMES),
    st.sampled_from((0, 0, 0, 1, 2, 5, 40, 400)),
)
maybe_moment = st.none() | moments
# Assessments: few days, so that a reassessment often falls on the superseded one's date, in
# winter, on the summer-time switch, in summer and on the last day of the year.
ASSESSMENT_DAYS = (
    dt.date(2025, 1, 15),
    dt.date(2025, 3, 30),
    dt.date(2025, 7, 1),
    dt.date(2025, 12, 31),
)
assessment_moments = st.builds(
    lambda day, time, extra: dt.datetime.combine(day, time, tzinfo=UTC) + dt.timedelta(days=extra),
    st.sampled_from(ASSESSMENT_DAYS),
    st.sampled_from(TIMES),
    st.sampled_from((0, 0, 0, 1)),
)


@dataclass
class AssessmentSpec:
    at: dt.datetime
    involvement: str
    step: str
    next_on: dt.date
    cause: str
    supersedes_previous: bool


@dataclass
class CaseSpec:
    centre: int
    opened_at: dt.datetime
    open: bool
    next_on: dt.date | None
    assessments: list[AssessmentSpec] = field(default_factory=list)
    consents: list[tuple[dt.datetime, str, dt.datetime | None]] = field(default_factory=list)
    contacts: list[tuple[dt.datetime, str, str]] = field(default_factory=list)
    refusals: list[dt.datetime] = field(default_factory=list)
    deviations: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)
    relocations: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)
    concerns: list[tuple[dt.datetime, dt.date | None]] = field(default_factory=list)


assessment_specs = st.builds(
    AssessmentSpec,
    at=assessment_moments,
    involvement=st.sampled_from((*INVOLVEMENT_VALUES, "unknown")),
    step=st.sampled_from(NEXT_STEPS),
    next_on=st.sampled_from(ASSESSMENT_DAYS),
    cause=st.sampled_from(("", "", "", "consent_given")),
    supersedes_previous=st.booleans(),
)
case_specs = st.builds(
    CaseSpec,
    centre=st.sampled_from((0, 0, 1)),
    opened_at=moments,
    open=st.booleans(),
    next_on=st.none() | st.sampled_from((dt.date(2020, 1, 1), dt.date(2099, 1, 1))),
    assessments=st.lists(assessment_specs, max_size=4),
    consents=st.lists(
        st.tuples(moments, st.sampled_from(("written", "verbal")), maybe_moment), max_size=2
    ),
    contacts=st.lists(
        st.tuples(
            moments,
            st.sampled_from(("done", "done", "planned")),
            st.sampled_from(LegalGround.values),
        ),
        max_size=3,
    ),
    refusals=st.lists(moments, max_size=1),
    deviations=st.lists(st.tuples(moments, maybe_moment), max_size=1),
    relocations=st.lists(st.tuples(moments, maybe_moment), max_size=1),
    concerns=st.lists(st.tuples(moments, st.none() | st.sampled_from(DAYS)), max_size=2),
)


def _in(moment: dt.datetime | None, period: Period) -> bool:
    return moment is not None and period.start_at <= moment < period.end_at


def _build(specs: list[CaseSpec], centres: list[Centre], users: list[User]) -> None:
    for spec in specs:
        centre, user = centres[spec.centre], users[spec.centre]
        case = b.case(centre, user, opened_at=spec.opened_at)
        previous = None
        for a in spec.assessments:
            supersedes: Assessment | None = previous if a.supersedes_previous else None
            made = b.assessment(
                case,
                user,
                a.at,
                involvement=a.involvement,
                next_step=a.step,
                next_on=a.next_on,
                supersedes=supersedes,
                cause=a.cause,
            )
            # An assessment is superseded once at most (one-to-one): the next one to supersede
            # takes the first, then each one that superseded.
            if previous is None or supersedes is not None:
                previous = made
        for given_at, form, withdrawn_at in spec.consents:
            b.consent(case, user, given_at, form=form, withdrawn_at=withdrawn_at)
        for at, status, ground in spec.contacts:
            b.contact(case, user, at, ground=ground, status=status)
        for at in spec.refusals:
            b.refusal(case, user, at)
        for opened, closed in spec.deviations:
            b.deviation(case, user, opened, closed_at=closed)
        with system_scope():
            for created, completed in spec.relocations:
                row = b.relocation(case, user, completed_at=completed)
                Relocation.objects.filter(pk=row.pk).update(created_at=created)
            Case.objects.filter(pk=case.pk).update(
                status="open" if spec.open else "closed", next_reassessment_on=spec.next_on
            )
            if spec.concerns:
                child = CaseChild.objects.create(centre=centre, case=case, label="Barn 1")
            for recorded_at, sent_on in spec.concerns:
                notification = None
                if sent_on is not None:
                    notification = ChildWelfareNotification.objects.create(
                        centre=centre,
                        case=case,
                        sent_on=sent_on,
                        service="Barnevernstjenesten",
                        channel="phone",
                        sent_by=user,
                        user_told="yes",
                        recorded_by=user,
                    )
                ChildWelfareConcern.objects.create(
                    centre=centre,
                    case=case,
                    child=child,
                    grounds=["mistreated"],
                    reason="Test",
                    recorded_by=user,
                    recorded_at=recorded_at,
                    notification=notification,
                )


def _expected(
    specs: list[CaseSpec], centre: int | None, period: Period
) -> tuple[dict[str, list[list[int]]], Counter[int]]:
    """The raw counts of every table, and the time-to-police histogram, counted in Python."""
    tz = timezone.get_current_timezone()
    today = clock.today()
    mine = [s for s in specs if centre is None or s.centre == centre]
    outcome: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    on_time = late = 0
    consents: Counter[tuple[str, str]] = Counter()
    grounds: Counter[str] = Counter()
    key = [0] * 7
    concerns = notifications = 0
    histogram: Counter[int] = Counter()
    for s in mine:
        previous: AssessmentSpec | None = None
        superseded: list[tuple[AssessmentSpec, AssessmentSpec | None]] = []
        for a in s.assessments:
            supersedes = previous if a.supersedes_previous else None
            superseded.append((a, supersedes))
            if previous is None or supersedes is not None:
                previous = a
        for a, before in superseded:
            if not _in(a.at, period) or a.cause:
                continue
            outcome[a.involvement] += 1
            steps[a.step] += 1
            if before is not None:
                if a.at.astimezone(tz).date() > before.next_on:
                    late += 1
                else:
                    on_time += 1
        for given_at, form, withdrawn_at in s.consents:
            consents["given", form] += _in(given_at, period)
            consents["withdrawn", form] += _in(withdrawn_at, period)
        done = [at for at, status, _g in s.contacts if status == "done"]
        for at, status, ground in s.contacts:
            grounds[ground] += status == "done" and _in(at, period)
        key[0] += _in(s.opened_at, period)
        key[1] += sum(_in(at, period) for at in s.refusals)
        key[2] += sum(_in(opened, period) for opened, _c in s.deviations)
        key[3] += sum(_in(closed, period) for _o, closed in s.deviations)
        key[4] += sum(_in(created, period) for created, _c in s.relocations)
        key[5] += sum(_in(completed, period) for _c, completed in s.relocations)
        key[6] += s.open and s.next_on is not None and s.next_on < today
        concerns += sum(_in(at, period) for at, _sent in s.concerns)
        notifications += sum(
            sent is not None and period.start <= sent < period.end for _at, sent in s.concerns
        )
        if s.assessments and done and any(_in(at, period) for at in done):
            first_a, first_c = min(a.at for a in s.assessments), min(done)
            if _in(first_c, period) and first_a <= first_c:
                days = int((first_c - first_a).total_seconds() // 86400)
                histogram[min(days, DAYS_CAP)] += 1
    tables = {
        "assessments_by_outcome": [[outcome[k]] for k in INVOLVEMENT_VALUES],
        "next_steps": [[steps[k]] for k in NEXT_STEPS],
        "consents": [
            [consents["given", "written"], consents["given", "verbal"]],
            [consents["withdrawn", "written"], consents["withdrawn", "verbal"]],
        ],
        "police_contacts_by_ground": [[grounds[k]] for k in LegalGround.values],
        "reassessments": [[on_time], [late]],
        "key_figures": [[n] for n in key],
        "child_welfare": [[concerns], [notifications]],
    }
    return tables, histogram


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(case_specs, min_size=1, max_size=6), period=st.sampled_from(PERIODS))
def test_every_table_equals_a_count_of_the_rows(
    two_centres: tuple[list[Centre], list[User]], specs: list[CaseSpec], period: Period
) -> None:
    centres, users = two_centres
    with transaction.atomic():
        _build(specs, centres, users)
        for index, centre_id in ((0, centres[0].pk), (1, centres[1].pk), (None, None)):
            expected, histogram = _expected(specs, index, period)
            with system_scope():
                raw = {
                    t.id: [list(r) for r in t.counts]
                    for t in _tables(centre_id=centre_id, period=period)
                }
                ttp = time_to_police(centre_id=centre_id, period=period)
            assert raw == expected, (index, period)
            assert ttp.cases == sum(histogram.values()), (index, period)
            assert ttp.median_days == _median_from_histogram(histogram), (index, period)
        transaction.set_rollback(True)
