"""The bytes of signed consent forms move into the database (issue 20, ADR 0013): a table of
their own under row-level security (FORCE) on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

from vern.centres.tenancy import EnableRowLevelSecurity


class Migration(migrations.Migration):

    dependencies = [
        ('centres', '0001_initial'),
        ('consent', '0007_consent_read_text'),
    ]

    operations = [
        migrations.CreateModel(
            name='SignedConsentFileContent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64)),
                ('size', models.PositiveIntegerField()),
                ('content', models.BinaryField()),
                ('stored_at', models.DateTimeField()),
                ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='centres.centre')),
                ('signed_file', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='stored_content', to='consent.signedconsentfile')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('size__gte', 1)), name='signed_file_content_not_empty')],
            },
        ),
        EnableRowLevelSecurity("signedconsentfilecontent"),
    ]
