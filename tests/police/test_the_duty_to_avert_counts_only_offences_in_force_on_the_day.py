"""L2 (G11): the § 196 list is read as it stood on the day of the contact. An offence that is
not in force that day - repealed before it, or in force only from a later day - is not on the
list then (issue 22: mutants that ignored an offence's dates, or counted an offence the day
does not know as listed, survived, because the packaged rulebook's only dated offence is
listed in both of its versions). The rulebook is replaced here by one with dated offences."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from vern.police import ground
from vern.rules import load_rulebook

OFFENCE = "straffeloven-274"  # grov kroppsskade: on the § 196 list
CONTACT_AT = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def _data() -> ground.ContactInput:
    return ground.ContactInput(
        contact_at=CONTACT_AT,
        police_district="oslo",
        contact_role="investigator",
        channel="phone",
        legal_ground="duty_to_avert",
        shared_categories=["violence"],
        duty_to_avert_offences=[OFFENCE],
        duty_to_avert_why="Sikker kunnskap om et planlagt angrep.",
        avert_action="report",
        avert_action_note="Meldte fra til politiet.",
        necessity_why="Politiet trengte det for å avverge.",
    )


def _with_dates(
    monkeypatch: pytest.MonkeyPatch, *, valid_from: dt.date | None, valid_until: dt.date | None
) -> None:
    book = load_rulebook()
    offences = tuple(
        dataclasses.replace(o, valid_from=valid_from, valid_until=valid_until)
        if o.id == OFFENCE
        else o
        for o in book.offences
    )
    monkeypatch.setattr(
        ground, "load_rulebook", lambda: dataclasses.replace(book, offences=offences)
    )


def test_an_offence_in_force_on_the_day_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_dates(monkeypatch, valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2030, 1, 1))

    assert "offence_not_in_196_list" not in ground.duty_to_avert_reasons(_data(), at=CONTACT_AT)


def test_an_offence_repealed_before_the_day_is_not_on_the_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _with_dates(monkeypatch, valid_from=None, valid_until=dt.date(2025, 12, 31))

    assert "offence_not_in_196_list" in ground.duty_to_avert_reasons(_data(), at=CONTACT_AT)


def test_an_offence_in_force_only_from_a_later_day_is_not_on_the_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _with_dates(monkeypatch, valid_from=dt.date(2026, 6, 1), valid_until=None)

    assert "offence_not_in_196_list" in ground.duty_to_avert_reasons(_data(), at=CONTACT_AT)
