"""The case page derives its state summary from the rows its panels read (``CaseReads``, each
row set read once per request, issue 19): that state equals the batch derivation of the case
list, the home counts and the API (``case_states``) for every case, at several moments."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.childwelfare.conftest import concern, notify
from vern.accounts.models import Role, User
from vern.bench.seed import seed
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.cases.panels import CaseReads
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent, RecipientKind
from vern.core import clock
from vern.desk.state import case_state, case_states

pytestmark = pytest.mark.django_db

MOMENTS = (dt.timedelta(0), dt.timedelta(days=10), dt.timedelta(days=-40), dt.timedelta(days=400))


def test_the_state_from_the_shared_reads_equals_the_batch_state_of_every_seeded_case() -> None:
    seed(cases=60, centres=1, audit_events=5)
    centre = Centre.objects.get()
    with system_scope():
        staff = User.objects.filter(centre=centre, role=Role.ANSATT).first()
        assert staff is not None
        open_cases = list(Case.objects.filter(centre=centre, status="open").order_by("pk"))
        # Children with a pending concern, and one notified (the seed makes no concerns).
        for case in open_cases[:4]:
            child = case_services.child_add(
                acting_user=staff, case=case, label=f"Barn {case.pk}", birth_year=2019
            )
            concern(staff, case, child)
        notified = case_services.child_add(
            acting_user=staff, case=open_cases[4], label="Barn varslet", birth_year=2017
        )
        notify(staff, open_cases[4], [concern(staff, open_cases[4], notified)])
        # A consent to a new crisis centre (not to the police) beside a police consent: the
        # state counts consents to the police only (the seed gives police consents only).
        for consent in Consent.objects.filter(centre=centre).order_by("pk")[:5]:
            consent.pk = None
            consent.recipient_kind = RecipientKind.CRISIS_CENTRE
            consent.given_at = clock.now() - dt.timedelta(hours=1)
            consent.expires_at = consent.withdrawn_at = None
            consent.withdrawn_recorded_by = consent.withdrawn_recorded_at = None
            consent.save()
        cases = list(Case.objects.filter(centre=centre).select_related("centre", "responsible"))
        now = clock.now()
        seen: set[str] = set()
        tags: set[str] = set()
        for moment in MOMENTS:
            at = now + moment
            batch = case_states(cases=cases, at=at)
            for case in cases:
                shared = case_state(case=case, at=at, reads=CaseReads(case))
                assert shared == batch[case.pk], case.reference
                seen.add(shared.consent)
                tags.update(shared.tags)
    # The sample reaches the states the shared rows decide (not a comparison of empty states).
    assert len(seen) >= 3, seen
    assert {"child_welfare", "refused"} <= tags, tags


def test_reads_of_another_case_are_refused() -> None:
    seed(cases=12, centres=1, audit_events=5)
    with system_scope():
        first, second = Case.objects.order_by("pk")[:2]
        with pytest.raises(ValueError, match="another case"):
            case_state(case=first, reads=CaseReads(second))
