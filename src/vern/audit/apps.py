from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vern.audit"
    label = "audit"
    verbose_name = "Audit"
