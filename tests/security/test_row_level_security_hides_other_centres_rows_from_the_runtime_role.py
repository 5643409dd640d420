"""PostgreSQL row-level security, defence in depth under the selector layer: as a
least-privilege runtime role, raw SQL sees no case without the centre set and only its own
centre's with it; every tenant table has RLS enabled and forced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from tests.factories import make_centre, make_user
from vern.accounts.models import Role
from vern.centres.tenancy import CENTRE_SETTING, SCOPE_SETTING, TenantModel, system_scope

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

RUNTIME_ROLE = "vern_runtime_test"


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no roles or row-level security")


def tenant_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, TenantModel) and not model._meta.proxy and model._meta.managed
    )


def _count(cursor: CursorWrapper, table: str = "cases_case") -> int:
    cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
    row = cursor.fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def two_cases() -> tuple[int, int]:
    """One case in centre A and one in centre B, written as maintenance (system scope)."""
    from vern.cases.models import Case

    a, b = make_centre("RLS A"), make_centre("RLS B")
    with system_scope():
        for centre in (a, b):
            author = make_user(Role.ANSATT, centre)
            Case.objects.create(centre=centre, reference=f"ref-{centre.pk}", created_by=author)
    return a.pk, b.pk


@pytest.fixture
def as_runtime_role() -> Iterator[CursorWrapper]:
    """A cursor inside a transaction running as a NOLOGIN, non-owner, non-BYPASSRLS role
    with only SELECT on the tenant tables (as the runtime role of docs/security.md)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "  # noqa: S608
            f"'{RUNTIME_ROLE}') THEN CREATE ROLE {RUNTIME_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;"
            " END IF; END $$"
        )
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {RUNTIME_ROLE}")
        for table in tenant_tables():
            cursor.execute(f"GRANT SELECT ON {connection.ops.quote_name(table)} TO {RUNTIME_ROLE}")
        # PostgreSQL >= 16 does not let a CREATEROLE creator SET ROLE without membership.
        cursor.execute(f"GRANT {RUNTIME_ROLE} TO CURRENT_USER")
        # The test connections see every centre (tests/conftest.py); start from nothing here,
        # as a request transaction does.
        cursor.execute(
            "SELECT set_config(%s, '', true), set_config(%s, '', true)",
            [CENTRE_SETTING, SCOPE_SETTING],
        )
        cursor.execute(f"SET LOCAL ROLE {RUNTIME_ROLE}")
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")
        transaction.set_rollback(True)  # the role and the grants go with the test


def test_the_runtime_role_is_not_privileged(as_runtime_role: CursorWrapper) -> None:
    as_runtime_role.execute(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    assert as_runtime_role.fetchone() == (False, False)
    as_runtime_role.execute(
        "SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'cases_case'"
    )
    assert as_runtime_role.fetchone() == (False,)


def test_without_the_centre_set_no_case_is_visible(
    two_cases: tuple[int, int], as_runtime_role: CursorWrapper
) -> None:
    assert _count(as_runtime_role) == 0


def test_system_scope_does_not_outlive_its_block(two_cases: tuple[int, int]) -> None:
    """system_scope() sets vern.scope for its block only, even inside a larger transaction
    (set_config(..., true) would otherwise last until the outer transaction ends)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, '', true)", [SCOPE_SETTING])
        with system_scope():
            cursor.execute("SELECT current_setting(%s, true)", [SCOPE_SETTING])
            assert cursor.fetchone() == ("all",)
        cursor.execute("SELECT current_setting(%s, true)", [SCOPE_SETTING])
        after = cursor.fetchone()
        cursor.execute("SELECT set_config(%s, %s, true)", [CENTRE_SETTING, str(two_cases[0])])
        visible = _count(cursor)
        transaction.set_rollback(True)

    assert after == ("",)
    assert visible == 1


def test_with_centre_a_set_only_a_case_of_a_is_visible(
    two_cases: tuple[int, int], as_runtime_role: CursorWrapper
) -> None:
    a, _b = two_cases
    as_runtime_role.execute("SELECT set_config(%s, %s, true)", [CENTRE_SETTING, str(a)])

    as_runtime_role.execute("SELECT centre_id FROM cases_case")

    assert as_runtime_role.fetchall() == [(a,)]


def test_the_runtime_role_cannot_write_into_another_centre(
    two_cases: tuple[int, int], as_runtime_role: CursorWrapper
) -> None:
    a, b = two_cases
    as_runtime_role.execute("SELECT set_config(%s, %s, true)", [CENTRE_SETTING, str(a)])
    as_runtime_role.execute("RESET ROLE")
    as_runtime_role.execute(f"GRANT UPDATE ON cases_case TO {RUNTIME_ROLE}")
    as_runtime_role.execute(f"SET LOCAL ROLE {RUNTIME_ROLE}")

    as_runtime_role.execute("UPDATE cases_case SET reference = 'x' WHERE centre_id = %s", [b])

    assert as_runtime_role.rowcount == 0


def test_even_the_table_owner_sees_nothing_without_the_centre_set(
    two_cases: tuple[int, int],
) -> None:
    """FORCE ROW LEVEL SECURITY: the owner (the migration role, here the test role) obeys too."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, '', true)", [SCOPE_SETTING])
        cursor.execute("SELECT set_config(%s, '', true)", [CENTRE_SETTING])
        assert _count(cursor) == 0
        transaction.set_rollback(True)


def test_every_tenant_table_has_row_level_security_enabled_and_forced() -> None:
    tables = tenant_tables()
    assert "cases_case" in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(%s) AND relkind = 'r'",
            [tables],
        )
        flags = {name: (enabled, forced) for name, enabled, forced in cursor.fetchall()}

    assert sorted(flags) == tables
    not_protected = sorted(t for t, f in flags.items() if f != (True, True))
    assert not not_protected, f"tenant tables without FORCE ROW LEVEL SECURITY: {not_protected}"


def test_every_tenant_table_has_the_centre_policy() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_policies WHERE policyname = 'vern_centre_isolation'"
        )
        with_policy = {row[0] for row in cursor.fetchall()}

    assert set(tenant_tables()) <= with_policy
