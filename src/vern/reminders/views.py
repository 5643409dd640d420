"""The task page ("Oppgaver") and the person's reminder settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vern.accounts.request import case_worker
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.reminders import services
from vern.reminders.forms import ReminderPreferenceForm
from vern.reminders.header import remember_count
from vern.reminders.mail import email_language, reminder_body, reminder_subject
from vern.reminders.models import ReminderPreference
from vern.reminders.selectors import task_list


def tasks(request: HttpRequest) -> HttpResponse:
    """What is due for the user now; the header's count is refreshed from the same list."""
    user = case_worker(request)
    found = task_list(user=user)
    remember_count(request, found.count)
    # The page lists case references: one read event, like the case list.
    audit_record(
        action=AuditAction.CASE_LISTED,
        actor=user,
        centre=user.centre,
        request=request,
        reason="tasks",
    )
    return render(request, "reminders/tasks.html", {"tasks": found, "sections": found.sections()})


def reminder_settings(request: HttpRequest) -> HttpResponse:
    """Opt in or out of the e-mail, and see exactly what it says."""
    user = case_worker(request)
    preference = ReminderPreference.objects.filter(user=user).first()
    initial = {
        "email": preference.email if preference else False,
        "language": preference.language if preference else email_language(get_language() or ""),
    }
    form = ReminderPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.reminder_preference_set(
            acting_user=user,
            email=bool(form.cleaned_data["email"]),
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Valget ditt er lagret."))
        return redirect("reminders:settings")
    language = initial["language"]
    if form.is_bound and form.is_valid():
        language = form.cleaned_data["language"]
    return render(
        request,
        "reminders/settings.html",
        {
            "form": form,
            "preference": preference,
            "example_language": email_language(str(language)),
            "example_subject": reminder_subject(str(language)),
            "example_body": reminder_body(3, str(language)),
        },
    )
