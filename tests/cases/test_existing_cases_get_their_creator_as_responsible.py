"""Issue 14: the migration that adds the responsible staff member gives every existing case its
creator, so "Mine saker" finds the cases staff made before the field existed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_centre, make_user
from vern.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cases", "0005_document_language_names_translated")]
AFTER = [("cases", "0006_case_responsible")]


def test_the_migration_makes_each_existing_cases_creator_its_responsible() -> None:
    centre = make_centre()
    creator = make_user(Role.ANSATT, centre)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        old_case_model = old_apps.get_model("cases", "Case")
        old = old_case_model.objects.create(
            centre_id=centre.pk, reference="Gammel", created_by_id=creator.pk
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    new_case_model = new_apps.get_model("cases", "Case")
    assert new_case_model.objects.get(pk=old.pk).responsible_id == creator.pk
    # Back to the newest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
