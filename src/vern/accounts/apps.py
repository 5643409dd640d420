from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vern.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from vern.accounts import passkey_checks, signals  # noqa: F401  (checks, session tracking)
