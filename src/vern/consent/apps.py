from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "vern.consent"
    label = "consent"
    verbose_name = "Consent"
