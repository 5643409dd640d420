from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReminderPreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("Send meg en e-post de dagene jeg har oppgaver i Vern"),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Språk i e-posten"),
        choices=[(code, name) for code, name in settings.LANGUAGES],
        widget=forms.RadioSelect,
    )
