"""GET /api/v1/tasks: the token owner's tasks, the same list as the web's task page
(``vern.reminders.selectors.task_list``, issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from vern.api.common import LIST, api_read, case_worker, query_only
from vern.reminders.selectors import KINDS, Task, task_list

tasks = Router(tags=["tasks"])


class TaskOut(Schema):
    kind: str
    case_id: int
    reference: str
    on: dt.date | None = None
    at: dt.datetime | None = None
    # The deviation's (open_deviation) or the police contact's id (police_contact_today,
    # no_consent_to_review); null otherwise.
    object_id: int | None = None
    # Why a case is due today (date, new_event, never_assessed) or the ground of a contact
    # without consent (duty_to_avert, danger_to_life_or_health); '' otherwise.
    why: str = ""


class TaskList(Schema):
    count: int
    # Tasks per kind, every kind present.
    counts: dict[str, int]
    items: list[TaskOut]


def _task_out(task: Task) -> dict[str, Any]:
    return {
        "kind": task.kind,
        "case_id": task.case_id,
        "reference": task.reference,
        "on": task.on,
        "at": task.at,
        "object_id": task.object_id,
        "why": task.why,
    }


@tasks.get(
    "/tasks",
    response={200: TaskList, **LIST},
    summary="The token owner's tasks: what is due now (" + ", ".join(KINDS) + ")",
    url_name="tasks",
)
def task_list_read(request: HttpRequest) -> dict[str, Any]:
    """Reassessments overdue and due today, planned police contacts today and consents to the
    police expiring within 14 days in the cases the token's owner is responsible for; for a
    leader also the centre's open deviations and contacts without consent not yet reviewed.
    Administrators: 403. Writes one ``api_read`` audit event."""
    query_only(request)
    user = case_worker(request)
    found = task_list(user=user)
    api_read(request, user, object_type="case_list", object_id=None)
    return {
        "count": found.count,
        "counts": found.counts(),
        "items": [_task_out(task) for task in found.tasks],
    }
