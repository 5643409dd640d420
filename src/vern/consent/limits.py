"""Maximum lengths of the consent app's free text (one place for forms and services).

The model columns are TextFields; these limits keep a record readable and stop a pasted
document or a runaway script from filling a case (finding 7). The form shows the error on
the field and keeps the text; the service refuses the same for API clients."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

PURPOSE_MAX: Final = 1000
VERBAL_REASON_MAX: Final = 1000
REFUSAL_REASONS_MAX: Final = 4000
WITHDRAWAL_NOTE_MAX: Final = 200

# Django's MaxLengthValidator params: limit_value (the maximum) and show_value (the count).
TOO_LONG: Final = _(
    "Teksten kan ha høyst %(limit_value)d tegn, men har %(show_value)d. Kort den ned; det du "
    "skrev er beholdt."
)
