from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "vern.stats"
    label = "stats"
    verbose_name = "Statistics"

    def ready(self) -> None:
        # The summary follows every write of a counted row (ADR 0019).
        from vern.stats import checks, summary  # noqa: F401 (checks registers the deploy check)

        summary.connect()
