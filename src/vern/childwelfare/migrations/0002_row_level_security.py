"""PostgreSQL row-level security (FORCE) on every tenant table of this app; no-op on SQLite."""

from django.db import migrations

from vern.centres.tenancy import EnableRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [("childwelfare", "0001_initial")]

    operations = [
        EnableRowLevelSecurity("childwelfarenotification"),
        EnableRowLevelSecurity("childwelfareconcern"),
    ]
