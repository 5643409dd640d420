"""Exactly one audit event for every access to case data (issue 6).

A request to a case URL (the ``cases`` namespace with ``pk``, or an area namespace with
``case_pk``) that wrote no audit event of its own (a read: a page, a form, a download) gets one
``case_viewed`` event; the case list gets one ``case_listed`` event. A write writes its own
event(s) through its service. The event is written inside the request transaction before the
response leaves: if it fails, the request fails with a 500 and no case data (fail closed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from vern.audit.actions import AuditAction
from vern.audit.services import (
    _REFUSED_LOOKUPS,
    _REQUEST_EVENTS,
    audit_record,
    record_refused_lookups,
)
from vern.core.access import PAIRED_STAFF_ATTRIBUTE

CASE_NAMESPACES = frozenset(
    {
        "cases",
        "assessments",
        "consent",
        "police",
        "relocation",
        "childwelfare",
        "documents",
        "access_report",
        # Issue 17: "Assess together"; its screens name their case on the request (below).
        "together",
    }
)
# A case page whose URL does not carry the case (the screens of "Assess together") sets this
# attribute on the request to the case's id.
AUDIT_CASE_ATTRIBUTE = "vern_audit_case_pk"
# Pages that list several cases' references: one "case_listed" event per request.
CASE_LIST_URLS = frozenset({"cases:list", "cases:dashboard", "cases:rules_changed"})
NOT_CASE_PAGES = frozenset({"cases:create"})


class CaseAccessAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        events: list[int] = []
        refused: list[Any] = []
        token = _REQUEST_EVENTS.set(events)
        refused_token = _REFUSED_LOOKUPS.set(refused)
        try:
            response = self.get_response(request)
            self._log_read(request, response, events)
            if refused and response.status_code < 500:
                record_refused_lookups(refused, request=request)
        finally:
            _REFUSED_LOOKUPS.reset(refused_token)
            _REQUEST_EVENTS.reset(token)
        return response

    def _log_read(self, request: HttpRequest, response: HttpResponse, events: list[int]) -> None:
        # A page (200), or a POST that read the case and was turned back (a form error or a
        # closed case, answered with a redirect) without writing anything.
        answered = response.status_code == 200 or (
            request.method == "POST" and response.status_code == 302
        )
        if events or not answered:
            return
        match = getattr(request, "resolver_match", None)
        # A paired second screen (issue 17) reads as the staff member who paired it.
        user = getattr(request, PAIRED_STAFF_ATTRIBUTE, None) or request.user
        if match is None or not getattr(user, "works_with_cases", False):
            return
        namespace = match.namespace
        if namespace not in CASE_NAMESPACES or match.view_name in NOT_CASE_PAGES:
            return
        if match.view_name in CASE_LIST_URLS:
            audit_record(
                action=AuditAction.CASE_LISTED,
                actor=user,  # type: ignore[arg-type]
                centre_id=getattr(user, "centre_id", None),
                request=request,
            )
            return
        case_pk: Any = match.kwargs.get(
            "case_pk", match.kwargs.get("pk", getattr(request, AUDIT_CASE_ATTRIBUTE, None))
        )
        if case_pk is None:
            return
        audit_record(
            action=AuditAction.CASE_VIEWED,
            actor=user,  # type: ignore[arg-type]
            centre_id=getattr(user, "centre_id", None),
            object_type="case",
            object_id=case_pk,
            request=request,
        )
