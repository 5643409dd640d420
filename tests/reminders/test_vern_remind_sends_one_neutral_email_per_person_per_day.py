"""Issue 18 point 3: ``vern remind`` e-mails each staff member who opted in, once a day, a
message that says only how many tasks there are in Vern (no case, no word of what the tasks
are about), in the person's chosen language; a second run sends nothing; ``--dry-run`` prints
counts only; each centre's run is audited with counts only."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.factories import make_user
from tests.reminders.conftest import case_due
from vern.accounts.models import Role, User
from vern.audit.models import AuditEvent
from vern.centres.models import Centre
from vern.core import clock
from vern.reminders.mail import reminder_body, reminder_subject
from vern.reminders.models import ReminderSent
from vern.reminders.services import reminder_preference_set, reminders_run

pytestmark = pytest.mark.django_db

# Words no reminder may carry, in any of the three languages (and the case references used).
FORBIDDEN = re.compile(
    r"krise|vold|politi|police|crisis|violen|samtykke|consent|avvik|deviation|fare|danger|"
    r"R-\d|KANARI",
    re.IGNORECASE,
)


def _opt_in(user: User, language: str = "nb") -> None:
    reminder_preference_set(acting_user=user, email=True, language=language)


def _remind(*args: str) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("language", "subject", "one", "three"),
    [
        ("nb", "Påminnelse", "Du har 1 oppgave i Vern.\n", "Du har 3 oppgaver i Vern.\n"),
        ("nn", "Påminning", "Du har 1 oppgåve i Vern.\n", "Du har 3 oppgåver i Vern.\n"),
        ("en", "Reminder", "You have 1 task in Vern.\n", "You have 3 tasks in Vern.\n"),
    ],
)
def test_the_email_says_only_how_many_tasks_there_are_in_each_language(
    language: str, subject: str, one: str, three: str
) -> None:
    assert reminder_subject(language) == subject
    assert reminder_body(1, language) == one
    assert reminder_body(3, language) == three
    for text in (subject, one, three):
        assert not FORBIDDEN.search(text)


def test_an_opted_in_person_gets_one_email_and_a_second_run_sends_nothing(
    ansatt: User, leder: User, settings: object
) -> None:
    settings.DEFAULT_FROM_EMAIL = "no-reply@example.invalid"  # type: ignore[attr-defined]
    case_due(ansatt, "R-1", -2)
    case_due(ansatt, "R-2", 0)
    case_due(leder, "R-3", -1)
    _opt_in(ansatt, "nn")  # the leader has tasks too, but did not opt in

    first = _remind()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ansatt.email]
    assert message.from_email == "no-reply@example.invalid"
    assert message.subject == "Påminning"
    assert message.body == "Du har 2 oppgåver i Vern.\n"
    assert not message.attachments
    assert not getattr(message, "alternatives", None)
    assert not FORBIDDEN.search(message.subject + message.body + message.from_email)
    sent = ReminderSent.objects.get()
    assert (sent.user_id, sent.day, sent.tasks) == (ansatt.pk, clock.today(), 2)
    assert "e-mails sent 1" in first

    second = _remind()
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1
    assert "e-mails sent 0" in second
    assert "already sent today 1" in second

    # The next day it is sent again, with the count of that day.
    reminders_run(at=clock.now() + dt.timedelta(days=1))
    assert len(mail.outbox) == 2
    assert mail.outbox[1].body == "Du har 2 oppgåver i Vern.\n"


def test_no_email_without_tasks_without_opting_in_or_after_opting_out(
    ansatt: User, centre: Centre
) -> None:
    idle = make_user(Role.ANSATT, centre)
    _opt_in(idle)  # opted in, nothing due
    case_due(ansatt, "R-1", -1)
    _remind()
    assert mail.outbox == []

    _opt_in(ansatt)
    reminder_preference_set(acting_user=ansatt, email=False, language="nb")
    _remind()
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_dry_run_prints_counts_only_and_sends_nothing(ansatt: User, centre: Centre) -> None:
    case_due(ansatt, "R-hemmelig", -1)
    _opt_in(ansatt)
    out = _remind("--dry-run")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert "dry run" in out
    assert f"centre {centre.pk}: people 1, with tasks 1, tasks 1, opted in 1, e-mails sent 0" in out
    assert "R-hemmelig" not in out
    assert ansatt.email not in out
    assert centre.name not in out
    event = AuditEvent.objects.get(action="reminders_run")
    assert event.details["dry_run"] is True
    assert event.details["emails_sent"] == 0


def test_each_centre_is_counted_in_its_own_scope_and_audited_with_counts_only(
    ansatt: User, centre: Centre, other_centre: Centre
) -> None:
    other = make_user(Role.ANSATT, other_centre)
    case_due(other, "KANARI-1", -1)
    case_due(other, "KANARI-2", -1)
    case_due(ansatt, "R-1", -1)
    _opt_in(ansatt, "en")
    _opt_in(other, "en")

    _remind()
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies == {
        ansatt.email: "You have 1 task in Vern.\n",
        other.email: "You have 2 tasks in Vern.\n",
    }
    events = {e.centre_id: e for e in AuditEvent.objects.filter(action="reminders_run")}
    assert set(events) == {centre.pk, other_centre.pk}
    assert events[centre.pk].details == {
        "people": 1,
        "with_tasks": 1,
        "tasks": 1,
        "opted_in": 1,
        "emails_sent": 1,
        "already_sent": 0,
        "no_address": 0,
        "failed": 0,
        "dry_run": False,
    }
    assert events[other_centre.pk].details["tasks"] == 2
    assert events[centre.pk].object_type == "centre"
    assert events[centre.pk].actor_id is None


def test_a_failed_sending_is_tried_again_by_the_next_run(ansatt: User, settings: object) -> None:
    case_due(ansatt, "R-1", -1)
    _opt_in(ansatt)
    settings.EMAIL_BACKEND = "tests.reminders.conftest.FailingBackend"  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="1 e-mail"):
        _remind()
    assert not ReminderSent.objects.exists()
    assert AuditEvent.objects.get(action="reminders_run").details["failed"] == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    _remind()
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_a_person_without_an_address_is_counted_not_mailed(ansatt: User) -> None:
    ansatt.email = ""
    ansatt.save(update_fields=["email"])
    case_due(ansatt, "R-1", -1)
    _opt_in(ansatt)
    out = _remind()
    assert mail.outbox == []
    assert "opted in without an address 1" in out


def test_the_settings_page_saves_the_choice_and_shows_the_exact_email(
    ansatt: User, ansatt_client: Client
) -> None:
    page = ansatt_client.get("/oppgaver/innstillinger/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Påminnelse" in html
    assert "Du har 3 oppgaver i Vern." in html
    response = ansatt_client.post("/oppgaver/innstillinger/", {"email": "on", "language": "en"})
    assert response.status_code == 302
    assert ansatt.reminder_preference.email is True
    assert ansatt.reminder_preference.language == "en"
    event = AuditEvent.objects.get(action="reminder_preference_changed")
    assert event.details == {"email_on": True, "language": "en"}
    html = ansatt_client.get("/oppgaver/innstillinger/").content.decode()
    assert 'lang="en"' in html
    assert "You have 3 tasks in Vern." in html

    bad = ansatt_client.post("/oppgaver/innstillinger/", {"email": "on", "language": "xx"})
    assert bad.status_code == 200
    assert "language" in bad.context["form"].errors
    ansatt.reminder_preference.refresh_from_db()
    assert ansatt.reminder_preference.language == "en"
