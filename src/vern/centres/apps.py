from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "vern.centres"
    label = "centres"
    verbose_name = "Centres"
