"""The outcome of an assessment: frozen, typed, and serialisable to the contract's JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from vern.rules.texts import Texts

if TYPE_CHECKING:
    from vern.rules.model import Measure


@dataclass(frozen=True, slots=True)
class Action:
    """Something staff should do, with its legal basis and the requirements it implements."""

    id: str
    basis: tuple[str, ...]
    requirements: tuple[str, ...]
    text: Texts
    rule: str

    def to_dict(self, lang: str) -> dict[str, object]:
        return {
            "id": self.id,
            "basis": list(self.basis),
            "requirements": list(self.requirements),
            "text": self.text.get(lang),
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a decision came out as it did: the rule that decided it."""

    rule: str
    decision: str
    value: bool | str | None
    requirements: tuple[str, ...]
    basis: tuple[str, ...]
    text: Texts

    def to_dict(self, lang: str) -> dict[str, object]:
        return {
            "rule": self.rule,
            "requirements": list(self.requirements),
            "basis": list(self.basis),
            "text": self.text.get(lang),
            "decides": self.decision,
        }


@dataclass(frozen=True, slots=True)
class Overridden:
    """A rule whose conditions held but which a higher rule overrode."""

    rule: str
    by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OffenceLine:
    id: str
    max_penalty_years: float
    duty_to_avert: bool
    title: Texts
    duty_to_avert_condition: Texts | None = None
    """A limit of the duty to avert for this offence (e.g. aggrieved person under 16)."""

    def to_dict(self, lang: str) -> dict[str, object]:
        condition = self.duty_to_avert_condition
        return {
            "id": self.id,
            "max_penalty_years": self.max_penalty_years,
            "duty_to_avert": self.duty_to_avert,
            "title": self.title.get(lang),
            "duty_to_avert_condition": None if condition is None else condition.get(lang),
        }


@dataclass(frozen=True, slots=True)
class PublicProsecution:
    victim_wish_given_weight: bool | None
    offences: tuple[OffenceLine, ...]
    two_year_line: float

    def to_dict(self, lang: str) -> dict[str, object]:
        return {
            "victim_wish_given_weight": self.victim_wish_given_weight,
            "offences": [offence.to_dict(lang) for offence in self.offences],
            "two_year_line_years": self.two_year_line,
        }


@dataclass(frozen=True, slots=True)
class Labels:
    """Plain-language names of the decided values, from the rulebook."""

    police_involvement: Texts
    next_step: Texts


@dataclass(frozen=True, slots=True)
class Decided:
    """Everything the rules decide from an input state (facts-specific parts come later)."""

    police_involvement: str
    consent_needed: bool
    no_consent_grounds: tuple[str, ...]
    next_step: str
    victim_wish_given_weight: bool | None
    actions: tuple[Action, ...]
    reasons: tuple[Reason, ...]
    rules_fired: tuple[str, ...]
    rules_overridden: tuple[Overridden, ...]
    labels: Labels


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of ``evaluate``. What the rules decided lives in ``decided`` (shared between
    outcomes with the same input state); the properties below expose it."""

    rulebook_id: str
    rulebook_version: str
    on: dt.date
    decided: Decided
    public_prosecution: PublicProsecution
    measures: tuple[Measure, ...]
    measures_note: Texts

    @property
    def police_involvement(self) -> str:
        return self.decided.police_involvement

    @property
    def consent_needed(self) -> bool:
        return self.decided.consent_needed

    @property
    def no_consent_grounds(self) -> tuple[str, ...]:
        """The lawful grounds for contact without consent that hold (contract v2)."""
        return self.decided.no_consent_grounds

    @property
    def next_step(self) -> str:
        return self.decided.next_step

    @property
    def actions(self) -> tuple[Action, ...]:
        return self.decided.actions

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.decided.reasons

    @property
    def rules_fired(self) -> tuple[str, ...]:
        return self.decided.rules_fired

    @property
    def rules_overridden(self) -> tuple[Overridden, ...]:
        return self.decided.rules_overridden

    @property
    def labels(self) -> Labels:
        return self.decided.labels

    @property
    def requirements(self) -> tuple[str, ...]:
        """Every requirement id cited by the reasons and actions, in a stable order."""
        ids = {req for reason in self.reasons for req in reason.requirements}
        ids.update(req for action in self.actions for req in action.requirements)
        return tuple(sorted(ids, key=lambda r: (r[0], int(r[1:]) if r[1:].isdigit() else 0, r)))

    def to_dict(self, lang: str = "nb") -> dict[str, object]:
        """The contract's JSON object (plus a few documented extra keys) in ``lang``."""
        return {
            "rulebook": {"id": self.rulebook_id, "version": self.rulebook_version},
            "on": self.on.isoformat(),
            "police_involvement": self.police_involvement,
            "police_involvement_text": self.labels.police_involvement.get(lang),
            "consent_needed": self.consent_needed,
            "no_consent_grounds": list(self.no_consent_grounds),
            "next_step": self.next_step,
            "next_step_text": self.labels.next_step.get(lang),
            "actions": [action.to_dict(lang) for action in self.actions],
            "reasons": [reason.to_dict(lang) for reason in self.reasons],
            "public_prosecution": self.public_prosecution.to_dict(lang),
            "measures": [_measure_dict(measure, lang) for measure in self.measures],
            "measures_note": self.measures_note.get(lang),
            "rules_fired": list(self.rules_fired),
            "rules_overridden": [
                {"rule": item.rule, "by": list(item.by)} for item in self.rules_overridden
            ],
            "requirements": list(self.requirements),
        }


