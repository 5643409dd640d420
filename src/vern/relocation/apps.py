from django.apps import AppConfig


class RelocationConfig(AppConfig):
    name = "vern.relocation"
    label = "relocation"
    verbose_name = "Relocation"
