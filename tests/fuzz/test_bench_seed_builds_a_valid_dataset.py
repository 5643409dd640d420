"""``vern bench seed`` (issue 9): the counts asked for, a verifiable audit chain, real
rules-engine outcomes, and pages that work on the seeded data, on SQLite and PostgreSQL."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.fuzz.helpers import login_seeded
from vern.accounts.models import Role, User
from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.audit.verify import verify_chain
from vern.bench.seed import seed
from vern.cases.models import Case, CaseEvent
from vern.cases.services import case_create
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent

pytestmark = pytest.mark.django_db


def test_seeding_50_cases_builds_them_with_the_asked_audit_events_and_a_valid_chain() -> None:
    result = seed(cases=50, centres=2, audit_events=1234)

    with system_scope():
        assert Case.objects.count() == 50
        assert Centre.objects.count() == 2
        assert AuditEvent.objects.count() == 1234
        assert CaseEvent.objects.count() >= 50
        assert Assessment.objects.count() >= 1
        assert Consent.objects.count() >= 1
    assert result.cases == 50
    assert result.audit_events == 1234
    assert verify_chain().ok


def test_the_default_is_fifty_audit_events_per_case_and_the_chain_continues_the_head() -> None:
    seed(cases=10, centres=1, audit_events=7)
    seed(cases=10, centres=1)

    assert AuditEvent.objects.count() == 7 + 500
    assert verify_chain().ok


def test_assessments_carry_a_real_rules_engine_outcome_g7() -> None:
    seed(cases=20, centres=1, audit_events=0)

    with system_scope():
        outcomes = {a.police_involvement for a in Assessment.objects.all()}
        one = Assessment.objects.first()
    assert outcomes <= {"required", "recommended", "not_indicated"}
    assert one is not None
    assert one.outcome["police_involvement"] == one.police_involvement
    assert one.outcome["rules_fired"]


def test_reuse_adds_cases_to_the_same_centres_with_new_references() -> None:
    seed(cases=5, centres=1, audit_events=0)
    seed(cases=5, centres=3, audit_events=0, reuse=True)

    with system_scope():
        assert Centre.objects.count() == 1
        assert Case.objects.count() == 10
        assert Case.objects.values("reference").distinct().count() == 10


def test_the_case_list_and_case_page_work_for_seeded_staff(client: Client) -> None:
    seed(cases=30, centres=1, audit_events=100)
    user = User.objects.filter(role=Role.ANSATT).order_by("pk").first()
    assert user is not None
    with system_scope():
        case = Case.objects.filter(centre_id=user.centre_id).order_by("pk").first()
    assert case is not None
    login_seeded(client, user)

    listing = client.get(reverse("cases:list"))
    page = client.get(reverse("cases:detail", kwargs={"pk": case.pk}))

    assert listing.status_code == 200
    assert case.reference in listing.content.decode()
    assert page.status_code == 200
    assert verify_chain().ok


def test_ids_continue_after_seeding_so_the_services_can_write() -> None:
    seed(cases=5, centres=1, audit_events=3)
    user = User.objects.filter(role=Role.ANSATT).first()
    assert user is not None

    with system_scope():
        case = case_create(acting_user=user, reference="etter-seed")

    assert case.pk > 5
    assert verify_chain().ok


def test_the_command_prints_rates_and_refuses_in_production(settings: object) -> None:
    out = StringIO()
    call_command("bench", "seed", "--cases", "3", "--audit-events", "10", stdout=out)
    assert "rows/s" in out.getvalue()
    assert "audit_auditevent" in out.getvalue()

    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="production"):
        call_command("bench", "seed", "--cases", "3", stdout=StringIO())
