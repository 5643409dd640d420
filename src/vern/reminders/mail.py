"""The reminder e-mail: it says only that there are N tasks in Vern.

No case reference, no name, no link (a host name can tell where it comes from), and no word
of what the tasks are about: an e-mail can be read by someone else on a shared or watched
device. The sender is ``DEFAULT_FROM_EMAIL`` (``VERN_EMAIL_FROM``, neutral), the subject a
plain "Påminnelse"."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext


def email_language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def reminder_subject(language: str) -> str:
    with translation.override(email_language(language)):
        return gettext("Påminnelse")


def reminder_body(count: int, language: str) -> str:
    with translation.override(email_language(language)):
        text = ngettext("Du har %(n)d oppgave i Vern.", "Du har %(n)d oppgaver i Vern.", count)
        return (text % {"n": count}) + "\n"
