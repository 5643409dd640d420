"""Issue 18 point 3: every page's header links to the task page with the number of tasks
("Oppgaver (N)"), derived once and then kept in the session for a short while, so that the
case page (its query budget) does not derive the tasks again on every request; a write of
one's own and the task page itself refresh it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import login_verified
from tests.reminders.conftest import case_due
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.reminders.selectors import task_list

pytestmark = pytest.mark.django_db

HEADER = re.compile(r'<a href="/oppgaver/" data-testid="header-tasks"[^>]*>([^<]*)</a>')


def _header(client: Client, url: str = "/") -> str:
    html = client.get(url).content.decode()
    match = HEADER.search(html)
    assert match is not None, "no task link in the header"
    return match.group(1)


def test_the_header_shows_the_count_in_each_language_right_after_signing_in(
    ansatt: User, client: Client
) -> None:
    case_due(ansatt, "H-1", -1)
    case_due(ansatt, "H-2", 0)
    login_verified(client, ansatt)
    assert _header(client) == "Oppgaver (2)"
    client.cookies["django_language"] = "nn"
    assert _header(client, "/saker/") == "Oppgåver (2)"
    client.cookies["django_language"] = "en"
    assert _header(client, "/saker/") == "Tasks (2)"


def test_an_administrator_has_no_task_link(admin_client_verified: Client) -> None:
    html = admin_client_verified.get("/").content.decode()
    assert "header-tasks" not in html


def test_the_case_page_derives_the_tasks_only_when_no_count_is_kept(
    ansatt: User, ansatt_client: Client, settings: object
) -> None:
    case = case_due(ansatt, "H-1", -1)
    case_due(ansatt, "H-2", -1)
    with CaptureQueriesContext(connection) as derivation:
        task_list(user=ansatt)
    url = f"/saker/{case.pk}/"
    ansatt_client.get(url)  # warm: the count is kept
    with CaptureQueriesContext(connection) as kept:
        assert ansatt_client.get(url).status_code == 200
    settings.VERN_TASK_COUNT_SECONDS = 0  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as derived:
        assert ansatt_client.get(url).status_code == 200
    # Derived: the task queries once more (the session is written on every request anyway,
    # for the idle timeout, so keeping the count costs no query of its own).
    assert len(derived.captured_queries) == (
        len(kept.captured_queries) + len(derivation.captured_queries)
    )


def test_a_write_of_ones_own_refreshes_the_count_and_the_task_page_shows_the_same(
    ansatt: User, ansatt_client: Client
) -> None:
    case_due(ansatt, "H-1", -1)
    assert _header(ansatt_client) == "Oppgaver (1)"
    case_due(ansatt, "H-2", -1)  # not through this session: the kept count stays a while
    assert _header(ansatt_client) == "Oppgaver (1)"
    response = ansatt_client.post("/oppgaver/innstillinger/", {"language": "nb"})
    assert response.status_code == 302
    assert _header(ansatt_client) == "Oppgaver (2)"

    case_due(ansatt, "H-3", -1)
    html = ansatt_client.get("/oppgaver/").content.decode()
    assert HEADER.search(html).group(1) == "Oppgaver (3)"  # type: ignore[union-attr]
    assert 'data-testid="task-total">Du har 3 oppgaver.' in html
    assert html.count('data-task="reassess_overdue"') == 3
    assert _header(ansatt_client) == "Oppgaver (3)"


def test_the_task_page_links_each_task_and_is_audited_as_a_list(
    ansatt: User, ansatt_client: Client
) -> None:
    case = case_due(ansatt, "H-1", -1)
    before = AuditEvent.objects.filter(actor=ansatt, action="case_listed").count()
    html = ansatt_client.get("/oppgaver/").content.decode()
    assert f'<a class="ds-link" href="/saker/{case.pk}/">H-1</a>' in html
    assert AuditEvent.objects.filter(actor=ansatt, action="case_listed").count() == before + 1
    assert "<script" not in html.split("<main", 1)[1]  # works without JavaScript


def test_the_home_page_shows_the_same_count_as_the_header(
    ansatt: User, ansatt_client: Client
) -> None:
    case_due(ansatt, "H-1", -1)
    html = ansatt_client.get("/").content.decode()
    card = re.search(r'data-testid="home-tasks".*?<p class="vern-count">(\d+)</p>', html, re.S)
    assert card is not None
    assert card.group(1) == "1"
    assert HEADER.search(html).group(1) == "Oppgaver (1)"  # type: ignore[union-attr]
