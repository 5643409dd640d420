"""B1 in the statistics: concerns recorded and notifications sent per period, each counted on
its own, with the same small-number suppression as every other count."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.stats import builders as b
from tests.stats.conftest import at
from vern.accounts.models import User
from vern.cases.models import CaseChild
from vern.centres.models import Centre
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.stats.period import Period
from vern.stats.selectors import statistics

pytestmark = pytest.mark.django_db


def _cells(centre: Centre, period: Period) -> dict[str, list[str]]:
    stats = statistics(centre_id=centre.pk, period=period, scope_label="A")
    return {row.label: [c.text for c in row.cells] for row in stats.table("child_welfare").rows}


def _concerns(centre: Centre, user: User, n: int, *, recorded_at: dt.datetime, notify_on=None):  # type: ignore[no-untyped-def]
    case = b.case(centre, user)
    child = CaseChild.objects.create(centre=centre, case=case, label="Barn 1")
    notification = None
    if notify_on is not None:
        notification = ChildWelfareNotification.objects.create(
            centre=centre,
            case=case,
            sent_on=notify_on,
            service="Barnevernstjenesten",
            channel="phone",
            shared_categories=["child_situation"],
            sent_by=user,
            user_told="yes",
            user_told_on=notify_on,
            user_told_how="Samtale",
            recorded_by=user,
        )
    for _ in range(n):
        ChildWelfareConcern.objects.create(
            centre=centre,
            case=case,
            child=child,
            grounds=["mistreated"],
            reason="Grunn",
            recorded_by=user,
            recorded_at=recorded_at,
            notification=notification,
        )


def test_concerns_and_notifications_in_the_period_are_counted(
    centre: Centre, ansatt: User, year: Period
) -> None:
    for i in range(6):
        _concerns(centre, ansatt, 1, recorded_at=at(3, i + 1), notify_on=dt.date(2025, 3, i + 2))
    # Outside the period: counted in neither.
    _concerns(
        centre,
        ansatt,
        2,
        recorded_at=dt.datetime(2024, 12, 30, 12, tzinfo=dt.UTC),
        notify_on=dt.date(2024, 12, 31),
    )

    assert _cells(centre, year) == {
        "Bekymringer for barn registrert": ["6"],
        "Meldinger til barnevernstjenesten sendt": ["6"],
    }


def test_small_numbers_of_concerns_and_notifications_are_suppressed(
    centre: Centre, ansatt: User, year: Period
) -> None:
    _concerns(centre, ansatt, 7, recorded_at=at(5, 1))
    _concerns(centre, ansatt, 1, recorded_at=at(5, 2), notify_on=dt.date(2025, 5, 3))

    assert _cells(centre, year) == {
        "Bekymringer for barn registrert": ["8"],
        "Meldinger til barnevernstjenesten sendt": ["<5"],
    }


def test_another_centres_concerns_are_not_counted(
    centre: Centre, other_centre: Centre, ansatt: User, year: Period
) -> None:
    from tests.factories import make_user
    from vern.accounts.models import Role

    other = make_user(Role.ANSATT, other_centre)
    _concerns(other_centre, other, 9, recorded_at=at(6, 1))

    assert _cells(centre, year)["Bekymringer for barn registrert"] == ["<5"]
    national = statistics(centre_id=None, period=year, scope_label="N")
    rows = {r.label: [c.text for c in r.cells] for r in national.table("child_welfare").rows}
    assert rows["Bekymringer for barn registrert"] == ["9"]
