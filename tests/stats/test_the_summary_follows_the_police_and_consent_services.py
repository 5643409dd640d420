"""The statistics summary (ADR 0019) follows the real services: contacts recorded on a consent
(``police_contact_record``), a backdated withdrawal that takes the ground of a later contact
and opens a deviation in the same transaction (``consent_withdraw_with_contacts``, which also
updates planned contacts with a queryset ``update``). After each step the summary equals the
full computation from the rows, for the centre and nationally."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.police.conftest import case, hours_ago, record, valid_consent  # noqa: F401 (fixtures)
from vern.accounts.models import User
from vern.cases.models import Case
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent
from vern.core import clock
from vern.police import withdrawal
from vern.police.models import Deviation
from vern.stats.period import Period
from vern.stats.selectors import _row_counts, _summary, counted_metrics, histogram_from_rows

pytestmark = pytest.mark.django_db


def _assert_equal(centre_id: int) -> dict[str, int]:
    period = Period(clock.today().year)
    with system_scope():
        for scope in (centre_id, None):
            counts, histogram = _summary(centre_id=scope, period=period)
            rows = _row_counts(centre_id=scope, period=period)
            assert {m: counts.get(m, 0) for m in counted_metrics()} == rows
            assert histogram == histogram_from_rows(centre_id=scope, period=period)
    return counts


def test_contacts_and_a_backdated_withdrawal_are_counted_as_the_rows_say(
    ansatt: User,
    case: Case,  # noqa: F811
    valid_consent: Consent,  # noqa: F811
) -> None:
    if hours_ago(72).year != clock.now().year:
        pytest.skip("the fixtures' times straddle the new year")
    record(ansatt, case, consent=valid_consent, contact_at=hours_ago(20))
    record(ansatt, case, consent=valid_consent, contact_at=hours_ago(2))
    counts = _assert_equal(case.centre_id)
    assert counts["contact:consent"] == 2
    assert counts["consent:given:written"] == 1

    moment = timezone.localtime(hours_ago(14)).replace(second=0, microsecond=0)
    withdrawal.consent_withdraw_with_contacts(
        acting_user=ansatt, consent=valid_consent, withdrawn_at=moment, manner="phone"
    )

    assert Deviation.objects.filter(case=case).count() == 1
    counts = _assert_equal(case.centre_id)
    assert counts["consent:withdrawn:written"] == 1
    assert counts["deviation:opened"] == 1
