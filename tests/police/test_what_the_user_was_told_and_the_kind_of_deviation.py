"""Two small parts of the ground check (issue 22: mutants of both survived the suite).

* L1, L2: "the user was told" is recorded only with both when and how, or else why not yet.
* A consent contact that only shared outside the consent's scope (categories, the police
  district, or both at once) opens a "shared outside the consent" deviation; any other reason
  makes it a contact without a valid ground."""

from __future__ import annotations

import datetime as dt

import pytest

from vern.consent.selectors import OUT_OF_SCOPE, WITHDRAWN
from vern.police import ground
from vern.police.models import DeviationKind

AT = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def _told(**fields: object) -> ground.ContactInput:
    return ground.ContactInput(
        contact_at=AT,
        police_district="oslo",
        contact_role="investigator",
        channel="phone",
        legal_ground="danger_to_life_or_health",
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("fields", "recorded"),
    [
        ({"user_told_at": AT, "user_told_how": "I samtale."}, True),
        ({"user_not_told_why": "Brukeren er ikke nåbar ennå."}, True),
        ({"user_told_at": AT}, False),
        ({"user_told_how": "I samtale."}, False),
        ({}, False),
    ],
    ids=["when-and-how", "why-not-yet", "when-only", "how-only", "nothing"],
)
def test_the_user_was_told_is_recorded_only_with_when_and_how_or_why_not(
    fields: dict[str, object], recorded: bool
) -> None:
    assert ground.user_told_recorded(_told(**fields)) is recorded


@pytest.mark.parametrize(
    "reasons",
    [[OUT_OF_SCOPE], ["district_outside_consent"], [OUT_OF_SCOPE, "district_outside_consent"]],
    ids=["categories", "district", "both"],
)
def test_sharing_only_outside_the_consents_scope_is_shared_outside_consent(
    reasons: list[str],
) -> None:
    assert ground.deviation_kind("consent", reasons) == DeviationKind.SHARED_OUTSIDE_CONSENT


@pytest.mark.parametrize(
    ("legal_ground", "reasons"),
    [("consent", [OUT_OF_SCOPE, WITHDRAWN]), ("consent", []), ("none", ["no_ground"])],
)
def test_any_other_reason_is_a_contact_without_a_ground(
    legal_ground: str, reasons: list[str]
) -> None:
    assert ground.deviation_kind(legal_ground, reasons) == DeviationKind.CONTACT_WITHOUT_GROUND
