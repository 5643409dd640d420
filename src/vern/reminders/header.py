"""The header's "Oppgaver (N)": the count of ``task_list``, kept in the session for a short
while so that a page does not derive the tasks again on every request.

* The count is derived on first use in a request (the template asks for it; a page that
  does not render the header, a redirect or a file, never derives it) and at most once per
  request (``request`` memo).
* It is kept in the session for ``VERN_TASK_COUNT_SECONDS`` (default 120) and for the local
  day only: a new session (every sign-in) derives it afresh, and so does the task page,
  which derives the list anyway and refreshes the count it shows.
* Any write the person makes through the web (a POST, PUT, PATCH or DELETE) drops the kept
  count (``TaskCountMiddleware``), so the next page shows the effect of one's own work;
  colleagues' work shows within ``VERN_TASK_COUNT_SECONDS``.

So the case page (its perf budget, docs/performance.md) adds no query with a kept count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from vern.accounts.models import User
from vern.core import clock
from vern.reminders.selectors import task_list

SESSION_KEY: Final = "vern_task_count"
_MEMO: Final = "_vern_task_count"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def remember_count(request: HttpRequest, count: int) -> None:
    """Keep ``count`` (just derived) for this request and in the session."""
    setattr(request, _MEMO, count)
    request.session[SESSION_KEY] = {
        "n": count,
        "day": clock.today().isoformat(),
        "at": clock.now().timestamp(),
    }


def _kept(request: HttpRequest) -> int | None:
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict):
        return None
    age = clock.now().timestamp() - float(kept.get("at", 0))
    if (
        kept.get("day") != clock.today().isoformat()
        or not 0 <= age < settings.VERN_TASK_COUNT_SECONDS
    ):
        return None
    n = kept.get("n")
    return n if isinstance(n, int) else None


def task_count(request: HttpRequest) -> int | None:
    """The number of the request user's tasks; None for anyone without tasks (signed out,
    not verified, an administrator)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.works_with_cases:
        return None
    if not getattr(user, "is_verified", lambda: False)():  # django-otp sets it per request
        return None
    memo = getattr(request, _MEMO, None)
    if isinstance(memo, int):
        return memo
    count = _kept(request)
    if count is None:
        count = task_list(user=user).count
        remember_count(request, count)
    setattr(request, _MEMO, count)
    return count


class _LazyCount:
    """Derived only when a template reads it (``{{ task_count.n }}``)."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @property
    def n(self) -> int | None:
        return task_count(self._request)

    @property
    def shown(self) -> bool:
        return self.n is not None


def tasks(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``task_count`` for the header."""
    return {"task_count": _LazyCount(request)}


class TaskCountMiddleware:
    """A write of one's own drops the kept count (after the session middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if request.method not in SAFE_METHODS and session is not None and SESSION_KEY in session:
            del session[SESSION_KEY]
        return self.get_response(request)
