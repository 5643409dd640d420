from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "vern.cases"
    label = "cases"
    verbose_name = "Cases"
