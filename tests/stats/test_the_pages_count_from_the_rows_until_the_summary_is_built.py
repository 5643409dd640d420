"""A database upgraded to the statistics summary (ADR 0019) has empty summary tables until the
first ``vern stats rebuild``. Until then the statistics are computed from the rows (never a
wrong zero), the deploy check stats.W001 and ``vern stats verify`` say so, and the migration
marks the summary built only on a database with no case."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.stats import builders as b
from vern.accounts.models import User
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.stats.checks import check_summary_built
from vern.stats.models import StatDay, SummaryState
from vern.stats.period import Period
from vern.stats.selectors import statistics, statistics_from_rows

pytestmark = pytest.mark.django_db

PERIOD = Period(2025)
MIGRATION = __import__(
    "vern.stats.migrations.0003_summary_state", fromlist=["mark_built_when_empty"]
)


def _cases_opened(centre_id: int | None) -> str:
    table = statistics(centre_id=centre_id, period=PERIOD, scope_label="x").table("key_figures")
    return table.rows[0].cells[0].text


def _seed(centre: Centre, user: User) -> None:
    for day in range(1, 8):
        case = b.case(centre, user, opened_at=dt.datetime(2025, 5, day, 12, tzinfo=dt.UTC))
        b.contact(case, user, dt.datetime(2025, 6, day, 12, tzinfo=dt.UTC))


def test_a_built_summary_is_what_the_pages_read(centre: Centre, ansatt: User) -> None:
    _seed(centre, ansatt)
    assert SummaryState.objects.filter(pk=1).exists()  # the test database had no case
    assert _cases_opened(centre.pk) == "7"
    with system_scope():
        StatDay.objects.filter(metric="case:opened").update(n=2)
    # The pages read the summary: a tampered day row shows (verify would find it).
    assert _cases_opened(centre.pk) == "14"


def test_without_the_state_the_pages_count_the_rows_and_the_checks_say_so(
    centre: Centre, ansatt: User
) -> None:
    _seed(centre, ansatt)
    with system_scope():
        StatDay.objects.all().delete()  # as after the upgrade: empty summary tables
    SummaryState.objects.all().delete()

    assert _cases_opened(centre.pk) == "7"
    for scope in (centre.pk, None):
        fast = statistics(centre_id=scope, period=PERIOD, scope_label="x")
        slow = statistics_from_rows(centre_id=scope, period=PERIOD, scope_label="x")
        assert fast.tables == slow.tables
        assert fast.time_to_police == slow.time_to_police
    assert [m.id for m in check_summary_built(None, databases=["default"])] == ["stats.W001"]
    with pytest.raises(CommandError, match="statistics summary differs") as e:
        call_command("stats", "verify")
    assert e.value.returncode == 1

    call_command("stats", "rebuild")
    assert SummaryState.objects.filter(pk=1).exists()
    assert check_summary_built(None, databases=["default"]) == []
    call_command("stats", "verify")
    assert _cases_opened(centre.pk) == "7"


def test_verify_names_an_unbuilt_summary_even_when_the_tables_happen_to_agree() -> None:
    SummaryState.objects.all().delete()
    with pytest.raises(CommandError, match="has not been built") as e:
        call_command("stats", "verify")
    assert e.value.returncode == 1


def test_the_migration_marks_the_summary_built_only_without_cases(
    centre: Centre, ansatt: User
) -> None:
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    SummaryState.objects.all().delete()
    b.case(centre, ansatt, opened_at=dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC))
    MIGRATION.mark_built_when_empty(apps, editor)
    assert not SummaryState.objects.exists()

    with system_scope():
        Case.objects.all().delete()
    MIGRATION.mark_built_when_empty(apps, editor)
    assert SummaryState.objects.filter(pk=1).exists()
