from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: encrypted backups and restores, retention (purge), reliability drills."""

    name = "vern.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from vern.ops import checks  # noqa: F401  (registers the system checks)
