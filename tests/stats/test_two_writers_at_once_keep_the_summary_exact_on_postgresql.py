"""Two transactions that write police contacts of the same case at the same time (PostgreSQL):
both touch the case's time to police and the same StatDay rows. The summary's writers take the
audit chain's lock first (ADR 0019), so the second waits for the first instead of failing on
the case's contribution or deadlocking, and the summary equals the full computation after."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction

from tests.stats import builders as b
from vern.accounts.models import User
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.stats.period import Period
from vern.stats.selectors import _row_counts, _summary, counted_metrics, histogram_from_rows


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_case_both_commit_and_the_summary_equals_the_rows(
    centre: Centre, ansatt: User
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises every write transaction")
    at = dt.datetime(2025, 5, 1, 10, tzinfo=dt.UTC)
    case = b.case(centre, ansatt, opened_at=at)
    b.assessment(case, ansatt, at)
    errors: list[BaseException] = []
    started = threading.Barrier(2)

    def write(hours: int) -> None:
        try:
            started.wait()
            with transaction.atomic(), system_scope():
                b.contact(case, ansatt, at + dt.timedelta(hours=hours))
                time.sleep(0.3)  # hold the transaction open while the other one writes
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(h,)) for h in (30, 50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    period = Period(2025)
    with system_scope():
        counts, histogram = _summary(centre_id=centre.pk, period=period)
        assert {m: counts.get(m, 0) for m in counted_metrics()} == _row_counts(
            centre_id=centre.pk, period=period
        )
        assert histogram == histogram_from_rows(centre_id=centre.pk, period=period) == {1: 1}
    assert counts["contact:consent"] == 2
