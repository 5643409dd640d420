from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vern.core"
    label = "core"
    verbose_name = "Vern core"

    def ready(self) -> None:
        from vern.core import checks  # noqa: F401  (registers the system checks)
