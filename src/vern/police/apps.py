from django.apps import AppConfig


class PoliceConfig(AppConfig):
    name = "vern.police"
    label = "police"
    verbose_name = "Police contacts"
