from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _apply_rulebook(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After ``vern migrate``: apply a new packaged rulebook version to the open cases (issue 13
    point 6). Idempotent and quick when the version is already applied."""
    from vern.assessments.upgrade import upgrade_if_needed

    upgrade_if_needed(using=using)


class AssessmentsConfig(AppConfig):
    name = "vern.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from vern.assessments import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(_apply_rulebook, sender=self, dispatch_uid="vern_rulebook_upgrade")
