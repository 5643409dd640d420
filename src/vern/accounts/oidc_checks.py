"""`vern check --deploy` for OpenID Connect sign-in (issue 18 point 1)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def check_oidc(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    issuer = getattr(settings, "VERN_OIDC_ISSUER", "")
    if not issuer:
        return []
    problems: list[CheckMessage] = []
    if not issuer.startswith("https://"):
        problems.append(
            CheckWarning(
                f"VERN_OIDC_ISSUER is {issuer!r}, not an https:// URL: the discovery document, "
                "the signing keys and the code exchange would travel unprotected.",
                hint="Use the provider's https issuer, e.g. "
                "https://login.microsoftonline.com/<tenant id>/v2.0 (docs/operations.md).",
                id="accounts.W101",
            )
        )
    if not settings.VERN_PASSWORD_LOGIN and not settings.VERN_OIDC_REQUIRE_MFA:
        problems.append(
            CheckWarning(
                "Password sign-in is off (VERN_PASSWORD_LOGIN=off) but the provider's MFA "
                "claims are not required (VERN_OIDC_REQUIRE_MFA is not true): a sign-in "
                "without them falls back to Vern's own codes instead of the municipality's "
                "(phishing-resistant) MFA.",
                hint="Set VERN_OIDC_REQUIRE_MFA=true with the amr/acr values your provider "
                "sends (VERN_OIDC_MFA_AMR, VERN_OIDC_MFA_ACR; docs/security.md).",
                id="accounts.W102",
            )
        )
    if settings.VERN_OIDC_REQUIRE_MFA and not (
        settings.VERN_OIDC_MFA_AMR or settings.VERN_OIDC_MFA_ACR
    ):
        problems.append(
            CheckWarning(
                "VERN_OIDC_REQUIRE_MFA is true but no amr or acr value counts as MFA: every "
                "OIDC sign-in would be refused.",
                hint="Set VERN_OIDC_MFA_AMR (e.g. mfa) or VERN_OIDC_MFA_ACR.",
                id="accounts.W103",
            )
        )
    return problems
