"""Issue 18 point 3: each staff member's tasks are what the case state says is due in the
cases they are responsible for (reassessments overdue and today, consents expiring within 14
days, planned police contacts today); a leader also has the centre's open deviations and the
contacts without consent not yet reviewed. Another centre's cases are never a task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import Api, token_for
from tests.factories import make_user
from tests.police.conftest import AVERT_RECORD, DANGER_RECORD, OFFENCE_196, hours_ago, record
from tests.reminders.conftest import case_due, later_today, planned_at, with_consent
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.centres.tenancy import user_scope
from vern.core import clock
from vern.police import services as police_services
from vern.reminders import selectors as rs
from vern.reminders.selectors import task_list

pytestmark = pytest.mark.django_db


def _kinds(user: User) -> list[tuple[str, str]]:
    return [(t.kind, t.reference) for t in task_list(user=user).tasks]


def test_reassessments_overdue_and_today_are_tasks_and_later_ones_are_not(ansatt: User) -> None:
    overdue = case_due(ansatt, "R-forfalt", -3)
    case_due(ansatt, "R-idag", 0)
    case_due(ansatt, "R-senere", 5)
    closed = case_due(ansatt, "R-lukket", -10)
    case_services.case_close(acting_user=ansatt, case=closed, reason="moved_out_safe")

    tasks = task_list(user=ansatt).tasks
    assert [(t.kind, t.reference) for t in tasks] == [
        (rs.REASSESS_OVERDUE, "R-forfalt"),
        (rs.REASSESS_TODAY, "R-idag"),
    ]
    assert tasks[0].on == overdue.next_reassessment_on
    assert tasks[1].why == rs.WHY_DATE


def test_a_new_event_and_a_case_never_assessed_are_due_today_with_their_reason(
    ansatt: User,
) -> None:
    later = case_due(ansatt, "R-hendelse", 5)
    case_services.trigger_add(acting_user=ansatt, case=later, kind="perpetrator_contact")
    new = case_services.case_create(acting_user=ansatt, reference="R-ny")
    assert new.next_reassessment_on is None

    whys = {t.reference: (t.kind, t.why) for t in task_list(user=ansatt).tasks}
    assert whys == {
        "R-hendelse": (rs.REASSESS_TODAY, rs.WHY_NEW_EVENT),
        "R-ny": (rs.REASSESS_TODAY, rs.WHY_NEVER_ASSESSED),
    }


def test_a_consent_ending_within_fourteen_days_is_a_task_and_a_later_one_is_not(
    ansatt: User,
) -> None:
    soon = case_due(ansatt, "S-snart", 30)
    with_consent(soon, ansatt, ends_in_days=10)
    later = case_due(ansatt, "S-senere", 30)
    with_consent(later, ansatt, ends_in_days=20)
    open_ended = case_due(ansatt, "S-uten-slutt", 30)
    with_consent(open_ended, ansatt, ends_in_days=None)

    tasks = task_list(user=ansatt).tasks
    assert [(t.kind, t.reference) for t in tasks] == [(rs.CONSENT_EXPIRING, "S-snart")]
    assert tasks[0].on is not None
    assert 9 <= (tasks[0].on - clock.today()).days <= 10


def test_a_planned_police_contact_today_is_a_task_and_tomorrows_is_not(ansatt: User) -> None:
    today_case = case_due(ansatt, "P-idag", 30)
    with_consent(today_case, ansatt, ends_in_days=60)
    contact = planned_at(ansatt, today_case, later_today())
    tomorrow_case = case_due(ansatt, "P-imorgen", 30)
    with_consent(tomorrow_case, ansatt, ends_in_days=60)
    planned_at(ansatt, tomorrow_case, clock.now() + dt.timedelta(days=1, hours=1))

    tasks = [t for t in task_list(user=ansatt).tasks if t.kind == rs.POLICE_CONTACT_TODAY]
    assert [(t.reference, t.object_id) for t in tasks] == [("P-idag", contact.pk)]


def test_only_the_cases_one_is_responsible_for_are_ones_tasks(ansatt: User, centre: Centre) -> None:
    colleague = make_user(Role.ANSATT, centre)
    case_due(colleague, "K-kollega", -1)
    case_due(ansatt, "K-egen", -1)
    assert _kinds(ansatt) == [(rs.REASSESS_OVERDUE, "K-egen")]
    assert _kinds(colleague) == [(rs.REASSESS_OVERDUE, "K-kollega")]


def test_a_leader_also_has_open_deviations_and_unreviewed_contacts_without_consent(
    ansatt: User, leder: User
) -> None:
    case = case_due(ansatt, "L-1", 30)
    deviation = police_services.deviation_open(
        acting_user=ansatt, case=case, reasons=["shared_outside_system"]
    )
    duty = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Sikker kunnskap om planlagt angrep.",
    )
    danger = record(
        ansatt, case, **DANGER_RECORD, leader_told_at=hours_ago(0.5), user_told_at=hours_ago(0.2)
    )
    # The no-consent contacts may open deviations of their own: every open one is a task.
    leader_tasks = task_list(user=leder).tasks
    deviations = [t.object_id for t in leader_tasks if t.kind == rs.OPEN_DEVIATION]
    assert deviation.pk in deviations
    reviews = {t.object_id: t.why for t in leader_tasks if t.kind == rs.NO_CONSENT_TO_REVIEW}
    assert reviews == {duty.pk: "duty_to_avert", danger.pk: "danger_to_life_or_health"}
    # The ansatt has none of the leader's rows, only the own case's items.
    assert not {t.kind for t in task_list(user=ansatt).tasks} & rs.LEADER_KINDS

    police_services.police_contact_review(acting_user=leder, contact=duty, note="Sett.")
    police_services.deviation_close(acting_user=leder, deviation=deviation, comment="Lukket.")
    after = task_list(user=leder).tasks
    assert deviation.pk not in [t.object_id for t in after if t.kind == rs.OPEN_DEVIATION]
    assert [t.object_id for t in after if t.kind == rs.NO_CONSENT_TO_REVIEW] == [danger.pk]


def test_another_centres_cases_and_deviations_are_never_a_task(
    ansatt: User, leder: User, other_centre: Centre
) -> None:
    other_staff = make_user(Role.ANSATT, other_centre)
    other_leader = make_user(Role.LEDER, other_centre)
    canary = case_due(other_staff, "KANARI-oppgave", -2)
    police_services.deviation_open(
        acting_user=other_staff, case=canary, reasons=["shared_outside_system"]
    )
    # Even responsible for it (a case moved between centres by a bad edit), it is not theirs.
    stray = case_due(other_staff, "KANARI-feil", -2)
    stray.responsible = ansatt
    stray.save(update_fields=["responsible"])

    assert task_list(user=ansatt).tasks == ()
    assert task_list(user=leder).tasks == ()
    assert {t.reference for t in task_list(user=other_leader).tasks} == {"KANARI-oppgave"}


def test_an_administrator_has_no_tasks(administrator: User) -> None:
    assert task_list(user=administrator).count == 0


def test_the_task_list_reads_a_constant_number_of_queries(leder: User) -> None:
    with_consent(case_due(leder, "Q-1", -1), leder, ends_in_days=3)
    with CaptureQueriesContext(connection) as few:
        task_list(user=leder)
    for n in range(14):
        case = case_due(leder, f"Q-{n + 2}", -1)
        with_consent(case, leder, ends_in_days=3)
    with CaptureQueriesContext(connection) as many:
        assert task_list(user=leder).counts()[rs.CONSENT_EXPIRING] == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_api_lists_the_same_tasks_as_the_web_and_refuses_administrators(
    ansatt: User, administrator: User
) -> None:
    case_due(ansatt, "A-1", -1)
    case_due(ansatt, "A-2", 0)
    api = Api(Client(), token_for(ansatt))
    before = AuditEvent.objects.filter(actor=ansatt, action="api_read").count()
    body = api.get("/tasks").json()
    assert body["count"] == 2
    assert body["counts"][rs.REASSESS_OVERDUE] == 1
    assert body["counts"][rs.REASSESS_TODAY] == 1
    assert [(i["kind"], i["reference"]) for i in body["items"]] == _kinds(ansatt)
    assert AuditEvent.objects.filter(actor=ansatt, action="api_read").count() == before + 1
    assert api.get("/tasks?x=1").status_code == 422
    assert Api(Client(), token_for(administrator)).get("/tasks").status_code == 403


@pytest.mark.postgres
def test_the_job_reads_each_person_under_row_level_security(
    ansatt: User, other_centre: Centre
) -> None:
    """PostgreSQL: inside ``user_scope`` (what ``vern remind`` uses for each person) another
    centre's rows are invisible to the database itself, not only filtered by the selectors."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no row-level security")
    other = make_user(Role.ANSATT, other_centre)
    canary = case_due(other, "KANARI-rls", -1)
    own = case_due(ansatt, "R-rls", -1)
    with user_scope(ansatt):
        visible = set(Case.objects.values_list("pk", flat=True))
    assert own.pk in visible
    assert canary.pk not in visible
    with user_scope(other):
        assert [t.reference for t in task_list(user=other).tasks] == ["KANARI-rls"]
    # The test connection's own scope is back afterwards.
    assert Case.objects.filter(pk=canary.pk).exists()
