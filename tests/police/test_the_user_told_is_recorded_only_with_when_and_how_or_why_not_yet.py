"""A small part of the ground check (issue 22: its mutants survived the suite). L1, L2: "the
user was told" is recorded only with both when and how, or else why not yet."""

from __future__ import annotations

import datetime as dt

import pytest

from vern.police import ground

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
