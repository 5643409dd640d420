"""Issue 16 point 3: the rules of a new consent (C1, G4, G5, G15) are one pure function,
``consent_check``, from a frozen ``ConsentInput`` to the values to store or a ValidationError
naming each field. No test here may touch the database (no ``django_db`` mark: pytest-django
would fail any query); the one read it needs, the public-prosecution information before the
consent, is passed in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vern.consent.models import InformationRecord
from vern.consent.services import (
    EXPIRES_BEFORE_GIVEN,
    CheckedConsent,
    ConsentInput,
    consent_check,
)

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
INFORMED = InformationRecord(given_at=NOW - dt.timedelta(days=1), language="nb")


def _input(**overrides: Any) -> ConsentInput:
    """A written consent to the police, signed on screen."""
    values: dict[str, Any] = {
        "recipient_kind": "police",
        "police_district": "oslo",
        "purpose": "  Vurdere sikkerhetstiltak ",
        "categories": ("violence", "identity"),
        "form": "written",
        "written_method": "on_screen",
        "signed_by_name": " Kari   Nordmann ",
        "signature_confirmed": True,
        "verbal_witness": "Vitne",
        "verbal_reason": "Grunn",
    }
    values.update(overrides)
    return ConsentInput(**values)


def _check(data: ConsentInput, informed: InformationRecord | None = INFORMED) -> CheckedConsent:
    asked: list[dt.datetime] = []

    def information_before(at: dt.datetime) -> InformationRecord | None:
        asked.append(at)
        return informed

    with translation.override("nb"):
        checked = consent_check(data, now=NOW, information_before=information_before)
    assert asked == ([checked.given_at] if data.recipient_kind == "police" else [])
    return checked


def _refused(data: ConsentInput, informed: InformationRecord | None = INFORMED) -> dict[str, Any]:
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        consent_check(data, now=NOW, information_before=lambda _at: informed)
    return refused.value.message_dict


def test_the_input_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _input().purpose = "noe annet"  # type: ignore[misc]


def test_a_written_consent_is_stored_trimmed_without_the_verbal_fields() -> None:
    checked = _check(_input())
    assert checked.purpose == "Vurdere sikkerhetstiltak"
    assert checked.signed_by_name == "Kari Nordmann"
    assert checked.categories == ("identity", "violence")  # the order of the choices
    assert (checked.verbal_witness, checked.verbal_reason) == ("", "")
    assert checked.given_at == NOW  # no moment given: now
    assert checked.information is INFORMED


def test_a_verbal_consent_needs_a_witness_and_the_reason_it_is_not_written() -> None:
    errors = _refused(_input(form="verbal", verbal_witness=" ", verbal_reason=""))
    assert errors == {
        "verbal_witness": ["Et muntlig samtykke krever et vitne (G4)."],
        "verbal_reason": ["Skriv hvorfor samtykket ikke er skriftlig (G4)."],
    }


def test_a_verbal_consent_drops_what_belongs_to_a_written_one() -> None:
    checked = _check(_input(form="verbal"))
    assert (checked.written_method, checked.signed_by_name) == ("", "")
    assert (checked.verbal_witness, checked.verbal_reason) == ("Vitne", "Grunn")


def test_a_consent_to_the_police_needs_the_public_prosecution_information_first() -> None:
    errors = _refused(_input(), informed=None)
    assert list(errors) == ["__all__"]
    assert "offentlig påtale" in errors["__all__"][0]


def test_a_consent_to_a_new_centre_names_the_centre_and_asks_for_no_information() -> None:
    errors = _refused(_input(recipient_kind="crisis_centre", recipient_unit="  "))
    assert list(errors) == ["recipient_unit"]
    checked = _check(_input(recipient_kind="crisis_centre", recipient_unit=" Senter  Nord "), None)
    assert (checked.police_district, checked.recipient_unit) == ("", "Senter Nord")
    assert checked.information is None


def test_an_unknown_recipient_is_the_only_error_named() -> None:
    assert list(_refused(_input(recipient_kind="press", purpose="", form="?"))) == [
        "recipient_kind"
    ]


def test_every_other_error_is_named_at_once() -> None:
    errors = _refused(
        _input(
            police_district="atlantis",
            purpose="",
            categories=(),
            written_method="upload",
            given_at=NOW + dt.timedelta(hours=1),
        ),
        informed=None,
    )
    assert set(errors) == {
        "police_district",
        "purpose",
        "categories",
        "signed_file",
        "given_at",
        "__all__",
    }


def test_an_expiry_at_or_before_the_consent_is_refused_with_its_code() -> None:
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        consent_check(
            _input(given_at=NOW - dt.timedelta(hours=2), expires_at=NOW - dt.timedelta(hours=2)),
            now=NOW,
            information_before=lambda _at: INFORMED,
        )
    (error,) = refused.value.error_dict["expires_at"]
    assert error.code == EXPIRES_BEFORE_GIVEN
    assert error.messages == ["Utløpstidspunktet må være etter at samtykket ble gitt."]
