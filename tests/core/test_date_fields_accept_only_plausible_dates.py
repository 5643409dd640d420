"""vern.core.forms: a mistyped year is a field error naming the allowed range, never a server
error and never a precondition (a notice dated in the year 26 must not satisfy G5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from vern.core import clock
from vern.core.forms import EARLIEST_DAY, DayField, MomentField, latest_day


class _Form(forms.Form):
    at = MomentField()
    on = DayField(required=False)


def _errors(at: str, on: str = "") -> dict[str, list[str]]:
    form = _Form({"at": at, "on": on})
    form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:30", "0026-11-27T10:00", "1999-01-01T10:00", "2018-03-07T23:59"]
)
def test_a_moment_before_the_earliest_day_is_a_field_error(value: str) -> None:
    errors = _errors(value)
    assert list(errors) == ["at"]
    assert "Sjekk årstallet" in errors["at"][0]


@pytest.mark.parametrize("value", ["9999-12-31", "2999-01-01"])
def test_a_day_far_in_the_future_is_a_field_error(value: str) -> None:
    errors = _errors("2026-01-01T10:00", value)
    assert list(errors) == ["on"]
    assert "etter" in errors["on"][0]


def test_the_range_ends_are_allowed() -> None:
    assert _errors(f"{EARLIEST_DAY.isoformat()}T00:00", latest_day().isoformat()) == {}
    assert _errors(clock.now().strftime("%Y-%m-%dT%H:%M")) == {}


@given(st.dates(min_value=dt.date(1, 1, 2), max_value=dt.date(9999, 12, 30)))
def test_every_date_is_either_accepted_in_range_or_refused_on_its_field(day: dt.date) -> None:
    errors = _errors(f"{day.isoformat()}T12:00", day.isoformat())
    if EARLIEST_DAY <= day <= latest_day():
        assert errors == {}
    else:
        assert set(errors) == {"at", "on"}
