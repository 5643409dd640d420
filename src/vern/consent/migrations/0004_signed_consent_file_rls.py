"""PostgreSQL row-level security (FORCE) on the signed consent files; no-op on SQLite."""

from django.db import migrations

from vern.centres.tenancy import EnableRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [("consent", "0003_signed_consent_file")]

    operations = [
        EnableRowLevelSecurity("signedconsentfile"),
    ]
