from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "vern.stats"
    label = "stats"
    verbose_name = "Statistics"
