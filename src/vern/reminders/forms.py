from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


class ReminderPreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("Send meg en e-post de dagene jeg har oppgaver i Vern"),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Språk i e-posten"),
        # Each language in its own name (the label carries its lang attribute).
        choices=[
            (code, str(get_language_info(code)["name_local"]).capitalize())
            for code, _name in settings.LANGUAGES
        ],
        widget=forms.RadioSelect,
    )
