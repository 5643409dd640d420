from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vern.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from vern.accounts import (
            oidc_checks,  # noqa: F401  (registers the OIDC deploy checks)
            passkey_checks,  # noqa: F401  (registers the passkey deploy checks)
            signals,  # noqa: F401  (connects the session tracking)
        )
