from django.apps import AppConfig


class TogetherConfig(AppConfig):
    name = "vern.together"
    label = "together"
    verbose_name = "Assess together"
