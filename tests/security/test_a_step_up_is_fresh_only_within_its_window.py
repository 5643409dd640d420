"""The step-up clock itself (issue 22: mutants of ``vern.accounts.sessions.step_up_fresh``
survived the page tests, which always enter a code first): a session that never entered a
code is never fresh, a code is fresh up to and including the last second of its window, and
without ``within`` the window is VERN_STEP_UP_SECONDS."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import RequestFactory
from pytest_django import Settings

from vern.accounts import sessions
from vern.core import clock

START = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def request_at(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A request with a session (a plain dict) and the clock at ``START + seconds``."""

    def make(session: dict[str, object], seconds: float = 0) -> Any:
        monkeypatch.setattr(clock, "now", lambda: START + dt.timedelta(seconds=seconds))
        request = RequestFactory().get("/")
        request.session = session  # type: ignore[assignment]
        return request

    return make


def _stepped_up(request_at: Any) -> dict[str, object]:
    session: dict[str, object] = {}
    sessions.mark_step_up(request_at(session))
    return session


def test_a_session_that_never_entered_a_code_is_not_fresh(request_at: Any) -> None:
    assert sessions.step_up_fresh(request_at({}), within=300) is False
    assert sessions.step_up_fresh(request_at({})) is False


def test_a_code_is_fresh_up_to_and_including_the_last_second_of_its_window(
    request_at: Any,
) -> None:
    session = _stepped_up(request_at)

    assert sessions.step_up_fresh(request_at(session, 0), within=300) is True
    assert sessions.step_up_fresh(request_at(session, 300), within=300) is True
    assert sessions.step_up_fresh(request_at(session, 300.5), within=300) is False


def test_without_a_window_the_setting_is_the_window(request_at: Any, settings: Settings) -> None:
    settings.VERN_STEP_UP_SECONDS = 60
    session = _stepped_up(request_at)

    assert sessions.step_up_fresh(request_at(session, 60)) is True
    assert sessions.step_up_fresh(request_at(session, 61)) is False
