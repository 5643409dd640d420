"""The consent panel on the case page: information given, consents, refusals, next action.

The next action follows the guidance's order: inform about public prosecution first (G5, G15),
then ask for consent (G3, C1); a verbal consent keeps asking for a written one (G4); after a
refusal the case stays under reassessment and the motivation information is offered (G13, G8).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.cases.models import Case
from vern.cases.panels import CaseReads, Panel
from vern.consent import selectors
from vern.consent.forms import LANGUAGE_CHOICES
from vern.core import clock

# Next-action codes (also used by templates and tests).
INFORM_FIRST = "inform_first"
ASK_WRITTEN = "ask_written"
ASK_CONSENT = "ask_consent"
REFUSED = "refused"
CONSENT_IN_FORCE = "consent_in_force"
CLOSED = "closed"


def next_action(*, case: Case, overview: selectors.ConsentOverview) -> tuple[str, str]:
    """The one thing to do next on this panel, as (code, staff-facing text)."""
    if case.is_closed:
        return CLOSED, _("Saken er avsluttet. Samtykker og informasjon kan leses, ikke endres.")
    # A refusal is a state of the case until a consent is given (issue 14 point 5): it comes
    # before "inform first", which would ask again for what the user has declined.
    if overview.refused_since_last_consent:
        return REFUSED, _(
            "Brukeren har sagt nei til kontakt med politiet. Respekter valget, og tilby "
            "informasjon om hva politiet kan gjøre når det passer (G13). Saken revurderes."
        )
    if overview.informed is None:
        return INFORM_FIRST, _(
            "Informer brukeren om offentlig påtale først. Det må gjøres før brukeren blir spurt "
            "om samtykke til kontakt med politiet (G5, G15)."
        )
    if overview.ask_written:
        return ASK_WRITTEN, _(
            "Be om skriftlig samtykke: samtykket er bare muntlig (G4). Last opp signert skjema "
            "eller registrer et skriftlig samtykke."
        )
    if overview.active_police:
        return CONSENT_IN_FORCE, _(
            "Samtykke til politiet gjelder. Del bare opplysningene samtykket omfatter."
        )
    return ASK_CONSENT, _(
        "Spør brukeren om samtykke til kontakt med politiet, eller registrer at brukeren ikke "
        "ønsker det."
    )


def case_panel(*, case: Case, user: User, reads: CaseReads | None = None) -> Panel:
    overview = selectors.consent_overview(case=case, at=clock.now(), reads=reads)
    code, text = next_action(case=case, overview=overview)
    languages = dict(LANGUAGE_CHOICES)
    information = [
        (record, str(languages.get(record.language, record.language)))
        for record in overview.information
    ]
    return Panel(
        template="consent/_case_panel.html",
        context={
            "overview": overview,
            "information": information,
            "next_code": code,
            "next_text": text,
            "can_write": not case.is_closed,
        },
    )
