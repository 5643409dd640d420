from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vern.api.models import DEFAULT_DAYS, MAX_DAYS


def _days_help_text() -> str:
    return gettext("Fra 1 til %(n)s dager. Nøkkelen slutter å virke etter det.") % {"n": MAX_DAYS}


# Lazy with its number filled in: "%" on a lazy string translates once, at import, in bokmål.
_days_help = lazy(_days_help_text, str)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"),
        max_length=80,
        help_text=_("Hva nøkkelen skal brukes til, for eksempel «Journalsystem»."),
    )
    days = forms.IntegerField(
        label=_("Gyldig i antall dager"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_days_help(),
    )
