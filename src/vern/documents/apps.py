from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "vern.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from vern.documents import checks  # noqa: F401  (registers the system check)
