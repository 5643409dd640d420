"""Fixtures for the child welfare duty (B1): a case with an accompanying child."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild
from vern.centres.models import Centre
from vern.childwelfare import services
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.core import clock


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="B-1")


@pytest.fixture
def child(case: Case, ansatt: User) -> CaseChild:
    return case_services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=2018)


@pytest.fixture
def other_staff(other_centre: Centre) -> User:
    return make_user(Role.ANSATT, other_centre)


def concern(user: User, case: Case, child: CaseChild, **overrides: Any) -> ChildWelfareConcern:
    values: dict[str, Any] = {
        "grounds": ["mistreated"],
        "reason": "Barnet fortalte at det blir slått hjemme.",
    }
    values.update(overrides)
    return services.concern_record(acting_user=user, case=case, child=child, **values)


def notify(
    user: User, case: Case, concerns: list[ChildWelfareConcern], **overrides: Any
) -> ChildWelfareNotification:
    values: dict[str, Any] = {
        "sent_on": clock.today() - dt.timedelta(days=1),
        "service": "Barnevernstjenesten i Testby",
        "channel": "phone",
        "shared_categories": ["child_identity", "child_situation"],
        "shared_summary": "",
        "sent_by": user,
        "user_told": "yes",
        "user_told_on": clock.today(),
        "user_told_how": "I en samtale",
    }
    values.update(overrides)
    return services.notification_record(acting_user=user, case=case, concerns=concerns, **values)
