"""The consent facts the assessment derives factors 7 and 8 from (docs/adr/0011).

Registered in ``ConsentConfig.ready()`` with ``vern.assessments.sources``: the assessment app is
below consent and reads these facts through that registry, never by importing consent."""

from __future__ import annotations

import datetime as dt

from vern.assessments.sources import ConsentFacts
from vern.cases.models import Case
from vern.consent.selectors import (
    public_prosecution_information,
    refusal_in_force,
    valid_police_consent,
)


def read_consent_facts(*, case: Case, at: dt.datetime) -> ConsentFacts:
    """Factor 7 = a valid consent to the police at ``at`` (G3, C1); factor 8 = the user was
    informed about public prosecution (G5, G15); and the refusal in force (G13, C1)."""
    return ConsentFacts(
        consent=valid_police_consent(case=case, at=at),
        information=public_prosecution_information(case=case),
        refusal=refusal_in_force(case=case),
    )
