"""Writes of the reminders: a person's e-mail choice, and the e-mail of one day.

``reminders_run`` is what ``vern remind`` does: for each active staff member of each centre,
in that person's centre scope (``centres.tenancy.user_scope``: the same row-level security
as the person's own requests), it derives the tasks (``reminders.selectors.task_list``) and,
when the person has opted in, has an address and has tasks, sends the e-mail once for the
day. One audit event per centre records the counts (never a case)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from vern.accounts.models import Role, User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.centres.models import Centre
from vern.centres.tenancy import user_scope
from vern.core import clock
from vern.reminders.mail import email_language, reminder_body, reminder_subject
from vern.reminders.models import ReminderPreference, ReminderSent
from vern.reminders.selectors import task_list

logger = logging.getLogger(__name__)


@transaction.atomic
def reminder_preference_set(*, acting_user: User, email: bool, language: str) -> ReminderPreference:
    """The person's own choice: an e-mail when there are tasks (on/off), in ``language``."""
    preference, _created = ReminderPreference.objects.update_or_create(
        user=acting_user, defaults={"email": email, "language": email_language(language)}
    )
    audit_record(
        action=AuditAction.REMINDER_PREFERENCE_CHANGED,
        actor=acting_user,
        centre=acting_user.centre,
        object_type="user",
        object_id=acting_user.pk,
        details={"email_on": email, "language": preference.language},
    )
    return preference


def reminder_email_send(*, user: User, count: int, day: dt.date, language: str) -> bool:
    """Send the day's e-mail to ``user`` unless it was sent already: True when sent now.

    The row (user, day) is written first, in the same transaction as the sending: a second
    run finds it and sends nothing; two runs at once meet at the unique constraint (the
    second waits for the first and then finds the row). A failed sending rolls the row back,
    so the next run tries again."""
    with transaction.atomic():
        _sent, created = ReminderSent.objects.get_or_create(
            user=user, day=day, defaults={"tasks": count, "sent_at": clock.now()}
        )
        if not created:
            return False
        send_mail(
            reminder_subject(language),
            reminder_body(count, language),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    return True


@dataclass
class CentreRun:
    """The counts of one centre in one run (what ``--dry-run`` prints and the audit keeps)."""

    centre_id: int
    people: int = 0
    with_tasks: int = 0
    tasks: int = 0
    opted_in: int = 0
    sent: int = 0
    already_sent: int = 0
    no_address: int = 0
    failed: int = 0

    def details(self, *, dry_run: bool) -> dict[str, object]:
        return {
            "people": self.people,
            "with_tasks": self.with_tasks,
            "tasks": self.tasks,
            "opted_in": self.opted_in,
            "emails_sent": self.sent,
            "already_sent": self.already_sent,
            "no_address": self.no_address,
            "failed": self.failed,
            "dry_run": dry_run,
        }


@dataclass
class RunReport:
    day: dt.date
    dry_run: bool
    centres: list[CentreRun] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(int(getattr(run, name)) for run in self.centres)


def _staff(centre: Centre) -> list[User]:
    return list(
        User.objects.filter(
            centre=centre, is_active=True, role__in=[Role.ANSATT, Role.LEDER]
        ).order_by("pk")
    )


def _person(
    run: CentreRun,
    user: User,
    preference: ReminderPreference | None,
    *,
    day: dt.date,
    at: dt.datetime,
    dry_run: bool,
) -> None:
    with user_scope(user):
        count = task_list(user=user, at=at).count
    run.people += 1
    if count == 0:
        return
    run.with_tasks += 1
    run.tasks += count
    if preference is None or not preference.email:
        return
    run.opted_in += 1
    if not user.email:
        run.no_address += 1
        return
    if dry_run:
        if ReminderSent.objects.filter(user=user, day=day).exists():
            run.already_sent += 1
        return
    try:
        sent = reminder_email_send(user=user, count=count, day=day, language=preference.language)
    except Exception:  # an unreachable mail server: the others still get theirs
        logger.exception("reminder e-mail to user %s failed", user.pk)
        run.failed += 1
        return
    if sent:
        run.sent += 1
    else:
        run.already_sent += 1


def reminders_run(*, dry_run: bool = False, at: dt.datetime | None = None) -> RunReport:
    """Derive every staff member's tasks and send the opted-in e-mails of the day (once).

    ``dry_run`` sends nothing and records nothing sent; it is audited all the same (it read
    every centre's case state). The day is the local date of ``at`` (default now)."""
    at = at or clock.now()
    day = timezone.localtime(at).date()
    report = RunReport(day=day, dry_run=dry_run)
    preferences = {p.user_id: p for p in ReminderPreference.objects.all()}
    for centre in Centre.objects.filter(is_active=True).order_by("pk"):
        run = CentreRun(centre_id=centre.pk)
        for user in _staff(centre):
            _person(run, user, preferences.get(user.pk), day=day, at=at, dry_run=dry_run)
        audit_record(
            action=AuditAction.REMINDERS_RUN,
            centre=centre,
            object_type="centre",
            object_id=centre.pk,
            details=run.details(dry_run=dry_run),
        )
        report.centres.append(run)
    return report
