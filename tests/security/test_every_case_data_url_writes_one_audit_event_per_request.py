"""Issue 6: every URL of the matrix that touches case data leaves an audit trail of every
request. A read (a page, a form shown again with errors, a download) writes exactly one event;
a write writes its own event(s) through its service (at least one)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.security import matrix
from tests.security.objects import World
from vern.accounts.models import User
from vern.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CASE_CELLS = [
    cell
    for cell in matrix.cells()
    if cell.row.touches_case_data
    and not cell.other_centre
    and cell.role in {"ansatt", "leder"}
    and cell.expected in {200, 302}
]


@pytest.mark.parametrize("cell", CASE_CELLS, ids=lambda c: c.id)
def test_a_request_to_case_data_is_audited(
    cell: matrix.Cell,
    client: Client,
    world: World,
    requesters: dict[str, User | None],
    login: Callable[[Client, User | None], Client],
) -> None:
    user = requesters[cell.role]
    login(client, user)
    url = matrix.build_url(cell.row, world)
    before = AuditEvent.objects.filter(actor=user).count()

    send = getattr(client, cell.method.lower())
    response = send(url, cell.row.data) if cell.method != "GET" else send(url)

    assert response.status_code == cell.expected
    written = AuditEvent.objects.filter(actor=user).count() - before
    if cell.expected == 200:
        assert written == 1, f"{cell.id}: {written} audit events for one read"
    else:
        assert written >= 1, f"{cell.id}: a write without an audit event"
