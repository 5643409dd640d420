"""Django's cache in the database (issue 20): table ``vern_cache`` for ``CACHES["default"]``.

Every app server shares it, so nothing kept in the cache differs between nodes. The table is
made the way ``createcachetable`` makes it (idempotent: an existing table is left alone).
"""

from django.core.management import call_command
from django.db import migrations


def forward(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def backward(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS vern_cache")


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [migrations.RunPython(forward, backward, elidable=False)]
