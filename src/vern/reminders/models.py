"""A person's choice to be told by e-mail, and what was sent to whom on which day.

Neither holds case data: no case, no reference, only a person, a day and a number. They are
not tenant rows (a person's own settings, like the account itself)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderPreference(models.Model):
    """Opt-in per person: without a row, or with ``email`` off, no e-mail is sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    email = models.BooleanField(_("send e-post om oppgaver"), default=False)
    # The language of the e-mail (one of settings.LANGUAGES).
    language = models.CharField(_("språk i e-posten"), max_length=8, default="nb")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reminders of user {self.user_id}: e-mail {'on' if self.email else 'off'}"


class ReminderSent(models.Model):
    """One e-mail per person per (local) day: the unique pair makes a second run, or two runs
    at once, send nothing twice (``reminders.services.reminder_email_send``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    day = models.DateField()
    tasks = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_once_per_user_per_day")
        ]

    def __str__(self) -> str:
        return f"reminder to user {self.user_id} on {self.day}: {self.tasks}"
