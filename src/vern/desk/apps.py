from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "vern.desk"
    label = "desk"
    verbose_name = "Desk"