def _measure_dict(measure: Measure, lang: str) -> dict[str, object]:
    return {
        "id": measure.id,
        "title": measure.title.get(lang),
        "text": measure.text.get(lang),
        "basis": list(measure.basis),
        "basis_note": measure.basis_note,
        "requires_report": measure.requires_report,
        "valid_from": None if measure.valid_from is None else measure.valid_from.isoformat(),
    }


def setters(cls: type) -> dict[str, Callable[[object, object], None]]:
    """The setters of the slots of a frozen, slotted dataclass, by field, in field order.

    With ``object.__new__`` they build an instance without the dataclass ``__init__``, which
    calls ``object.__setattr__`` once per field and takes about twice as long: the engine's
    hot path (``build_outcome`` below, the generated code of ``vern.rules.unrolled``) sets
    every field exactly once, so the object is the same, equal and as frozen as one built by
    ``__init__``. Everywhere else, call the class.
    """
    return {f.name: getattr(cls, f.name).__set__ for f in fields(cls)}


_new = object.__new__
_OUTCOME_FIELDS = (
    "rulebook_id",
    "rulebook_version",
    "on",
    "decided",
    "public_prosecution",
    "measures",
    "measures_note",
)
_PROSECUTION_FIELDS = ("victim_wish_given_weight", "offences", "two_year_line")
# build_outcome sets every field once: a field added to either class must be added here too.
if tuple(setters(Outcome)) != _OUTCOME_FIELDS or (
    tuple(setters(PublicProsecution)) != _PROSECUTION_FIELDS
):
    msg = "build_outcome does not set every field of Outcome and PublicProsecution"
    raise TypeError(msg)
_OUTCOME = tuple(setters(Outcome)[name] for name in _OUTCOME_FIELDS)
_PROSECUTION = tuple(setters(PublicProsecution)[name] for name in _PROSECUTION_FIELDS)


def build_outcome(  # noqa: PLR0917 (positional: the engine's hot path, one call per outcome)
    rulebook_id: str,
    rulebook_version: str,
    on: dt.date,
    decided: Decided,
    victim_wish_given_weight: bool | None,
    offences: tuple[OffenceLine, ...],
    two_year_line: float,
    measures: tuple[Measure, ...],
    measures_note: Texts,
) -> Outcome:
    """``Outcome(...)`` with its ``PublicProsecution``, built from the slots (see ``setters``)."""
    prosecution = _new(PublicProsecution)
    set_wish, set_offences, set_line = _PROSECUTION
    set_wish(prosecution, victim_wish_given_weight)
    set_offences(prosecution, offences)
    set_line(prosecution, two_year_line)
    outcome = _new(Outcome)
    set_id, set_version, set_on, set_decided, set_prosecution, set_measures, set_note = _OUTCOME
    set_id(outcome, rulebook_id)
    set_version(outcome, rulebook_version)
    set_on(outcome, on)
    set_decided(outcome, decided)
    set_prosecution(outcome, prosecution)
    set_measures(outcome, measures)
    set_note(outcome, measures_note)
    return outcome
