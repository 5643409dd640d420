"""Where the assessment reads the facts that other, higher apps own (docs/adr/0011).

Factors 7 and 8 (G7) and the consent form come from the consent records, and ``vern.consent``
is above ``vern.assessments`` in the layering (it re-derives the assessment when a consent
changes). So this module defines what the assessment needs, ``ConsentFacts``, and the consent
app registers the function that reads them in its ``AppConfig.ready()``. Without a registered
reader an assessment is never derived: ``consent_facts`` raises ``ImproperlyConfigured``, and
``vern check`` (every management command) reports the system check error assessments.E001.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from vern.cases.models import Case


@dataclass(frozen=True)
class ConsentFacts:
    """The consent state of a case at a moment, as the assessment needs it (G3, G5, G7, C1)."""

    # Factor 7: the consent to the police valid at that moment (vern.consent.models.Consent).
    consent: object | None
    # Factor 8: the record that the user was informed about public prosecution
    # (vern.consent.models.InformationRecord).
    information: object | None
    # G13, C1: the user's refusal in force (vern.consent.models.ConsentRefusal).
    refusal: object | None


class ConsentReader(Protocol):
    def __call__(self, *, case: Case, at: dt.datetime) -> ConsentFacts: ...


_readers: dict[str, ConsentReader] = {}


def register_consent_reader(reader: ConsentReader) -> None:
    """Register the one function that reads a case's consent facts. Registering the same
    function again is a no-op (``ready()`` may run more than once); a second, different reader
    is a programming error."""
    current = _readers.get("consent")
    if current is not None and current is not reader:
        msg = f"a consent reader is already registered ({current!r}); refusing {reader!r}"
        raise ImproperlyConfigured(msg)
    _readers["consent"] = reader


def consent_reader_registered() -> bool:
    """Whether the consent app has registered its reader (the system check assessments.E001)."""
    return "consent" in _readers


def consent_facts(*, case: Case, at: dt.datetime) -> ConsentFacts:
    """The consent facts of ``case`` at ``at``, from the registered reader. Fails loudly when
    none is registered: an assessment derived without them would read "no consent, not
    informed" for every case."""
    reader = _readers.get("consent")
    if reader is None:
        msg = (
            "no consent reader is registered: vern.consent registers one in "
            "ConsentConfig.ready(); is vern.consent in INSTALLED_APPS?"
        )
        raise ImproperlyConfigured(msg)
    return reader(case=case, at=at)
