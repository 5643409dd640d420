"""PostgreSQL with persistent connections (VERN_DB_CONN_MAX_AGE > 0): requests of two centres
served one after the other on ONE database connection each see only their own centre, and
after every request, whether it ended in a 200, a 404, a 500 or an API call, the connection
holds no tenant scope at all: row-level security shows it no case (issue 15 point 9).

The scope is set with ``set_config(..., true)`` (SET LOCAL) inside the request transaction
(``RequestTransactionMiddleware``, ``vern.api.auth``), so it ends with the commit or rollback.
The test runs with real commits (``transaction=True``), the connection kept open between
requests as Django's request handler does with CONN_MAX_AGE > 0."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import include, path
from pytest_django import Settings

from tests.api.conftest import Api, token_for
from tests.factories import login_verified, make_centre, make_user
from vern.accounts.models import Role, User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.tenancy import CENTRE_SETTING, SCOPE_SETTING

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _boom(request: Any) -> Any:
    # A view that reads the centre's cases and then fails: the 500 rolls everything back.
    list(Case.objects.all()[:1])
    msg = "a failing view"
    raise RuntimeError(msg)


# The accounts URLs too: the 500 page links the quick exit (accounts:quick_exit).
urlpatterns = [path("boom/", _boom), path("konto/", include("vern.accounts.urls"))]


@pytest.fixture(autouse=True)
def _postgres_with_persistent_connections() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no row-level security")
    before = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 600  # VERN_DB_CONN_MAX_AGE=600
    connection.close()
    connection.ensure_connection()  # a connection that lives 600 s
    # The test suite gives every test connection the session-wide scope 'all' (tests/conftest.py).
    # This test needs the connection as production has it: no session-level scope.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, '', false)", [SCOPE_SETTING])
    try:
        yield
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = before
        connection.close()  # the next test gets a fresh connection with the test scope


def _pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _left_behind() -> tuple[str, str, int]:
    """What the connection holds between requests: the two settings and the cases RLS lets it
    see (as the table owner, whom FORCE ROW LEVEL SECURITY also binds)."""
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(current_setting(%s, true), ''),"
            " coalesce(current_setting(%s, true), ''), (SELECT count(*) FROM cases_case)",
            [CENTRE_SETTING, SCOPE_SETTING],
        )
        row = cursor.fetchone()
    assert row is not None
    return str(row[0]), str(row[1]), int(row[2])


def _between_requests() -> None:
    """What Django's handler does at request_finished: keeps the connection (CONN_MAX_AGE)."""
    close_old_connections()


@pytest.fixture
def world() -> dict[str, Any]:
    from vern.centres.tenancy import system_scope

    with system_scope():
        a, b = make_centre("Persist A"), make_centre("Persist B")
        staff_a, staff_b = make_user(Role.ANSATT, a), make_user(Role.ANSATT, b)
        case_a = case_services.case_create(acting_user=staff_a, reference="PA-1")
        case_b = case_services.case_create(acting_user=staff_b, reference="PB-1")
    return {"a": staff_a, "b": staff_b, "case_a": case_a, "case_b": case_b}


def _get(client: Client, url: str) -> int:
    status = client.get(url).status_code
    _between_requests()
    return status


def test_two_centres_alternating_on_one_connection_never_see_each_other(
    world: dict[str, Any],
) -> None:
    staff_a: User = world["a"]
    staff_b: User = world["b"]
    case_a: Case = world["case_a"]
    case_b: Case = world["case_b"]
    client_a, client_b = Client(), Client()
    login_verified(client_a, staff_a)
    login_verified(client_b, staff_b)
    _between_requests()
    pid = _pid()

    for _ in range(3):
        assert _get(client_a, f"/saker/{case_a.pk}/") == 200
        assert _left_behind() == ("", "", 0)
        assert _get(client_b, f"/saker/{case_a.pk}/") == 404  # right after A's request
        assert _left_behind() == ("", "", 0)
        assert _get(client_b, f"/saker/{case_b.pk}/") == 200
        assert _left_behind() == ("", "", 0)
        assert _get(client_a, f"/saker/{case_b.pk}/") == 404  # right after B's request
        assert _left_behind() == ("", "", 0)
        list_b = client_b.get("/saker/").content.decode()
        _between_requests()
        assert "PB-1" in list_b
        assert "PA-1" not in list_b
        assert _left_behind() == ("", "", 0)

    assert _pid() == pid, "the requests were not served on one connection"


def test_an_api_call_then_a_failing_request_leave_no_scope_behind(
    world: dict[str, Any], settings: Settings
) -> None:
    staff_a: User = world["a"]
    staff_b: User = world["b"]
    case_a: Case = world["case_a"]
    case_b: Case = world["case_b"]
    api_a = Api(Client(), token_for(staff_a))
    _between_requests()
    pid = _pid()

    response = api_a.get(f"/cases/{case_a.pk}")
    _between_requests()
    assert response.status_code == 200
    assert _left_behind() == ("", "", 0)

    client_b = Client(raise_request_exception=False)
    login_verified(client_b, staff_b)
    _between_requests()
    settings.ROOT_URLCONF = __name__
    assert _get(client_b, "/boom/") == 500
    assert _left_behind() == ("", "", 0)
    settings.ROOT_URLCONF = "vern.urls"

    assert _get(client_b, f"/saker/{case_a.pk}/") == 404
    assert _get(client_b, f"/saker/{case_b.pk}/") == 200
    assert _left_behind() == ("", "", 0)
    # An anonymous request on the same connection after all that sees nothing either.
    assert Client().get(f"/api/v1/cases/{case_b.pk}").status_code == 401
    _between_requests()
    assert _left_behind() == ("", "", 0)
    assert _pid() == pid
