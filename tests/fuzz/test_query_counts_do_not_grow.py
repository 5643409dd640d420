"""The main pages run the same number of SQL queries with 12 and with 120 cases in the centre
(issue 9: no N+1 queries; benchmarks/query_counts.py checks 10 against 100,000)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.fuzz.helpers import login_seeded
from vern.bench.pages import probe_case, query_counts, staff_of
from vern.bench.seed import seed
from vern.centres.models import Centre

pytestmark = pytest.mark.django_db


def test_every_main_page_runs_as_many_queries_at_ten_times_the_cases() -> None:
    # 12 cases, so that the probe case (open, assessed, with a consent) exists.
    seed(cases=12, centres=1, audit_events=50)
    centre = Centre.objects.get()
    staff = staff_of(centre)
    clients = {role: login_seeded(Client(), user) for role, user in staff.items()}
    case, assessment = probe_case(centre)
    small = query_counts(clients, case, assessment)

    seed(cases=108, centres=1, audit_events=500, reuse=True, seed=7)
    large = query_counts(clients, case, assessment)

    assert all(status == 200 for status, _n in small.values()), small
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
