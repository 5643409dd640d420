from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "vern.assessments"
    label = "assessments"
    verbose_name = "Assessments"
