from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vern.api"
    label = "api"
    verbose_name = "JSON API"
