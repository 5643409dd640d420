from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vern.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from vern.audit import checks  # noqa: F401  (registers the system check)
