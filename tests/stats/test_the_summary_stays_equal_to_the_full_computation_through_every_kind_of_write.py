"""The statistics summary (ADR 0019) equals the full computation from the rows after random
writes of every kind: rows created (``case_create``, ``create()``), changed with ``save()`` (a
planned contact done and a deviation closed with ``update_fields``, a consent withdrawn, a
case's name, which counts nothing), changed with queryset ``update()`` (a legal ground
corrected, a relocation completed, a superseded assessment's date moved, a case's opening
time), deleted (``delete()``) and purged (``purge_expired``, plain SQL).
Times are drawn at Oslo and UTC midnight, the summer-time switches and the period ends.

Compared: the raw counts and the time-to-police histogram of every table, per centre and
nationally, for the year and its quarters; the suppressed statistics are the same objects."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stats import builders as b
from tests.stats.test_the_statistics_equal_a_count_of_the_rows_on_random_data import (
    assessment_moments,
    moments,
)
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.consent.models import Consent
from vern.core import clock
from vern.ops.retention import purge_expired
from vern.police.models import ContactStatus, Deviation, LegalGround, PoliceContact
from vern.relocation.models import Relocation
from vern.rules.vocabulary import INVOLVEMENT_VALUES, NEXT_STEPS
from vern.stats import summary
from vern.stats.models import StatContribution, StatDay
from vern.stats.period import Period
from vern.stats.selectors import (
    _row_counts,
    _summary,
    counted_metrics,
    histogram_from_rows,
    statistics,
    statistics_from_rows,
)

PERIODS = (Period(2025), Period(2025, 1), Period(2025, 2), Period(2025, 3), Period(2025, 4))
_refs = itertools.count(1)


@dataclass(frozen=True)
class Op:
    kind: str
    case: int  # index into the cases made so far (modulo)
    at: dt.datetime
    other: dt.datetime
    choice: int


KINDS = (
    "case",
    "case_opened_moved",
    "assessment",
    "reassessment",
    "superseded_date_moved",
    "consent",
    "consent_withdrawn",
    "refusal",
    "contact_planned",
    "contact_done",
    "contact_ground_corrected",
    "contact_deleted",
    "deviation",
    "deviation_closed",
    "relocation",
    "relocation_completed",
    "concern",
    "purge",
)
ops = st.builds(
    Op,
    # Assessments and contacts more often: lateness and the time to police need several.
    kind=st.sampled_from((*KINDS, "assessment", "reassessment", "reassessment", "contact_done")),
    case=st.integers(0, 2),
    at=moments,
    other=assessment_moments,
    choice=st.integers(0, 20),
)


def _pick(choice: int, values: list[str] | tuple[str, ...]) -> str:
    return values[choice % len(values)]


def _first(model: type, case: Case, **lookup: object) -> object | None:
    return model.objects.filter(case=case, **lookup).order_by("pk").first()  # type: ignore[attr-defined]


def _run(op: Op, cases: list[Case], users: list[User]) -> None:  # noqa: C901, PLR0912, PLR0915
    if op.kind == "case" or not cases:
        user = users[op.choice % 2]
        made = case_services.case_create(acting_user=user, reference=f"SUM-{next(_refs)}")
        Case.objects.filter(pk=made.pk).update(opened_at=op.at)
        cases.append(made)
        return
    case = cases[op.case % len(cases)]
    user = users[0] if case.centre_id == users[0].centre_id else users[1]
    if op.kind == "case_opened_moved":
        Case.objects.filter(pk=case.pk).update(opened_at=op.other)
        case.refresh_from_db()
        case.name = "Endret"
        case.save(update_fields=["name"])  # counts nothing: the summary skips it
    elif op.kind == "assessment":
        b.assessment(
            case,
            user,
            op.other,
            involvement=_pick(op.choice, (*INVOLVEMENT_VALUES, "unknown")),
            next_step=_pick(op.choice, NEXT_STEPS),
            next_on=op.other.date() + dt.timedelta(days=op.choice % 3 - 1),
            cause="consent_given" if op.choice % 5 == 0 else "",
        )
    elif op.kind == "reassessment":
        last = (
            Assessment.objects.filter(case=case, superseded_by__isnull=True).order_by("-pk").first()
        )
        if last is not None:
            b.assessment(
                case,
                user,
                op.other,
                supersedes=last,
                next_step=_pick(op.choice, NEXT_STEPS),
                next_on=op.other.date() + dt.timedelta(days=op.choice % 3 - 1),
            )
    elif op.kind == "superseded_date_moved":
        # As the demo data does: the superseded assessment's date changes under its successor.
        case.assessments.filter(superseded_by__isnull=False).update(
            next_reassessment_on=op.other.date() + dt.timedelta(days=op.choice % 3 - 1)
        )
    elif op.kind == "consent":
        b.consent(case, user, op.at, form=_pick(op.choice, ("written", "verbal")))
    elif op.kind == "consent_withdrawn":
        consent = Consent.objects.filter(case=case, withdrawn_at__isnull=True).first()
        if consent is not None:
            consent.withdrawn_at = op.at
            consent.save()
    elif op.kind == "refusal":
        b.refusal(case, user, op.at)
    elif op.kind == "contact_planned":
        b.contact(case, user, op.at, status="planned", ground=_pick(op.choice, LegalGround.values))
    elif op.kind == "contact_done":
        contact = _first(PoliceContact, case, status=ContactStatus.PLANNED)
        if isinstance(contact, PoliceContact):
            contact.status, contact.contact_at = ContactStatus.DONE, op.at
            contact.save(update_fields=["status", "contact_at"])
        else:
            b.contact(case, user, op.at, ground=_pick(op.choice, LegalGround.values))
    elif op.kind == "contact_ground_corrected":
        PoliceContact.objects.filter(case=case).update(
            legal_ground=_pick(op.choice, LegalGround.values)
        )
    elif op.kind == "contact_deleted":
        contact = _first(PoliceContact, case)
        if isinstance(contact, PoliceContact):
            contact.delete()
    elif op.kind == "deviation":
        b.deviation(case, user, op.at)
    elif op.kind == "deviation_closed":
        deviation = _first(Deviation, case, closed_at__isnull=True)
        if isinstance(deviation, Deviation):
            deviation.closed_at, deviation.closed_by = op.at, user
            deviation.save(update_fields=["closed_at", "closed_by"])
    elif op.kind == "relocation":
        row = b.relocation(case, user)
        Relocation.objects.filter(pk=row.pk).update(created_at=op.at)
    elif op.kind == "relocation_completed":
        Relocation.objects.filter(case=case, completed_at__isnull=True).update(
            status="completed", completed_at=op.at
        )
    elif op.kind == "concern":
        child = CaseChild.objects.filter(case=case).first() or CaseChild.objects.create(
            centre_id=case.centre_id, case=case, label="Barn 1"
        )
        notification = None
        if op.choice % 3:
            notification = ChildWelfareNotification.objects.create(
                centre_id=case.centre_id,
                case=case,
                sent_on=op.other.date(),
                service="Barnevernstjenesten",
                channel="phone",
                sent_by=user,
                user_told="yes",
                recorded_by=user,
            )
        ChildWelfareConcern.objects.create(
            centre_id=case.centre_id,
            case=case,
            child=child,
            grounds=["mistreated"],
            reason="Test",
            recorded_by=user,
            recorded_at=op.at,
            notification=notification,
        )
    elif op.kind == "purge":
        Case.objects.filter(pk=case.pk).update(
            status="closed", closed_at=clock.now() - dt.timedelta(days=4000)
        )
        report = purge_expired(days=3650)
        assert not report.errors, report.errors
        cases.remove(case)


def _assert_summary_equals_rows(centres: list[Centre]) -> None:
    metrics = counted_metrics()
    with system_scope():
        for centre_id in (centres[0].pk, centres[1].pk, None):
            for period in PERIODS if centre_id else PERIODS[:1]:
                counts, histogram = _summary(centre_id=centre_id, period=period)
                rows = _row_counts(centre_id=centre_id, period=period)
                assert {m: counts.get(m, 0) for m in metrics} == rows, (centre_id, period)
                assert histogram == histogram_from_rows(centre_id=centre_id, period=period)
    for centre_id in (centres[0].pk, None):
        fast = statistics(centre_id=centre_id, period=PERIODS[0], scope_label="A")
        slow = statistics_from_rows(centre_id=centre_id, period=PERIODS[0], scope_label="A")
        assert (fast.tables, fast.time_to_police) == (slow.tables, slow.time_to_police)


def _summary_rows() -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    with system_scope():
        contributions = set(
            StatContribution.objects.values_list(
                "centre_id", "case_id", "source", "source_id", "day", "metric"
            )
        )
        days = set(StatDay.objects.exclude(n=0).values_list("centre_id", "day", "metric", "n"))
    return contributions, days


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(ops, min_size=15, max_size=40))
@pytest.mark.django_db
def test_the_summary_equals_the_full_computation_and_a_rebuild_after_random_writes(
    two_centres: tuple[list[Centre], list[User]], steps: list[Op]
) -> None:
    centres, users = two_centres
    with transaction.atomic():
        cases: list[Case] = []
        for op in steps:
            with system_scope():
                _run(op, cases, users)
        _assert_summary_equals_rows(centres)

        incremental = _summary_rows()
        summary.rebuild()
        rebuilt = _summary_rows()
        # The same contributions and the same day sums as the incremental summary.
        assert incremental == rebuilt
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_verify_exits_1_naming_a_tampered_day_row(centre: Centre, ansatt: User) -> None:
    case = b.case(centre, ansatt, opened_at=dt.datetime(2025, 3, 30, 1, 30, tzinfo=dt.UTC))
    b.contact(case, ansatt, dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC))
    call_command("stats", "verify")

    with system_scope():
        StatDay.objects.filter(metric="case:opened").update(n=2)
    with pytest.raises(
        CommandError, match="case:opened is 2 in StatDay, 1 in StatContribution"
    ) as e:
        call_command("stats", "verify")
    assert e.value.returncode == 1

    # The day sums agree with a tampered contribution too: then the rows tell.
    with system_scope():
        StatDay.objects.filter(metric="case:opened").update(n=1)
        StatContribution.objects.filter(metric="case:opened").update(day=dt.date(2025, 4, 1))
        StatDay.objects.filter(metric="case:opened").update(day=dt.date(2025, 4, 1))
    with pytest.raises(CommandError, match=rf"centre {centre.pk}, 2025-k1: case:opened") as e:
        call_command("stats", "verify")
    assert e.value.returncode == 1

    call_command("stats", "rebuild")
    call_command("stats", "verify")
