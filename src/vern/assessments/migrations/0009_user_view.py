"""Issue 17: the user's own view, given in the "Assess together" mode (with RLS)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from vern.centres.tenancy import EnableRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_statistics_indexes"),
        ("cases", "0001_initial"),
        ("centres", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UserView",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(choices=[("together", "Gitt av brukeren selv i «Vurder sammen»")], default="together", max_length=20)),
                ("given_at", models.DateTimeField(verbose_name="gitt")),
                ("language", models.CharField(max_length=10, verbose_name="språk")),
                ("answers", models.JSONField(blank=True, default=dict)),
                ("words", models.JSONField(blank=True, default=dict)),
                ("texts_version", models.CharField(blank=True, max_length=20)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="user_views", to="cases.case")),
                ("centre", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="centres.centre")),
                ("present_staff", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-given_at", "-id"]},
        ),
        EnableRowLevelSecurity("userview"),
    ]
