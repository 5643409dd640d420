"""Row-level security, the parts that can be checked on SQLite (issue 22): every tenant model's
table gets the centre policy from a migration, the policy's SQL is the one the PostgreSQL tests
prove, and nothing else is put under it.

The enforcement itself - that the runtime role sees only its own centre's rows - needs
PostgreSQL and runs in CI there:
tests/security/test_row_level_security_hides_other_centres_rows_from_the_runtime_role.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

from vern.centres.tenancy import (
    CENTRE_SETTING,
    POLICY_NAME,
    SCOPE_SETTING,
    EnableRowLevelSecurity,
    TenantModel,
)


def tenant_models() -> dict[tuple[str, str], type[TenantModel]]:
    return {
        (model._meta.app_label, model._meta.model_name or ""): model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and not model._meta.proxy and model._meta.managed
    }


def rls_operations() -> list[tuple[str, str, EnableRowLevelSecurity]]:
    """(app label, migration name, operation) of every EnableRowLevelSecurity on disk."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return [
        (app_label, name, operation)
        for (app_label, name), migration in sorted(loader.disk_migrations.items())
        for operation in migration.operations
        if isinstance(operation, EnableRowLevelSecurity)
    ]


@dataclass
class _Connection:
    vendor: str


@dataclass
class RecordingSchemaEditor:
    """Stands in for PostgreSQL's schema editor: records the SQL instead of running it."""

    vendor: str = "postgresql"
    sql: list[str] = field(default_factory=list)

    @property
    def connection(self) -> _Connection:
        return _Connection(self.vendor)

    def quote_name(self, name: str) -> str:
        return f'"{name}"'

    def execute(self, sql: str, params: Any = None) -> None:
        self.sql.append(sql)


@dataclass
class _State:
    apps: Any = apps


def test_every_tenant_model_is_put_under_the_policy_by_a_migration() -> None:
    covered = {(app, op.model_name.lower()) for app, _name, op in rls_operations()}

    missing = sorted(set(tenant_models()) - covered)
    assert not missing, (
        f"tenant models without EnableRowLevelSecurity in a migration: {missing}; add "
        "`EnableRowLevelSecurity('<model>')` to a migration of the app"
    )


def test_the_policy_is_only_on_tenant_tables_and_once_each() -> None:
    named = [(app, op.model_name.lower()) for app, _name, op in rls_operations()]

    assert sorted(set(named) - set(tenant_models())) == [], "the policy on a non-tenant table"
    assert len(named) == len(set(named)), "a table is put under the policy twice"


def test_every_tenant_table_has_the_non_null_centre_column_the_policy_reads() -> None:
    for model in tenant_models().values():
        centre = model._meta.get_field("centre")
        assert centre.column == "centre_id", model
        assert not centre.null, model


@pytest.mark.parametrize(("app_label", "model_name"), sorted(tenant_models()), ids=str)
def test_the_policy_sql_enables_forces_and_checks_the_centre_on_reads_and_writes(
    app_label: str, model_name: str
) -> None:
    table = f'"{tenant_models()[(app_label, model_name)]._meta.db_table}"'
    editor = RecordingSchemaEditor()

    EnableRowLevelSecurity(model_name).database_forwards(app_label, editor, _State(), _State())

    condition = (
        f"(centre_id = NULLIF(current_setting('{CENTRE_SETTING}', true), '')::bigint"
        f" OR current_setting('{SCOPE_SETTING}', true) = 'all')"
    )
    assert editor.sql == [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {POLICY_NAME} ON {table} USING {condition} WITH CHECK {condition}",
    ]


def test_the_policy_is_undone_in_reverse_order() -> None:
    editor = RecordingSchemaEditor()

    EnableRowLevelSecurity("case").database_backwards("cases", editor, _State(), _State())

    assert editor.sql == [
        f'DROP POLICY IF EXISTS {POLICY_NAME} ON "cases_case"',
        'ALTER TABLE "cases_case" NO FORCE ROW LEVEL SECURITY',
        'ALTER TABLE "cases_case" DISABLE ROW LEVEL SECURITY',
    ]


def test_on_sqlite_the_operation_runs_no_sql() -> None:
    editor = RecordingSchemaEditor(vendor="sqlite")

    operation = EnableRowLevelSecurity("case")
    operation.database_forwards("cases", editor, _State(), _State())
    operation.database_backwards("cases", editor, _State(), _State())

    assert editor.sql == []
    assert operation.deconstruct() == ("EnableRowLevelSecurity", [], {"model_name": "case"})
