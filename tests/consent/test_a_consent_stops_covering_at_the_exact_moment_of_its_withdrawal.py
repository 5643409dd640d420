"""C1: withdrawal takes effect at once, so at the very instant of the withdrawal the consent
no longer covers anything, and one second before it still does (issue 22: a planted
``withdrawn_at <= at`` -> ``<`` survived, because no test looked at that exact instant).

Every public selector must agree on that one definition of "withdrawn at this moment":
``consent_covers``, ``consent_status``, ``valid_police_consent`` and the database filter behind
it, and ``valid_handover_consent``. The same holds for the moment a consent expires."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.consent.conftest import inform, police_consent
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import selectors, services
from vern.consent.models import Consent
from vern.core import clock

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


def _withdrawn(ansatt: User, case: Case) -> tuple[Consent, dt.datetime]:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(days=2))
    consent = police_consent(ansatt, case, given_at=clock.now() - dt.timedelta(days=1))
    # Stamped at 30 seconds past a minute, as a withdrawal recorded now usually is.
    stamp = (clock.now() - dt.timedelta(hours=1)).replace(second=30, microsecond=0)
    services.consent_withdraw(acting_user=ansatt, consent=consent, withdrawn_at=stamp)
    consent.refresh_from_db()
    assert consent.withdrawn_at == stamp
    return consent, consent.withdrawn_at


def test_at_the_exact_moment_of_withdrawal_the_consent_no_longer_covers(
    ansatt: User, case: Case
) -> None:
    consent, moment = _withdrawn(ansatt, case)
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=moment) == [
        selectors.WITHDRAWN
    ]
    assert selectors.consent_status(consent=consent, at=moment) == selectors.WITHDRAWN
    assert selectors.valid_police_consent(case=case, at=moment) is None


def test_one_second_before_the_withdrawals_minute_the_consent_still_covers(
    ansatt: User, case: Case
) -> None:
    """The minute rule (``selectors.withdrawal_cutoff``): a contact is typed to the minute, so
    a withdrawal binds from the start of its minute; one second earlier the consent covers,
    one second before the stamp (same minute) it does not."""
    consent, moment = _withdrawn(ansatt, case)
    same_minute = moment - SECOND
    assert selectors.consent_status(consent=consent, at=same_minute) == selectors.WITHDRAWN
    assert selectors.valid_police_consent(case=case, at=same_minute) is None
    before = selectors.withdrawal_binds_from(moment) - SECOND
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=before) == []
    assert selectors.consent_status(consent=consent, at=before) == selectors.ACTIVE
    assert selectors.valid_police_consent(case=case, at=before) == consent


def test_the_python_check_and_the_database_filter_agree_around_the_withdrawal(
    ansatt: User, case: Case
) -> None:
    consent, moment = _withdrawn(ansatt, case)
    start = selectors.withdrawal_binds_from(moment)
    for at in (start - SECOND, start, moment - SECOND, moment, moment + SECOND):
        covered = selectors.consent_covers(consent=consent, categories=["identity"], at=at) == []
        active = selectors.consent_status(consent=consent, at=at) == selectors.ACTIVE
        in_force = selectors.valid_police_consent(case=case, at=at) == consent
        assert covered == active == in_force, at


def test_a_handover_consent_is_not_in_force_at_the_exact_moment_of_its_withdrawal(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(days=2))
    consent = police_consent(
        ansatt,
        case,
        recipient_kind="crisis_centre",
        police_district="",
        recipient_unit="Krisesenteret i Bergen",
        categories=["risk_mapping"],
        given_at=clock.now() - dt.timedelta(days=1),
    )
    stamp = (clock.now() - dt.timedelta(hours=1)).replace(second=30, microsecond=0)
    services.consent_withdraw(acting_user=ansatt, consent=consent, withdrawn_at=stamp)
    consent.refresh_from_db()
    assert consent.withdrawn_at == stamp
    start = selectors.withdrawal_binds_from(stamp)
    assert selectors.valid_handover_consent(case=case, at=stamp) is None
    assert selectors.valid_handover_consent(case=case, at=stamp - SECOND) is None
    assert selectors.valid_handover_consent(case=case, at=start - SECOND) == consent


def test_at_the_exact_moment_of_expiry_the_consent_no_longer_covers(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(days=2))
    consent = police_consent(ansatt, case, given_at=clock.now() - dt.timedelta(days=1))
    expiry = clock.now() + dt.timedelta(days=30)
    Consent.objects.filter(pk=consent.pk).update(expires_at=expiry)
    consent.refresh_from_db()
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=expiry) == [
        selectors.EXPIRED
    ]
    assert selectors.consent_status(consent=consent, at=expiry) == selectors.EXPIRED
    assert selectors.valid_police_consent(case=case, at=expiry) is None
    assert (
        selectors.consent_covers(consent=consent, categories=["identity"], at=expiry - SECOND) == []
    )
    assert selectors.consent_status(consent=consent, at=expiry - SECOND) == selectors.ACTIVE
    assert selectors.valid_police_consent(case=case, at=expiry - SECOND) == consent
