"""SummaryState: whether the statistics summary holds every counted row (ADR 0019).

A database that has no case yet (a new installation, the test databases) gets the row at once:
its summary is complete from the first write. A database that already has cases gets no row:
the statistics are computed from the rows (exact, slower) until `vern stats rebuild` builds the
summary, and the deploy check stats.W001 says so."""

from typing import Any

from django.db import migrations, models
from django.utils import timezone

from vern.centres.tenancy import system_scope


def mark_built_when_empty(apps: Any, schema_editor: Any) -> None:
    case = apps.get_model("cases", "Case")
    state = apps.get_model("stats", "SummaryState")
    # Every counted row belongs to a case: no case, no row the summary could be missing.
    with system_scope():
        if not case.objects.using(schema_editor.connection.alias).exists():
            state.objects.using(schema_editor.connection.alias).create(
                pk=1, built_at=timezone.now()
            )


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_row_level_security"),
        ("cases", "0008_statistics_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SummaryState",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("built_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(mark_built_when_empty, migrations.RunPython.noop),
    ]
