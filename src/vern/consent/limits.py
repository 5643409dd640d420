"""Maximum lengths of the consent app's free text (one place for forms and services).

The model columns are TextFields; these limits keep a record readable and stop a pasted
document or a runaway script from filling a case (finding 7). The form shows the error on
the field and keeps the text; the service refuses the same for API clients. The message is
``vern.core.forms.TOO_LONG``."""

from __future__ import annotations

from typing import Final

PURPOSE_MAX: Final = 1000
VERBAL_REASON_MAX: Final = 1000
REFUSAL_REASONS_MAX: Final = 4000
WITHDRAWAL_NOTE_MAX: Final = 200
