"""The questions of the user's own view (issue 17, G6, G13): what the user is asked in the
"Assess together" mode, one question per screen. Their texts, in every language, live with the
documents' texts (``documents/texts/<lang>.yaml``, section ``together``); here only the ids
and the choices each question takes, so that the service can check what it stores."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext as _

CHOICES: Final = ("yes", "no", "unsure")

# Question id -> the choices it takes (empty: the user's own words only). In the order asked.
QUESTIONS: Final[dict[str, tuple[str, ...]]] = {
    "danger": CHOICES,
    "wants": (),
    "report": CHOICES,
    "move": CHOICES,
    "consent": CHOICES,
}
MAX_WORDS_LENGTH: Final = 2000


def question_labels() -> dict[str, str]:
    """Each question in the staff's UI language (gettext), for the case and assessment pages."""
    return {
        "danger": _("Redd for å bli utsatt for vold igjen"),
        "wants": _("Det viktigste for brukeren nå"),
        "report": _("Vil anmelde volden"),
        "move": _("Trenger å flytte til et tryggere sted"),
        "consent": _("Vil at krisesenteret kontakter politiet"),
    }


def choice_labels() -> dict[str, str]:
    return {"yes": _("Ja"), "no": _("Nei"), "unsure": _("Vet ikke")}
