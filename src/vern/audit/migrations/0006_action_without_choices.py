# Audit actions are registered in code (vern.audit.actions.AuditAction) and checked by the
# system check audit.E001; the column carries no choices, so a new action needs no migration.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_case_reopened_action"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(editable=False, max_length=40, verbose_name="handling"),
        ),
    ]
