"""B1 selectors: a concern with no notification and not resolved is pending; the lead sets the
engine's ``child_welfare_concern`` fact from ``case_has_pending_concern``."""

from __future__ import annotations

import pytest

from tests.childwelfare.conftest import concern, notify
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild
from vern.childwelfare import selectors, services

pytestmark = pytest.mark.django_db


def test_a_case_without_concerns_has_nothing_pending(case: Case) -> None:
    assert selectors.case_has_pending_concern(case) is False
    assert list(selectors.pending_concerns(case)) == []


def test_a_recorded_concern_is_pending_until_notified(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    assert selectors.case_has_pending_concern(case) is True
    assert list(selectors.pending_concerns(case)) == [recorded]

    notify(ansatt, case, [recorded])

    assert selectors.case_has_pending_concern(case) is False
    assert list(selectors.pending_concerns(case)) == []


def test_a_resolved_concern_is_not_pending(ansatt: User, case: Case, child: CaseChild) -> None:
    recorded = concern(ansatt, case, child)
    services.concern_resolve(acting_user=ansatt, concern=recorded, reason="registered_in_error")
    assert selectors.case_has_pending_concern(case) is False


def test_the_centre_list_holds_every_pending_concern_of_the_centre_only(
    ansatt: User, leder: User, other_staff: User, case: Case, child: CaseChild
) -> None:
    first = concern(ansatt, case, child)
    second_case = case_services.case_create(acting_user=ansatt, reference="B-2")
    second_child = case_services.child_add(
        acting_user=ansatt, case=second_case, label="Barn A", birth_year=None
    )
    second = concern(ansatt, second_case, second_child)
    done = concern(ansatt, second_case, second_child, grounds=["behaviour"])
    notify(ansatt, second_case, [done])
    elsewhere = case_services.case_create(acting_user=other_staff, reference="KANARI-b")
    elsewhere_child = case_services.child_add(
        acting_user=other_staff, case=elsewhere, label="Barn X", birth_year=None
    )
    concern(other_staff, elsewhere, elsewhere_child)

    assert list(selectors.centre_pending_concerns(user=leder)) == [first, second]
