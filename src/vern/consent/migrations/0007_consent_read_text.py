"""Issue 17: the language and the text the user read before signing on screen."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consent", "0006_statistics_indexes")]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="read_language",
            field=models.CharField(blank=True, max_length=10, verbose_name="språket brukeren leste samtykket på"),
        ),
        migrations.AddField(
            model_name="consent",
            name="read_text",
            field=models.TextField(blank=True, verbose_name="teksten brukeren leste"),
        ),
    ]
