"""PostgreSQL row-level security (FORCE) on the summary tables; no-op on SQLite."""

from django.db import migrations

from vern.centres.tenancy import EnableRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_summary")]

    operations = [
        EnableRowLevelSecurity("statcontribution"),
        EnableRowLevelSecurity("statday"),
    ]
