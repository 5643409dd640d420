"""While the "Assess together" mode is open in a session, the rest of Vern is out of reach."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from vern.together import session

MODE_PREFIX = "/sammen/"


class TogetherModeMiddleware:
    """Every request of a session with the mode open, except the mode's own pages, the quick
    exit and static files, is sent to the mode's current screen: the user cannot reach the
    rest of Vern from the screen turned towards the user. Leaving takes the staff member's
    one-time code (``vern.together.views.leave``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if session.get(request) is not None and not self._allowed(request.path):
            return HttpResponseRedirect(reverse("together:screen"))
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        static = str(getattr(settings, "STATIC_URL", "/static/") or "/static/")
        return path.startswith(
            (MODE_PREFIX, static if static.startswith("/") else "/" + static)
        ) or path == reverse("accounts:quick_exit")
