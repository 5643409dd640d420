"""The nine factors of the guidance (G7), in the page's order, with their texts.

Factors 1-6 are reasons for contact, 7-8 preconditions of consented contact (derived from the
records, never ticked), 9 the exception (the duty to avert, G11). The ids are the rules engine's
(vern.rules.vocabulary.FACTOR_NAMES).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

from vern.rules.vocabulary import FACTOR_NAMES


@dataclass(frozen=True)
class Factor:
    number: int
    id: str
    label: _StrPromise
    derived: bool = False


FACTORS: Final[tuple[Factor, ...]] = (
    Factor(
        1,
        "great_danger",
        _(
            "Opplysningene tyder på at brukeren er i stor fare som politiet bør kjenne til og "
            "vurdere beskyttende tiltak for."
        ),
    ),
    Factor(
        2,
        "threat_picture_unclear",
        _(
            "Ansatte er usikre på om de vet nok til å få et godt bilde av truslene, og trenger "
            "opplysninger som bare politiet har."
        ),
    ),
    Factor(
        3,
        "needs_information_only_police_have",
        _("Det er behov for opplysninger som bare politiet har tilgang til."),
    ),
    Factor(
        4,
        "needs_police_or_court_safety_measures",
        _("Det er behov for sikkerhetstiltak i regi av politiet og påtalemyndigheten."),
    ),
    Factor(
        5,
        "needs_relocation_for_safety",
        _("Brukeren må flytte til et annet krisesenter av sikkerhetshensyn."),
    ),
    Factor(6, "user_wants_to_report", _("Brukeren ønsker å anmelde volden.")),
    Factor(7, "user_consents", _("Brukeren samtykker til kontakt med politiet."), derived=True),
    Factor(
        8,
        "user_informed_about_public_prosecution",
        _("Brukeren er informert om offentlig påtale."),
        derived=True,
    ),
    Factor(
        9,
        "duty_to_avert",
        _(
            "Ansatte vurderer at forhold de kjenner til, utløser avvergeplikten (samtykke trengs "
            "ikke)."
        ),
    ),
)

assert tuple(f.id for f in FACTORS) == FACTOR_NAMES  # noqa: S101 (the engine's order)

TICKED: Final[tuple[str, ...]] = tuple(f.id for f in FACTORS if not f.derived)
# L1: ticked beside the nine factors (not one of them); its note is kept with the factor notes.
DANGER: Final = "danger_to_life_or_health"
DERIVED: Final[tuple[str, ...]] = tuple(f.id for f in FACTORS if f.derived)
BY_ID: Final[dict[str, Factor]] = {f.id: f for f in FACTORS}
