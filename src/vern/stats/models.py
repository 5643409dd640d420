"""The statistics summary (issue 19 target 3, ADR 0019): derived, exact, rebuilt by a command.

``StatContribution`` is what each counted source row contributes today: one row per source
row and metric, on the row's local day (Europe/Oslo). ``StatDay`` is their sum per centre,
day and metric. Every period is whole calendar days in Oslo, so every count of a period is a
sum of ``StatDay`` rows. Both are kept current in the transaction of each write
(``vern.stats.summary``), rebuilt from the rows by ``vern stats rebuild`` and compared with
the full computation by ``vern stats verify``.

Neither holds case data: a metric is a code, a day and a number; ``case_id`` (a plain
integer, no foreign key) lets ``vern purge`` subtract a purged case's contributions."""

from __future__ import annotations

from django.db import models

from vern.centres.tenancy import TenantModel


class SummaryState(models.Model):
    """Whether the summary holds every counted row (one row, id 1).

    Written by ``vern stats rebuild`` and by the migration that creates it on a database with no
    case yet. Without it the statistics are computed from the rows (exact, slower): a database
    upgraded to the summary has empty summary tables until the first rebuild."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"statistics summary built {self.built_at:%Y-%m-%d %H:%M}"


class StatContribution(TenantModel):
    case_id = models.BigIntegerField()
    source = models.CharField(max_length=16)
    source_id = models.BigIntegerField()
    day = models.DateField()
    metric = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "metric"], name="stat_contribution_unique"
            )
        ]
        indexes = [models.Index(fields=["case_id"], name="stat_contribution_case_idx")]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id} {self.metric} {self.day}"


class StatDay(TenantModel):
    day = models.DateField()
    metric = models.CharField(max_length=64)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "day", "metric"], name="stat_day_unique")
        ]
        # The national view: every centre's days of a period.
        indexes = [models.Index(fields=["day", "metric", "n", "centre"], name="stat_day_day_idx")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.day} {self.metric} {self.n}"
