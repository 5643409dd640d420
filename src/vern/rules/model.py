"""The rulebook's entries as frozen data classes (no YAML, no checks, no compiled program).

The bottom of the rules package's own layering: ``model`` <- ``outcome`` <- ``unrolled`` <-
``program`` <- ``checks`` <- ``loader`` (which also holds the loaded ``Rulebook``);
``rulebook`` re-exports the public names so older imports keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from vern.rules.texts import Texts
from vern.rules.vocabulary import Value

STATUSES = ("verified", "check")

Condition = tuple[tuple[str, tuple[Value, ...]], ...]
"""A conjunction: every (variable, allowed values) pair must hold. Empty = always."""


def valid_on(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Whether a dated entry applies on ``day``; ``valid_until`` is the last day (inclusive)."""
    return (start is None or start <= day) and (end is None or day <= end)


def value_in(value: object, values: Iterable[Value]) -> bool:
    """Membership that keeps True apart from 1 and the string 'true'."""
    return any(value == v and type(value) is type(v) for v in values)


@dataclass(frozen=True, slots=True)
class Meta:
    id: str
    version: str
    date: dt.date
    applies_from: dt.date
    title: Texts
    source: str


@dataclass(frozen=True, slots=True)
class ChangelogEntry:
    version: str
    date: dt.date
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    title: str
    section: str
    gist: str
    source: str
    status: str
    checked_on: dt.date
    status_note: str | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    summary: str
    elsewhere: str | None


@dataclass(frozen=True, slots=True)
class Offence:
    id: str
    section: str
    title: Texts
    max_penalty_years: float
    in_196_list: bool
    status: str
    source: str
    checked_on: dt.date
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    note: str | None = None
    duty_to_avert_condition: Texts | None = None
    """A limit of the duty to avert for this offence (§ 196 second paragraph), in nb/nn/en."""


@dataclass(frozen=True, slots=True)
class Parameter:
    id: str
    value: float
    valid_from: dt.date
    valid_until: dt.date | None
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    order: int
    title: Texts
    text: Texts
    basis: tuple[str, ...]
    basis_note: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    status: str
    requires_report: bool
    checked_on: dt.date | None = None
    source: str | None = None
    status_note: str | None = None


@dataclass(frozen=True, slots=True)
class ActionDef:
    id: str
    order: int
    text: Texts


@dataclass(frozen=True, slots=True)
class DecisionDef:
    id: str
    order: int
    labels: tuple[tuple[Value, Texts], ...]

    def label(self, value: Value) -> Texts:
        for candidate, texts in self.labels:
            if candidate == value and type(candidate) is type(value):
                return texts
        msg = f"decision {self.id!r} has no label for {value!r}"
        raise KeyError(msg)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule. It either decides a decision (``decides``/``value``) or adds an ``action``."""

    id: str
    valid_from: dt.date
    valid_until: dt.date | None
    requirements: tuple[str, ...]
    references: tuple[str, ...]
    when: tuple[Condition, ...]
    decides: str | None
    value: Value
    action: str | None
    overrides: tuple[str, ...]
    text: Texts | None
    note: str | None = None
    # On a rule deciding consent_needed false: the lawful ground it rests on (contract v2's
    # ``no_consent_grounds``; one of vocabulary.NO_CONSENT_GROUNDS).
    no_consent_ground: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(self.valid_from, self.valid_until, day)
