"""While the "Assess together" mode is open in a session, the rest of Vern is out of reach."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from vern.accounts.models import User
from vern.centres.tenancy import set_request_scope
from vern.core.access import PAIRED_STAFF_ATTRIBUTE
from vern.together import session
from vern.together.models import Pairing

MODE_PREFIX = "/sammen/"


class TogetherModeMiddleware:
    """Every request of a session with the mode open, except the mode's own pages, the quick
    exit and static files, is sent to the mode's current screen: the user cannot reach the
    rest of Vern from the screen turned towards the user. Leaving takes the staff member's
    one-time code (``vern.together.views.leave``).

    A second screen paired by code (no account logged in) is checked here on every request:
    while its pairing is active the request is scoped to the pairing's centre and carries the
    staff member who made it (``PAIRED_STAFF_ATTRIBUTE``, which only the mode's views accept,
    ``vern.core.access.paired``); once the staff member has ended it, or the account is no
    longer active, the session is emptied and the browser shows the neutral pairing page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        paired = session.paired_keys(request)
        if paired is not None and not self._attach(request, *paired):
            request.session.flush()
            return HttpResponseRedirect(reverse("together:pair") + "?slutt=1")
        if session.get(request) is not None and not self._allowed(request.path):
            return HttpResponseRedirect(reverse("together:screen"))
        return self.get_response(request)

    @staticmethod
    def _attach(request: HttpRequest, pairing_pk: int, staff_pk: int, case_pk: int) -> bool:
        staff = User.objects.filter(pk=staff_pk, is_active=True).select_related("centre").first()
        if staff is None or not staff.works_with_cases or staff.centre_id is None:
            return False
        # Inside the request transaction (RequestTransactionMiddleware): the staff member's
        # centre is the only one visible, as for the staff member's own requests.
        set_request_scope(staff)
        pairing = Pairing.objects.filter(
            pk=pairing_pk, centre_id=staff.centre_id, staff_id=staff.pk, case_id=case_pk
        ).first()
        if pairing is None or not pairing.active:
            return False
        setattr(request, PAIRED_STAFF_ATTRIBUTE, staff)
        setattr(request, session.PAIRING_ATTRIBUTE, pairing)
        return True

    @staticmethod
    def _allowed(path: str) -> bool:
        static = str(getattr(settings, "STATIC_URL", "/static/") or "/static/")
        return path.startswith(
            (MODE_PREFIX, static if static.startswith("/") else "/" + static)
        ) or path == reverse("accounts:quick_exit")
