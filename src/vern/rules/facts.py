"""The facts of one assessment, and their strict parsing from JSON-like data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast
from zoneinfo import ZoneInfo

from vern.rules.errors import FactsError
from vern.rules.loader import Rulebook, load_rulebook
from vern.rules.vocabulary import CONSENT_FORMS, EXTRA_FACT_NAMES, FACTOR_NAMES, RISK_VALUES

Risk = Literal["yes", "no", "unknown"]
ConsentForm = Literal["written", "verbal"]

OSLO = ZoneInfo("Europe/Oslo")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FACT_KEYS = (
    "on",
    "risk_of_new_serious_violence",
    "factors",
    "consent_form",
    "suspected_offences",
    *EXTRA_FACT_NAMES,
)


@dataclass(frozen=True, slots=True)
class Factors:
    """The nine factors of the guidance (G7), in the page's order; missing means false."""

    great_danger: bool = False
    threat_picture_unclear: bool = False
    needs_information_only_police_have: bool = False
    needs_police_or_court_safety_measures: bool = False
    needs_relocation_for_safety: bool = False
    user_wants_to_report: bool = False
    user_consents: bool = False
    user_informed_about_public_prosecution: bool = False
    duty_to_avert: bool = False

    def to_dict(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in FACTOR_NAMES}


@dataclass(frozen=True, slots=True)
class Facts:
    """What staff and user found, on a date. Build with ``parse_facts`` or directly."""

    on: dt.date
    risk_of_new_serious_violence: Risk = "unknown"
    factors: Factors = field(default_factory=Factors)
    consent_form: ConsentForm | None = None
    suspected_offences: tuple[str, ...] = ()
    # Contract v2 (L1, B1): see vern.rules.vocabulary.EXTRA_FACT_NAMES.
    danger_to_life_or_health: bool = False
    child_welfare_concern: bool = False

    def to_dict(self) -> dict[str, object]:
        """The facts in the JSON shape that ``parse_facts`` reads."""
        return {
            "on": self.on.isoformat(),
            "risk_of_new_serious_violence": self.risk_of_new_serious_violence,
            "factors": self.factors.to_dict(),
            "consent_form": self.consent_form,
            "suspected_offences": list(self.suspected_offences),
            "danger_to_life_or_health": self.danger_to_life_or_health,
            "child_welfare_concern": self.child_welfare_concern,
        }


def oslo_today() -> dt.date:
    """Today's date in Norway."""
    return dt.datetime.now(tz=OSLO).date()


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def parse_date(value: object, key: str) -> dt.date:
    """An ISO date ``YYYY-MM-DD``; FactsError naming ``key`` otherwise."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"{key!r} must be a date written YYYY-MM-DD, got {_describe(value)}"
    raise FactsError(msg)


def _parse_factors(value: object) -> Factors:
    if not isinstance(value, Mapping):
        msg = f"'factors' must be an object, got {_describe(value)}"
        raise FactsError(msg)
    flags: dict[str, bool] = {}
    for key, flag in value.items():
        if key not in FACTOR_NAMES:
            msg = f"unknown key 'factors.{key}' (known: {', '.join(FACTOR_NAMES)})"
            raise FactsError(msg)
        if not isinstance(flag, bool):
            msg = f"'factors.{key}' must be true or false, got {_describe(flag)}"
            raise FactsError(msg)
        flags[str(key)] = flag
    return Factors(**flags)


def _parse_offences(value: object, known: frozenset[str]) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        msg = f"'suspected_offences' must be a list of offence ids, got {_describe(value)}"
        raise FactsError(msg)
    ids: list[str] = []
    for item in value:
        if not isinstance(item, str):
            msg = f"'suspected_offences' must hold offence ids (strings), got {_describe(item)}"
            raise FactsError(msg)
        if item not in known:
            msg = f"unknown offence id {item!r} in 'suspected_offences'"
            raise FactsError(msg)
        if item not in ids:
            ids.append(item)
    return tuple(ids)


def parse_facts(
    data: object, *, today: dt.date | None = None, rulebook: Rulebook | None = None
) -> Facts:
    """Read facts from a decoded JSON object, strictly: unknown keys and wrong types are errors.

    ``today`` is the date used when ``on`` is missing (default: today in Norway). Offence ids
    are checked against the offence table of ``rulebook`` (default: the packaged rulebook).
    """
    if not isinstance(data, Mapping):
        msg = f"the facts must be a JSON object, got {_describe(data)}"
        raise FactsError(msg)
    for key in data:
        if key not in FACT_KEYS:
            msg = f"unknown key {key!r} (known: {', '.join(FACT_KEYS)})"
            raise FactsError(msg)

    on = parse_date(data["on"], "on") if "on" in data else (today or oslo_today())

    risk = data.get("risk_of_new_serious_violence", "unknown")
    if not isinstance(risk, str) or risk not in RISK_VALUES:
        msg = (
            "'risk_of_new_serious_violence' must be one of "
            f"{', '.join(repr(v) for v in RISK_VALUES)}, got {_describe(risk)}"
        )
        raise FactsError(msg)

    factors = _parse_factors(data["factors"]) if "factors" in data else Factors()

    consent_form = data.get("consent_form")
    if consent_form is not None and (
        not isinstance(consent_form, str) or consent_form not in CONSENT_FORMS
    ):
        msg = f"'consent_form' must be 'written', 'verbal' or null, got {_describe(consent_form)}"
        raise FactsError(msg)

    extra: dict[str, bool] = {}
    for key in EXTRA_FACT_NAMES:
        flag = data.get(key, False)
        if not isinstance(flag, bool):
            msg = f"{key!r} must be true or false, got {_describe(flag)}"
            raise FactsError(msg)
        extra[key] = flag

    offences: tuple[str, ...] = ()
    if "suspected_offences" in data:
        if rulebook is None:
            rulebook = load_rulebook()
        offences = _parse_offences(data["suspected_offences"], rulebook.offence_ids)

    return Facts(
        on=on,
        risk_of_new_serious_violence=cast("Risk", risk),
        factors=factors,
        consent_form=cast("ConsentForm | None", consent_form),
        suspected_offences=offences,
        danger_to_life_or_health=extra["danger_to_life_or_health"],
        child_welfare_concern=extra["child_welfare_concern"],
    )
