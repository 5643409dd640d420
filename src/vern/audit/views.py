"""The leader's review of access to the centre's cases (issue 6 point 4)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from vern.accounts.request import request_user
from vern.audit import selectors


def review(request: HttpRequest) -> HttpResponse:
    leader = request_user(request)
    if not leader.is_leader:
        raise PermissionDenied
    return render(
        request,
        "audit/review.html",
        {
            "unusual": selectors.unusual_access(leader=leader),
            "threshold": selectors.UNUSUAL_CASES_PER_HOUR,
            "days": selectors.REVIEW_DAYS,
            "checkpoint": selectors.checkpoint_status(leader=leader),
            "bursts": selectors.refused_lookup_bursts(leader=leader),
            "burst_threshold": selectors.REFUSED_LOOKUP_BURST,
            "burst_minutes": selectors.REFUSED_LOOKUP_MINUTES,
        },
    )


def events(request: HttpRequest) -> HttpResponse:
    leader = request_user(request)
    if not leader.is_leader:
        raise PermissionDenied
    actor_id: int | None = None
    since: dt.datetime | None = None
    raw_actor = request.GET.get("ansatt", "")
    if raw_actor.isdigit():
        actor_id = int(raw_actor)
    raw_hour = request.GET.get("time", "")
    if raw_hour:
        try:
            parsed = dt.datetime.fromisoformat(raw_hour)
        except ValueError:
            parsed = None
        if parsed is not None:
            since = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    until = since + dt.timedelta(hours=1) if since is not None else None
    page = Paginator(
        selectors.centre_events(leader=leader, actor_id=actor_id, since=since, until=until), 100
    ).get_page(request.GET.get("side"))
    rows = selectors.event_rows(leader=leader, events=page.object_list)
    return render(request, "audit/events.html", {"page": page, "rows": rows, "since": since})
