"""Retention rules (issue 9): which cases ``vern purge`` deletes, and what it leaves behind."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.factories import make_centre, make_user
from tests.ops.drill_data import make_case_tree
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.audit.verify import verify_chain
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.consent.models import Consent, SignedConsentFile
from vern.core import clock
from vern.ops import retention
from vern.relocation.models import Relocation

DAYS = 365


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"


def _case(centre: Centre, user: User, ref: str, closed_days_ago: int | None) -> Case:
    case: Case = make_case_tree(
        centre=centre, user=user, reference=ref, closed_days_ago=closed_days_ago
    )
    return case


def _rows(case_id: int) -> int:
    return sum(len(ids) for ids in retention.collect_rows(case_id).values())


def test_case_models_cover_every_table_that_hangs_off_a_case() -> None:
    labels = {m._meta.label_lower for m in retention.case_models()}
    assert labels >= {
        "cases.case",
        "cases.casechild",
        "cases.caseevent",
        "cases.reassessmenttrigger",
        "assessments.riskmapping",
        "assessments.assessment",
        "consent.informationrecord",
        "consent.consent",
        "consent.consentrefusal",
        "consent.signedconsentfile",
        "police.policecontact",
        "police.deviation",
        "relocation.relocation",
    }
    # Not case data: centres, staff, the audit log, per-centre settings.
    assert not labels & {
        "centres.centre",
        "accounts.user",
        "audit.auditevent",
        "cases.centresettings",
    }


@pytest.mark.django_db
def test_only_closed_cases_past_the_retention_period_are_purged_in_every_centre() -> None:
    a, b = make_centre(), make_centre()
    ua, ub = make_user(Role.ANSATT, a), make_user(Role.ANSATT, b)
    open_old = _case(a, ua, "open", None)
    Case.objects.filter(pk=open_old.pk).update(opened_at=clock.now() - dt.timedelta(days=4000))
    recent = _case(a, ua, "recent", DAYS - 1)
    expired_a = _case(a, ua, "expired-a", DAYS + 1)
    expired_b = _case(b, ub, "expired-b", DAYS + 100)
    kept_rows = {c.pk: _rows(c.pk) for c in (open_old, recent)}
    expired_rows = _rows(expired_a.pk) + _rows(expired_b.pk)

    report = retention.purge_expired(days=DAYS)

    assert report.errors == []
    assert {p.case_id for p in report.plans} == {expired_a.pk, expired_b.pk}
    assert report.rows == expired_rows
    assert set(Case.objects.values_list("pk", flat=True)) == {open_old.pk, recent.pk}
    assert {c: _rows(c) for c in kept_rows} == kept_rows
    for case in (expired_a, expired_b):
        assert _rows(case.pk) == 1  # only the (absent) case id itself is left in the plan


@pytest.mark.django_db
def test_retention_zero_means_never_purge(settings: SettingsWrapper) -> None:
    centre = make_centre()
    case = _case(centre, make_user(Role.ANSATT, centre), "old", 10_000)
    settings.VERN_RETENTION_DAYS = 0
    out = StringIO()
    call_command("purge", stdout=out)
    assert "retention is off" in out.getvalue()
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_a_dry_run_deletes_nothing_and_lists_what_would_go(settings: SettingsWrapper) -> None:
    centre = make_centre()
    case = _case(centre, make_user(Role.ANSATT, centre), "Hemmelig-ref", DAYS + 1)
    settings.VERN_RETENTION_DAYS = DAYS
    rows, events = _rows(case.pk), AuditEvent.objects.count()
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert f"would purge case #{case.pk}" in out.getvalue()
    assert f"{rows} rows, 1 files" in out.getvalue()
    assert "Hemmelig" not in out.getvalue()  # ids only, never the case's reference
    assert _rows(case.pk) == rows
    assert AuditEvent.objects.count() == events
    assert all(
        Path(settings.MEDIA_ROOT, f.stored_name).exists() for f in SignedConsentFile.objects.all()
    )


@pytest.mark.django_db
def test_each_purged_case_leaves_one_event_with_ids_and_counts_only_and_the_chain_verifies(
    settings: SettingsWrapper,
) -> None:
    centre = make_centre()
    case = _case(centre, make_user(Role.ANSATT, centre), "old", DAYS + 1)
    rows = _rows(case.pk)
    stored = Path(settings.MEDIA_ROOT, SignedConsentFile.objects.get().stored_name)
    assert stored.exists()

    report = retention.purge_expired(days=DAYS)

    assert report.files_deleted == 1
    assert not stored.exists()
    event = AuditEvent.objects.get(action="case_purged")
    assert (event.object_type, event.object_id, event.centre_id) == (
        "case",
        str(case.pk),
        centre.pk,
    )
    assert event.actor_id is None
    assert event.reason == "retention_expired"
    assert event.details == {
        "retention_days": DAYS,
        "closed_days_ago": DAYS + 1,
        "rows": rows,
        "files": 1,
    }
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_row_of_another_case_reached_from_the_case_stops_its_purge() -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    expired = _case(centre, user, "old", DAYS + 1)
    other = _case(centre, user, "other", None)
    # The other case's relocation hands over the expired case's consent: purging would
    # delete a row of a case that is not expired.
    Relocation.objects.filter(case=other).update(handover_consent=Consent.objects.get(case=expired))
    rows = _rows(expired.pk)

    report = retention.purge_expired(days=DAYS)

    assert report.plans == []
    assert len(report.errors) == 1
    assert "another case" in report.errors[0]
    assert _rows(expired.pk) == rows
    assert not AuditEvent.objects.filter(action="case_purged").exists()


@pytest.mark.django_db
def test_the_purge_command_fails_when_a_case_could_not_be_purged(
    settings: SettingsWrapper,
) -> None:
    centre = make_centre()
    user = make_user(Role.ANSATT, centre)
    expired = _case(centre, user, "old", DAYS + 1)
    other = _case(centre, user, "other", None)
    Relocation.objects.filter(case=other).update(handover_consent=Consent.objects.get(case=expired))
    settings.VERN_RETENTION_DAYS = DAYS
    with pytest.raises(Exception, match="could not be purged"):
        call_command("purge", stdout=StringIO(), stderr=StringIO())
